"""Read paths of the review, scoped by orgs.scoping, with a fixed number of queries whatever the rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse

from zhunru import clock
from zhunru.catalog.queries import municipal_list_in_force
from zhunru.intake.models import Application, ApplicationVersion, Status, VerbalReport
from zhunru.intake.services import run_check
from zhunru.orgs.models import Organisation, OrgKind, Role, User
from zhunru.orgs.scoping import visible
from zhunru.workdays.calendar import current_schedule

from .models import Decision, DraftDocument, Invitation, Opinion, ReturnForRevision, ReviewCase
from .rules import (
    ACTIVE,
    OPEN_FOR_OPINIONS,
    diff_content,
    silence_counts,
    waited_label,
    waited_long,
    working_days_left,
)

# ---- one invitation as the matrix shows it

@dataclass
class InvitationView:
    inv: Invitation
    opinions: list
    state: str  # answered | no_opinion | open | overdue | closed
    state_label: str
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def answered(self) -> bool:
        return self.state == "answered"


# Once the application is decided or withdrawn (or the draft's pre-review concluded) nobody waits for an answer.
CLOSED_STATUSES = (Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)
CLOSED_LABEL = "未答复（审核已结束）"


def subject_closed(inv: Invitation) -> bool:
    if inv.application_id:
        return inv.application.status in CLOSED_STATUSES
    return inv.draft_document.state != DraftDocument.State.OPEN


def invitation_view(inv: Invitation, today, schedule, closed: bool | None = None) -> InvitationView:
    """``closed``: the review of the subject has ended; None reads it from the invitation's subject."""
    if closed is None:
        closed = subject_closed(inv)
    ops = list(inv.opinions.all())
    human = [o for o in ops if o.given_by_id]
    system = [o for o in ops if not o.given_by_id]
    answered = bool(human)
    if answered:
        first = human[0]
        state, label = "answered", first.get_opinion_display() + ("（逾期）" if first.late else "")
    elif system or (not closed and silence_counts(silence_means_no_opinion=inv.silence_means_no_opinion, deadline=inv.deadline,
                                                  today=today, answered=False)):
        state, label = "no_opinion", "无意见（逾期未答复，视为无意见）"
    elif closed:
        return InvitationView(inv, ops, "closed", CLOSED_LABEL, None)
    elif today > inv.deadline:
        state, label = "overdue", "逾期未答复"
    else:
        state, label = "open", "待答复"
    return InvitationView(inv, ops, state, label, working_days_left(schedule, today, inv.deadline))


def matrix_summary(views: list[InvitationView]) -> str:
    """共 N 家，已答复 M 家 — counted by organisation, its latest round deciding."""
    latest = {}
    for v in views:
        key = v.inv.organisation_id
        if key not in latest or (v.inv.round, v.inv.pk) > (latest[key].inv.round, latest[key].inv.pk):
            latest[key] = v
    states = [v.state for v in latest.values()]
    text = f"共 {len(states)} 家，已答复 {states.count('answered')} 家"
    extra = [(states.count("no_opinion"), "视为无意见"), (states.count("overdue"), "逾期未答复"), (states.count("closed"), "未答复（审核已结束）")]
    return text + "".join(f"，{n} 家{what}" for n, what in extra if n)


def _opinion_prefetch():
    return Prefetch("opinions", queryset=Opinion.objects.select_related("given_by").order_by("given_at", "id"))


def invitations_of(app: Application, today=None, schedule=None) -> list[InvitationView]:
    today = today or clock.today()
    schedule = schedule or current_schedule()
    invs = Invitation.objects.filter(application=app).select_related("organisation").prefetch_related(_opinion_prefetch())
    closed = app.status in CLOSED_STATUSES
    return [invitation_view(i, today, schedule, closed) for i in invs]


# ---- the reviewer's desk

def municipal_item_of(app: Application):
    """The linked municipal item, for 一致 / 表述调整, from the list in force on the submission date."""
    content = app.content
    key = str(content.get("municipal_item") or "").strip()
    if content.get("municipal_comparison") not in ("same", "reworded") or not key:
        return None
    mlist = municipal_list_in_force((app.submitted_on or clock.today()).year)
    if mlist is None:
        return None
    return mlist.items.filter(Q(code=key) | Q(name=key)).first()


def working_day_check(app: Application, check) -> list[str]:
    """What the reviewer should know about dates (R-PROC-1/4/5), as sentences."""
    lines = []
    if not app.submitted_on:
        return lines
    if app.procedure == "simplified" and check.latest_submission_date:
        ok = app.submitted_on <= check.latest_submission_date
        lines.append(f"简易程序：{app.submitted_on:%Y-%m-%d}提交，最迟提交日期{check.latest_submission_date:%Y-%m-%d}，"
                     + ("满足提前7个工作日的要求（R-PROC-4）" if ok else "不满足提前7个工作日的要求（R-PROC-4）"))
    elif app.procedure == "regular" and check.latest_submission_date:
        lines.append(f"常态化程序：{app.submitted_on:%Y-%m-%d}提交，申报窗口截止{check.latest_submission_date:%Y-%m-%d}（R-PROC-1）")
    elif app.procedure == "emergency" and app.verbal_report_id:
        vr = app.verbal_report
        late = app.submitted_on > vr.backfill_due
        lines.append(f"紧急事项：{vr.reported_on:%Y-%m-%d}口头报告，补办截止{vr.backfill_due:%Y-%m-%d}，{app.submitted_on:%Y-%m-%d}补办"
                     + ("，逾期补办（R-PROC-5）" if late else "，按时补办（R-PROC-5）"))
    return lines


def versions_diff(app: Application) -> dict | None:
    versions = list(ApplicationVersion.objects.filter(application=app).order_by("version"))
    if len(versions) < 2:
        return None
    old, new = versions[-2], versions[-1]
    return {"old": old, "new": new, "changes": diff_content(old.content, new.content)}


def desk(user, app: Application) -> dict:
    today = clock.today()
    schedule = current_schedule()
    check = run_check(app, app.submitted_on or today) if app.status != Status.WITHDRAWN else None
    case = ReviewCase.objects.filter(application=app).select_related("reviewer", "necessity_by").first()
    invitations = invitations_of(app, today, schedule)
    reviewers = User.objects.filter(organisation__district_id=app.district_id, roles__code=Role.REVIEWER, is_active=True).exclude(pk=user.pk).distinct()
    streets = Organisation.objects.filter(district_id=app.district_id, kind=OrgKind.STREET).order_by("code")
    committees = Organisation.objects.filter(district_id=app.district_id, kind=OrgKind.COMMITTEE).order_by("code").values_list("code", "name", "parent_id")
    by_street = {}
    for code, name, parent in committees:
        by_street.setdefault(parent, []).append((code, name))
    holder_ok = case is None or case.reviewer_id in (None, user.pk)
    round_no = max(len(versions := list(ApplicationVersion.objects.filter(application=app).order_by("version"))), 1)
    invited_now = {v.inv.organisation.code for v in invitations if v.inv.round == round_no}
    return {
        "check": check,
        "working_day_check": working_day_check(app, check) if check else [],
        "case": case,
        "municipal": municipal_item_of(app),
        "invitations": invitations,
        "joint": [v for v in invitations if v.inv.kind == "joint_review"],
        "consult": [v for v in invitations if v.inv.kind == "consultation"],
        "outstanding": [v for v in invitations if not v.opinions and v.state != "no_opinion"],
        "matrix_summary": matrix_summary(invitations),
        "invited_now": invited_now,
        "waited": waited_label(schedule, app.submitted_on, today) if app.status in ACTIVE else "",
        "waited_long": app.status in ACTIVE and waited_long(schedule, app.submitted_on, today),
        "returns": list(ReturnForRevision.objects.filter(application=app).select_related("returned_by")),
        "diff": versions_diff(app),
        "versions": versions,
        "decision": Decision.objects.filter(application=app).first(),
        "review_units": Organisation.objects.filter(district_id=app.district_id, is_review_unit=True).order_by("code"),
        "streets": [(s, by_street.get(s.pk, [])) for s in streets],
        "reviewers": reviewers,
        "can_act": user.has_role(Role.REVIEWER) and app.status in ACTIVE and holder_ok,
        "holder_ok": holder_ok,
        "today": today,
    }


# ---- the application's review as the API and the .docx carry it

def _opinion_dict(o: Opinion) -> dict:
    return {"id": o.pk, "opinion": o.opinion, "opinion_label": o.get_opinion_display(), "comment": o.comment,
            "given_on": o.given_on.isoformat(), "given_by": o.given_by.username if o.given_by_id else "system",
            "late": o.late, "supplementary": o.supplementary}


def _decision_dict(d: Decision | None) -> dict | None:
    if d is None:
        return None
    return {"decision": d.decision, "decision_label": d.get_decision_display(), "reason": d.reason, "suggestions": d.suggestions,
            "override_reason": d.override_reason or None, "outstanding": d.outstanding, "unit": d.unit, "name": d.name,
            "date": d.decided_on.isoformat()}


def review_summary(app: Application) -> dict:
    """What GET /applications/{id} adds: the invitations with their opinions, the decision, the review's state."""
    case = ReviewCase.objects.filter(application=app).select_related("reviewer").first()
    views = invitations_of(app)
    return {
        "review": {
            "reviewer": case.reviewer.username if case and case.reviewer_id else None,
            "necessity": {"legality": case.legality, "reasonableness": case.reasonableness, "necessity": case.necessity,
                          "comment": case.necessity_comment, "date": case.necessity_on.isoformat()}
            if case and case.necessity_on else None,
            "returns": [{"version": r.version, "comment": r.comment, "date": r.returned_on.isoformat()}
                        for r in ReturnForRevision.objects.filter(application=app)],
        },
        "invitations": [{
            "id": v.inv.pk, "kind": v.inv.kind, "kind_label": v.inv.get_kind_display(), "organisation": v.inv.organisation.code,
            "organisation_name": v.inv.organisation.name, "round": v.inv.round, "invited_on": v.inv.invited_on.isoformat(),
            "deadline_days": v.inv.deadline_days, "deadline": v.inv.deadline.isoformat(),
            "silence_means_no_opinion": v.inv.silence_means_no_opinion, "state": v.state, "state_label": v.state_label,
            "reminders": v.inv.reminders, "opinions": [_opinion_dict(o) for o in v.opinions],
        } for v in views],
        "decision": _decision_dict(Decision.objects.filter(application=app).first()),
    }


def form_meta(app: Application) -> dict:
    """The form's 准入审核意见 / 不同意理由 / 修改建议 and the opinions table (R-DOC-1)."""
    d = Decision.objects.filter(application=app).first()
    opinions = []
    for v in invitations_of(app):
        for o in v.opinions:
            label = o.get_opinion_display() + ("（补充）" if o.supplementary else "") + ("（逾期）" if o.late else "")
            opinions.append({"organisation": f"{v.inv.organisation.name}（{v.inv.get_kind_display()}）", "opinion_label": label,
                             "comment": o.comment, "date": o.given_on.isoformat()})
        if not v.opinions and v.state == "no_opinion":
            opinions.append({"organisation": f"{v.inv.organisation.name}（{v.inv.get_kind_display()}）",
                             "opinion_label": "无意见", "comment": "逾期未答复，视为无意见", "date": v.inv.deadline.isoformat()})
        elif not v.opinions and v.state == "closed":
            # Asked, never answered, and the review is over: the form says so rather than leaving the unit out.
            opinions.append({"organisation": f"{v.inv.organisation.name}（{v.inv.get_kind_display()}）",
                             "opinion_label": "未答复", "comment": f"审核已结束，未答复（截止{v.inv.deadline:%Y-%m-%d}）",
                             "date": ""})
    meta = {"opinions": opinions}
    if d is not None:
        meta["decision"] = {"decision": d.decision, "unit": d.unit, "name": d.name, "date": d.decided_on.isoformat(),
                            "reason": d.reason, "suggestions": d.suggestions}
    return meta


# ---- verbal reports (R-PROC-5)

@dataclass
class ReportView:
    report: VerbalReport
    backfill: Application | None
    state: str  # on_time | late | pending | overdue
    state_label: str
    days_left: int | None


def _backfill_of(report) -> Application | None:
    signed = [a for a in report.applications.all() if a.submitted_on]
    return min(signed, key=lambda a: a.submitted_on) if signed else None


def report_view(report: VerbalReport, today, schedule) -> ReportView:
    app = _backfill_of(report)
    if app is not None:
        late = app.submitted_on > report.backfill_due
        return ReportView(report, app, "late" if late else "on_time", "逾期补办" if late else "按时补办", None)
    if today > report.backfill_due:
        return ReportView(report, None, "overdue", "逾期未补办", working_days_left(schedule, today, report.backfill_due))
    return ReportView(report, None, "pending", "待补办", working_days_left(schedule, today, report.backfill_due))


def verbal_reports_for(user, *, only: tuple[str, ...] | None = None) -> list[ReportView]:
    """Scoped: the reviewer and the supervisor see the district's, a department its own."""
    today, schedule = clock.today(), current_schedule()
    qs = visible(VerbalReport.objects.select_related("department", "recorded_by"), user).prefetch_related(
        Prefetch("applications", queryset=Application.objects.only("id", "number", "name", "status", "submitted_on", "verbal_report_id")))
    views = [report_view(r, today, schedule) for r in qs.order_by("-reported_on", "-id")[:500]]
    return [v for v in views if only is None or v.state in only]


# ---- to-do lists (R-NOTE-1): 待办 / 已办 / 我发起的

@dataclass
class TodoRow:
    kind: str
    title: str
    detail: str
    url: str
    deadline: datetime.date | None = None
    days_left: int | None = None
    overdue: bool = False
    status: str = ""
    when: datetime.date | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "detail": self.detail, "url": self.url,
                "deadline": self.deadline.isoformat() if self.deadline else None, "working_days_left": self.days_left,
                "overdue": self.overdue, "status": self.status, "date": self.when.isoformat() if self.when else None}


def _row(kind, title, detail, url, deadline, today, schedule, status="", when=None) -> TodoRow:
    return TodoRow(kind, title, detail, url, deadline, working_days_left(schedule, today, deadline),
                   bool(deadline and today > deadline), status, when)


def _app_title(a) -> str:
    return f"{a.number or '（未编号）'} {a.name or '（未命名）'}"


def _reviewer_todo(user, today, schedule) -> list[TodoRow]:
    open_deadline = Min("review_invitations__deadline", filter=Q(review_invitations__opinions__isnull=True))
    apps = (Application.objects.filter(district_id=user.organisation.district_id, status__in=ACTIVE)
            .filter(Q(review_case__isnull=True) | Q(review_case__reviewer__isnull=True) | Q(review_case__reviewer=user))
            .select_related("department").annotate(next_deadline=open_deadline).order_by("submitted_on", "id"))
    rows = [_row("review", _app_title(a), f"{a.department.name} · {a.get_procedure_display()}" + (" · 等待会签/征求意见" if a.next_deadline else ""),
                 reverse("review_desk", args=[a.pk]), a.next_deadline, today, schedule, a.get_status_display(), a.submitted_on) for a in apps]
    for v in verbal_reports_for(user, only=("pending", "overdue")):
        r = v.report
        rows.append(_row("verbal_report", f"口头报告待补办：{r.department.name}", r.content[:60], reverse("review_verbal_reports"),
                         r.backfill_due, today, schedule, v.state_label, r.reported_on))
    return rows


def _invitee_rows(user, today, schedule, done: bool) -> list[TodoRow]:
    answered = Exists(Opinion.objects.filter(invitation=OuterRef("pk"), given_by__isnull=False))
    qs = (Invitation.objects.filter(organisation_id=user.organisation_id)
          .select_related("application__department", "draft_document__department").annotate(answered=answered))
    if done:
        qs = qs.filter(answered=True)
    else:
        qs = qs.filter(answered=False).filter(Q(application__status__in=OPEN_FOR_OPINIONS) | Q(draft_document__state="open"))
    rows = []
    for inv in qs.order_by("deadline", "id")[:500]:
        if inv.application_id:
            title, dept = _app_title(inv.application), inv.application.department.name
        else:
            title, dept = f"文件草案：{inv.draft_document.title}", inv.draft_document.department.name
        rows.append(_row("invitation", f"{inv.get_kind_display()}：{title}", f"{dept}", reverse("review_invitation", args=[inv.pk]),
                         None if done else inv.deadline, today, schedule, "已答复" if done else "待答复", inv.invited_on))
    return rows


def _last_return_comment():
    return Subquery(ReturnForRevision.objects.filter(application=OuterRef("pk")).order_by("-id").values("comment")[:1])


def todo_lists(user) -> dict[str, list[TodoRow]]:
    today, schedule = clock.today(), current_schedule()
    todo, done, started = [], [], []
    org = user.organisation
    if org is None:
        return {"todo": todo, "done": done, "started": started}
    if user.has_role(Role.REVIEWER):
        todo += _reviewer_todo(user, today, schedule)
        for d in Decision.objects.filter(decided_by=user).select_related("application__department").order_by("-decided_at")[:200]:
            done.append(_row("decision", _app_title(d.application), f"{d.application.department.name} · 审核意见：{d.get_decision_display()}",
                             reverse("review_desk", args=[d.application_id]), None, today, schedule, d.get_decision_display(), d.decided_on))
        answered = Exists(Opinion.objects.filter(invitation=OuterRef("pk")))
        for inv in (Invitation.objects.filter(invited_by=user, application__isnull=False).select_related("organisation", "application")
                    .annotate(answered=answered).order_by("-invited_on", "-id")[:300]):
            url = reverse("review_desk", args=[inv.application_id])
            open_ = not inv.answered and inv.application.status in ACTIVE
            started.append(_row("invitation", f"{inv.get_kind_display()}：{inv.organisation.name}", _app_title(inv.application), url,
                                inv.deadline if open_ else None, today, schedule, "待答复" if open_ else "已答复/已结束", inv.invited_on))
    if user.has_role(Role.REVIEW_UNIT, Role.STREET, Role.COMMITTEE):
        todo += _invitee_rows(user, today, schedule, done=False)
        done += _invitee_rows(user, today, schedule, done=True)
    if user.has_role(Role.APPLICANT):
        mine = Application.objects.filter(department=org).select_related("department")
        for a in mine.filter(status=Status.RETURNED).annotate(return_comment=_last_return_comment()).order_by("-updated_at"):
            todo.append(_row("returned", _app_title(a), f"退回修改意见：{a.return_comment or '—'}", reverse("application_detail", args=[a.pk]),
                             None, today, schedule, a.get_status_display(), a.updated_at.date()))
        for v in verbal_reports_for(user, only=("pending", "overdue")):
            todo.append(_row("verbal_report", f"紧急事项待补办申请：{v.report.content[:30]}", f"{v.report.reported_on:%Y-%m-%d}口头报告",
                             reverse("applications"), v.report.backfill_due, today, schedule,
                             v.state_label, v.report.reported_on))
        for a in mine.filter(status__in=[Status.APPROVED, Status.REJECTED]).order_by("-updated_at")[:200]:
            done.append(_row("application", _app_title(a), a.department.name, reverse("application_detail", args=[a.pk]), None, today,
                             schedule, a.get_status_display(), a.updated_at.date()))
        for a in mine.exclude(status=Status.WITHDRAWN).order_by("-updated_at")[:300]:
            started.append(_row("application", _app_title(a), a.get_procedure_display() or "—", reverse("application_detail", args=[a.pk]),
                                None, today, schedule, a.get_status_display(), a.submitted_on or a.created_at.date()))
    if user.has_role(Role.APPLICANT_HEAD):
        own = Application.objects.filter(department=org).select_related("department")
        for a in own.filter(status=Status.AWAITING_SIGNOFF).order_by("updated_at"):
            todo.append(_row("signoff", _app_title(a), "待主要负责人签发（R-APP-6）", reverse("application_detail", args=[a.pk]), None,
                             today, schedule, a.get_status_display(), a.updated_at.date()))
        for a in own.filter(signed_by=user).order_by("-head_signoff_date")[:200]:
            done.append(_row("signed", _app_title(a), f"签发于{a.head_signoff_date:%Y-%m-%d}", reverse("application_detail", args=[a.pk]),
                             None, today, schedule, a.get_status_display(), a.head_signoff_date))
    if user.has_role(Role.SUPERVISOR) and not user.has_role(Role.REVIEWER):
        for v in verbal_reports_for(user, only=("overdue", "late")):
            r = v.report
            todo.append(_row("verbal_report", f"{v.state_label}：{r.department.name}口头报告", r.content[:60], reverse("review_verbal_reports"),
                             r.backfill_due, today, schedule, v.state_label, r.reported_on))
    return {"todo": todo, "done": done, "started": started}


def todo_count(user) -> int:
    return len(todo_lists(user)["todo"]) if user.is_authenticated else 0


# ---- what an invited organisation sees

def invitation_for(user, pk) -> Invitation:
    from django.http import Http404

    inv = (Invitation.objects.select_related("organisation", "application__department", "application__district",
                                             "application__verbal_report", "draft_document__department")
           .prefetch_related(_opinion_prefetch()).filter(pk=pk).first())
    if inv is None:
        raise Http404("未找到该对象，或您无权查看。")
    if inv.organisation_id == user.organisation_id:
        return inv
    subject = inv.application or inv.draft_document
    model = type(subject)
    if user.has_role(Role.REVIEWER) and visible(model.objects.filter(pk=subject.pk), user).exists():
        return inv
    raise Http404("未找到该对象，或您无权查看。")


def drafts_for(user):
    return visible(DraftDocument.objects.select_related("department"), user).prefetch_related(
        Prefetch("invitations", queryset=Invitation.objects.select_related("organisation").prefetch_related(_opinion_prefetch())))

