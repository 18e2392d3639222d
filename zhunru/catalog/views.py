"""Pages of the lists. Thin: each parses the request, calls catalog's services or queries, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zhunru import clock
from zhunru.errors import ServiceError
from zhunru.orgs.models import Role

from . import queries, rules, services
from .models import ItemStatus, PlanItem

KIND_LABELS = queries.KIND_LABELS
INVOLVES_NAME_LABELS = (("system_name", "信息系统"), ("assessment_name", "考核创建"), ("plaque_name", "挂牌标识"))
BASIS_LABELS = {"central": "党中央国务院文件", "laws": "法律法规规章", "municipal": "市委市政府文件"}


def field_text(field: str, value) -> str:
    """A compared field's value as a person reads it (R-PROC-7 version comparison): labels, not codes."""
    if value in (None, "", [], {}):
        return "—"
    if field == "scope":
        return queries.SCOPE_LABELS.get(value, str(value))
    if field == "time_limit":
        return queries.time_limit_text(value) or "—"
    if field == "comparison":
        return rules.COMPARISON_LABELS.get(value, str(value))
    if field == "involves":
        return "、".join(KIND_LABELS.get(k, k) for k in value if k != "task") or "—"
    if field == "status":
        return queries.STATUS_LABELS.get(value, str(value))
    if field == "duties":
        return "；".join(f"{n}.{d.get('text') or ''}" + (f"（{d['mode']}）" if d.get("mode") else "")
                        for n, d in enumerate(value, 1) if isinstance(d, dict))
    if field == "support":
        return "；".join(f"{line['label']}：" + "，".join(f"{k} {v}".strip() for k, v in line["fields"])
                        for line in rules.support_lines(value)) or "—"
    if field == "courses":
        return "；".join(str(c.get("name") or "") for c in value if isinstance(c, dict)) or "—"
    if field == "basis" and isinstance(value, dict):
        return "；".join([*(BASIS_LABELS.get(t, t) for t in value.get("types") or []), *(value.get("documents") or [])]) or "—"
    if field == "municipal_item" and isinstance(value, dict):
        return value.get("name") or "—"
    if field == "scope_committees":
        return f"{len(value)}个居村"
    return str(value)


def _district(request) -> int:
    org = request.user.organisation
    if org is None or org.district_id is None:
        raise Http404("您的账号不属于任何区")
    return org.district_id


def _errors(request, exc: ServiceError):
    for e in exc.errors:
        messages.error(request, e["message"])


def _display(item: dict) -> dict:
    """Labels for the page, computed once per item in Python (no queries)."""
    limit = item.get("time_limit") or {}
    m = item.get("municipal_item") or {}
    return {**item,
            "time_limit_text": queries.time_limit_text(limit),
            "scope_text": "全区居村" if item.get("scope") != "some" else f"部分居村（{len(item.get('scope_committees') or [])}个）",
            "involves_text": "、".join(KIND_LABELS.get(k, k) for k in item.get("involves") or [] if k != "task") or "—",
            "comparison_text": rules.COMPARISON_LABELS.get(item.get("comparison") or "new", ""),
            "municipal_name": m.get("name") or "",
            "involves_named": [f"{label}：{(item.get('involves_names') or {})[key]}" for key, label in INVOLVES_NAME_LABELS
                               if (item.get("involves_names") or {}).get(key)],
            "source_numbers": "、".join(s.get("number") or f"#{s.get('application_id')}" for s in item.get("sources") or [])}


def _steps(data: dict, year: int, today) -> list[dict]:
    """R-PROC-1/3 in order: 开启编制 → 确认/纳入 → 发布 → 报备, each done, current or to come."""
    filed_versions = {f["version__number"] for f in data["filings"] if f["version__number"]}
    waiting = [i for i in data["pending"] if i["status"] == ItemStatus.PROPOSED]
    unpublished = bool(data["pending"])
    version = data["version"]
    filed = version in filed_versions
    past = year < today.year
    steps = [
        {"label": "开启编制", "done": bool(data["round_opened_on"]),
         "note": f"{data['round_opened_on']:%Y-%m-%d}开启" if data["round_opened_on"] else
                 ("往年清单，不再开启" if past else ("尚未开启，上年事项未沿用" if version or unpublished else ""))},
        {"label": "确认/纳入", "done": not waiting and (bool(version) or unpublished),
         "note": f"{len(waiting)}项年度事项待部门确认" if waiting else (f"{len(data['pending'])}项待发布" if unpublished else "")},
        {"label": "发布", "done": bool(version) and not unpublished, "note": f"现行第{version}版" if version else ""},
        {"label": "报备", "done": filed and not unpublished, "note": f"第{version}版已报备" if filed else ""},
    ]
    first = 1 if past else 0  # a past year's round is not opened any more
    current = next((i for i in range(first, len(steps)) if not steps[i]["done"]), None)
    for i, st in enumerate(steps):
        st["current"] = i == current
    return steps


def _year(year):
    """A year in an address: four digits, or the page does not exist."""
    if year is not None and not 2000 <= int(year) <= 2100:
        raise Http404("没有该年度")
    return year


@login_required
def plan_list_page(request, year=None):
    year = _year(year)
    today = clock.today()
    district = _district(request)
    listed_years = queries.plan_list_years(district)
    fallback_from = None
    if year is None:
        year = today.year
        if year not in listed_years and listed_years:
            # R-PROC-3: this year has no list yet: open on the newest year that has one, and say so.
            fallback_from, year = year, listed_years[0]
    version = request.GET.get("version")
    version = int(version) if version and version.isdigit() else None
    data = queries.plan_list_view(district, year, version)
    user = request.user
    filed = {f["version__number"]: f["filed_on"] for f in data["filings"] if f["version__number"]}
    return render(request, "catalog/plan_list.html", {
        "year": year, "data": data, "items": [_display(i) for i in data["items"]],
        "pending": [_display(i) for i in data["pending"]],
        "viewing_version": version, "is_reviewer": user.has_role(Role.REVIEWER),
        "my_org": user.organisation_id, "years": sorted({year - 1, year, year + 1, today.year, *listed_years}),
        "listed_years": listed_years, "fallback_from": fallback_from,
        "other_years": [y for y in listed_years if y != year],
        "can_open": not data["round_opened_on"] and year >= today.year,
        "filed_on": filed.get(data["version"]), "steps": _steps(data, year, today),
        "active_count": sum(1 for i in data["items"] if i["status"] == ItemStatus.ACTIVE),
    })


@login_required
@require_POST
def plan_list_action(request, year, action):
    year = int(year)
    district = _district(request)
    try:
        if action == "open":
            summary = services.open_round(request.user, district, year)
            messages.success(request, f"已开启{year}年度清单编制：沿用{len(summary['carried'])}项，"
                                      f"待部门确认的年度事项{len(summary['proposed'])}项，不再列入的一次性事项{len(summary['left_out'])}项")
        elif action == "publish":
            v = services.publish_list(request.user, district, year)
            messages.success(request, f"已发布{year}年区级清单第{v.number}版")
        elif action == "file":
            filings = services.file_list(request.user, district, year)
            messages.success(request, f"已报备（{filings[0].document_number}）：" + "；".join(f.recipient for f in filings))
        else:
            raise Http404
    except ServiceError as exc:
        _errors(request, exc)
    return redirect("plan_list_year", year=year)


def _item(request, pk) -> PlanItem:
    item = PlanItem.objects.select_related("department", "plan_list", "municipal_item", "previous__plan_list").filter(
        district_id=_district(request), pk=pk).first()
    if item is None:
        raise Http404("未找到该事项")
    return item


@login_required
def item_detail(request, pk):
    item = _item(request, pk)
    user = request.user
    own = user.organisation_id == item.department_id and user.has_role(Role.APPLICANT, Role.APPLICANT_HEAD)
    history = list(PlanItem.objects.filter(lineage=item.lineage).select_related("plan_list").order_by("plan_list__year", "version", "id"))
    d = _display(queries.item_snapshot(item))
    # Names, not codes (one query for the district's committees, whatever the scope's size).
    directory = queries.committee_directory(item.district_id) if item.scope == "some" else []
    sources = [{**s, "procedure_label": rules.PROCEDURE_LABELS.get(s.get("procedure"), s.get("procedure") or "—"),
                "kind_label": rules.APPLICATION_KIND_LABELS.get(s.get("kind"), s.get("kind") or "—")} for s in d["sources"] or []]
    return render(request, "catalog/item.html", {
        "item": item, "d": d, "history": history,
        "scope_groups": rules.scope_groups(item.scope_committees, directory) if item.scope == "some" else [],
        "support_lines": rules.support_lines(d["support"]), "sources": sources,
        "can_exit": own and item.status == ItemStatus.ACTIVE, "can_confirm": own and item.status == ItemStatus.PROPOSED,
    })


@login_required
@require_POST
def item_exit(request, pk):
    try:
        services.file_exit(request.user, pk, request.POST.get("reason", ""))
        messages.success(request, "已备案退出")
    except ServiceError as exc:
        _errors(request, exc)
    return redirect("plan_item", pk=pk)


@login_required
@require_POST
def item_confirm(request, pk):
    try:
        services.confirm_item(request.user, pk, request.POST.get("keep") == "1")
        messages.success(request, "已确认")
    except ServiceError as exc:
        _errors(request, exc)
    return redirect("plan_item", pk=pk)


@login_required
def export(request, year, fmt):
    year = int(year)
    from zhunru.documents.plan_list_export import plan_list_response

    version = request.GET.get("version")
    return plan_list_response(_district(request), year, fmt, int(version) if version and version.isdigit() else None)


@login_required
def filing_letter(request, year):
    from zhunru.documents.plan_list_export import filing_letter_response

    version = request.GET.get("version")
    return filing_letter_response(_district(request), year, int(version) if version and version.isdigit() else None)


@login_required
def compare(request, year):
    other = request.GET.get("with", "municipal")
    data = queries.plan_list_view(_district(request), year)
    ctx = {"year": year, "with": other, "data": data}
    if other == "municipal":
        ctx["municipal"] = queries.compare_with_municipal(data["items"], year)
    elif other.isdigit():
        old = queries.plan_list_view(_district(request), year, int(other))
        if old.get("missing_version") or not old["exists"]:
            raise Http404("没有该版本")
        diff = rules.compare_versions(old["items"], data["items"])
        for c in diff["changed"]:
            for f in c["fields"]:
                f["old_text"], f["new_text"] = field_text(f["field"], f["old"]), field_text(f["field"], f["new"])
        ctx["diff"] = diff
    else:
        raise Http404
    return render(request, "catalog/compare.html", ctx)


@login_required
def lookup_page(request):
    q = (request.GET.get("q") or "").strip()[:100]
    results = queries.lookup(request.user, q, clock.today()) if q else []
    org = request.user.organisation
    today = clock.today()
    # 匹配度 (高/中) for the reviewers and departments; committees and streets see the order only, never a score.
    show_match = not request.user.has_role(Role.COMMITTEE, Role.STREET)
    return render(request, "catalog/lookup.html", {
        "q": q, "results": results, "is_committee": org is not None and org.kind == "committee", "today": today,
        "next_year": today.year + 1, "show_match": show_match})


@login_required
def municipal_page(request, year=None):
    year = _year(year)
    today = clock.today()
    in_force = queries.municipal_list_in_force(today.year)
    # Open on the list in force (the newest year up to this one), not on an empty current year.
    year = year or (in_force.year if in_force else today.year)
    data = queries.municipal_list_dict(year)
    return render(request, "catalog/municipal.html", {
        "year": year, "data": data, "is_reviewer": request.user.has_role(Role.REVIEWER, Role.ADMIN),
        "in_force_year": in_force.year if in_force else None, "today": today,
        "years": list(queries.MunicipalList.objects.values_list("year", flat=True))})


@login_required
@require_POST
def municipal_import(request):
    from zhunru.documents.imports import import_municipal_file

    if not request.user.has_role(Role.REVIEWER, Role.ADMIN):
        messages.error(request, "只有区民政局审核人员可以导入市级清单")
        return redirect("municipal_lists")
    upload = request.FILES.get("file")
    year = request.POST.get("year", "")
    if upload is None or not year.isdigit() or not 2000 <= int(year) <= 2100:
        messages.error(request, "请选择文件并填写年度")
        return redirect("municipal_lists")
    try:
        mlist = import_municipal_file(request.user, upload.read(), upload.name, int(year))
        messages.success(request, f"已导入{mlist.year}年市级清单，共{mlist.items.count()}项")
    except ServiceError as exc:
        _errors(request, exc)
        return redirect("municipal_lists")
    return redirect("municipal_list_year", year=int(year))
