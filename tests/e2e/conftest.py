"""Browser tests: a live server over committed data, and one Chromium per test session."""

import datetime
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from tests.conftest import PASSWORD  # noqa: E402

from .browser import chromium  # noqa: E402

TODAY = datetime.date(2025, 10, 20)  # inside the regular window: its last day is 2025-12-31


@pytest.fixture
def putuo_live(transactional_db, settings):
    """The ``putuo`` fixture for a live server: committed, so the server thread sees it.

    A transactional test empties every table afterwards, the roles of the data migration
    included, so they are put back first.
    """
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users
    from zhunru.orgs.models import Role

    for code, name in Role.NAMES.items():
        Role.objects.update_or_create(code=code, defaults={"name": name})
    settings.ZHUNRU_TODAY = TODAY  # the live server thread reads the same settings
    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)
    return district


@pytest.fixture(scope="session")
def browser():
    with chromium() as b:
        yield b
