"""Every write of the review: one function per action a person takes (R-PROC-2, R-PROC-5, R-SCOPE-2).

Each checks the actor's permission, locks the application row first and re-reads its state
after the lock (so two reviewers deciding, or a decision racing a withdrawal, have exactly
one winner and the other a clear 409), runs in one transaction, writes its audit event and
tells the people concerned.
"""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from zhunru import clock
from zhunru.audit.services import record
from zhunru.catalog.services import admit_application
from zhunru.errors import NotAllowed, RuleViolation, WrongState
from zhunru.intake.models import Application, Status
from zhunru.notifications.services import notify
from zhunru.orgs.models import Organisation, OrgKind, Role, User
from zhunru.workdays.calendar import current_schedule
from zhunru.workdays.rules import UnknownYear

from .models import (
    Decision,
    DecisionValue,
    Finding,
    Invitation,
    InvitationKind,
    Opinion,
    OpinionValue,
    ReturnForRevision,
    ReviewCase,
)
from .rules import (
    ACTIVE,
    DEFAULT_DEADLINE_DAYS,
    MAX_DEADLINE_DAYS,
    OPEN_FOR_OPINIONS,
    decision_errors,
    default_silence,
    invitation_deadline,
    is_late,
)

ANSWERING_ROLES = {InvitationKind.JOINT_REVIEW: (Role.REVIEW_UNIT,), InvitationKind.CONSULTATION: (Role.STREET, Role.COMMITTEE)}


# ---- helpers

def _require_reviewer(user):
    if not user.has_role(Role.REVIEWER):
        raise NotAllowed("只有区民政局审核人员可以进行此操作（R-PROC-2）")


def _lock(app: Application) -> Application:
    # PostgreSQL: the row lock queues the second actor behind the first, who then reads the new state.
    # SQLite: the IMMEDIATE transaction already holds the write lock.
    return Application.objects.select_for_update().select_related("department", "district").get(pk=app.pk)


def _state_refusal(app: Application, doing: str) -> WrongState:
    if app.status in (Status.APPROVED, Status.REJECTED):
        decision = Decision.objects.filter(application=app).first()
        who = f"已由{decision.name}于{decision.decided_on:%Y-%m-%d}作出审核决定（{decision.get_decision_display()}）" if decision else "已作出审核决定"
        return WrongState(f"该申请{who}，决定为最终决定，不能{doing}")
    if app.status == Status.WITHDRAWN:
        return WrongState(f"申请部门已撤回该申请，不能{doing}")
    if app.status == Status.RETURNED:
        return WrongState(f"该申请已退回申请部门修改，待重新提交后才能{doing}")
    return WrongState(f"申请当前状态为“{app.get_status_display()}”，不能{doing}")


def _require_active(app: Application, doing: str):
    if app.status not in ACTIVE:
        raise _state_refusal(app, doing)


def _case(app: Application) -> ReviewCase:
    case, _ = ReviewCase.objects.get_or_create(application=app, defaults={"district_id": app.district_id})
    return case


def _hold(user, app: Application) -> ReviewCase:
    """The reviewer holding the case acts on it; an unassigned case goes to whoever acts first."""
    if app.district_id != user.organisation.district_id:
        raise NotAllowed("只能审核本区的申请")
    case = _case(app)
    if case.reviewer_id and case.reviewer_id != user.pk:
        raise NotAllowed(f"该申请由{case.reviewer}负责审核；如需由您办理，请其转办（R-PROC-2）")
    if case.reviewer_id is None:
        case.reviewer = user
        case.save(update_fields=["reviewer", "updated_at"])
    return case


def _begin(user, app: Application) -> str:
    """The first action of the reviewer moves a submitted application into review.

    The move is a state change of its own, so it writes its own event (R-AUD-1), whatever action caused it.
    """
    old = app.status
    if app.status == Status.SUBMITTED:
        app.status = Status.IN_REVIEW
        app.save(update_fields=["status", "updated_at"])
        record(actor=user, action="review.started", obj=app, district_id=app.district_id, changes={"status": [old, app.status]})
    return old


def _users(org_ids, roles) -> list[User]:
    return list(User.objects.filter(organisation_id__in=list(org_ids), roles__code__in=list(roles), is_active=True).distinct())


def _reviewers_to_tell(app: Application) -> list[User]:
    case = ReviewCase.objects.filter(application=app).select_related("reviewer").first()
    if case and case.reviewer_id:
        return [case.reviewer]
    return list(User.objects.filter(organisation__district_id=app.district_id, roles__code=Role.REVIEWER, is_active=True).distinct())


def _desk_url(app) -> str:
    return reverse("review_desk", args=[app.pk])


def _label(app) -> str:
    return f"{app.number or ''}“{app.name}”"


# ---- necessity finding

@transaction.atomic
def record_necessity(user, app: Application, *, legality: str, reasonableness: str, necessity: str, comment: str = "") -> ReviewCase:
    """R-PROC-2: the review covers legality, reasonableness and necessity (合法性、合理性、必要性)."""
    _require_reviewer(user)
    app = _lock(app)
    _require_active(app, "记录必要性审查意见")
    errors = [
        {"rule": "R-PROC-2", "field": key, "message": f"{label}审查结论只能是通过或不通过（R-PROC-2）"}
        for key, value, label in (("legality", legality, "合法性"), ("reasonableness", reasonableness, "合理性"), ("necessity", necessity, "必要性"))
        if value not in Finding.values
    ]
    if errors:
        raise RuleViolation("审查结论无效", errors)
    case = _hold(user, app)
    old = _begin(user, app)
    case.legality, case.reasonableness, case.necessity = legality, reasonableness, necessity
    case.necessity_comment = (comment or "").strip()
    case.necessity_by, case.necessity_on = user, clock.today()
    case.save()
    record(actor=user, action="review.necessity_recorded", obj=app, district_id=app.district_id,
           changes={"legality": legality, "reasonableness": reasonableness, "necessity": necessity,
                    "comment": case.necessity_comment, "status": [old, app.status]})
    return case


# ---- invitations (会签, 征求意见)

def _resolve_orgs(district_id: int, kind: str, keys: list[str]) -> tuple[list[Organisation], list[dict]]:
    keys = [str(k).strip() for k in keys or [] if str(k).strip()]
    if not keys:
        return [], [{"rule": "R-PROC-2", "field": "organisations", "message": "请至少选择一个受邀单位（R-PROC-2）"}]
    found = Organisation.objects.filter(district_id=district_id).filter(Q(code__in=keys) | Q(name__in=keys))
    by_key = {}
    for org in found:
        by_key[org.code] = by_key[org.name] = org
    errors, orgs = [], []
    for key in dict.fromkeys(keys):
        org = by_key.get(key)
        if org is None:
            errors.append({"rule": "R-PROC-2", "field": "organisations", "message": f"本区没有单位“{key}”（R-PROC-2）"})
        elif kind == InvitationKind.JOINT_REVIEW and not org.is_review_unit:
            errors.append({"rule": "R-PROC-2", "field": "organisations", "message": f"“{org.name}”不是准入机制审核单位，不能参加会签（R-PROC-2）"})
        elif kind == InvitationKind.CONSULTATION and org.kind not in (OrgKind.STREET, OrgKind.COMMITTEE):
            errors.append({"rule": "R-PROC-2", "field": "organisations", "message": f"征求意见的对象是街镇和居村委会，“{org.name}”不是（R-PROC-2）"})
        elif org not in orgs:
            orgs.append(org)
    return orgs, errors


def _deadline(deadline_days, today):
    errors = []
    if not isinstance(deadline_days, int) or isinstance(deadline_days, bool) or not 1 <= deadline_days <= MAX_DEADLINE_DAYS:
        return None, [{"rule": "R-PROC-2", "field": "deadline_days", "message": f"答复期限须为1至{MAX_DEADLINE_DAYS}个工作日（R-PROC-2）"}]
    try:
        return invitation_deadline(current_schedule(), today, deadline_days), errors
    except UnknownYear as exc:
        return None, [{"rule": "R-CAL-1", "field": "deadline_days", "message": f"无法计算答复截止日期：{exc}"}]


def _invitee_url(inv: Invitation) -> str:
    return reverse("review_invitation", args=[inv.pk])


def _create_invitations(user, *, subject: dict, district_id: int, kind: str, orgs, deadline_days: int, deadline,
                        silence: bool, round_no: int, today, audit_obj, label: str) -> list[Invitation]:
    invitations = []
    for org in orgs:
        inv = Invitation.objects.create(district_id=district_id, kind=kind, organisation=org, round=round_no, invited_by=user,
                                        invited_on=today, deadline_days=deadline_days, deadline=deadline,
                                        silence_means_no_opinion=silence, **subject)
        invitations.append(inv)
        record(actor=user, action="review.invited", obj=audit_obj, district_id=district_id,
               changes={"invitation": inv.pk, "kind": kind, "organisation": org.code, "deadline_days": deadline_days,
                        "deadline": deadline, "silence_means_no_opinion": silence, "round": round_no})
        notify(_users([org.pk], ANSWERING_ROLES[kind]), f"{inv.get_kind_display()}：请于{deadline:%Y-%m-%d}前对{label}提出意见",
               _invitee_url(inv), body=f"{user.organisation.name}邀请贵单位{inv.get_kind_display()}，期限{deadline_days}个工作日。")
    return invitations


@transaction.atomic
def invite(user, app: Application, *, kind: str, organisations: list[str], deadline_days: int = DEFAULT_DEADLINE_DAYS,
           silence_means_no_opinion: bool | None = None) -> list[Invitation]:
    """R-PROC-2: joint review with review units, consultation with streets and committees, each with a deadline."""
    _require_reviewer(user)
    app = _lock(app)
    _require_active(app, "邀请会签或征求意见")
    if kind not in InvitationKind.values:
        raise RuleViolation("邀请类型无效", [{"rule": "R-PROC-2", "field": "kind", "message": "邀请类型只能是会签（joint_review）或征求意见（consultation）（R-PROC-2）"}])
    today = clock.today()
    orgs, errors = _resolve_orgs(app.district_id, kind, organisations)
    deadline, more = _deadline(deadline_days, today)
    errors += more
    round_no = max(app.versions.count(), 1)
    already = set(Invitation.objects.filter(application=app, round=round_no, organisation__in=orgs).values_list("organisation__name", flat=True))
    if already:
        errors.append({"rule": "R-PROC-2", "field": "organisations", "message": f"本轮已邀请：{'、'.join(sorted(already))}（R-PROC-2）"})
    if errors:
        raise RuleViolation("邀请未发出", errors)
    _hold(user, app)
    _begin(user, app)
    silence = default_silence(kind) if silence_means_no_opinion is None else bool(silence_means_no_opinion)
    return _create_invitations(user, subject={"application": app}, district_id=app.district_id, kind=kind, orgs=orgs,
                               deadline_days=deadline_days, deadline=deadline, silence=silence, round_no=round_no,
                               today=today, audit_obj=app, label=f"申请{_label(app)}")


# ---- opinions

def _subject_open(inv: Invitation) -> tuple[bool, str]:
    if inv.application_id:
        app = inv.application
        return app.status in OPEN_FOR_OPINIONS, app.get_status_display()
    return inv.draft_document.state == "open", inv.draft_document.get_state_display()


def _give(user, inv: Invitation, opinion: str, comment: str, audit_obj, tell: list[User], url: str) -> Opinion:
    if opinion == OpinionValue.NO_OPINION:
        raise RuleViolation("不能选择无意见", [{"rule": "R-PROC-2", "field": "opinion", "message": "“无意见”仅由系统在截止日期后按邀请约定自动记录，请选择同意、不同意或有意见（R-PROC-2）"}])
    if opinion not in (OpinionValue.AGREE, OpinionValue.DISAGREE, OpinionValue.COMMENT):
        raise RuleViolation("意见无效", [{"rule": "R-PROC-2", "field": "opinion", "message": "意见只能是同意（agree）、不同意（disagree）或有意见（comment）（R-PROC-2）"}])
    if inv.organisation_id != user.organisation_id or not user.has_role(*ANSWERING_ROLES[inv.kind]):
        raise NotAllowed("贵单位未受邀对该事项提出意见，或您不是本单位负责答复的人员（R-PROC-2）")
    comment = (comment or "").strip()
    if opinion in (OpinionValue.DISAGREE, OpinionValue.COMMENT) and not comment:
        raise RuleViolation("请填写说明", [{"rule": "R-PROC-2", "field": "comment", "message": "选择“不同意”或“有意见”时须写明意见内容（R-PROC-2）"}])
    today = clock.today()
    supplementary = inv.opinions.filter(given_by__isnull=False).exists()
    late = is_late(today, inv.deadline)
    op = Opinion.objects.create(invitation=inv, opinion=opinion, comment=comment, given_by=user, given_on=today,
                                late=late, supplementary=supplementary)
    record(actor=user, action="review.opinion_given", obj=audit_obj, district_id=inv.district_id,
           changes={"invitation": inv.pk, "opinion_id": op.pk, "organisation": inv.organisation.code, "opinion": opinion,
                    "comment": comment, "late": late, "supplementary": supplementary})
    notify(tell, f"{inv.organisation.name}已{'补充' if supplementary else '提出'}{inv.get_kind_display()}意见：{op.get_opinion_display()}"
           + ("（逾期）" if late else ""), url, body=comment)
    return op


@transaction.atomic
def give_opinion(user, app: Application, *, opinion: str, comment: str = "", invitation_id: int | None = None) -> Opinion:
    """R-PROC-2: an invited organisation answers; opinions are final, a supplementary one may follow; late is marked."""
    app = _lock(app)
    qs = Invitation.objects.select_related("organisation").filter(application=app)
    if invitation_id is not None:
        inv = qs.filter(pk=invitation_id).first()
        if inv is None:
            raise RuleViolation("邀请不存在", [{"rule": "R-PROC-2", "field": "invitation_id", "message": "该申请没有这项邀请（R-PROC-2）"}])
    else:
        mine = list(qs.filter(organisation_id=user.organisation_id).order_by("-round", "-id"))
        inv = next((i for i in mine if not i.opinions.filter(given_by__isnull=False).exists()), mine[0] if mine else None)
        if inv is None:
            raise NotAllowed("贵单位未受邀对该申请提出意见（R-PROC-2）")
    inv.application = app
    if app.status not in OPEN_FOR_OPINIONS:
        raise _state_refusal(app, "提出意见")
    return _give(user, inv, opinion, comment, app, _reviewers_to_tell(app), _desk_url(app))


@transaction.atomic
def settle_silence(today=None, app: Application | None = None) -> int:
    """R-PROC-2: past its deadline, an unanswered invitation that says so reads as 无意见 — set by the system alone.

    Idempotent; run by `manage.py review_tick` and before each decision.
    """
    today = today or clock.today()
    qs = Invitation.objects.filter(silence_means_no_opinion=True, deadline__lt=today, opinions__isnull=True)
    qs = qs.filter(Q(application__status__in=OPEN_FOR_OPINIONS) | Q(draft_document__state="open"))
    if app is not None:
        qs = qs.filter(application=app)
    n = 0
    for inv in qs.select_related("organisation", "application", "draft_document"):
        op = Opinion.objects.create(invitation=inv, opinion=OpinionValue.NO_OPINION, comment="逾期未答复，按邀请约定视为无意见",
                                    given_by=None, given_on=today, late=False)
        record(actor="system", role="system", action="review.no_opinion_recorded", obj=inv.application or inv.draft_document,
               district_id=inv.district_id, changes={"invitation": inv.pk, "opinion_id": op.pk, "organisation": inv.organisation.code,
                                                      "deadline": inv.deadline})
        n += 1
    return n


# ---- reminders and hand-over

@transaction.atomic
def remind(user, inv: Invitation) -> Invitation:
    """催办: the reviewer reminds an invited organisation that is past its deadline."""
    _require_reviewer(user)
    subject = inv.application or inv.draft_document
    if inv.application_id:
        app = _lock(inv.application)
        _require_active(app, "催办")
        _hold(user, app)
        url = _invitee_url(inv)
    else:
        app = None
        if inv.draft_document.state != "open":
            raise WrongState("前置审核已办结，不能催办")
        url = _invitee_url(inv)
    inv = Invitation.objects.select_for_update().select_related("organisation").get(pk=inv.pk)
    if inv.opinions.filter(given_by__isnull=False).exists():
        raise WrongState(f"{inv.organisation.name}已提出意见，无需催办")
    today = clock.today()
    if today <= inv.deadline:
        raise WrongState(f"{inv.organisation.name}的答复期限至{inv.deadline:%Y-%m-%d}，尚未逾期，无需催办")
    inv.reminders += 1
    inv.last_reminded_on = today
    inv.save(update_fields=["reminders", "last_reminded_on"])
    record(actor=user, action="review.reminded", obj=subject, district_id=inv.district_id,
           changes={"invitation": inv.pk, "organisation": inv.organisation.code, "deadline": inv.deadline, "reminders": inv.reminders})
    what = f"申请{_label(app)}" if app else f"文件草案“{inv.draft_document.title}”"
    notify(_users([inv.organisation_id], ANSWERING_ROLES[inv.kind]), f"催办：{what}的{inv.get_kind_display()}意见已逾期（截止{inv.deadline:%Y-%m-%d}）", url)
    return inv


@transaction.atomic
def hand_over(user, app: Application, *, to: str) -> ReviewCase:
    """转办: the case goes to another reviewer of the district."""
    _require_reviewer(user)
    app = _lock(app)
    _require_active(app, "转办")
    case = _hold(user, app)
    target = User.objects.filter(username=(to or "").strip(), is_active=True, organisation__district_id=app.district_id,
                                 roles__code=Role.REVIEWER).first()
    if target is None:
        raise RuleViolation("转办对象无效", [{"rule": "R-PROC-2", "field": "to", "message": f"本区没有审核人员“{to}”（R-PROC-2）"}])
    if target.pk == user.pk:
        raise RuleViolation("转办对象无效", [{"rule": "R-PROC-2", "field": "to", "message": "不能转办给自己（R-PROC-2）"}])
    case.reviewer = target
    case.save(update_fields=["reviewer", "updated_at"])
    record(actor=user, action="review.handed_over", obj=app, district_id=app.district_id,
           changes={"from": user.username, "to": target.username})
    notify([target], f"转办：{user}将申请{_label(app)}转给您审核", _desk_url(app))
    return case


# ---- return for revision

def _clerks(app) -> list[User]:
    return _users([app.department_id], [Role.APPLICANT])


@transaction.atomic
def return_for_revision(user, app: Application, *, comment: str) -> ReturnForRevision:
    """退回修改: back to the department with comments; it revises, the head signs again, the number stays."""
    _require_reviewer(user)
    app = _lock(app)
    _require_active(app, "退回修改")
    comment = (comment or "").strip()
    if not comment:
        raise RuleViolation("请填写修改意见", [{"rule": "R-PROC-2", "field": "comment", "message": "退回修改时须写明修改意见（R-PROC-2）"}])
    _hold(user, app)
    old = app.status
    version = app.versions.count()
    ret = ReturnForRevision.objects.create(application=app, version=version, comment=comment, returned_by=user, returned_on=clock.today())
    app.status = Status.RETURNED
    app.save(update_fields=["status", "updated_at"])
    record(actor=user, action="review.returned", obj=app, district_id=app.district_id,
           changes={"status": [old, app.status], "version": version, "comment": comment})
    notify(_clerks(app), f"退回修改：申请{_label(app)}", reverse("application_detail", args=[app.pk]), body=comment)
    return ret


# ---- the decision

def outstanding_invitations(app: Application):
    return Invitation.objects.filter(application=app, opinions__isnull=True).select_related("organisation")


@transaction.atomic
def decide(user, app: Application, *, decision: str, reason: str = "", suggestions: str = "", override_reason: str = "") -> Decision:
    """准入审核意见 (R-PROC-2): 同意 or 不同意, final; 同意 goes on to the plan list (catalog)."""
    _require_reviewer(user)
    app = _lock(app)  # first: whoever comes second reads the state the first one left
    _require_active(app, "作出审核决定")
    _hold(user, app)
    today = clock.today()
    settle_silence(today, app)
    outstanding = [i.organisation.name for i in outstanding_invitations(app)]
    reason, suggestions, override_reason = (reason or "").strip(), (suggestions or "").strip(), (override_reason or "").strip()
    errors = decision_errors(decision, reason, outstanding, override_reason)
    if errors:
        raise RuleViolation("审核决定未作出", errors)
    old = app.status
    d = Decision.objects.create(application=app, decision=decision, reason=reason, suggestions=suggestions,
                                override_reason=override_reason if outstanding else "", outstanding=outstanding,
                                unit=user.organisation.name, name=user.display_name or user.username, decided_on=today, decided_by=user)
    app.status = Status.APPROVED if decision == DecisionValue.APPROVE else Status.REJECTED
    app.save(update_fields=["status", "updated_at"])
    record(actor=user, action="review.decided", obj=app, district_id=app.district_id,
           changes={"status": [old, app.status], "decision": decision, "reason": reason, "suggestions": suggestions,
                    "override_reason": d.override_reason, "outstanding": outstanding, "unit": d.unit, "name": d.name,
                    "decided_on": today})
    if decision == DecisionValue.APPROVE:
        # The plan list (issue 4) takes it from here, inside this transaction: both commit or neither.
        admit_application(actor=user, application_id=app.pk, district_id=app.district_id, department_id=app.department_id,
                          procedure=app.procedure, kind=app.kind, content=app.content, decided_on=today, number=app.number or "")
    notify(_users([app.department_id], [Role.APPLICANT, Role.APPLICANT_HEAD]),
           f"审核决定：申请{_label(app)}{d.get_decision_display()}", reverse("application_detail", args=[app.pk]),
           body=reason or suggestions)
    return d


# ---- pre-review of draft documents (R-SCOPE-2)

def _draft_url(draft) -> str:
    return reverse("review_draft", args=[draft.pk])


@transaction.atomic
def upload_draft(user, *, title: str, doc_kind: str, summary: str, upload):
    """R-SCOPE-2: the drafting department uploads its draft; the file is checked as an application's attachment (R-APP-7)."""
    import hashlib

    from django.conf import settings
    from django.core.files.base import ContentFile

    from zhunru.intake.attachments import sniff

    from .models import DraftDocument

    if not user.has_role(Role.APPLICANT) or user.organisation is None or user.organisation.kind != OrgKind.DEPARTMENT:
        raise NotAllowed("只有区级部门经办人可以上传文件草案（R-SCOPE-2）")
    errors = []
    title = (title or "").strip()
    if not title:
        errors.append({"rule": "R-SCOPE-2", "field": "title", "message": "请填写文件名称（R-SCOPE-2）"})
    if doc_kind not in DraftDocument.DocKind.values:
        errors.append({"rule": "R-SCOPE-2", "field": "doc_kind", "message": "请选择文件类别：代拟区委、区政府文件或部门规范性文件（R-SCOPE-2）"})
    detected = data = None
    limit = settings.ZHUNRU_MAX_UPLOAD_BYTES
    if upload is None or upload.size == 0:
        errors.append({"rule": "R-APP-7", "field": "file", "message": "请上传文件草案（R-APP-7）"})
    elif upload.size > limit:
        errors.append({"rule": "R-APP-7", "field": "file", "message": f"文件“{upload.name}”超过{max(limit // (1024 * 1024), 1)}MB的大小限制（R-APP-7）"})
    else:
        upload.seek(0)
        data = upload.read()
        detected = sniff(data[:16], __import__("io").BytesIO(data))
        if detected is None:
            errors.append({"rule": "R-APP-7", "field": "file", "message": f"文件“{upload.name}”的内容不是 PDF、DOCX、DOC、XLSX、XLS、OFD 或图片，已拒收（R-APP-7）"})
    if errors:
        raise RuleViolation("文件草案未上传", errors)
    digest = hashlib.sha256(data).hexdigest()
    draft = DraftDocument(district_id=user.organisation.district_id, department=user.organisation, title=title[:200], doc_kind=doc_kind,
                          summary=(summary or "").strip(), original_name=upload.name[:255], detected_type=detected, size=len(data),
                          sha256=digest, uploaded_by=user, uploaded_on=clock.today())
    draft.file.save(f"{digest[:32]}.{detected}", ContentFile(data), save=False)
    draft.save()
    record(actor=user, action="draft.uploaded", obj=draft, district_id=draft.district_id,
           changes={"title": draft.title, "doc_kind": doc_kind, "sha256": digest, "name": draft.original_name})
    notify(_users_district_reviewers(draft.district_id), f"前置审核：{user.organisation.name}上传文件草案“{draft.title}”", _draft_url(draft))
    return draft


def _users_district_reviewers(district_id) -> list[User]:
    return list(User.objects.filter(organisation__district_id=district_id, roles__code=Role.REVIEWER, is_active=True).distinct())


def _lock_draft(draft):
    from .models import DraftDocument

    return DraftDocument.objects.select_for_update().select_related("department").get(pk=draft.pk)


def _draft_open(draft, doing: str):
    if draft.state != "open":
        raise WrongState(f"该文件草案的前置审核已办结（{draft.get_outcome_display()}），不能{doing}")


@transaction.atomic
def invite_draft(user, draft, *, kind: str = InvitationKind.JOINT_REVIEW, organisations: list[str], deadline_days: int = DEFAULT_DEADLINE_DAYS,
                 silence_means_no_opinion: bool | None = None) -> list[Invitation]:
    """R-SCOPE-2: the chosen review units (and, if wished, streets and committees) give opinions by a deadline."""
    _require_reviewer(user)
    draft = _lock_draft(draft)
    _draft_open(draft, "邀请提出意见")
    if kind not in InvitationKind.values:
        raise RuleViolation("邀请类型无效", [{"rule": "R-SCOPE-2", "field": "kind", "message": "邀请类型只能是会签或征求意见（R-SCOPE-2）"}])
    today = clock.today()
    orgs, errors = _resolve_orgs(draft.district_id, kind, organisations)
    deadline, more = _deadline(deadline_days, today)
    errors += more
    already = set(Invitation.objects.filter(draft_document=draft, organisation__in=orgs).values_list("organisation__name", flat=True))
    if already:
        errors.append({"rule": "R-SCOPE-2", "field": "organisations", "message": f"已邀请：{'、'.join(sorted(already))}（R-SCOPE-2）"})
    if errors:
        raise RuleViolation("邀请未发出", errors)
    silence = default_silence(kind) if silence_means_no_opinion is None else bool(silence_means_no_opinion)
    return _create_invitations(user, subject={"draft_document": draft}, district_id=draft.district_id, kind=kind, orgs=orgs,
                               deadline_days=deadline_days, deadline=deadline, silence=silence, round_no=1, today=today,
                               audit_obj=draft, label=f"文件草案“{draft.title}”")


@transaction.atomic
def give_draft_opinion(user, inv: Invitation, *, opinion: str, comment: str = "") -> Opinion:
    draft = _lock_draft(inv.draft_document)
    _draft_open(draft, "提出意见")
    inv = Invitation.objects.select_related("organisation").get(pk=inv.pk)
    return _give(user, inv, opinion, comment, draft, _users_district_reviewers(draft.district_id), _draft_url(draft))


@transaction.atomic
def conclude_draft(user, draft, *, outcome: str, comment: str = ""):
    """R-SCOPE-2: the outcome is recorded before the document is issued."""
    from .models import DraftDocument

    _require_reviewer(user)
    draft = _lock_draft(draft)
    _draft_open(draft, "办结")
    if outcome not in DraftDocument.Outcome.values:
        raise RuleViolation("审核结果无效", [{"rule": "R-SCOPE-2", "field": "outcome", "message": "审核结果只能是通过、修改后通过或未通过（R-SCOPE-2）"}])
    settle_silence(clock.today())
    draft.state, draft.outcome, draft.outcome_comment = DraftDocument.State.CONCLUDED, outcome, (comment or "").strip()
    draft.concluded_by, draft.concluded_on = user, clock.today()
    draft.save()
    record(actor=user, action="draft.concluded", obj=draft, district_id=draft.district_id,
           changes={"outcome": outcome, "comment": draft.outcome_comment})
    notify(_users([draft.department_id], [Role.APPLICANT]), f"前置审核结果：文件草案“{draft.title}”{draft.get_outcome_display()}", _draft_url(draft),
           body=draft.outcome_comment)
    return draft


@transaction.atomic
def link_draft_application(user, draft, app: Application):
    """An application that carries out a pre-reviewed document points at it."""
    if not (user.has_role(Role.REVIEWER) or (user.has_role(Role.APPLICANT) and user.organisation_id == draft.department_id == app.department_id)):
        raise NotAllowed("只能将本部门的申请关联到本部门的文件草案（R-SCOPE-2）")
    if app.district_id != draft.district_id:
        raise NotAllowed("只能关联本区的申请")
    draft.applications.add(app)
    record(actor=user, action="draft.application_linked", obj=draft, district_id=draft.district_id,
           changes={"application": app.pk, "number": app.number})
    return draft
