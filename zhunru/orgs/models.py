"""Organisations (a tree rooted at the city) and the people who act for them (SPEC §2)."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models


class OrgKind(models.TextChoices):
    CITY = "city", "市"
    DISTRICT = "district", "区"
    DEPARTMENT = "department", "区级部门"
    STREET = "street", "街镇"
    COMMITTEE = "committee", "居村委会"


class DepartmentType(models.TextChoices):
    PARTY = "党的机关", "党的机关"
    NPC = "人大机关", "人大机关"
    ADMIN = "行政机关", "行政机关"
    CPPCC = "政协机关", "政协机关"
    SUPERVISION = "监察机关", "监察机关"
    JUDICIAL = "审判机关", "审判机关"
    PROCURATORATE = "检察机关", "检察机关"
    PEOPLES = "人民团体", "人民团体"


class Organisation(models.Model):
    code = models.CharField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=OrgKind.choices)
    # 党的机关… for departments, 街道/镇 for streets, 居委会/村委会 for committees.
    subtype = models.CharField("类型", max_length=16, blank=True)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Everything below a district belongs to it; a district points at itself. Lets one deployment serve many districts.
    district = models.ForeignKey("self", verbose_name="所属区", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    is_review_unit = models.BooleanField("准入机制审核单位", default=False)
    is_lead = models.BooleanField("牵头单位（区民政局）", default=False)

    class Meta:
        verbose_name = "组织"
        verbose_name_plural = "组织"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="org_name_unique_in_district"),
        ]

    def __str__(self):
        return self.name

    @property
    def committee_kind(self) -> str:
        """'residents' or 'villagers' for a committee, from its 居委会/村委会 type."""
        return "villagers" if self.subtype == "村委会" else "residents"


class Role(models.Model):
    """The nine roles of SPEC §2. Rows are fixed by a data migration."""

    APPLICANT = "applicant"
    APPLICANT_HEAD = "applicant_head"
    REVIEWER = "reviewer"
    REVIEW_UNIT = "review_unit"
    STREET = "street"
    COMMITTEE = "committee"
    SUPERVISOR = "supervisor"
    DISCIPLINE = "discipline"
    ADMIN = "admin"
    NAMES = {
        APPLICANT: "申请部门经办人",
        APPLICANT_HEAD: "申请部门主要负责人",
        REVIEWER: "准入审核人（区民政局）",
        REVIEW_UNIT: "审核单位",
        STREET: "街镇统筹人员",
        COMMITTEE: "居村委会工作人员",
        SUPERVISOR: "监督检查人员",
        DISCIPLINE: "区纪委监委",
        ADMIN: "系统管理员",
    }

    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=50)

    class Meta:
        verbose_name = "角色"
        verbose_name_plural = "角色"

    def __str__(self):
        return self.name

    @classmethod
    def ensure_all(cls):
        """The nine rows, whatever happened to the table (a migration seeds them; a test flush empties it)."""
        cls.objects.bulk_create([cls(code=c, name=n) for c, n in cls.NAMES.items()], ignore_conflicts=True)


class User(AbstractUser):
    display_name = models.CharField("姓名", max_length=50, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name="所属组织", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    roles = models.ManyToManyField(Role, verbose_name="角色", blank=True, related_name="users")

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self):
        return self.display_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        # Cached per request object: roles are read on every permission check.
        # A role is held for an organisation: without one, a user can act for nobody.
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(r.code for r in self.roles.all()) if self.organisation_id else frozenset()
        return self._role_codes

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        key = secrets.token_urlsafe(32)
        cls.objects.create(user=user, key_hash=cls.hash(key))
        return key
