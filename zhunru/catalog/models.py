"""Municipal lists (市级清单), versioned by year. The district plan list joins them here."""

from django.db import models

# SPEC §3.0: one set of requirement kinds everywhere.
REQUIREMENT_KINDS = {
    "task": "工作任务",
    "statistical_report": "统计报表",
    "ledger": "台账资料",
    "assessment": "考核创建",
    "certificate": "出具证明",
    "system": "信息系统",
    "plaque": "挂牌标识",
}
KIND_BY_LABEL = {v: k for k, v in REQUIREMENT_KINDS.items()}


class MunicipalList(models.Model):
    year = models.PositiveIntegerField("年度", unique=True)
    title = models.CharField("标题", max_length=200, blank=True)
    source_file = models.CharField("来源文件", max_length=255, blank=True)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = "市级清单"
        verbose_name_plural = "市级清单"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年市级清单"


class MunicipalItem(models.Model):
    municipal_list = models.ForeignKey(MunicipalList, on_delete=models.CASCADE, related_name="items")
    code = models.CharField("编码", max_length=32)
    position = models.PositiveIntegerField("序号")
    category = models.CharField("事项类别", max_length=50)
    name = models.CharField("事项名称", max_length=200)
    content = models.TextField("居村组织承担的具体内容", blank=True)
    department = models.CharField("市级主管部门", max_length=100, blank=True)
    basis = models.TextField("实施依据", blank=True)
    involves = models.JSONField("涉及内容", default=list, help_text="requirement kind codes")
    applies = models.JSONField("适用范围", default=list, help_text="residents / villagers")

    class Meta:
        verbose_name = "市级清单事项"
        verbose_name_plural = "市级清单事项"
        ordering = ["municipal_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["municipal_list", "code"], name="municipal_code_unique"),
            models.UniqueConstraint(fields=["municipal_list", "name"], name="municipal_name_unique"),
        ]

    def __str__(self):
        return self.name


# ---------------------------------------------------------------------------
# The district plan list (计划清单): R-PROC-1, R-PROC-3, R-PROC-4, R-PROC-6, R-PROC-7
# ---------------------------------------------------------------------------


class PlanList(models.Model):
    """One list per district and year. Its items change as applications are approved; what was
    published is kept whole in each ``PlanListVersion``."""

    district = models.ForeignKey("orgs.Organisation", verbose_name="区", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField("年度")
    round_opened_on = models.DateField("年度轮次开启日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"owner": "district", "district": "district"}

    class Meta:
        verbose_name = "区级计划清单"
        verbose_name_plural = "区级计划清单"
        ordering = ["district", "-year"]
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="plan_list_unique")]

    def __str__(self):
        return f"{self.year}年区级计划清单"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "待发布"
    PROPOSED = "proposed", "待部门确认"
    ACTIVE = "active", "在列"
    EXITED = "exited", "已退出"
    SUPERSEDED = "superseded", "已调整（被新版本取代）"
    LEFT_OUT = "left_out", "未列入"


# Items that are, or are about to be, part of the list: a name may appear once among them.
LIVE_STATUSES = (ItemStatus.PENDING, ItemStatus.PROPOSED, ItemStatus.ACTIVE)


class ExitKind(models.TextChoices):
    NATURAL = "natural", "自然退出"
    FILED = "filed", "备案退出"
    APPLICATION = "application", "申请退出（常态化程序）"


class PlanItem(models.Model):
    """One version of one item of a district's list of one year.

    ``lineage`` names the item across versions and years; an adjustment makes a new row with
    ``previous`` pointing at the version it replaces (R-PROC-7); a new year's round copies an
    item with ``carried_from`` pointing at last year's row. ``content`` is the approved form
    whole (FIELDS.md shape); the columns mirror what the list filters and orders on.
    The source application is kept by id and number only: catalog sits below intake.
    """

    plan_list = models.ForeignKey(PlanList, on_delete=models.CASCADE, related_name="items")
    district = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("orgs.Organisation", verbose_name="主管部门", on_delete=models.PROTECT, related_name="plan_items")
    lineage = models.CharField("事项标识", max_length=32, db_index=True)
    version = models.PositiveIntegerField("事项版本", default=1)
    previous = models.ForeignKey("self", verbose_name="上一版本", null=True, blank=True, on_delete=models.PROTECT, related_name="next_versions")
    carried_from = models.ForeignKey("self", verbose_name="沿用自", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("事项名称", max_length=200)
    summary = models.TextField("概述", blank=True)
    content = models.JSONField("申请表内容", default=dict)
    involves = models.JSONField("涉及内容", default=list, help_text="requirement kind codes (R-SCOPE-1)")
    comparison = models.CharField("与市级清单对比", max_length=16, blank=True)  # same / reworded / new
    municipal_item = models.ForeignKey(MunicipalItem, verbose_name="对应市级事项", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    municipal_item_name = models.CharField("对应市级事项名称", max_length=200, blank=True)
    scope = models.CharField("下派范围", max_length=8, default="all")
    scope_committees = models.JSONField("部分居村", default=list)
    time_limit = models.CharField("时间时限", max_length=16, blank=True)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    ends_on = models.DateField("结束日期", null=True, blank=True)
    procedure = models.CharField("准入程序", max_length=16, blank=True)
    sources = models.JSONField("来源申请", default=list, help_text="[{application_id, number, kind, procedure, decided_on}]")
    status = models.CharField("状态", max_length=16, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    joined_on = models.DateField("列入日期", null=True, blank=True)
    exit_pending = models.BooleanField("发布时退出", default=False)
    exit_kind = models.CharField("退出方式", max_length=16, choices=ExitKind.choices, blank=True)
    exited_on = models.DateField("退出日期", null=True, blank=True)
    exit_reason = models.TextField("退出理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"owner": "department", "district": "district"}

    class Meta:
        verbose_name = "区级清单事项"
        verbose_name_plural = "区级清单事项"
        ordering = ["plan_list", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan_list", "lineage", "version"], name="plan_item_version_unique"),
            models.CheckConstraint(condition=models.Q(status__in=ItemStatus.values), name="plan_item_status_valid"),
            models.CheckConstraint(
                condition=~models.Q(status="exited") | models.Q(exited_on__isnull=False),
                name="plan_item_exit_dated",
            ),
        ]
        indexes = [models.Index(fields=["status", "time_limit", "ends_on"]), models.Index(fields=["plan_list", "status"])]

    def __str__(self):
        return self.name

    @property
    def status_label(self) -> str:
        if self.status == ItemStatus.EXITED:
            return f"已退出（{self.get_exit_kind_display()}）"
        return self.get_status_display()


class PlanListVersion(models.Model):
    """A published version (R-PROC-3): the items as they stood, kept whole so old versions never change."""

    plan_list = models.ForeignKey(PlanList, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    published_on = models.DateField("发布日期")
    published_by = models.CharField("发布人", max_length=150)
    items = models.JSONField("事项快照", default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "清单版本"
        verbose_name_plural = "清单版本"
        ordering = ["plan_list", "number"]
        constraints = [models.UniqueConstraint(fields=["plan_list", "number"], name="plan_version_unique")]

    def __str__(self):
        return f"{self.plan_list} 第{self.number}版"


class Filing(models.Model):
    """报备 (R-PROC-3, R-PROC-4): when the list (or one item joining at once) went, and to whom."""

    plan_list = models.ForeignKey(PlanList, on_delete=models.CASCADE, related_name="filings")
    version = models.ForeignKey(PlanListVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="filings")
    item = models.ForeignKey(PlanItem, null=True, blank=True, on_delete=models.PROTECT, related_name="filings")
    recipient = models.CharField("报备对象", max_length=100)
    document_number = models.CharField("文号", max_length=50, blank=True)
    filed_on = models.DateField("报备日期")
    filed_by = models.CharField("报备人", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "报备记录"
        verbose_name_plural = "报备记录"
        ordering = ["plan_list", "filed_on", "id"]


class Abbreviation(models.Model):
    """Lookup (R-LOOK-1): common short forms, editable in the admin (加梯 → 加装电梯)."""

    short = models.CharField("简称", max_length=20, unique=True)
    full = models.CharField("全称", max_length=50)

    class Meta:
        verbose_name = "常用简称"
        verbose_name_plural = "常用简称"
        ordering = ["short"]

    def __str__(self):
        return f"{self.short} → {self.full}"
