"""Pages of the review. Thin: each parses the request, calls a service, renders."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhunru import clock
from zhunru.errors import ServiceError
from zhunru.intake import queries as intake_queries
from zhunru.intake import services as intake_services
from zhunru.intake.models import Application, Status
from zhunru.intake.rules import CHANNELS, COMPARISONS, PROCEDURES, SCOPES, SUPPORT_TYPES, TIME_LIMITS
from zhunru.orgs.models import Organisation, OrgKind, Role
from zhunru.orgs.scoping import visible

from . import queries, services
from .models import Decision, DecisionValue, Finding, InvitationKind, OpinionValue
from .rules import ACTIVE, DEFAULT_DEADLINE_DAYS, waited_label, waited_long

TABS = {"todo": "待办", "done": "已办", "started": "我发起的"}


def _errors(request, exc: ServiceError):
    for e in exc.errors:
        messages.error(request, e["message"])


def _readonly_ctx(app) -> dict:
    codes = [str(c) for c in app.content.get("scope_committees") or []]
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    return {"app": app, "c": app.content, "procedures": PROCEDURES, "comparisons": COMPARISONS, "scopes": SCOPES,
            "time_limits": TIME_LIMITS, "support_types": SUPPORT_TYPES, "committee_names": [names.get(c, c) for c in codes]}


# What reaches each role's 待办, and where it goes from there: /todo/ is the page everyone lands on.
ROLE_TODO = (
    (Role.REVIEWER, "提交审核的申请和待补办的口头报告", (("审核队列", "review_queue"), ("紧急事项口头报告", "review_verbal_reports"))),
    (Role.APPLICANT, "退回修改的申请和待补办申请的口头报告", (("我发起的申请", "applications"),)),
    (Role.APPLICANT_HEAD, "待您签发的申请", (("本部门的申请", "applications"),)),
    (Role.REVIEW_UNIT, "会签和征求意见邀请", ()),
    (Role.STREET, "会签和征求意见邀请", ()),
    (Role.COMMITTEE, "会签和征求意见邀请", ()),
    (Role.SUPERVISOR, "逾期未补办或逾期补办的口头报告", (("审核队列", "review_queue"), ("紧急事项口头报告", "review_verbal_reports"))),
)
STARTING_ROLES = (Role.REVIEWER, Role.APPLICANT)  # only these start anything: the others see no 我发起的 tab


def todo_guide(user) -> dict:
    """The page's lead, its empty-state text and its shortcuts, from the user's roles."""
    what, links = [], {}
    for role, text, shortcuts in ROLE_TODO:
        if user.has_role(role):
            if role == Role.SUPERVISOR and user.has_role(Role.REVIEWER):
                continue  # the reviewer's list already holds the district's reports
            if text not in what:
                what.append(text)
            for label, name in shortcuts:
                links.setdefault(name, label)
    links.setdefault("plan_list", "计划清单")
    shortcuts = [(label, reverse(name)) for name, label in links.items()]
    if not what:
        return {"lead": "您的角色无需在系统中办理待办事项，可查看计划清单和消息。", "empty": "暂无待办。", "shortcuts": shortcuts}
    joined = "；".join(what)
    return {"lead": f"需要您处理的事项：{joined}。", "empty": f"暂无待办：{joined}会出现在这里", "shortcuts": shortcuts}


@login_required
def todo(request):
    user = request.user
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "todo"
    lists = queries.todo_lists(user)
    tabs = [(k, v, len(lists[k])) for k, v in TABS.items() if k != "started" or user.has_role(*STARTING_ROLES) or tab == "started"]
    return render(request, "review/todo.html", {"tab": tab, "tabs": tabs, "rows": lists[tab], "guide": todo_guide(user),
                                                "can_create": user.has_role(Role.APPLICANT)})


@login_required
def queue(request):
    """The reviewer's queue: what reached review in the district, oldest first."""
    user = request.user
    if not user.has_role(Role.REVIEWER, Role.SUPERVISOR):
        raise Http404("未找到该页面")
    show = request.GET.get("show") or "active"
    qs = visible(Application.objects.select_related("department", "review_case__reviewer", "verbal_report"), user)
    if show == "active":
        qs = qs.filter(status__in=ACTIVE)
    elif show == "returned":
        qs = qs.filter(status=Status.RETURNED)
    elif show == "decided":
        qs = qs.filter(status__in=[Status.APPROVED, Status.REJECTED])
    qs = qs.annotate(next_deadline=Min("review_invitations__deadline", filter=Q(review_invitations__opinions__isnull=True)))
    today, schedule = clock.today(), queries.current_schedule()
    apps = list(qs.order_by("submitted_on", "id")[:500])
    for a in apps:
        # How long it has waited for the reviewer: only while it is with the reviewer.
        a.waited = waited_label(schedule, a.submitted_on, today) if a.status in ACTIVE else ""
        a.waited_long = bool(a.waited) and waited_long(schedule, a.submitted_on, today)
    return render(request, "review/queue.html", {"apps": apps, "show": show, "today": today})


@login_required
def desk(request, pk):
    app = intake_queries.application_for(request.user, pk)
    if not request.user.has_role(Role.REVIEWER, Role.SUPERVISOR):
        # Invited organisations answer on their invitation page; the applicant reads the application page.
        return redirect("application_detail", pk=pk)
    ctx = _readonly_ctx(app)
    ctx.update(queries.desk(request.user, app))
    case = ctx["case"]
    ctx.update({"findings": Finding.choices, "default_days": DEFAULT_DEADLINE_DAYS, "decisions": DecisionValue.choices,
                "finding_rows": [(key, label, getattr(case, key, "") if case else "")
                                 for key, label in (("legality", "合法性"), ("reasonableness", "合理性"), ("necessity", "必要性"))]})
    return render(request, "review/desk.html", ctx)


def _service_post(request, pk, fn, ok: str, anchor: str = ""):
    app = intake_queries.application_for(request.user, pk)
    try:
        fn(app)
        messages.success(request, ok)
    except ServiceError as exc:
        _errors(request, exc)
    return redirect(f"/review/{pk}/{anchor}")


@login_required
@require_POST
def necessity(request, pk):
    p = request.POST
    return _service_post(request, pk, lambda app: services.record_necessity(
        request.user, app, legality=p.get("legality", ""), reasonableness=p.get("reasonableness", ""),
        necessity=p.get("necessity", ""), comment=p.get("comment", "")), "已记录合法性、合理性、必要性审查意见", "#necessity")


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_POST
def invite(request, pk):
    p = request.POST
    kind = p.get("kind", "")
    orgs = p.getlist("organisations")
    silence = p.get("silence") == "on"
    return _service_post(request, pk, lambda app: services.invite(
        request.user, app, kind=kind, organisations=orgs, deadline_days=_int(p.get("deadline_days"), -1),
        silence_means_no_opinion=silence), f"已发出{dict(InvitationKind.choices).get(kind, '')}邀请（{len(orgs)}个单位）", "#matrix")


@login_required
@require_POST
def return_view(request, pk):
    return _service_post(request, pk, lambda app: services.return_for_revision(request.user, app, comment=request.POST.get("comment", "")),
                         "已退回申请部门修改")


@login_required
@require_POST
def decide(request, pk):
    p = request.POST
    return _service_post(request, pk, lambda app: services.decide(
        request.user, app, decision=p.get("decision", ""), reason=p.get("reason", ""), suggestions=p.get("suggestions", ""),
        override_reason=p.get("override_reason", "")), "审核决定已作出", "#decision")


@login_required
@require_POST
def handover(request, pk):
    to = request.POST.get("to", "")
    return _service_post(request, pk, lambda app: services.hand_over(request.user, app, to=to), "已转办")


@login_required
@require_POST
def remind(request, inv_pk):
    inv = queries.invitation_for(request.user, inv_pk)
    try:
        services.remind(request.user, inv)
        messages.success(request, f"已向{inv.organisation.name}催办")
    except ServiceError as exc:
        _errors(request, exc)
    if inv.application_id:
        return redirect(f"/review/{inv.application_id}/#matrix")
    return redirect("review_draft", pk=inv.draft_document_id)


@login_required
def invitation(request, inv_pk):
    """What an invited organisation sees: that application (or draft) and its own answers."""
    inv = queries.invitation_for(request.user, inv_pk)
    if request.method == "POST":
        try:
            if inv.application_id:
                app = intake_queries.application_for(request.user, inv.application_id)
                services.give_opinion(request.user, app, opinion=request.POST.get("opinion", ""), comment=request.POST.get("comment", ""),
                                      invitation_id=inv.pk)
            else:
                services.give_draft_opinion(request.user, inv, opinion=request.POST.get("opinion", ""), comment=request.POST.get("comment", ""))
            messages.success(request, "意见已提交")
        except ServiceError as exc:
            _errors(request, exc)
        return redirect("review_invitation", inv_pk=inv.pk)
    view = queries.invitation_view(inv, clock.today(), queries.current_schedule())
    ctx = {"inv": inv, "view": view, "opinion_choices": [c for c in OpinionValue.choices if c[0] != OpinionValue.NO_OPINION],
           "mine": inv.organisation_id == request.user.organisation_id}
    if inv.application_id:
        app = intake_queries.application_for(request.user, inv.application_id)
        ctx.update(_readonly_ctx(app))
        ctx["open"] = app.status in ("submitted", "in_review", "returned")
        if app.status == Status.WITHDRAWN:
            ctx["ended"] = "审核已结束：申请部门已撤回该申请，无需再提出意见。"
        elif app.status in (Status.APPROVED, Status.REJECTED):
            d = Decision.objects.filter(application=app).first()
            when = f"已于{d.decided_on:%Y-%m-%d}作出准入审核意见（{d.get_decision_display()}）" if d else "已作出准入审核意见"
            ctx["ended"] = f"审核已结束：该申请{when}，无需再提出意见。"
    else:
        ctx["draft"] = inv.draft_document
        ctx["open"] = inv.draft_document.state == "open"
        if not ctx["open"]:
            ctx["ended"] = f"审核已结束：该文件草案的前置审核已办结（{inv.draft_document.get_outcome_display()}），无需再提出意见。"
    return render(request, "review/invitation.html", ctx)


@login_required
def verbal_reports(request):
    """R-PROC-5: the reviewer records verbal reports; reports not backfilled in time are listed for reviewer and supervisor."""
    user = request.user
    if not user.has_role(Role.REVIEWER, Role.SUPERVISOR, Role.APPLICANT):
        raise Http404("未找到该页面")
    if request.method == "POST":
        p = request.POST
        dept = Organisation.objects.filter(district_id=user.organisation.district_id, kind=OrgKind.DEPARTMENT, code=p.get("department")).first()
        try:
            on = datetime.date.fromisoformat(p.get("on") or "")
        except ValueError:
            messages.error(request, "请填写有效的报告日期（R-PROC-5）")
            return redirect("review_verbal_reports")
        try:
            report = intake_services.record_verbal_report(user, department=dept, reported_on=on, reported_by=p.get("by", ""),
                                                          channel=p.get("channel", ""), content=p.get("content", ""))
            messages.success(request, f"口头报告已登记，补办截止 {report.backfill_due:%Y-%m-%d}（编号 {report.pk}，申请时关联此报告）")
        except ServiceError as exc:
            _errors(request, exc)
        return redirect("review_verbal_reports")
    return render(request, "review/verbal_reports.html", {
        "reports": queries.verbal_reports_for(user), "channels": CHANNELS, "today": clock.today(),
        "departments": Organisation.objects.filter(district_id=user.organisation.district_id, kind=OrgKind.DEPARTMENT).order_by("code")
        if user.has_role(Role.REVIEWER) else [],
    })
