"""The HTTP API at /api/v1. Thin: it parses, calls the same services as the pages, and answers."""

import datetime

from django.contrib.auth import authenticate
from django.http import Http404
from ninja import File, Form, NinjaAPI, Query, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.security import django_auth

from zhunru import clock
from zhunru.documents.exports import application_form_response
from zhunru.errors import RuleViolation, ServiceError
from zhunru.intake import queries, services
from zhunru.intake.context import build_context
from zhunru.intake.form import clean_body
from zhunru.intake.rules import check_application
from zhunru.orgs.models import ApiToken, Organisation, OrgKind
from zhunru.orgs.scoping import get_visible_or_404
from zhunru.workdays.calendar import current_schedule
from zhunru.workdays.rules import UnknownYear

from .auth import BearerAuth
from .catalog import router as catalog_router
from .errors import validation_errors
from .parser import CleanParser
from .review import application_with_review
from .review import router as review_router
from .schemas import ApplicationBody, CheckBody, CommentBody, TokenBody, VerbalReportBody

# Bearer first: with the cookie first, token POSTs would fail the CSRF check (DESIGN.md pitfalls).
# No interactive docs page: it loads Swagger UI from a CDN, which an intranet cannot reach. The spec is at /openapi.json.
api = NinjaAPI(title="Zhunru 准入系统 API", version="1", auth=[BearerAuth(), django_auth], urls_namespace="api", docs_url=None,
                parser=CleanParser())


def _errors(status: int, errors: list[dict]):
    return api.create_response(None, {"errors": errors}, status=status)


@api.exception_handler(ValidationError)
def _validation(request, exc):
    return _errors(422, validation_errors(exc))


@api.exception_handler(ServiceError)
def _service(request, exc: ServiceError):
    return _errors(exc.status, exc.errors)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _errors(404, [{"rule": None, "field": None, "message": "未找到该对象，或您无权查看"}])


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    message = "请求体无法解析：请发送有效的 JSON" if exc.status_code == 400 else f"请求被拒绝（{exc.status_code}）"
    return _errors(exc.status_code, [{"rule": None, "field": None, "message": message}])


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _errors(401, [{"rule": None, "field": None, "message": "请先登录或提供有效的令牌"}])


@api.post("/auth/token", auth=None, tags=["auth"])
def issue_token(request, body: TokenBody):
    user = authenticate(request, username=body.username, password=body.password)
    if user is None:
        return _errors(401, [{"rule": None, "field": "password", "message": "用户名或密码错误"}])
    return {"token": ApiToken.issue(user), "token_type": "bearer", "username": user.username}


# ---- working days (R-CAL-1)

@api.get("/workdays", tags=["workdays"])
def workdays(request, start: datetime.date = Query(..., alias="from"), end: datetime.date = Query(..., alias="to")):
    if end < start:
        return _errors(422, [{"rule": "R-CAL-1", "field": "to", "message": "结束日期不能早于开始日期"}])
    if (end - start).days > 731:
        return _errors(422, [{"rule": "R-CAL-1", "field": "to", "message": "一次最多查询两年"}])
    schedule = current_schedule()
    days, day = [], start
    try:
        while day <= end:
            days.append({"date": day.isoformat(), "working": schedule.is_working_day(day)})
            day += datetime.timedelta(days=1)
    except UnknownYear as exc:
        return _errors(422, [{"rule": "R-CAL-1", "field": "to" if exc.year == end.year else "from", "message": str(exc)}])
    return {"from": start.isoformat(), "to": end.isoformat(), "working_days": sum(d["working"] for d in days), "days": days}


# ---- applications

apps = Router(tags=["applications"])


def _body(request, body: ApplicationBody) -> dict:
    # The parser has already refused a body that is not an object (api/parser.py).
    return clean_body(body.model_dump(mode="json", exclude_unset=True))


@apps.post("/check")
def check(request, body: CheckBody):
    """Pre-check (R-APP-9): every rule, nothing saved; a rule's refusal is still a 200."""
    data = _body(request, body)
    user = request.user
    district = user.organisation.district if user.organisation else None
    if district is None:
        return _errors(403, [{"rule": None, "field": None, "message": "您的账号不属于任何区，无法预检"}])
    report = None
    if data.get("verbal_report_id"):
        from zhunru.intake.models import VerbalReport

        report = get_visible_or_404(VerbalReport.objects.all(), user, pk=data["verbal_report_id"])
    if not data.get("department") and user.organisation.kind == OrgKind.DEPARTMENT:
        data["department"] = user.organisation.code
    as_of = body.as_of or clock.today()
    return check_application(data, build_context(district, as_of, report)).as_dict()


@apps.get("")
def list_applications(request, status: str | None = None, limit: int = 50, offset: int = 0):
    qs = queries.applications_for(request.user, status=status)
    total = qs.count()
    rows = qs[max(offset, 0): max(offset, 0) + min(max(limit, 1), 200)]
    return {"count": total, "results": [queries.application_dict(a, with_attachments=False) for a in rows]}


@apps.post("")
def create(request, body: ApplicationBody):
    app = services.create_application(request.user, _body(request, body))
    return api.create_response(request, queries.application_dict(queries.application_for(request.user, app.pk)), status=201)


@apps.get("/{int:app_id}")
def detail(request, app_id: int):
    # Composed here, at the top: intake does not know the review; the review adds invitations, opinions, decision.
    return application_with_review(queries.application_for(request.user, app_id))


@apps.patch("/{int:app_id}")
def update(request, app_id: int, body: ApplicationBody):
    app = services.save_draft(request.user, queries.application_for(request.user, app_id), _body(request, body))
    return queries.application_dict(queries.application_for(request.user, app.pk))


def _action(fn):
    def run(request, app_id: int):
        fn(request.user, queries.application_for(request.user, app_id))
        return queries.application_dict(queries.application_for(request.user, app_id))

    return run


apps.post("/{int:app_id}/submit", operation_id="submit_application")(_action(services.submit_application))
apps.post("/{int:app_id}/sign", operation_id="sign_application")(_action(services.sign_application))
apps.post("/{int:app_id}/withdraw", operation_id="withdraw_application")(_action(services.withdraw_application))


@apps.post("/{int:app_id}/send-back")
def send_back(request, app_id: int, body: CommentBody):
    services.send_back(request.user, queries.application_for(request.user, app_id), body.comment)
    return queries.application_dict(queries.application_for(request.user, app_id))


@apps.post("/{int:app_id}/attachments")
def upload(request, app_id: int, file: File[UploadedFile], kind: Form[str] = "policy"):
    att = services.add_attachment(request.user, queries.application_for(request.user, app_id), file, kind)
    return api.create_response(request, {"id": att.pk, "name": att.original_name, "type": att.detected_type, "size": att.size}, status=201)


@apps.get("/{int:app_id}/form.docx")
def download_form(request, app_id: int):
    return application_form_response(queries.application_for(request.user, app_id))


api.add_router("/applications", apps)
# Each package's routes live in their own module; mounted at the root so paths read as in the issues.
api.add_router("", review_router)
api.add_router("", catalog_router)


@api.post("/verbal-reports", tags=["review"])
def verbal_report(request, body: VerbalReportBody):
    district = request.user.organisation.district_id if request.user.organisation else None
    dept = Organisation.objects.filter(district_id=district, kind=OrgKind.DEPARTMENT).filter(code=body.department).first() \
        or Organisation.objects.filter(district_id=district, kind=OrgKind.DEPARTMENT, name=body.department).first()
    if dept is None:
        raise RuleViolation("部门不存在", [{"rule": "R-PROC-5", "field": "department", "message": f"本区没有部门“{body.department}”"}])
    report = services.record_verbal_report(request.user, department=dept, reported_on=body.on, reported_by=body.by,
                                           channel=body.channel, content=body.content)
    return api.create_response(request, {"id": report.pk, "department": dept.code, "on": report.reported_on.isoformat(),
                                         "backfill_due": report.backfill_due.isoformat()}, status=201)
