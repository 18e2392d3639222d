"""Writes to the lists. Parsing files is the documents package's work; here the parsed items are stored."""

import datetime
import uuid

from django.db import transaction

from zhunru.audit.services import record
from zhunru.errors import NotAllowed, RuleViolation, WrongState
from zhunru.orgs.models import Organisation, OrgKind, Role
from zhunru.orgs.scoping import get_visible_or_404

from . import rules
from .models import (
    LIVE_STATUSES,
    ExitKind,
    Filing,
    ItemStatus,
    MunicipalItem,
    MunicipalList,
    PlanItem,
    PlanList,
    PlanListVersion,
)


@transaction.atomic
def store_municipal_list(actor, year: int, items: list, *, title: str = "", source_file: str = "") -> MunicipalList:
    """R-IMP-1: a year's municipal list is replaced whole, or not at all.

    ``actor`` is a reviewer (or None for the demo loader, which acts as the system).
    """
    if actor is not None and not actor.has_role(Role.REVIEWER, Role.ADMIN):
        raise NotAllowed("只有区民政局审核人员可以导入市级清单")
    if not items:
        raise RuleViolation("清单为空", [{"rule": "R-IMP-1", "field": "file", "message": "文件中没有任何事项（R-IMP-1）"}])
    mlist, created = MunicipalList.objects.get_or_create(year=year, defaults={"title": title, "source_file": source_file})
    if not created:
        mlist.items.all().delete()
        mlist.title, mlist.source_file = title or mlist.title, source_file
        mlist.save()
    MunicipalItem.objects.bulk_create([
        MunicipalItem(municipal_list=mlist, code=i.code, position=i.position, category=i.category, name=i.name,
                      content=i.content, department=i.department, basis=i.basis, involves=i.involves, applies=i.applies)
        for i in items
    ])
    district = actor.organisation.district_id if actor is not None else _first_district()
    record(actor=actor or "system", action="municipal_list.imported", obj=mlist, district_id=district,
           changes={"year": year, "items": len(items), "source_file": source_file, "replaced": not created})
    return mlist


def _first_district() -> int:
    return Organisation.objects.filter(kind=OrgKind.DISTRICT).order_by("pk").values_list("pk", flat=True).first()


# ---------------------------------------------------------------------------
# The district plan list (R-PROC-1, R-PROC-3, R-PROC-4, R-PROC-6, R-PROC-7)
# ---------------------------------------------------------------------------

# R-PROC-3: the list is filed with the municipal Civil Affairs Bureau and the district party committee and government.
FILING_RECIPIENTS = ("上海市民政局", "中共上海市普陀区委员会、上海市普陀区人民政府")
FILING_NUMBER = "普民〔{year}〕{seq}号"


def _today():
    from zhunru import clock

    return clock.today()


def _require_reviewer(actor, what: str):
    if actor is None or not actor.has_role(Role.REVIEWER):
        raise NotAllowed(f"只有区民政局审核人员可以{what}")


def _plan_list(district_id: int, year: int, *, lock: bool = False) -> PlanList:
    plan, _ = PlanList.objects.get_or_create(district_id=district_id, year=year)
    if lock:
        plan = PlanList.objects.select_for_update().get(pk=plan.pk)
    return plan


def _find_item(district_id: int, key, years: list[int]) -> PlanItem | None:
    """The live item named by ``key`` (its id or its exact name), in the first of ``years`` that has it."""
    key = str(key or "").strip()
    if not key:
        return None
    qs = PlanItem.objects.filter(district_id=district_id, status__in=LIVE_STATUSES)
    for year in years:
        in_year = qs.filter(plan_list__year=year)
        item = in_year.filter(pk=int(key)).first() if key.isdigit() else None
        item = item or in_year.filter(name=key).order_by("-version").first()
        if item:
            return item
    return None


def _municipal(content: dict, year: int) -> tuple[MunicipalItem | None, str]:
    from .queries import municipal_items_by_key

    key = str(content.get("municipal_item") or "").strip()
    if not key or content.get("municipal_comparison") not in ("same", "reworded"):
        return None, ""
    item = municipal_items_by_key(year).get(key)
    return item, item.name if item else key


def _fill_from_form(item: PlanItem, content: dict, decided_on) -> None:
    """Everything the approved application said (R-PROC-3), mirrored into the columns the list uses."""
    limit = content.get("time_limit") if isinstance(content.get("time_limit"), dict) else {}
    item.content = content
    item.name = (content.get("name") or item.name or "")[:200]
    item.summary = content.get("summary") or ""
    item.involves = rules.involved_kinds(content)
    item.comparison = content.get("municipal_comparison") or ""
    item.municipal_item, item.municipal_item_name = _municipal(content, decided_on.year)
    item.scope = content.get("scope") or "all"
    item.scope_committees = [str(c) for c in content.get("scope_committees") or []] if item.scope == "some" else []
    item.time_limit = limit.get("type") or ""
    item.starts_on = rules.parse_date(limit.get("start")) if item.time_limit == "one_time" else None
    item.ends_on = rules.parse_date(limit.get("end")) if item.time_limit == "one_time" else None


def _copy(item: PlanItem, plan: PlanList, **changes) -> PlanItem:
    fields = {f.attname: getattr(item, f.attname) for f in PlanItem._meta.concrete_fields if f.name not in ("id", "created_at")}
    fields.update(plan_list_id=plan.pk, **changes)
    return PlanItem(**fields)


def _refuse_duplicate(plan: PlanList, name: str, lineage: str = ""):
    clash = plan.items.filter(status__in=LIVE_STATUSES, name=name).exclude(lineage=lineage).first()
    if clash:
        raise RuleViolation("清单中已有同名事项", [{
            "rule": "R-APP-2", "field": "name",
            "message": f"{plan.year}年区级清单中已有同名事项“{name}”（{clash.department.name}），不能重复列入（R-APP-2）"}])


def _regular_year(decided_on) -> int:
    """R-PROC-1: the regular round of the fourth quarter fills next year's list. A decision taken early
    in a year (review running past 31 December) still belongs to that year's list."""
    return decided_on.year + 1 if decided_on.month >= 7 else decided_on.year


@transaction.atomic
def admit_application(*, actor, application_id: int, district_id: int, department_id: int, procedure: str, kind: str,
                      content: dict, decided_on, number: str = ""):
    """Called by the review when an application is approved (同意): puts it on the district plan list.

    regular → next year's draft list (new adds an item; adjust makes a new version of the item named by
    ``content["adjusts_item"]``, linked to the old; exit marks that item to leave the list when it is
    published); simplified and emergency → the current year's list at once, with the filing recorded
    (R-PROC-3, R-PROC-4). Returns the plan item. Runs inside the caller's transaction.
    """
    immediate = procedure in ("simplified", "emergency")
    year = decided_on.year if immediate else _regular_year(decided_on)
    plan = _plan_list(district_id, year, lock=True)
    source = {"application_id": application_id, "number": number or "", "kind": kind, "procedure": procedure,
              "decided_on": decided_on.isoformat()}
    old = None
    if kind in ("adjust", "exit"):
        old = _find_item(district_id, content.get("adjusts_item"), [year, year - 1])
        if old is None:
            raise RuleViolation("清单中没有该事项", [{
                "rule": "R-PROC-1", "field": "adjusts_item",
                "message": f"区级清单中没有在列事项“{content.get('adjusts_item') or ''}”，无法{'调整' if kind == 'adjust' else '退出'}（R-PROC-1）"}])
        if old.department_id != department_id:
            raise NotAllowed("只能调整或退出本部门的清单事项（R-PROC-1）")

    if kind == "exit":
        reason = content.get("exit_reason") or ""
        item = old if old.plan_list_id == plan.pk else None
        if item is None:
            # The item is only on last year's list: keep it out of this year's.
            item = _copy(old, plan, status=ItemStatus.LEFT_OUT, carried_from_id=old.pk, exit_reason=reason)
            item.sources = [*old.sources, source]
            item.save()
        elif immediate:
            item.status, item.exit_kind, item.exited_on, item.exit_reason = ItemStatus.EXITED, ExitKind.APPLICATION, decided_on, reason
            item.sources = [*item.sources, source]
            item.save()
        else:
            item.exit_pending, item.exit_reason = True, reason
            item.sources = [*item.sources, source]
            item.save()
        record(actor=actor or "system", action="plan_item.exit_admitted", obj=item, district_id=district_id,
               changes={"year": year, "application": source, "reason": reason, "immediate": immediate})
        return item

    item = PlanItem(plan_list=plan, district_id=district_id, department_id=department_id, procedure=procedure,
                    lineage=uuid.uuid4().hex, sources=[source])
    _fill_from_form(item, content, decided_on)
    if old is not None:
        item.lineage, item.version, item.previous = old.lineage, old.version + 1, old
    _refuse_duplicate(plan, item.name, item.lineage)
    if immediate:
        item.status, item.joined_on = ItemStatus.ACTIVE, decided_on
    item.save()
    if old is not None and old.plan_list_id == plan.pk and (immediate or old.status != ItemStatus.ACTIVE):
        # A version never published, or one replaced at once (simplified), gives way now.
        old.status = ItemStatus.SUPERSEDED
        old.save(update_fields=["status"])
    changes = {"year": year, "name": item.name, "status": item.status, "application": source, "version": item.version,
               "previous": old.pk if old else None}
    if immediate:
        # R-PROC-4: once approved and filed it joins the current year's list.
        Filing.objects.bulk_create([
            Filing(plan_list=plan, item=item, recipient=r, filed_on=decided_on, filed_by=getattr(actor, "username", "system"))
            for r in FILING_RECIPIENTS])
        changes["filed_with"] = list(FILING_RECIPIENTS)
    record(actor=actor or "system", action="plan_item.admitted", obj=item, district_id=district_id, changes=changes)
    return item


@transaction.atomic
def open_round(actor, district_id: int, year: int) -> dict:
    """R-PROC-1/3: open ``year``'s round from the list of the year before."""
    _require_reviewer(actor, "开启年度清单编制")
    if year < _today().year:
        raise WrongState(f"{year}年已过去，不能再开启{year}年度清单编制")
    plan = _plan_list(district_id, year, lock=True)
    if plan.round_opened_on:
        raise WrongState(f"{year}年度清单编制已于{plan.round_opened_on:%Y-%m-%d}开启")
    present = set(plan.items.values_list("lineage", flat=True))
    carried, proposed, dropped = [], [], []
    previous = PlanItem.objects.filter(district_id=district_id, plan_list__year=year - 1, status=ItemStatus.ACTIVE)
    for old in previous.order_by("id"):
        if old.lineage in present:
            continue
        action = rules.round_action(old.time_limit, old.ends_on, year)
        if action == rules.DROP:
            dropped.append(old.name)
            continue
        status = ItemStatus.PROPOSED if action == rules.PROPOSE else ItemStatus.PENDING
        (proposed if action == rules.PROPOSE else carried).append(
            _copy(old, plan, status=status, carried_from_id=old.pk, joined_on=None, exit_pending=False))
    PlanItem.objects.bulk_create(carried + proposed)
    plan.round_opened_on = _today()
    plan.save(update_fields=["round_opened_on"])
    summary = {"year": year, "carried": [i.name for i in carried], "proposed": [i.name for i in proposed], "left_out": dropped}
    record(actor=actor, action="plan_list.round_opened", obj=plan, district_id=district_id, changes=summary)
    return summary


@transaction.atomic
def confirm_item(actor, item_id: int, keep: bool) -> PlanItem:
    """R-PROC-1: a department confirms (or declines) an annual item proposed for the new year."""
    item = get_visible_or_404(PlanItem.objects.select_for_update(), actor, pk=item_id)
    if not actor.has_role(Role.APPLICANT, Role.APPLICANT_HEAD) or item.department_id != actor.organisation_id:
        raise NotAllowed("只有主管部门可以确认本部门的年度事项")
    if item.status != ItemStatus.PROPOSED:
        raise WrongState(f"该事项当前状态为“{item.status_label}”，无需确认")
    item.status = ItemStatus.PENDING if keep else ItemStatus.LEFT_OUT
    if not keep:
        item.exit_reason = "部门确认不再列入"
    item.save(update_fields=["status", "exit_reason"])
    record(actor=actor, action="plan_item.confirmed" if keep else "plan_item.declined", obj=item,
           district_id=item.district_id, changes={"year": item.plan_list.year, "name": item.name})
    return item


@transaction.atomic
def publish_list(actor, district_id: int, year: int) -> PlanListVersion:
    """R-PROC-3: the reviewer publishes the list as a version. Unconfirmed annual items are left out."""
    from .queries import item_snapshot, plan_items

    _require_reviewer(actor, "发布区级清单")
    plan = _plan_list(district_id, year, lock=True)
    today = _today()
    items = list(plan.items.select_for_update().filter(status__in=LIVE_STATUSES))
    if not any(i.status in (ItemStatus.PENDING, ItemStatus.ACTIVE) and not i.exit_pending for i in items):
        raise RuleViolation("清单没有事项", [{"rule": "R-PROC-3", "field": "items",
                                              "message": f"{year}年区级清单中没有可发布的事项，不能发布（R-PROC-3）"}])
    by_pk = {i.pk: i for i in items}
    for item in items:
        if item.status == ItemStatus.PROPOSED:
            item.status, item.exit_reason = ItemStatus.LEFT_OUT, "发布时主管部门未确认，未列入"
        elif item.exit_pending:
            if item.status == ItemStatus.ACTIVE:
                item.status, item.exit_kind, item.exited_on = ItemStatus.EXITED, ExitKind.APPLICATION, today
            else:
                item.status = ItemStatus.LEFT_OUT
            item.exit_pending = False
        elif item.status == ItemStatus.PENDING:
            item.status, item.joined_on = ItemStatus.ACTIVE, item.joined_on or today
            prior = by_pk.get(item.previous_id)
            if prior is not None and prior.status == ItemStatus.ACTIVE:
                prior.status = ItemStatus.SUPERSEDED
    PlanItem.objects.bulk_update(items, ["status", "exit_reason", "exit_kind", "exited_on", "exit_pending", "joined_on"])
    snapshot = [item_snapshot(i) for i in plan_items(plan, statuses=(ItemStatus.ACTIVE, ItemStatus.EXITED))]
    last = plan.versions.order_by("-number").first()
    if last is not None and last.items == snapshot:
        raise WrongState(f"自第{last.number}版发布以来清单没有变化，无需再次发布")
    version = PlanListVersion.objects.create(plan_list=plan, number=(last.number + 1) if last else 1, published_on=today,
                                             published_by=actor.username, items=snapshot)
    record(actor=actor, action="plan_list.published", obj=version, district_id=district_id,
           changes={"year": year, "version": version.number, "items": len([i for i in snapshot if i["status"] == "active"])})
    return version


@transaction.atomic
def file_list(actor, district_id: int, year: int, version_number: int | None = None) -> list[Filing]:
    """R-PROC-3: file a published version with 市民政局 and 区委/区政府; records when and to whom."""
    _require_reviewer(actor, "报备区级清单")
    plan = _plan_list(district_id, year, lock=True)
    versions = plan.versions.all()
    version = versions.filter(number=version_number).first() if version_number else versions.order_by("-number").first()
    if version is None:
        raise WrongState(f"{year}年区级清单尚未发布，不能报备" if not version_number else f"没有第{version_number}版")
    if version.filings.exists():
        raise WrongState(f"第{version.number}版已于{version.filings.first().filed_on:%Y-%m-%d}报备")
    seq = Filing.objects.filter(plan_list__district_id=district_id, version__isnull=False, filed_on__year=_today().year) \
        .values("version").distinct().count() + 1
    number = FILING_NUMBER.format(year=_today().year, seq=seq)
    filings = Filing.objects.bulk_create([
        Filing(plan_list=plan, version=version, recipient=r, document_number=number, filed_on=_today(), filed_by=actor.username)
        for r in FILING_RECIPIENTS])
    record(actor=actor, action="plan_list.filed", obj=version, district_id=district_id,
           changes={"year": year, "version": version.number, "to": list(FILING_RECIPIENTS), "document_number": number})
    return filings


@transaction.atomic
def file_exit(actor, item_id: int, reason: str) -> PlanItem:
    """R-PROC-6: a department files the exit (备案退出) of an item of its own, with a reason."""
    item = get_visible_or_404(PlanItem.objects.select_for_update(), actor, pk=item_id)
    if not actor.has_role(Role.APPLICANT, Role.APPLICANT_HEAD) or item.department_id != actor.organisation_id:
        raise NotAllowed("只有主管部门可以备案退出本部门的清单事项（R-PROC-6）")
    from zhunru.text import clean_text

    reason = clean_text(reason or "").strip()
    if not reason:
        raise RuleViolation("缺少退出理由", [{"rule": "R-PROC-6", "field": "reason", "message": "备案退出须填写退出理由（R-PROC-6）"}])
    if item.status != ItemStatus.ACTIVE:
        raise WrongState(f"该事项当前状态为“{item.status_label}”，不能备案退出")
    today = _today()
    item.status, item.exit_kind, item.exited_on, item.exit_reason = ItemStatus.EXITED, ExitKind.FILED, today, reason
    item.save(update_fields=["status", "exit_kind", "exited_on", "exit_reason"])
    # Its copies in later lists still being drafted leave with it.
    later = PlanItem.objects.filter(lineage=item.lineage, plan_list__year__gt=item.plan_list.year,
                                    status__in=(ItemStatus.PENDING, ItemStatus.PROPOSED))
    later.update(status=ItemStatus.LEFT_OUT, exit_reason=f"已于{today:%Y-%m-%d}备案退出：{reason}")
    record(actor=actor, action="plan_item.exit_filed", obj=item, district_id=item.district_id,
           changes={"year": item.plan_list.year, "name": item.name, "reason": reason, "exited_on": today})
    return item


@transaction.atomic
def natural_exits(as_of) -> list[PlanItem]:
    """R-PROC-6: one-time items leave by themselves the day after their end date. Idempotent: only items
    still 在列 are touched, so running it again the same day (or any later day) changes nothing more."""
    due = list(PlanItem.objects.select_for_update().filter(
        status=ItemStatus.ACTIVE, time_limit="one_time", ends_on__lt=as_of).order_by("id"))
    for item in due:
        item.status, item.exit_kind = ItemStatus.EXITED, ExitKind.NATURAL
        item.exited_on = item.ends_on + datetime.timedelta(days=1)
        item.exit_reason = f"一次性任务已于{item.ends_on:%Y-%m-%d}结束"
        item.save(update_fields=["status", "exit_kind", "exited_on", "exit_reason"])
        record(actor="system", role="system", action="plan_item.exited_naturally", obj=item, district_id=item.district_id,
               changes={"name": item.name, "ends_on": item.ends_on, "exited_on": item.exited_on, "run_on": as_of})
    return due
