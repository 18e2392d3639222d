"""Joint review, consultation, return for revision, decision (R-PROC-2); pre-review of drafts (R-SCOPE-2).

The database keeps the invariants: one decision per application (a second one cannot be
stored, whatever the code does), an opinion is never changed, ``no_opinion`` is only ever a
system row (no person), and an invitation belongs to exactly one application or draft.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhunru.intake.models import Application
from zhunru.orgs.models import Organisation


class Finding(models.TextChoices):
    PASS = "pass", "通过"
    FAIL = "fail", "不通过"


class InvitationKind(models.TextChoices):
    JOINT_REVIEW = "joint_review", "会签"
    CONSULTATION = "consultation", "征求意见"


class OpinionValue(models.TextChoices):
    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    COMMENT = "comment", "有意见"
    NO_OPINION = "no_opinion", "无意见"


class DecisionValue(models.TextChoices):
    APPROVE = "approve", "同意"
    REJECT = "reject", "不同意"


class ImmutableError(RuntimeError):
    pass


class ReviewCase(models.Model):
    """One per application that reached review: who holds it (转办 moves it) and the necessity finding."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review_case")
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.PROTECT, related_name="review_cases")
    legality = models.CharField("合法性", max_length=8, choices=Finding.choices, blank=True)
    reasonableness = models.CharField("合理性", max_length=8, choices=Finding.choices, blank=True)
    necessity = models.CharField("必要性", max_length=8, choices=Finding.choices, blank=True)
    necessity_comment = models.TextField("审查意见", blank=True)
    necessity_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    necessity_on = models.DateField("审查日期", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "审核案卷"
        verbose_name_plural = "审核案卷"


class DraftDocument(models.Model):
    """R-SCOPE-2: a draft district party/government document or departmental normative document, pre-reviewed."""

    class DocKind(models.TextChoices):
        DISTRICT = "district", "代拟区委、区政府文件"
        NORMATIVE = "normative", "部门规范性文件"

    class State(models.TextChoices):
        OPEN = "open", "征求意见中"
        CONCLUDED = "concluded", "已办结"

    class Outcome(models.TextChoices):
        PASSED = "passed", "通过前置审核"
        REVISE = "revise", "修改后通过"
        FAILED = "failed", "未通过前置审核"

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name="起草部门", on_delete=models.PROTECT, related_name="draft_documents")
    title = models.CharField("文件名称", max_length=200)
    doc_kind = models.CharField("文件类别", max_length=16, choices=DocKind.choices)
    summary = models.TextField("涉及居村组织事务的内容", blank=True)
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    detected_type = models.CharField("文件类型", max_length=16)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_on = models.DateField("上传日期")
    state = models.CharField("状态", max_length=16, choices=State.choices, default=State.OPEN)
    outcome = models.CharField("审核结果", max_length=16, choices=Outcome.choices, blank=True)
    outcome_comment = models.TextField("审核意见", blank=True)
    concluded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    applications = models.ManyToManyField(Application, verbose_name="关联申请", blank=True, related_name="draft_documents")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"owner": "department", "district": "district", "invited": "invitations__organisation"}

    class Meta:
        verbose_name = "文件草案（前置审核）"
        verbose_name_plural = "文件草案（前置审核）"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state="open", outcome="") | Q(state="concluded") & ~Q(outcome=""), name="draft_outcome_when_concluded"),
        ]

    def __str__(self):
        return self.title


class Invitation(models.Model):
    """An organisation asked for its opinion, by a deadline in working days (R-PROC-2, R-SCOPE-2)."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE, related_name="review_invitations")
    draft_document = models.ForeignKey(DraftDocument, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField("类型", max_length=16, choices=InvitationKind.choices)
    organisation = models.ForeignKey(Organisation, verbose_name="受邀单位", on_delete=models.PROTECT, related_name="review_invitations")
    # The application's version (sign-off) the invitation was made on: a resubmission may be sent out again.
    round = models.PositiveIntegerField("轮次", default=1)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_on = models.DateField("邀请日期")
    deadline_days = models.PositiveSmallIntegerField("期限（工作日）")
    deadline = models.DateField("截止日期")
    silence_means_no_opinion = models.BooleanField("逾期未答复视为无意见")
    reminders = models.PositiveIntegerField("催办次数", default=0)
    last_reminded_on = models.DateField("最近催办", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会签/征求意见邀请"
        verbose_name_plural = "会签/征求意见邀请"
        ordering = ["kind", "organisation__code", "round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=False, draft_document__isnull=True) | Q(application__isnull=True, draft_document__isnull=False),
                name="invitation_one_subject"),
            models.CheckConstraint(condition=Q(kind__in=InvitationKind.values), name="invitation_kind_valid"),
            models.CheckConstraint(condition=Q(deadline_days__gte=1, deadline_days__lte=60), name="invitation_deadline_days_range"),
            models.UniqueConstraint(fields=["application", "organisation", "round"], condition=Q(application__isnull=False), name="invitation_once_per_round"),
            models.UniqueConstraint(fields=["draft_document", "organisation"], condition=Q(draft_document__isnull=False), name="invitation_once_per_draft"),
        ]
        indexes = [models.Index(fields=["organisation", "deadline"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organisation}"


class Opinion(models.Model):
    """An answer to an invitation. Never changed: a supplementary opinion is a new row."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="opinions")
    opinion = models.CharField("意见", max_length=16, choices=OpinionValue.choices)
    comment = models.TextField("说明", blank=True)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField("日期")
    given_at = models.DateTimeField(auto_now_add=True)
    late = models.BooleanField("逾期", default=False)
    supplementary = models.BooleanField("补充意见", default=False)

    class Meta:
        verbose_name = "意见"
        verbose_name_plural = "意见"
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(opinion__in=OpinionValue.values), name="opinion_value_valid"),
            # R-PROC-2: 无意见 is set by the system alone (no person), and the system sets nothing else.
            models.CheckConstraint(
                condition=Q(opinion="no_opinion", given_by__isnull=True) | (~Q(opinion="no_opinion") & Q(given_by__isnull=False)),
                name="opinion_no_opinion_is_system"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableError("意见一经提交不能修改，可另行补充意见")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("意见一经提交不能删除")


class ReturnForRevision(models.Model):
    """退回修改: the reviewer's comments on one signed version."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_returns")
    version = models.PositiveIntegerField("退回的版本")
    comment = models.TextField("修改意见")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    returned_on = models.DateField("退回日期")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "退回修改"
        verbose_name_plural = "退回修改"
        ordering = ["created_at", "id"]


class Decision(models.Model):
    """准入审核意见: final. One per application, enforced by the database."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="review_decision")
    decision = models.CharField("审核意见", max_length=8, choices=DecisionValue.choices)
    reason = models.TextField("不同意理由", blank=True)
    suggestions = models.TextField("修改建议", blank=True)
    override_reason = models.TextField("未待意见齐备即作决定的理由", blank=True)
    outstanding = models.JSONField("作决定时尚未答复的单位", default=list)
    unit = models.CharField("审核单位", max_length=100)
    name = models.CharField("审核人", max_length=50)
    decided_on = models.DateField("日期")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审核决定"
        verbose_name_plural = "审核决定"
        constraints = [
            models.CheckConstraint(condition=Q(decision__in=DecisionValue.values), name="decision_value_valid"),
            models.CheckConstraint(condition=Q(decision="approve") | ~Q(reason=""), name="decision_reject_needs_reason"),
        ]
