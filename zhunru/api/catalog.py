"""API of the lists (issue 4): municipal import, plan lists, exports, lookup, exits, comparison.

Thin: each endpoint parses, calls catalog's services or queries (or the documents writers), answers.
"""

from django.http import Http404
from ninja import File, Form, Router
from ninja.files import UploadedFile

from zhunru import clock
from zhunru.catalog import queries, services
from zhunru.catalog.rules import suggest_comparison
from zhunru.documents.imports import import_municipal_file
from zhunru.documents.plan_list_export import filing_letter_response, plan_list_response
from zhunru.errors import NotAllowed, RuleViolation
from zhunru.orgs.models import Role

from .schemas import Loose

router = Router(tags=["catalog"])

MAX_UPLOAD = 10 * 1024 * 1024


def _district(request) -> int:
    org = request.user.organisation
    if org is None or org.district_id is None:
        raise Http404
    return org.district_id


class ExitBody(Loose):
    reason: str = ""


class ConfirmBody(Loose):
    keep: bool = True


# ---- municipal lists (R-IMP-1)

@router.post("/municipal-lists/import")
def import_municipal(request, file: File[UploadedFile], year: Form[int]):
    """Multipart: ``file`` (.xlsx or .csv) and ``year``. All or nothing; a refusal names each row."""
    if not request.user.has_role(Role.REVIEWER, Role.ADMIN):  # refused for who they are, before the file is read
        raise NotAllowed("只有区民政局审核人员可以导入市级清单")
    if not 2000 <= year <= 2100:
        raise RuleViolation("年度无效", [{"rule": "R-IMP-1", "field": "year", "message": f"年度“{year}”无效"}])
    if file.size > MAX_UPLOAD:
        raise RuleViolation("文件过大", [{"rule": "R-IMP-1", "field": "file", "message": "文件超过10MB，请检查是否为清单文件"}])
    mlist = import_municipal_file(request.user, file.read(), file.name or "", year)
    names = list(mlist.items.order_by("position").values_list("name", flat=True))
    return {"year": mlist.year, "count": len(names), "names": names}


@router.get("/municipal-lists/suggest")
def suggest(request, name: str = "", summary: str = ""):
    """R-PROC-7: the system's proposal of 一致 / 表述调整 / 新增 for an application's wording."""
    mlist = queries.municipal_list_in_force(clock.today().year)
    items = list(mlist.items.values("code", "name", "content")) if mlist else []
    return suggest_comparison(name, summary, items)


@router.get("/municipal-lists/{int:year}")
def municipal_list(request, year: int):
    data = queries.municipal_list_dict(year)
    if data is None:
        raise Http404
    return {"year": data["year"], "items": data["items"]}


# ---- district plan lists (R-PROC-1, R-PROC-3, R-PROC-7)

@router.get("/plan-lists/{int:year}")
def plan_list(request, year: int, version: int | None = None):
    data = queries.plan_list_view(_district(request), year, version)
    if not data["exists"] or data.get("missing_version"):
        raise Http404
    return data


@router.post("/plan-lists/{int:year}/open")
def open_round(request, year: int):
    return services.open_round(request.user, _district(request), year)


@router.post("/plan-lists/{int:year}/publish")
def publish(request, year: int):
    v = services.publish_list(request.user, _district(request), year)
    return {"year": year, "version": v.number, "published_on": v.published_on, "items": len(v.items)}


@router.post("/plan-lists/{int:year}/file")
def file_list(request, year: int, version: int | None = None):
    filings = services.file_list(request.user, _district(request), year, version)
    return {"year": year, "filings": [{"recipient": f.recipient, "document_number": f.document_number,
                                        "filed_on": f.filed_on, "filed_by": f.filed_by} for f in filings]}


@router.get("/plan-lists/{int:year}/export")
def export(request, year: int, format: str = "xlsx", version: int | None = None):
    if format not in ("xlsx", "docx"):
        raise RuleViolation("格式无效", [{"rule": "R-DOC-1", "field": "format", "message": "导出格式只能是 xlsx 或 docx"}])
    return plan_list_response(_district(request), year, format, version)


@router.get("/plan-lists/{int:year}/filing-letter")
def filing_letter(request, year: int, version: int | None = None):
    return filing_letter_response(_district(request), year, version)


@router.get("/plan-lists/{int:year}/compare")
def compare(request, year: int, version: int | None = None):
    """``?with=municipal`` or ``?with=<version>``: against the municipal list, or version against version
    (the list as it stands now, or ``?version=N``, against version ``with``)."""
    from zhunru.catalog.rules import compare_versions

    with_ = request.GET.get("with", "municipal")  # "with" is a Python keyword: read it by hand
    data = queries.plan_list_view(_district(request), year, version)
    if not data["exists"] or data.get("missing_version"):
        raise Http404
    if with_ == "municipal":
        return {"year": year, "with": "municipal", **queries.compare_with_municipal(data["items"], year)}
    if not with_.isdigit():
        raise RuleViolation("比较对象无效", [{"rule": "R-PROC-7", "field": "with", "message": "with 只能是 municipal 或版本号"}])
    other = queries.plan_list_view(_district(request), year, int(with_))
    if other.get("missing_version"):
        raise Http404
    return {"year": year, "with": int(with_), "version": data["version"], **compare_versions(other["items"], data["items"])}


# ---- items: lookup, confirmation, exits (R-LOOK-1, R-PROC-1, R-PROC-6)

@router.get("/plan-items")
def lookup(request, q: str = ""):
    return {"query": q, "results": [
        {k: r[k] for k in ("id", "name", "list", "list_label", "status", "applies", "applies_note", "score", "match",
                           "department", "code", "year", "matched")}
        for r in queries.lookup(request.user, q, clock.today())]}


@router.post("/plan-items/{int:item_id}/exit")
def file_exit(request, item_id: int, body: ExitBody):
    item = services.file_exit(request.user, item_id, body.reason)
    return {"id": item.pk, "name": item.name, "status": item.status, "status_label": item.status_label,
            "exited_on": item.exited_on, "exit_reason": item.exit_reason}


@router.post("/plan-items/{int:item_id}/confirm")
def confirm(request, item_id: int, body: ConfirmBody):
    item = services.confirm_item(request.user, item_id, body.keep)
    return {"id": item.pk, "name": item.name, "status": item.status, "status_label": item.status_label}
