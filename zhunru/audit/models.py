"""The append-only, hash-chained event log (R-AUD-1). One chain per district."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class AppendOnlyError(RuntimeError):
    pass


class AuditQuerySet(models.QuerySet):
    """Bulk writes bypass Model.save/delete; refuse them too."""

    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("审计日志只能追加，不能修改")


class ChainHead(models.Model):
    """The last link of a district's chain; locked by each append so links never fork."""

    district = models.OneToOneField("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)


class AuditEvent(models.Model):
    district = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveBigIntegerField()
    at = models.DateTimeField()
    actor = models.CharField("操作人", max_length=150)
    role = models.CharField("角色", max_length=100, blank=True)
    organisation = models.CharField("组织", max_length=100, blank=True)
    action = models.CharField("操作", max_length=64)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    changes = models.JSONField("变更内容", default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["district", "seq"]
        constraints = [models.UniqueConstraint(fields=["district", "seq"], name="audit_seq_unique")]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def payload(self) -> str:
        """The canonical text the hash covers: every field but the hash itself."""
        return json.dumps(
            {
                "district": self.district_id,
                "seq": self.seq,
                "at": self.at.isoformat(),
                "actor": self.actor,
                "role": self.role,
                "organisation": self.organisation,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": str(self.object_id),
                "changes": self.changes,
                "prev_hash": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            cls=DjangoJSONEncoder,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除")
