"""Telling people what waits for them (R-NOTE-1): in the app always, by email where configured.

A bottom-layer package: callers pass users, a title and the link; nothing here knows about
applications. Emails go out after the caller's transaction commits, so a refused action
never sends one, and a mail server that is down never undoes the action.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

log = logging.getLogger(__name__)


def notify(users, title: str, url: str, body: str = "") -> list[Notification]:
    seen, rows = set(), []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=title[:200], body=body, url=url))
    if not rows:
        return []
    Notification.objects.bulk_create(rows)
    recipients = [(r.user.email, r.pk) for r in rows if r.user.email]
    if recipients:
        transaction.on_commit(lambda: _email(title, body, url, recipients))
    return rows


def _email(title: str, body: str, url: str, recipients: list[tuple[str, int]]):
    base = getattr(settings, "ZHUNRU_SITE_URL", "").rstrip("/")
    text = f"{body}\n\n{base}{url}\n\n（本邮件由居村组织事务准入系统自动发送）".strip()
    for address, note_id in recipients:
        try:
            send_mail(f"【准入系统】{title}", text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # noqa: BLE001 - a mail failure must not break the action that caused it
            log.warning("邮件发送失败：%s", address, exc_info=True)
            continue
        Notification.objects.filter(pk=note_id).update(emailed=True)


def mark_read(user, notification: Notification) -> Notification:
    if notification.user_id != user.pk:
        raise PermissionError("not yours")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
