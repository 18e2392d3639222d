"""Start-up configuration, health, admin and the demo loader."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _start(env_extra):
    env = {k: v for k, v in os.environ.items() if k not in ("ZHUNRU_DEMO", "ZHUNRU_TODAY")}
    env.update(env_extra)
    code = "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhunru.settings'); django.setup(); print('started')"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_zhunru_today_refused_outside_demo_mode():
    out = _start({"ZHUNRU_TODAY": "2025-10-20"})
    assert out.returncode != 0 and "ZHUNRU_TODAY 只能在演示模式" in out.stderr
    assert "started" in _start({"ZHUNRU_TODAY": "2025-10-20", "ZHUNRU_DEMO": "1"}).stdout
    bad = _start({"ZHUNRU_TODAY": "2025-13-01", "ZHUNRU_DEMO": "1"})
    assert bad.returncode != 0 and "YYYY-MM-DD" in bad.stderr


@pytest.mark.django_db
def test_healthz(client):
    res = client.get("/healthz")
    assert res.status_code == 200 and res.json() == {"status": "ok"}


def test_openapi_lists_the_endpoints(client, db):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/auth/token", "/api/v1/applications", "/api/v1/applications/{app_id}", "/api/v1/applications/check",
                 "/api/v1/applications/{app_id}/submit", "/api/v1/applications/{app_id}/sign", "/api/v1/applications/{app_id}/withdraw",
                 "/api/v1/applications/{app_id}/form.docx", "/api/v1/workdays"):
        assert path in spec["paths"], path


def test_admin_is_in_chinese_for_the_admin_role(client, putuo):
    from tests.conftest import user

    client.force_login(user("admin"))
    html = client.get("/admin/").content.decode()
    assert "组织" in html and "工作日调整" in html and "区准入设置" in html and "用户" in html
    assert client.get("/admin/workdays/calendarday/add/").status_code == 200
    client.force_login(user("clerk_D030"))
    assert client.get("/admin/").status_code == 302  # not staff: to the login page


@pytest.mark.django_db
def test_demo_loader_is_idempotent(settings):
    from django.core.management import call_command

    from zhunru.intake.models import Application
    from zhunru.orgs.models import Organisation, OrgKind, User

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    os.environ.setdefault("ZHUNRU_DEMO_PASSWORD", "demo-test-pass")
    call_command("load_demo", stdout=open(os.devnull, "w"))
    counts = (Organisation.objects.count(), User.objects.count(), Application.objects.count())
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert (Organisation.objects.count(), User.objects.count(), Application.objects.count()) == counts
    assert Organisation.objects.filter(kind=OrgKind.DEPARTMENT).count() == 50
    assert Organisation.objects.filter(kind=OrgKind.STREET).count() == 10
    assert Organisation.objects.filter(kind=OrgKind.COMMITTEE).count() == 284
    assert Organisation.objects.filter(kind=OrgKind.DEPARTMENT, is_review_unit=True).count() == 6
    assert Application.objects.filter(number__isnull=False).count() == 5
    for name in ("clerk_D030", "head_D030", "reviewer_D020", "unit_D021", "street_S01", "committee_S01C001", "supervisor_D001", "discipline_D012", "admin"):
        assert User.objects.filter(username=name).exists(), name
