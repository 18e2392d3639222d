"""Pages of the pre-review of draft documents (R-SCOPE-2). Thin, like the desk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from zhunru import clock
from zhunru.errors import ServiceError
from zhunru.intake import queries as intake_queries
from zhunru.intake.models import Application
from zhunru.orgs.models import Organisation, OrgKind, Role
from zhunru.orgs.scoping import get_visible_or_404

from . import queries, services
from .models import DraftDocument
from .rules import DEFAULT_DEADLINE_DAYS


def _errors(request, exc: ServiceError):
    for e in exc.errors:
        messages.error(request, e["message"])


@login_required
def draft_list(request):
    user = request.user
    if request.method == "POST":
        try:
            draft = services.upload_draft(user, title=request.POST.get("title", ""), doc_kind=request.POST.get("doc_kind", ""),
                                          summary=request.POST.get("summary", ""), upload=request.FILES.get("file"))
            messages.success(request, "文件草案已上传，等待区民政局组织前置审核")
            return redirect("review_draft", pk=draft.pk)
        except ServiceError as exc:
            _errors(request, exc)
        return redirect("review_drafts")
    return render(request, "review/drafts.html", {
        "drafts": queries.drafts_for(user)[:300], "can_upload": user.has_role(Role.APPLICANT), "kinds": DraftDocument.DocKind.choices,
    })


def _draft(user, pk):
    qs = DraftDocument.objects.select_related("department", "concluded_by")
    return get_visible_or_404(qs, user, pk=pk)


@login_required
def draft_detail(request, pk):
    user = request.user
    draft = _draft(user, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                try:
                    days = int(request.POST.get("deadline_days") or DEFAULT_DEADLINE_DAYS)
                except ValueError:
                    days = -1
                services.invite_draft(user, draft, kind=request.POST.get("kind", "joint_review"),
                                      organisations=request.POST.getlist("organisations"), deadline_days=days,
                                      silence_means_no_opinion=request.POST.get("silence") == "on")
                messages.success(request, "已发出邀请")
            elif action == "conclude":
                services.conclude_draft(user, draft, outcome=request.POST.get("outcome", ""), comment=request.POST.get("comment", ""))
                messages.success(request, "前置审核已办结")
            elif action == "link":
                app = intake_queries.application_for(user, request.POST.get("application") or 0)
                services.link_draft_application(user, draft, app)
                messages.success(request, f"已关联申请 {app.number or app.name}")
        except ServiceError as exc:
            _errors(request, exc)
        return redirect("review_draft", pk=pk)
    today, schedule = clock.today(), queries.current_schedule()
    return render(request, "review/draft.html", {
        "draft": draft,
        "invitations": [queries.invitation_view(i, today, schedule, draft.state != "open") for i in draft.invitations.select_related("organisation")
                        .prefetch_related("opinions__given_by")],
        "mine": next((i for i in draft.invitations.all() if i.organisation_id == user.organisation_id), None),
        "is_reviewer": user.has_role(Role.REVIEWER),
        "review_units": Organisation.objects.filter(district_id=draft.district_id, is_review_unit=True).order_by("code"),
        "streets": Organisation.objects.filter(district_id=draft.district_id, kind=OrgKind.STREET).order_by("code"),
        "outcomes": DraftDocument.Outcome.choices,
        "linkable": Application.objects.filter(department=draft.department).exclude(draft_documents=draft).order_by("-updated_at")[:100]
        if user.organisation_id == draft.department_id and user.has_role(Role.APPLICANT) else [],
        "linked": draft.applications.all(),
        "default_days": DEFAULT_DEADLINE_DAYS,
    })


@login_required
def draft_file(request, pk):
    draft = _draft(request.user, pk)
    try:
        handle = draft.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=draft.original_name)
