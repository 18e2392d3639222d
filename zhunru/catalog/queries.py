"""Read paths of the lists, scoped and with a fixed number of SQL queries whatever the number of rows."""

import datetime

from django.db import models

from . import rules
from .models import (
    LIVE_STATUSES,
    Abbreviation,
    ExitKind,
    Filing,
    ItemStatus,
    MunicipalItem,
    MunicipalList,
    PlanItem,
    PlanList,
    PlanListVersion,
)


def municipal_list_in_force(year: int) -> MunicipalList | None:
    """The newest municipal list of ``year`` or before: the one in force on a date of that year."""
    return MunicipalList.objects.filter(year__lte=year).order_by("-year").first()


def municipal_items_by_key(year: int) -> dict[str, MunicipalItem]:
    """Items of the list in force, reachable by code and by exact name (FIELDS.md accepts both)."""
    mlist = municipal_list_in_force(year)
    if mlist is None:
        return {}
    out = {}
    for item in mlist.items.all():
        out[item.code] = item
        out[item.name] = item
    return out


# ---------------------------------------------------------------------------
# The district plan list: read paths with a fixed number of queries, whatever the number of items.
# ---------------------------------------------------------------------------

SCOPE_LABELS = {"all": "全区居村", "some": "部分居村"}
TIME_LIMIT_LABELS = {"one_time": "一次性任务", "annual": "年度工作任务", "ongoing": "常态化工作任务", "other": "其他情况"}
KIND_LABELS = {"task": "工作任务", "statistical_report": "统计报表", "ledger": "台账资料", "assessment": "考核创建",
               "certificate": "出具证明", "system": "信息系统", "plaque": "挂牌标识"}
APPLIES_LABELS = {"residents": "居委会", "villagers": "村委会"}
STATUS_LABELS = dict(ItemStatus.choices)
EXIT_LABELS = dict(ExitKind.choices)


def committee_directory(district_id: int) -> list[dict]:
    """Every committee of the district as {code, name, street}, in street then committee order (one query)."""
    from zhunru.orgs.models import Organisation, OrgKind

    rows = Organisation.objects.filter(district_id=district_id, kind=OrgKind.COMMITTEE).order_by(
        "parent__code", "code").values("code", "name", "parent__name")
    return [{"code": r["code"], "name": r["name"], "street": r["parent__name"] or ""} for r in rows]


def plan_list_years(district_id: int) -> list[int]:
    """The years that have a district list with something on it (items or a published version), newest first."""
    return sorted(set(PlanList.objects.filter(district_id=district_id).filter(
        models.Q(items__isnull=False) | models.Q(versions__isnull=False)).values_list("year", flat=True)), reverse=True)


def plan_list_of(district_id: int, year: int) -> PlanList | None:
    return PlanList.objects.filter(district_id=district_id, year=year).first()


def plan_items(plan: PlanList, statuses=None) -> list[PlanItem]:
    """The list's items in one query (department and municipal item joined)."""
    qs = plan.items.select_related("department", "municipal_item")
    if statuses:
        qs = qs.filter(status__in=statuses)
    return list(qs.order_by("id"))


def time_limit_text(limit: dict) -> str:
    limit = limit if isinstance(limit, dict) else {}
    label = TIME_LIMIT_LABELS.get(limit.get("type"), "")
    if limit.get("type") == "one_time" and (limit.get("start") or limit.get("end")):
        return f"{label}（{limit.get('start') or '?'}至{limit.get('end') or '?'}）"
    if limit.get("type") == "other" and limit.get("description"):
        return f"{label}（{limit['description']}）"
    return label


def item_snapshot(item: PlanItem) -> dict:
    """Everything the list shows and a version keeps of one item (plain JSON)."""
    c = item.content or {}
    basis = c.get("basis") if isinstance(c.get("basis"), dict) else {}
    status_label = item.status_label
    return {
        "id": item.pk, "lineage": item.lineage, "version": item.version, "previous_id": item.previous_id,
        "carried_from_id": item.carried_from_id,
        "name": item.name, "department": item.department.name, "department_code": item.department.code,
        "summary": item.summary,
        "duties": [d for d in c.get("duties") or [] if isinstance(d, dict) and (d.get("text") or "").strip()],
        "support": c.get("support") or {}, "courses": c.get("courses") or [],
        "basis": {"types": basis.get("types") or [], "documents": basis.get("documents") or []},
        "involves": list(item.involves or []),
        "involves_names": {k: c.get("involves", {}).get(k) for k in ("system_name", "assessment_name", "plaque_name")
                           if isinstance(c.get("involves"), dict) and c["involves"].get(k)},
        "scope": item.scope, "scope_committees": list(item.scope_committees or []),
        "time_limit": c.get("time_limit") or {"type": item.time_limit},
        "comparison": item.comparison,
        "municipal_item": ({"code": item.municipal_item.code, "name": item.municipal_item.name} if item.municipal_item
                           else ({"code": None, "name": item.municipal_item_name} if item.municipal_item_name else None)),
        "procedure": item.procedure, "sources": item.sources,
        "status": item.status, "status_label": status_label,
        "joined_on": item.joined_on.isoformat() if item.joined_on else None,
        "exit_kind": item.exit_kind or None, "exited_on": item.exited_on.isoformat() if item.exited_on else None,
        "exit_reason": item.exit_reason, "exit_pending": item.exit_pending,
    }


def plan_list_view(district_id: int, year: int, version: int | None = None) -> dict:
    """GET /plan-lists/{year}: a published version as it was, or the list as it stands now
    (在列 and 已退出 items, plus what waits for the next publication)."""
    plan = plan_list_of(district_id, year)
    versions = list(plan.versions.order_by("number").values("number", "published_on", "published_by")) if plan else []
    filings = list(Filing.objects.filter(plan_list=plan).values("version__number", "item_id", "recipient", "document_number", "filed_on", "filed_by")) if plan else []
    out = {"year": year, "exists": plan is not None, "round_opened_on": plan.round_opened_on if plan else None,
           "versions": versions, "filings": filings, "version": None, "published_on": None, "items": [], "pending": []}
    if plan is None:
        return out
    if version is not None:
        v = plan.versions.filter(number=version).first()
        if v is None:
            return {**out, "missing_version": version}
        return {**out, "version": v.number, "published_on": v.published_on, "items": v.items}
    rows = [item_snapshot(i) for i in plan_items(plan, statuses=(*LIVE_STATUSES, ItemStatus.EXITED))]
    latest = versions[-1] if versions else None
    out.update(version=latest["number"] if latest else None, published_on=latest["published_on"] if latest else None)
    out["items"] = [r for r in rows if r["status"] in (ItemStatus.ACTIVE, ItemStatus.EXITED)]
    out["pending"] = [r for r in rows if r["status"] in (ItemStatus.PENDING, ItemStatus.PROPOSED) or r["exit_pending"]]
    return out


def version_items(plan: PlanList, version: int) -> list[dict] | None:
    v = PlanListVersion.objects.filter(plan_list=plan, number=version).first()
    return v.items if v else None


def compare_with_municipal(items: list[dict], year: int) -> dict:
    """R-PROC-7: the district list against the municipal list in force: each item's comparison, and the
    municipal items the district list does not take up."""
    mlist = municipal_list_in_force(year)
    municipal = list(mlist.items.values("code", "name", "content")) if mlist else []
    rows, linked = [], set()
    for item in items:
        if item["status"] != ItemStatus.ACTIVE:
            continue
        m = item.get("municipal_item") or {}
        linked.add(m.get("name"))
        rows.append({"id": item["id"], "name": item["name"], "comparison": item["comparison"] or "new",
                     "comparison_label": rules.COMPARISON_LABELS.get(item["comparison"] or "new"),
                     "municipal_item": m or None, "name_differs": bool(m) and m.get("name") != item["name"]})
    counts = {k: sum(1 for r in rows if r["comparison"] == k) for k in rules.COMPARISON_LABELS}
    return {"municipal_year": mlist.year if mlist else None, "items": rows, "counts": counts,
            "municipal_not_in_district": [{"code": m["code"], "name": m["name"]} for m in municipal if m["name"] not in linked]}


def municipal_list_dict(year: int) -> dict | None:
    mlist = MunicipalList.objects.filter(year=year).first()
    if mlist is None:
        return None
    items = mlist.items.order_by("position").values("code", "name", "category", "department", "content", "basis", "involves", "applies")
    return {"year": year, "title": mlist.title, "source_file": mlist.source_file, "items": list(items)}


def district_item_names(district_id: int, years, exclude_application: int | None = None) -> dict[str, str]:
    """For the application rules (R-APP-2 duplicate flag, adjusts_item): live items by id and name → name.

    ``exclude_application`` leaves out the items an application itself put on the list, so an approved
    application is never flagged as a duplicate of its own item.
    """
    rows = PlanItem.objects.filter(district_id=district_id, plan_list__year__in=list(years),
                                   status__in=(ItemStatus.ACTIVE, ItemStatus.PENDING, ItemStatus.PROPOSED)).values_list("pk", "name", "sources")
    out = {}
    for pk, name, sources in rows:
        if exclude_application and any(s.get("application_id") == exclude_application for s in sources or []):
            continue
        out[str(pk)] = name
        out[name] = name
    return out


# ---------------------------------------------------------------------------
# Lookup (R-LOOK-1)
# ---------------------------------------------------------------------------


def abbreviations() -> dict[str, str]:
    return rules.abbreviation_table(dict(Abbreviation.objects.values_list("short", "full")))


def match_level(score: float) -> str:
    """What a reviewer needs of the score: 高 or 中 (below MIN_SCORE nothing is shown)."""
    return "高" if score >= 0.7 else "中"


def _district_applicability(r: dict, committee, today: datetime.date) -> tuple[bool | None, str]:
    """Whether a district item applies today (to the asker's committee when there is one), and a sentence
    saying so — or from when: "2027年清单在列，自2027-03-01起适用", "自2027年起适用"."""
    year, status = r["plan_list__year"], r["status"]
    here = "本居村" if committee else "居村"
    if status == ItemStatus.EXITED:
        return (False if committee else None), f"已于{r['exited_on']:%Y-%m-%d}退出，不再适用" if r["exited_on"] else "已退出，不再适用"
    if committee and r["scope"] == "some" and committee.code not in (r["scope_committees"] or []):
        return False, "本居村不在该事项的下派范围内"
    listed = f"{year}年清单{STATUS_LABELS[status]}"
    one_time = r["time_limit"] == "one_time"
    if one_time and r["ends_on"] and today > r["ends_on"]:
        return (False if committee else None), f"{listed}，已于{r['ends_on']:%Y-%m-%d}结束"
    if one_time and r["starts_on"] and today < r["starts_on"] and (year <= today.year or r["starts_on"] > datetime.date(year, 1, 1)):
        return (False if committee else None), f"{listed}，自{r['starts_on']:%Y-%m-%d}起适用"
    if year > today.year:
        return (False if committee else None), f"{listed}，自{year}年起适用"
    if status != ItemStatus.ACTIVE:
        return (False if committee else None), f"{listed}，发布后适用"
    if r["exit_pending"]:
        return (True if committee else None), f"{listed}，今天适用于{here}；已申请退出，下一版发布时退出"
    return (True if committee else None), f"{listed}，今天适用于{here}"


def lookup(user, query: str, today: datetime.date, limit: int = 20) -> list[dict]:
    """Search the municipal list in force and the district's lists of this year and next year together
    (next year's as published, or as drafted while its round runs).

    A fixed handful of queries: the abbreviations, the municipal items, the district items; the
    matching runs in Python over them (a few thousand items).
    """
    variants = rules.query_variants((query or "")[:100], abbreviations())  # a task's name, not a document
    if not variants:
        return []
    org = user.organisation
    committee = org if org is not None and org.kind == "committee" else None
    results = []
    mlist = municipal_list_in_force(today.year)
    if mlist is not None:
        for m in MunicipalItem.objects.filter(municipal_list=mlist).values("id", "code", "name", "content", "basis", "department", "applies", "category"):
            score, where = rules.item_score(variants, m)
            if score >= rules.MIN_SCORE:
                applies = (committee.committee_kind in (m["applies"] or [])) if committee else None
                applies_to = "、".join(APPLIES_LABELS[a] for a in m["applies"] or [] if a in APPLIES_LABELS)
                note = f"{mlist.year}年市级清单（现行）在列"
                if applies is False:
                    note += f"，适用于{applies_to or '—'}，不适用于本居村"
                elif applies:
                    note += "，今天适用于本居村"
                results.append({
                    "id": m["id"], "code": m["code"], "name": m["name"], "list": "municipal", "year": mlist.year,
                    "list_label": f"{mlist.year}年市级清单（现行）",
                    "status": "在列", "department": m["department"], "category": m["category"],
                    "applies": applies, "applies_to": applies_to, "applies_note": note,
                    "score": score, "match": match_level(score), "matched": where})
    district_id = org.district_id if org is not None else None
    if district_id:
        rows = list(PlanItem.objects.filter(
            models.Q(plan_list__year=today.year, status__in=(ItemStatus.ACTIVE, ItemStatus.EXITED))
            | models.Q(plan_list__year=today.year + 1, status__in=(ItemStatus.ACTIVE, ItemStatus.PENDING, ItemStatus.PROPOSED)),
            district_id=district_id).values(
            "id", "name", "summary", "content", "status", "exit_kind", "exited_on", "exit_pending", "scope", "scope_committees",
            "time_limit", "starts_on", "ends_on", "department__name", "plan_list__year", "lineage", "version"))
        # An item carried unchanged into next year's list is shown once, from this year's list.
        current = {(r["lineage"], r["version"]) for r in rows if r["plan_list__year"] == today.year and r["status"] == ItemStatus.ACTIVE}
        for r in rows:
            if r["plan_list__year"] > today.year and (r["lineage"], r["version"]) in current:
                continue
            c = r["content"] or {}
            duties = " ".join((d.get("text") or "") for d in c.get("duties") or [] if isinstance(d, dict))
            basis = " ".join((c.get("basis") or {}).get("documents") or []) if isinstance(c.get("basis"), dict) else ""
            score, where = rules.item_score(variants, {"name": r["name"], "content": f"{r['summary']} {duties}", "basis": basis})
            if score >= rules.MIN_SCORE:
                status = STATUS_LABELS[r["status"]]
                if r["status"] == ItemStatus.EXITED and r["exit_kind"]:
                    status = f"已退出（{EXIT_LABELS[r['exit_kind']]}）"
                year = r["plan_list__year"]
                applies, note = _district_applicability(r, committee, today)
                drafting = r["status"] in (ItemStatus.PENDING, ItemStatus.PROPOSED)
                results.append({
                    "id": r["id"], "code": None, "name": r["name"], "list": "district", "year": year,
                    "list_label": f"{year}年区级清单" + ("（编制中）" if drafting else ""), "status": status,
                    "department": r["department__name"], "category": "区级计划清单",
                    "applies": applies, "applies_note": note,
                    "applies_to": SCOPE_LABELS.get(r["scope"], ""), "score": score, "match": match_level(score), "matched": where})
    # Best first; at equal score, a name match before a content match, an item in force before an exited one,
    # this year's list before next year's.
    order = {"name": 0, "content": 1, "basis": 2}
    results.sort(key=lambda x: (-x["score"], order.get(x["matched"], 3), x["status"].startswith("已退出"), x["year"] > today.year, x["name"]))
    return results[:limit]
