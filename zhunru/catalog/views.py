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
            "source_numbers": "、".join(s.get("number") or f"#{s.get('application_id')}" for s in item.get("sources") or [])}


@login_required
def plan_list_page(request, year=None):
    year = year or clock.today().year
    version = request.GET.get("version")
    version = int(version) if version and version.isdigit() else None
    data = queries.plan_list_view(_district(request), year, version)
    user = request.user
    return render(request, "catalog/plan_list.html", {
        "year": year, "data": data, "items": [_display(i) for i in data["items"]],
        "pending": [_display(i) for i in data["pending"]],
        "viewing_version": version, "is_reviewer": user.has_role(Role.REVIEWER),
        "my_org": user.organisation_id, "years": [year - 1, year, year + 1],
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
    return render(request, "catalog/item.html", {
        "item": item, "d": _display(queries.item_snapshot(item)), "history": history,
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
        ctx["diff"] = rules.compare_versions(old["items"], data["items"])
    else:
        raise Http404
    return render(request, "catalog/compare.html", ctx)


@login_required
def lookup_page(request):
    q = (request.GET.get("q") or "").strip()[:100]
    results = queries.lookup(request.user, q, clock.today()) if q else []
    org = request.user.organisation
    return render(request, "catalog/lookup.html", {
        "q": q, "results": results, "is_committee": org is not None and org.kind == "committee", "today": clock.today()})


@login_required
def municipal_page(request, year=None):
    year = year or clock.today().year
    data = queries.municipal_list_dict(year)
    return render(request, "catalog/municipal.html", {"year": year, "data": data, "is_reviewer": request.user.has_role(Role.REVIEWER, Role.ADMIN),
                                                      "years": list(queries.MunicipalList.objects.values_list("year", flat=True))})


@login_required
@require_POST
def municipal_import(request):
    from zhunru.documents.imports import import_municipal_file

    upload = request.FILES.get("file")
    year = request.POST.get("year", "")
    if upload is None or not year.isdigit():
        messages.error(request, "请选择文件并填写年度")
        return redirect("municipal_lists")
    try:
        mlist = import_municipal_file(request.user, upload.read(), upload.name, int(year))
        messages.success(request, f"已导入{mlist.year}年市级清单，共{mlist.items.count()}项")
    except ServiceError as exc:
        _errors(request, exc)
        return redirect("municipal_lists")
    return redirect("municipal_list_year", year=int(year))
