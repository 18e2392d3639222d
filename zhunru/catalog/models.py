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
