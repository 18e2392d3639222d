"""Documents as HTTP downloads: gathers what a document shows and hands it to its writer."""

from urllib.parse import quote

from django.http import HttpResponse

from zhunru.orgs.models import Organisation
from zhunru.review.queries import form_meta as review_form_meta

from .application_form import render_application_form

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, filename: str, content_type: str = DOCX) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # RFC 5987: Chinese file names survive in every browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _municipal_item_name(app) -> str:
    """The body may name the municipal item by code (M2025-030) or by name; the form prints the name."""
    from zhunru.catalog.queries import municipal_items_by_key

    key = str(app.content.get("municipal_item") or "")
    if not key:
        return ""
    year = (app.submitted_on or app.created_at).year
    item = municipal_items_by_key(year).get(key)
    return item.name if item else key


def application_form_meta(app) -> dict:
    content = app.content
    committees = []
    if content.get("scope") == "some":
        codes = [str(c) for c in content.get("scope_committees") or []]
        names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
        committees = [names.get(c, c) for c in codes]
    return {
        "number": app.number or "",
        "department_name": app.department.name,
        "municipal_item_name": _municipal_item_name(app),
        "committee_names": committees,
        "head_signoff": {"name": app.head_signoff_name, "date": app.head_signoff_date.isoformat()} if app.head_signoff_date else None,
        **review_form_meta(app),  # 准入审核意见, 不同意理由, 修改建议 and the opinions (issue 3)
    }


def application_form_response(app) -> HttpResponse:
    data = render_application_form(app.content, application_form_meta(app))
    label = app.number or app.name or f"草稿{app.pk}"
    return download(data, f"下派居村组织工作任务申请表-{label}.docx")
