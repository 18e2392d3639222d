"""The plan list's documents as downloads: gathers what they show from catalog, hands it to the writers."""

from __future__ import annotations

from django.http import Http404

from zhunru import clock
from zhunru.catalog import queries
from zhunru.catalog.models import Filing
from zhunru.orgs.models import Organisation, User

from .exports import DOCX, download
from .filing_letter import render_filing_letter
from .plan_list_docx import render_plan_list_docx, title_of
from .plan_list_xlsx import render_plan_list_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _view(district_id: int, year: int, version: int | None) -> dict:
    data = queries.plan_list_view(district_id, year, version)
    if not data["exists"] or data.get("missing_version"):
        raise Http404
    return data


def _meta(district_id: int, data: dict) -> dict:
    partial = any(i.get("scope") == "some" for i in data["items"])
    district = Organisation.objects.get(pk=district_id)
    return {"year": data["year"], "version": data["version"], "published_on": data["published_on"],
            "district_name": district.name, "committees": queries.committee_directory(district_id) if partial else []}


def plan_list_document(district_id: int, year: int, fmt: str, version: int | None = None) -> tuple[bytes, str]:
    data = _view(district_id, year, version)
    meta = _meta(district_id, data)
    render = render_plan_list_xlsx if fmt == "xlsx" else render_plan_list_docx
    label = f"第{data['version']}版" if data["version"] else "草稿"
    return render(data["items"], meta), f"{title_of(year, meta['district_name'])}（{label}）.{fmt}"


def plan_list_response(district_id: int, year: int, fmt: str, version: int | None = None):
    body, name = plan_list_document(district_id, year, fmt, version)
    return download(body, name, XLSX if fmt == "xlsx" else DOCX)


def filing_counts(items: list[dict]) -> dict:
    active = [i for i in items if i["status"] == "active"]
    return {
        "total": len(active),
        "carried": sum(1 for i in active if i.get("carried_from_id")),
        "new": sum(1 for i in active if not i.get("carried_from_id") and not i.get("previous_id")),
        "adjusted": sum(1 for i in active if not i.get("carried_from_id") and i.get("previous_id")),
        "exited": sum(1 for i in items if i["status"] == "exited"),
        "with_support": sum(1 for i in active if any(isinstance(v, dict) and any(str(x or "").strip() for x in v.values())
                                                         for v in (i.get("support") or {}).values())),
        "with_courses": sum(1 for i in active if any(isinstance(c, dict) and (c.get("name") or "").strip() for c in i.get("courses") or [])),
        "same": sum(1 for i in active if i.get("comparison") == "same"),
        "reworded": sum(1 for i in active if i.get("comparison") == "reworded"),
        "added": sum(1 for i in active if i.get("comparison") not in ("same", "reworded")),
    }


def filing_letter_document(district_id: int, year: int, version: int | None = None) -> tuple[bytes, str]:
    data = _view(district_id, year, version)
    if data["version"] is None:
        raise Http404
    meta = _meta(district_id, data)
    filing = Filing.objects.filter(plan_list__district_id=district_id, plan_list__year=year,
                                   version__number=data["version"]).order_by("id").first()
    # The 签发人 is a person: the one who filed the list, when known; otherwise a blank line to sign.
    person = ""
    if filing is not None:
        person = User.objects.filter(username=filing.filed_by).values_list("display_name", flat=True).first() or ""
    meta.update(
        document_number=filing.document_number if filing else "普民〔　〕　号",
        date=filing.filed_on if filing else clock.today(),
        signer=person, contact=person, counts=filing_counts(data["items"]),
    )
    return render_filing_letter(meta), f"关于报备{year}年度区级计划清单的报告（第{data['version']}版）.docx"


def filing_letter_response(district_id: int, year: int, version: int | None = None):
    body, name = filing_letter_document(district_id, year, version)
    return download(body, name)
