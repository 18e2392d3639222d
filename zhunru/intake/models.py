"""The application (申请表) and what hangs off it.

The form itself is one JSON document in the shape of data/samples/FIELDS.md (``content``):
the rules run on that shape, the API speaks it, and every version of it can be kept and
compared field by field. What the system queries, orders or constrains on (status, number,
department, procedure, dates) lives in real columns with database constraints.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from zhunru.orgs.models import Organisation

from .rules import CHANNELS, KINDS, PROCEDURES


class Status(models.TextChoices):
    DRAFT = "draft", "草稿"
    AWAITING_SIGNOFF = "awaiting_signoff", "待负责人签发"
    SUBMITTED = "submitted", "待审核"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "同意"
    REJECTED = "rejected", "不同意"
    WITHDRAWN = "withdrawn", "已撤回"


EDITABLE = (Status.DRAFT, Status.RETURNED)
DECIDED = (Status.APPROVED, Status.REJECTED)
# R-PROC-2: the applicant may withdraw at any time before the decision.
WITHDRAWABLE = (Status.DRAFT, Status.AWAITING_SIGNOFF, Status.SUBMITTED, Status.IN_REVIEW, Status.RETURNED)


class DistrictSettings(models.Model):
    """What a district's admin may configure (R-PROC-1 window, R-APP-1 pattern, R-PROC-5 backfill)."""

    district = models.OneToOneField(Organisation, verbose_name="区", on_delete=models.CASCADE, related_name="intake_settings")
    window_start_month = models.PositiveSmallIntegerField("常态化申报窗口开始（月）", default=10)
    window_start_day = models.PositiveSmallIntegerField("开始（日）", default=1)
    window_end_month = models.PositiveSmallIntegerField("常态化申报窗口结束（月）", default=12)
    window_end_day = models.PositiveSmallIntegerField("结束（日）", default=31)
    number_pattern = models.CharField("编号格式", max_length=50, default="普准申〔{year}〕{seq}号", help_text="{year} 为年份，{seq} 为当年序号")
    simplified_notice_days = models.PositiveSmallIntegerField("简易程序提前工作日数", default=7)
    backfill_days = models.PositiveSmallIntegerField("紧急事项补办期限（工作日）", default=3)

    class Meta:
        verbose_name = "区准入设置"
        verbose_name_plural = "区准入设置"

    def __str__(self):
        return f"{self.district}准入设置"

    def clean(self):
        import datetime

        from django.core.exceptions import ValidationError

        try:
            start = datetime.date(2024, self.window_start_month, self.window_start_day)
            end = datetime.date(2024, self.window_end_month, self.window_end_day)
        except ValueError as exc:
            raise ValidationError("申报窗口的月日不是有效日期") from exc
        if end < start:
            raise ValidationError("申报窗口须在同一年内：结束不能早于开始")
        if "{seq}" not in self.number_pattern:
            raise ValidationError({"number_pattern": "编号格式须包含 {seq}"})


class VerbalReport(models.Model):
    """R-PROC-5: an urgent task reported by phone or in person before any application exists."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name="报告部门", on_delete=models.PROTECT, related_name="verbal_reports")
    reported_on = models.DateField("报告日期")
    reported_by = models.CharField("报告人", max_length=100)
    channel = models.CharField("报告方式", max_length=16, choices=list(CHANNELS.items()))
    content = models.TextField("报告内容")
    backfill_due = models.DateField("补办截止日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "口头报告"
        verbose_name_plural = "口头报告"
        ordering = ["-reported_on"]

    scope_fields = {"owner": "department", "district": "district"}

    def __str__(self):
        return f"{self.reported_on} {self.department} {self.content[:20]}"


class Application(models.Model):
    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name="申请部门", on_delete=models.PROTECT, related_name="applications")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Mirrors of content, kept by the services, for lists and filters.
    procedure = models.CharField("申报程序", max_length=16, choices=list(PROCEDURES.items()), blank=True)
    kind = models.CharField("申请类别", max_length=8, choices=list(KINDS.items()), default="new")
    name = models.CharField("任务名称", max_length=200, blank=True)
    content = models.JSONField("申请表内容", default=dict)
    # R-APP-1: assigned once at the first sign-off, never reused.
    number = models.CharField("编号", max_length=50, null=True, blank=True, unique=True)
    number_year = models.PositiveIntegerField(null=True, blank=True)
    number_seq = models.PositiveIntegerField(null=True, blank=True)
    submitted_on = models.DateField("提交日期", null=True, blank=True)
    head_signoff_name = models.CharField("主要负责人", max_length=50, blank=True)
    head_signoff_date = models.DateField("签发日期", null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    sent_back_comment = models.TextField("负责人退回意见", blank=True)
    verbal_report = models.ForeignKey(VerbalReport, null=True, blank=True, on_delete=models.PROTECT, related_name="applications")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"owner": "department", "district": "district"}
    # The reviewer and the supervisor see what has reached review, never a department's drafts.
    district_wide_q = Q(number__isnull=False)

    class Meta:
        verbose_name = "申请"
        verbose_name_plural = "申请"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["district", "number_year", "number_seq"], name="application_number_seq_unique"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="application_status_valid"),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number_year__isnull=False, number_seq__isnull=False),
                name="application_number_parts",
            ),
        ]
        indexes = [models.Index(fields=["department", "status"]), models.Index(fields=["district", "status"])]

    def __str__(self):
        return self.number or self.name or f"申请草稿 {self.pk}"


class ApplicationVersion(models.Model):
    """Each signed version of the form, kept whole: the reviewer compares them field by field."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField("版本")
    content = models.JSONField("申请表内容")
    signed_on = models.DateField("签发日期")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "申请版本"
        verbose_name_plural = "申请版本"
        ordering = ["application", "version"]
        constraints = [models.UniqueConstraint(fields=["application", "version"], name="application_version_unique")]


class NumberCounter(models.Model):
    """R-APP-1: one row per district and year, locked while a number is taken, so numbers have no gaps."""

    district = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="number_counter_unique")]


class AttachmentKind(models.TextChoices):
    POLICY = "policy", "政策文件"
    DRAFT = "draft", "文件草案"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """R-APP-7: stored under a generated name; the type is what the content says, not the file name."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类别", max_length=16, choices=AttachmentKind.choices, default=AttachmentKind.POLICY)
    file = models.FileField(upload_to="attachments/%Y/%m/")
    original_name = models.CharField("文件名", max_length=255)
    detected_type = models.CharField("文件类型", max_length=16)
    size = models.PositiveBigIntegerField("大小")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
