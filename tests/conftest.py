import datetime
import json
import os
from pathlib import Path

import pytest
from django.test import Client

from zhunru.orgs.models import ApiToken, User

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "test-pass-123"


@pytest.fixture(autouse=True)
def _fast_hashing(settings, tmp_path):
    # Real hashing costs a second per account; the tests check permissions, not PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def putuo(db):
    """Putuo's real structure, the 2025 municipal list and the demo accounts."""
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users

    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)
    return district


@pytest.fixture
def putuo_live(transactional_db, settings):
    """``putuo`` for a live server: committed, so the server thread sees it; today inside the regular window."""
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users

    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)  # the live server thread reads the same settings
    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)  # puts back the roles a transactional flush removed
    return district


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process: Playwright's sync API cannot start a second one inside the first."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # its event loop runs in this thread
    from tests.e2e.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture(scope="session")
def samples() -> dict:
    data = json.loads((ROOT / "data" / "samples" / "applications.json").read_text(encoding="utf-8"))
    return {s["key"]: s for s in data["applications"]}


def body_of(sample: dict) -> dict:
    """A sample as an API body: without the sample file's own keys."""
    return {k: v for k, v in sample.items() if k not in ("key", "expect", "submitted_on", "head_signoff")}


def user(username: str) -> User:
    return User.objects.get(username=username)


class Api:
    """A test client that speaks to /api/v1 as one user, with a bearer token."""

    def __init__(self, username: str):
        self.user = user(username)
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {ApiToken.issue(self.user)}"}

    def _call(self, method, path, body=None, **kw):
        fn = getattr(self.client, method)
        if body is not None:
            kw.update(data=json.dumps(body), content_type="application/json")
        return fn(f"/api/v1{path}", headers=self.headers, **kw)

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)


@pytest.fixture
def api(putuo):
    return Api


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
