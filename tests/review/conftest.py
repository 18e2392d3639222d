"""Shared set-up for the review tests: samples signed on their own submission day, through the intake services."""

import datetime

import pytest

from tests.conftest import Api, body_of, user  # noqa: F401
from zhunru import clock
from zhunru.intake import services as intake
from zhunru.orgs.models import Organisation, Role, User


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def sign_sample(sample: dict, *, on: str | None = None, verbal_report_id: int | None = None, **over):
    """Create, submit and sign one sample as its department's clerk and head, on ``on`` (default: its submitted_on)."""
    dept = Organisation.objects.get(name=sample["department"])
    clerk, head = User.objects.get(username=f"clerk_{dept.code}"), User.objects.get(username=f"head_{dept.code}")
    body = {k: v for k, v in body_of(sample).items() if k != "verbal_report"}
    body.update(over)
    if verbal_report_id:
        body["verbal_report_id"] = verbal_report_id
    with clock.pinned(d(on or sample["submitted_on"])):
        app = intake.create_application(clerk, body)
        intake.submit_application(clerk, app)
        app = intake.sign_application(head, app)
    return app


def add_reviewer(username="reviewer2_D020", name="区民政局审核人二") -> User:
    u = User.objects.create_user(username=username, password="x-pass-12345", display_name=name,
                                 organisation=Organisation.objects.get(code="D020"))
    u.roles.add(Role.REVIEWER)
    return u


@pytest.fixture
def on_day(settings):
    """Sets the system's today for API and page calls: on_day("2025-10-28")."""
    def set_day(text: str):
        settings.ZHUNRU_TODAY = d(text)
        return settings.ZHUNRU_TODAY
    return set_day
