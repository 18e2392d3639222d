"""The review hears of a new signed version (first submission or resubmission) and tells the reviewer."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from zhunru.intake.models import ApplicationVersion
from zhunru.notifications.services import notify


@receiver(post_save, sender=ApplicationVersion, dispatch_uid="review.version_signed")
def version_signed(sender, instance: ApplicationVersion, created: bool, **kwargs):
    if not created or kwargs.get("raw"):
        return
    from .services import _reviewers_to_tell

    app = instance.application
    what = "重新提交（修改后）" if instance.version > 1 else "提交"
    notify(_reviewers_to_tell(app), f"待审核：{app.department.name}{what}申请{app.number}“{app.name}”",
           reverse("review_desk", args=[app.pk]), body=f"第{instance.version}版，{instance.signed_on:%Y-%m-%d}签发")
