"""Settings and health (issue 2 §1): ZHUNRU_TODAY only in demo mode, refused clearly otherwise."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','zhunru.settings'); django.setup(); print('STARTED')"


def _run(env_extra, tmp_path, code=SETUP):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHUNRU_") and k != "DJANGO_SETTINGS_MODULE"}
    env["ZHUNRU_VAR_DIR"] = str(tmp_path)
    env.update(env_extra)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_settings_today_without_demo_refused(tmp_path):
    p = _run({"ZHUNRU_TODAY": "2025-10-20"}, tmp_path)
    assert p.returncode != 0 and "STARTED" not in p.stdout
    assert "ZHUNRU_DEMO" in p.stderr and "ZHUNRU_TODAY" in p.stderr
    assert "ImproperlyConfigured" in p.stderr


@pytest.mark.parametrize("demo", ["0", "false", "", "no"])
def test_settings_today_with_demo_off_values_refused(tmp_path, demo):
    p = _run({"ZHUNRU_TODAY": "2025-10-20", "ZHUNRU_DEMO": demo}, tmp_path)
    assert p.returncode != 0 and "STARTED" not in p.stdout


@pytest.mark.parametrize("value", ["2025-02-30", "yesterday", "2025/10/20", " ", "2025-10-20T00:00"])
def test_settings_bad_today_refused_clearly(tmp_path, value):
    p = _run({"ZHUNRU_TODAY": value, "ZHUNRU_DEMO": "1"}, tmp_path)
    assert p.returncode != 0 and "STARTED" not in p.stdout, (value, p.stdout)
    assert "ZHUNRU_TODAY" in p.stderr and "YYYY-MM-DD" in p.stderr


def test_settings_today_in_demo_mode_is_used(tmp_path):
    p = _run({"ZHUNRU_TODAY": "2025-10-20", "ZHUNRU_DEMO": "1"}, tmp_path,
             SETUP + "; from zhunru import clock; print(clock.today())")
    assert p.returncode == 0, p.stderr
    assert "2025-10-20" in p.stdout


def test_settings_bad_max_upload_bytes_refused_clearly(tmp_path):
    p = _run({"ZHUNRU_MAX_UPLOAD_BYTES": "20MB"}, tmp_path)
    assert p.returncode != 0
    assert "ZHUNRU_MAX_UPLOAD_BYTES" in p.stderr, p.stderr[-500:]


def test_settings_debug_off_by_default(tmp_path):
    p = _run({}, tmp_path, SETUP + "; from django.conf import settings; print('DEBUG', settings.DEBUG)")
    assert "DEBUG False" in p.stdout, p.stderr


def test_healthz_ok(client, db):
    res = client.get("/healthz")
    assert res.status_code == 200
    assert res.json() == {"status": "ok"}


def test_healthz_needs_no_login_and_no_post(client, db):
    assert client.post("/healthz").status_code in (200, 405)
