"""The one place that says what day it is.

Demo mode may pin it for the whole process (ZHUNRU_TODAY, see settings); ``pinned`` fixes it
for a block of code, so the demo loader can replay each sample on the day it was submitted.
"""

import contextlib
import contextvars
import datetime

from django.conf import settings
from django.utils import timezone

_pinned: contextvars.ContextVar[datetime.date | None] = contextvars.ContextVar("zhunru_today", default=None)


def today() -> datetime.date:
    if _pinned.get() is not None:
        return _pinned.get()
    if settings.ZHUNRU_TODAY:
        return settings.ZHUNRU_TODAY
    return timezone.localdate()


@contextlib.contextmanager
def pinned(day: datetime.date):
    token = _pinned.set(day)
    try:
        yield
    finally:
        _pinned.reset(token)
