"""Pages of the application. Thin: each parses the request, calls a service, renders."""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhunru import clock
from zhunru.errors import ServiceError
from zhunru.orgs.models import Organisation, OrgKind, Role

from . import queries, services
from .context import build_context
from .form import from_post
from .models import EDITABLE, WITHDRAWABLE, AttachmentKind, Status, VerbalReport
from .rules import (
    CHANNELS,
    COMPARISONS,
    MODES,
    PROCEDURES,
    SCOPES,
    SUPPORT_TYPES,
    TIME_LIMITS,
    check_application,
)


def _json_login_required(view):
    """Autosave and pre-check answer 401 in JSON, so the page keeps what was typed and says so."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": "session_expired", "message": "登录已过期，内容已暂存在本机，请重新登录后继续"}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


TOO_MUCH = {"rule": "R-APP-8", "field": None, "message": "提交的内容超出页面所能填写的范围（字段过多或过大），未保存；请刷新页面后重试（R-APP-8）"}


def _posted(request):
    """The posted page as the form document, or None when the post is too big to be read."""
    try:
        return from_post(request.POST)
    except (TooManyFieldsSent, RequestDataTooBig):
        return None


def _error_messages(request, exc: ServiceError):
    for e in exc.errors:
        messages.error(request, e["message"])


@login_required
def application_list(request):
    user = request.user
    status = request.GET.get("status") or None
    if status not in Status.values:
        status = None
    apps = queries.applications_for(user, status=status)[:500]
    return render(request, "intake/list.html", {
        "applications": apps, "status": status, "statuses": Status.choices, "counts": queries.status_counts(user),
        "can_create": user.has_role(Role.APPLICANT), "is_head": user.has_role(Role.APPLICANT_HEAD),
    })


@login_required
@require_POST
def application_new(request):
    try:
        app = services.create_application(request.user, {})
    except ServiceError as exc:
        _error_messages(request, exc)
        return redirect("applications")
    return redirect("application_edit", pk=app.pk)


def _form_context(request, app):
    district = app.district
    streets = Organisation.objects.filter(district=district, kind=OrgKind.STREET).order_by("code")
    committees = Organisation.objects.filter(district=district, kind=OrgKind.COMMITTEE).order_by("code").values_list("code", "name", "parent_id")
    by_street = {}
    for code, name, parent in committees:
        by_street.setdefault(parent, []).append((code, name))
    from zhunru.catalog.queries import municipal_list_in_force

    mlist = municipal_list_in_force(clock.today().year)
    content = app.content
    duties = list(content.get("duties") or [])
    courses = list(content.get("courses") or [])
    return {
        "app": app,
        "c": content,
        "content_json": json.dumps(content, ensure_ascii=False),
        "duties": duties + [{}] * max(3 - len(duties), 1),
        "courses": courses + [{}] * (1 if len(courses) < 5 else 0),
        "streets": [(s, by_street.get(s.pk, [])) for s in streets],
        "chosen_committees": set(str(c) for c in content.get("scope_committees") or []),
        "municipal_items": list(mlist.items.values_list("code", "name", "category")) if mlist else [],
        "verbal_reports": VerbalReport.objects.filter(department=app.department).order_by("-reported_on")[:50],
        "procedures": PROCEDURES, "comparisons": COMPARISONS, "scopes": SCOPES, "time_limits": TIME_LIMITS,
        "modes": MODES, "support_types": SUPPORT_TYPES, "channels": CHANNELS,
        "basis_types": {"central": "党中央国务院文件", "laws": "法律法规规章", "municipal": "市委市政府文件"},
        "documents_text": "\n".join((content.get("basis") or {}).get("documents") or []),
        "today": clock.today(),
        "attachment_kinds": AttachmentKind.choices,
    }


@login_required
def application_edit(request, pk):
    app = queries.application_for(request.user, pk)
    if app.status not in EDITABLE or app.department_id != request.user.organisation_id or not request.user.has_role(Role.APPLICANT):
        return redirect("application_detail", pk=app.pk)
    if request.method == "POST":
        data = _posted(request)
        if data is None:
            messages.error(request, TOO_MUCH["message"])
            return redirect("application_edit", pk=app.pk)
        try:
            app = services.save_draft(request.user, app, data)
            if request.POST.get("action") == "submit":
                services.submit_application(request.user, app)
                messages.success(request, "已提交，等待本部门主要负责人签发")
                return redirect("application_detail", pk=app.pk)
            messages.success(request, "草稿已保存")
        except ServiceError as exc:
            _error_messages(request, exc)
            app = queries.application_for(request.user, pk)
            ctx = _form_context(request, app)
            ctx["errors"] = exc.errors
            return render(request, "intake/form.html", ctx, status=exc.status)
        return redirect("application_edit", pk=app.pk)
    return render(request, "intake/form.html", _form_context(request, app))


@_json_login_required
@require_POST
def application_autosave(request, pk):
    app = queries.application_for(request.user, pk)
    data = _posted(request)
    if data is None:
        return JsonResponse({"errors": [TOO_MUCH]}, status=400)
    try:
        app = services.save_draft(request.user, app, data)
    except ServiceError as exc:
        return JsonResponse({"errors": exc.errors}, status=exc.status)
    return JsonResponse({"saved_at": app.updated_at.isoformat()})


@_json_login_required
@require_POST
def application_precheck(request, pk):
    """R-APP-9: the form as typed, against every rule, for a chosen submission date."""
    app = queries.application_for(request.user, pk)
    data = _posted(request)
    if data is None:
        return JsonResponse({"errors": [TOO_MUCH]}, status=400)
    try:
        as_of = datetime.date.fromisoformat(request.POST.get("_as_of") or clock.today().isoformat())
    except ValueError:
        return JsonResponse({"errors": [{"rule": "R-APP-9", "field": "as_of", "message": "预检日期不是有效日期（R-APP-9）"}]}, status=422)
    data["department"] = app.department.code
    report = VerbalReport.objects.filter(pk=data.get("verbal_report_id"), department=app.department).first() if data.get("verbal_report_id") else None
    result = check_application(data, build_context(app.district, as_of, report, app.pk))
    return JsonResponse(result.as_dict())


@login_required
def application_detail(request, pk):
    app = queries.application_for(request.user, pk)
    user = request.user
    own = app.department_id == user.organisation_id
    result = services.run_check(app, app.submitted_on or clock.today()) if app.status != Status.WITHDRAWN else None
    return render(request, "intake/detail.html", {
        "app": app, "c": app.content, "check": result, "own": own,
        "can_edit": own and user.has_role(Role.APPLICANT) and app.status in EDITABLE,
        "can_withdraw": own and user.has_role(Role.APPLICANT) and app.status in WITHDRAWABLE,
        "can_sign": own and user.has_role(Role.APPLICANT_HEAD) and app.status == Status.AWAITING_SIGNOFF,
        "procedures": PROCEDURES, "comparisons": COMPARISONS, "scopes": SCOPES, "time_limits": TIME_LIMITS,
        "support_types": SUPPORT_TYPES, "committee_names": _committee_names(app), "today": clock.today(),
    })


def _committee_names(app):
    codes = [str(c) for c in app.content.get("scope_committees") or []]
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(c, c) for c in codes]


@login_required
def application_sign(request, pk):
    app = queries.application_for(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "send_back":
                services.send_back(request.user, app, request.POST.get("comment", ""))
                messages.success(request, "已退回经办人修改")
            else:
                app = services.sign_application(request.user, app)
                messages.success(request, f"已签发，申请编号：{app.number}")
        except ServiceError as exc:
            _error_messages(request, exc)
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def application_withdraw(request, pk):
    app = queries.application_for(request.user, pk)
    try:
        services.withdraw_application(request.user, app)
        messages.success(request, "申请已撤回")
    except ServiceError as exc:
        _error_messages(request, exc)
    return redirect("application_detail", pk=pk)


@login_required
@require_POST
def attachment_upload(request, pk):
    app = queries.application_for(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的文件（R-APP-7）")
    else:
        try:
            services.add_attachment(request.user, app, upload, request.POST.get("kind") or AttachmentKind.POLICY)
            messages.success(request, f"附件“{upload.name}”已上传")
        except ServiceError as exc:
            _error_messages(request, exc)
    return redirect("application_edit" if app.status in EDITABLE else "application_detail", pk=pk)


@login_required
@require_POST
def attachment_delete(request, pk, att_pk):
    app = queries.application_for(request.user, pk)
    attachment = get_object_or_404(app.attachments, pk=att_pk)
    try:
        services.remove_attachment(request.user, attachment)
        messages.success(request, "附件已删除")
    except ServiceError as exc:
        _error_messages(request, exc)
    return redirect("application_edit", pk=pk)


@login_required
def attachment_download(request, pk, att_pk):
    app = queries.application_for(request.user, pk)
    attachment = get_object_or_404(app.attachments, pk=att_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)
