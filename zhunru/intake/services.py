"""Every write to an application: one function per action a person takes.

Each checks the actor's permission, runs in one transaction, locks what it changes,
writes its audit event and returns what changed. Views and the API call only these.
"""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from zhunru import clock
from zhunru.audit.services import record
from zhunru.errors import NotAllowed, RuleViolation, WrongState
from zhunru.orgs.models import Role
from zhunru.text import clean_text
from zhunru.workdays.calendar import current_schedule
from zhunru.workdays.rules import UnknownYear, add_working_days

from .attachments import ALLOWED, sniff
from .context import build_context, district_settings
from .form import blank_form, clean_body
from .models import (
    EDITABLE,
    WITHDRAWABLE,
    Application,
    ApplicationVersion,
    Attachment,
    AttachmentKind,
    NumberCounter,
    Status,
    VerbalReport,
)
from .rules import CHANNELS, check_application


def _require_clerk(user, app=None):
    if not user.has_role(Role.APPLICANT):
        raise NotAllowed("只有申请部门经办人可以进行此操作")
    if app is not None and app.department_id != user.organisation_id:
        raise NotAllowed("只能操作本部门的申请")


def _require_head(user, app):
    if not user.has_role(Role.APPLICANT_HEAD) or app.department_id != user.organisation_id:
        raise NotAllowed("只有申请部门主要负责人可以签发本部门的申请（R-APP-6）")


def _locked(app: Application) -> Application:
    # On PostgreSQL this row lock serialises actions on one application; on SQLite the
    # IMMEDIATE transaction already holds the database's write lock.
    return Application.objects.select_for_update().select_related("department", "district").get(pk=app.pk)


def _mirror(app: Application):
    c = app.content
    app.procedure = c.get("procedure") or ""
    app.kind = c.get("kind") or "new"
    app.name = (c.get("name") or "")[:200]


def _link_verbal_report(user, app: Application):
    report_id = app.content.get("verbal_report_id")
    if not report_id:
        app.verbal_report = None
        return
    report = VerbalReport.objects.filter(pk=report_id, department_id=app.department_id).first()
    if report is None:
        raise RuleViolation("口头报告不存在", [{"rule": "R-PROC-5", "field": "verbal_report_id", "message": "所关联的口头报告不存在或不属于本部门（R-PROC-5）"}])
    app.verbal_report = report


def _own_department(user, data: dict):
    dept = data.get("department")
    org = user.organisation
    if dept not in (None, "", org.code, org.name):
        raise RuleViolation("申请部门不符", [{"rule": "R-APP-2", "field": "department", "message": f"申请部门只能是您所在的部门“{org.name}”（R-APP-2）"}])


@transaction.atomic
def create_application(user, data: dict) -> Application:
    """A draft is saved whatever it holds (R-APP-8)."""
    _require_clerk(user)
    _own_department(user, data)
    content = blank_form()
    content.update(clean_body(data))
    content["department"] = user.organisation.code
    app = Application(district_id=user.organisation.district_id, department=user.organisation, created_by=user, content=content)
    _link_verbal_report(user, app)
    _mirror(app)
    app.save()
    record(actor=user, action="application.created", obj=app, district_id=app.district_id, changes={"status": Status.DRAFT, "name": app.name})
    return app


@transaction.atomic
def save_draft(user, app: Application, data: dict) -> Application:
    """Merge the body's top-level fields into the draft. Drafts are not audited per keystroke:
    the submission event carries a fingerprint of the whole content."""
    _require_clerk(user, app)
    app = _locked(app)
    if app.status not in EDITABLE:
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能修改")
    _own_department(user, data)
    app.content = {**app.content, **clean_body(data), "department": app.department.code}
    _link_verbal_report(user, app)
    _mirror(app)
    app.save()
    return app


def run_check(app: Application, as_of=None):
    """The rules against the application as stored, for a submission on ``as_of`` (default today)."""
    return check_application(app.content, build_context(app.district, as_of or clock.today(), app.verbal_report, app.pk))


def _fingerprint(content: dict) -> str:
    import json

    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _refuse_if_invalid(result):
    if not result.valid:
        raise RuleViolation("申请未通过校验", [p.as_error() for p in result.errors])


@transaction.atomic
def submit_application(user, app: Application) -> Application:
    """The clerk hands the application to the head once every rule passes (R-APP-8: all errors at once)."""
    _require_clerk(user, app)
    app = _locked(app)
    if app.status not in EDITABLE:
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能提交")
    _refuse_if_invalid(run_check(app))
    old = app.status
    app.status = Status.AWAITING_SIGNOFF
    app.sent_back_comment = ""
    app.save()
    record(actor=user, action="application.submitted", obj=app, district_id=app.district_id,
           changes={"status": [old, app.status], "content_sha256": _fingerprint(app.content)})
    return app


@transaction.atomic
def send_back(user, app: Application, comment: str) -> Application:
    _require_head(user, app)
    app = _locked(app)
    if app.status != Status.AWAITING_SIGNOFF:
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能退回")
    comment = clean_text(comment or "").strip()
    if not comment:
        raise RuleViolation("请填写退回意见", [{"rule": "R-APP-6", "field": "comment", "message": "退回经办人时须填写意见（R-APP-6）"}])
    app.status = Status.DRAFT
    app.sent_back_comment = comment
    app.save()
    record(actor=user, action="application.sent_back", obj=app, district_id=app.district_id,
           changes={"status": [Status.AWAITING_SIGNOFF, Status.DRAFT], "comment": comment})
    return app


def _take_number(app: Application, year: int):
    """R-APP-1: gapless per district and year; the counter row is locked in this transaction."""
    counter, _ = NumberCounter.objects.get_or_create(district_id=app.district_id, year=year)
    counter = NumberCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    pattern = district_settings(app.district).number_pattern
    app.number_year, app.number_seq = year, counter.last
    app.number = pattern.format(year=year, seq=counter.last)


@transaction.atomic
def sign_application(user, app: Application) -> Application:
    """The head signs (R-APP-6): the application reaches review on this day, and gets its number."""
    _require_head(user, app)
    app = _locked(app)
    if app.status != Status.AWAITING_SIGNOFF:
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能签发")
    today = clock.today()
    # The submission date is the sign-off day, so the rules are checked again against it.
    result = run_check(app, today)
    errors = [p.as_error() for p in result.errors]
    if app.procedure == "simplified" and not app.attachments.filter(kind=AttachmentKind.POLICY).exists():
        # R-PROC-4: the pre-check has no files, so this is checked here.
        errors.append({"rule": "R-PROC-4", "field": "attachments", "message": "简易程序须附至少1份相关政策文件（R-PROC-4）"})
    if errors:
        raise RuleViolation("申请未通过校验，不能签发", errors)
    if app.number is None:
        _take_number(app, today.year)
    app.status = Status.SUBMITTED
    app.submitted_on = today
    app.head_signoff_name = user.display_name or user.username
    app.head_signoff_date = today
    app.signed_by = user
    app.save()
    version = ApplicationVersion.objects.filter(application=app).count() + 1
    ApplicationVersion.objects.create(application=app, version=version, content=app.content, signed_on=today, signed_by=user)
    record(actor=user, action="application.signed", obj=app, district_id=app.district_id,
           changes={"status": [Status.AWAITING_SIGNOFF, Status.SUBMITTED], "number": app.number, "version": version,
                    "submitted_on": today, "content_sha256": _fingerprint(app.content)})
    return app


@transaction.atomic
def withdraw_application(user, app: Application) -> Application:
    """R-PROC-2: the applicant may withdraw before the decision; the number is kept, never reused."""
    _require_clerk(user, app)
    app = _locked(app)
    if app.status not in WITHDRAWABLE:
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能撤回")
    old = app.status
    app.status = Status.WITHDRAWN
    app.save()
    record(actor=user, action="application.withdrawn", obj=app, district_id=app.district_id, changes={"status": [old, app.status]})
    return app


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):g}MB"
    return f"{n / 1024:g}KB" if n >= 1024 else f"{n}字节"


@transaction.atomic
def add_attachment(user, app: Application, upload, kind: str = AttachmentKind.POLICY) -> Attachment:
    """R-APP-7: the type is read from the content, the size is limited, the stored name is ours."""
    _require_clerk(user, app)
    app = _locked(app)
    if app.status not in (*EDITABLE, Status.AWAITING_SIGNOFF):
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能添加附件")
    if kind not in AttachmentKind.values:
        raise RuleViolation("附件类别无效", [{"rule": "R-APP-7", "field": "kind", "message": "附件类别只能是政策文件、文件草案或其他材料（R-APP-7）"}])
    limit = settings.ZHUNRU_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise RuleViolation("附件过大", [{"rule": "R-APP-7", "field": "file", "message": f"附件“{upload.name}”超过{_size(limit)}的大小限制（R-APP-7）"}])
    if upload.size == 0:
        raise RuleViolation("附件为空", [{"rule": "R-APP-7", "field": "file", "message": f"附件“{upload.name}”是空文件（R-APP-7）"}])
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    detected = sniff(head, upload)
    if detected is None:
        raise RuleViolation("附件类型不允许", [{"rule": "R-APP-7", "field": "file", "message": f"附件“{upload.name}”的内容不是 PDF、DOCX、DOC、XLSX、XLS、OFD 或图片，已拒收（R-APP-7）"}])
    upload.seek(0)
    data = upload.read()
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(application=app, kind=kind, original_name=upload.name[:255], detected_type=detected,
                            size=len(data), sha256=digest, uploaded_by=user)
    # The stored name is derived from the content hash: nothing of the user's file name reaches the disk.
    attachment.file.save(f"{digest[:32]}.{detected}", ContentFile(data), save=False)
    try:
        attachment.save()
        record(actor=user, action="attachment.added", obj=app, district_id=app.district_id,
               changes={"attachment": attachment.pk, "name": attachment.original_name, "type": ALLOWED[detected], "sha256": digest})
    except BaseException:
        # The row will not exist, so neither may the file.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def remove_attachment(user, attachment: Attachment):
    app = attachment.application
    _require_clerk(user, app)
    app = _locked(app)
    if app.status not in (*EDITABLE, Status.AWAITING_SIGNOFF):
        raise WrongState(f"申请当前状态为“{app.get_status_display()}”，不能删除附件")
    record(actor=user, action="attachment.removed", obj=app, district_id=app.district_id,
           changes={"attachment": attachment.pk, "name": attachment.original_name, "sha256": attachment.sha256})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def record_verbal_report(user, *, department, reported_on, reported_by: str, channel: str, content: str) -> VerbalReport:
    """R-PROC-5: the reviewer records an urgent task reported before any application exists."""
    if not user.has_role(Role.REVIEWER):
        raise NotAllowed("只有区民政局审核人员可以登记口头报告（R-PROC-5）")
    errors = []
    if department is None or department.district_id != user.organisation.district_id:
        errors.append({"rule": "R-PROC-5", "field": "department", "message": "请选择本区的报告部门（R-PROC-5）"})
    if channel not in CHANNELS:
        errors.append({"rule": "R-PROC-5", "field": "channel", "message": "报告方式只能是电话、当面或其他（R-PROC-5）"})
    for key, value, label in (("reported_by", reported_by, "报告人"), ("content", content, "报告内容")):
        if not (value or "").strip():
            errors.append({"rule": "R-PROC-5", "field": key, "message": f"请填写{label}（R-PROC-5）"})
    due = None
    try:
        due = add_working_days(current_schedule(), reported_on, district_settings(user.organisation.district).backfill_days)
    except UnknownYear as exc:
        errors.append({"rule": "R-CAL-1", "field": "reported_on", "message": str(exc)})
    if errors:
        raise RuleViolation("口头报告未登记", errors)
    report = VerbalReport.objects.create(
        district_id=user.organisation.district_id, department=department, reported_on=reported_on,
        reported_by=reported_by.strip(), channel=channel, content=content.strip(), backfill_due=due, recorded_by=user,
    )
    record(actor=user, action="verbal_report.recorded", obj=report, district_id=report.district_id,
           changes={"department": department.code, "reported_on": reported_on, "backfill_due": due})
    return report
