"""Shared set-up for the adversarial tests: applications in each state, sample files."""

import datetime
import io
import zipfile

import pytest
from django.test import Client

from tests.conftest import PASSWORD, Api, body_of, user  # noqa: F401

TODAY = datetime.date(2025, 10, 20)  # inside the regular window; health-elderly is valid on it


@pytest.fixture
def today(settings):
    settings.ZHUNRU_TODAY = TODAY
    return TODAY


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def page(username: str, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user(username))
    return c


class Maker:
    """Builds D030's (卫健委) health-elderly application in a chosen state, through the API."""

    def __init__(self, samples):
        self.samples = samples

    def body(self, key="health-elderly", **over):
        b = body_of(self.samples[key])
        b.update(over)
        return b

    def draft(self, dept="D030", key="health-elderly", **over):
        res = Api(f"clerk_{dept}").post("/applications", self.body(key, **over))
        assert res.status_code == 201, res.content
        return res.json()["id"]

    def awaiting(self, dept="D030", key="health-elderly", **over):
        pk = self.draft(dept, key, **over)
        res = Api(f"clerk_{dept}").post(f"/applications/{pk}/submit")
        assert res.status_code == 200, res.content
        return pk

    def signed(self, dept="D030", key="health-elderly", **over):
        pk = self.awaiting(dept, key, **over)
        res = Api(f"head_{dept}").post(f"/applications/{pk}/sign")
        assert res.status_code == 200, res.content
        return pk


@pytest.fixture
def make(putuo, samples, today):
    return Maker(samples)


def add_pdf(app_id, username="clerk_D030", name="policy.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    res = Api(username).post(f"/applications/{app_id}/attachments",
                             data={"file": SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf"), "kind": "policy"})
    assert res.status_code == 201, res.content
    return res.json()["id"]


@pytest.fixture
def live(transactional_db, settings, samples):
    """Committed Putuo data for tests whose threads each open their own connection."""
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users

    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)  # puts the roles back after a transactional flush
    settings.ZHUNRU_TODAY = TODAY
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return Maker(samples)


def race(*actions):
    """Run the actions at the same moment, each in its own thread: [("ok", result) | ("crash", repr)]."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001 - reported by the caller's assertion
            results[i] = ("crash", repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results
