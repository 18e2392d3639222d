"""Races (R-APP-1, R-PROC-2): exactly one of two conflicting actions wins; the loser gets a clear 4xx; state stays consistent.

Run on SQLite (file, WAL) and on PostgreSQL (DATABASE_URL=postgres://…).
"""

import threading

import pytest
from django.db import connection

from tests.conftest import Api

from .conftest import TODAY


def _race(calls):
    """Run each (username, method, path, body) at the same moment; return their (status, json)."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    apis = [Api(u) for u, *_ in calls]  # tokens issued before the race

    def run(i, api, method, path, body):
        try:
            barrier.wait(timeout=20)
            res = api._call(method, path, body)
            try:
                payload = res.json()
            except Exception:  # noqa: BLE001
                payload = res.content[:300]
            results[i] = (res.status_code, payload)
        except Exception as exc:  # noqa: BLE001
            results[i] = (599, repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, apis[i], m, p, b)) for i, (_, m, p, b) in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def tx_make(transactional_db, settings, samples):
    from tests.conftest import PASSWORD
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users
    from zhunru.orgs.models import Role

    from .conftest import Maker

    settings.ZHUNRU_TODAY = TODAY
    # a transactional test flushes the tables, the data migration's roles included
    for code, name in Role.NAMES.items():
        Role.objects.get_or_create(code=code, defaults={"name": name})
    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)
    return Maker(samples)


def _clear_message(payload):
    return isinstance(payload, dict) and payload.get("errors") and payload["errors"][0]["message"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_race_sign_vs_withdraw_one_wins(tx_make, round_):
    from zhunru.intake.models import Application, NumberCounter

    pk = tx_make.awaiting()
    results = _race([("head_D030", "post", f"/applications/{pk}/sign", None),
                     ("clerk_D030", "post", f"/applications/{pk}/withdraw", None)])
    codes = [r[0] for r in results]
    assert all(c in (200, 409) for c in codes), results
    app = Application.objects.get(pk=pk)
    sign_ok, withdraw_ok = codes[0] == 200, codes[1] == 200
    if sign_ok and not withdraw_ok:
        assert app.status == "submitted" and app.number
    elif withdraw_ok and not sign_ok:
        assert app.status == "withdrawn" and app.number is None  # withdrawn before sign: no number
        assert NumberCounter.objects.filter(last__gt=0).count() == 0
    elif sign_ok and withdraw_ok:
        # serialised: signed first, then withdrawn (allowed before the decision); keeps its number
        assert app.status == "withdrawn" and app.number
    else:
        pytest.fail(f"neither won: {results}")
    for code, payload in results:
        if code == 409:
            assert _clear_message(payload), payload
    from django.core.management import call_command

    call_command("verify_audit")


@pytest.mark.django_db(transaction=True)
def test_race_two_heads_sign_same_application_one_number(tx_make):
    """Two sessions of the head (or two heads of the department) sign at the same moment."""
    from zhunru.intake.models import Application, ApplicationVersion, NumberCounter
    from zhunru.orgs.models import Role, User

    head2 = User.objects.create_user("head2_D030", password="x" * 12, organisation=User.objects.get(username="head_D030").organisation)
    head2.roles.add(Role.objects.get(code=Role.APPLICANT_HEAD))
    pk = tx_make.awaiting()
    results = _race([("head_D030", "post", f"/applications/{pk}/sign", None),
                     ("head2_D030", "post", f"/applications/{pk}/sign", None)])
    codes = sorted(r[0] for r in results)
    assert codes == [200, 409], results
    loser = next(p for c, p in results if c == 409)
    assert _clear_message(loser)
    app = Application.objects.get(pk=pk)
    assert app.status == "submitted" and app.number_seq == 1
    assert NumberCounter.objects.get().last == 1
    assert ApplicationVersion.objects.filter(application=app).count() == 1
    from zhunru.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="application.signed", object_id=str(pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_race_many_signs_distinct_gapless_numbers(tx_make):
    from zhunru.intake.models import Application, NumberCounter

    pks = [tx_make.awaiting() for _ in range(8)]
    results = _race([("head_D030", "post", f"/applications/{pk}/sign", None) for pk in pks])
    assert all(r[0] == 200 for r in results), results
    seqs = sorted(Application.objects.filter(pk__in=pks).values_list("number_seq", flat=True))
    assert seqs == list(range(1, 9))
    assert NumberCounter.objects.get().last == 8


@pytest.mark.django_db(transaction=True)
def test_race_submit_twice_at_once(tx_make):
    from zhunru.audit.models import AuditEvent

    pk = tx_make.draft()
    results = _race([("clerk_D030", "post", f"/applications/{pk}/submit", None)] * 2)
    assert sorted(r[0] for r in results) == [200, 409], results
    assert AuditEvent.objects.filter(action="application.submitted", object_id=str(pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_race_patch_vs_submit_no_lost_or_unchecked_content(tx_make):
    """A PATCH racing the submission either lands before it (and is checked) or is refused 409."""
    from zhunru.intake.models import Application

    pk = tx_make.draft()
    results = _race([("clerk_D030", "post", f"/applications/{pk}/submit", None),
                     ("clerk_D030", "patch", f"/applications/{pk}", {"name": "", "summary": ""})])
    app = Application.objects.get(pk=pk)
    codes = [r[0] for r in results]
    assert all(c in (200, 409, 422) for c in codes), results
    if app.status == "awaiting_signoff":
        # submitted content must be valid: the empty name must not slip in after the check
        assert app.content["name"], "an unchecked PATCH landed on a submitted application"


@pytest.mark.django_db(transaction=True)
def test_race_send_back_vs_sign(tx_make):
    from zhunru.intake.models import Application

    pk = tx_make.awaiting()
    results = _race([("head_D030", "post", f"/applications/{pk}/sign", None),
                     ("head_D030", "post", f"/applications/{pk}/send-back", {"comment": "再改改"})])
    codes = sorted(r[0] for r in results)
    assert codes == [200, 409], results
    app = Application.objects.get(pk=pk)
    assert (app.status == "submitted" and app.number) or (app.status == "draft" and app.number is None)


@pytest.mark.django_db(transaction=True)
def test_race_upload_vs_sign_simplified(tx_make):
    """Removing the only policy document while the head signs a simplified application must not leave a signed one without it."""
    import datetime

    from django.conf import settings

    from zhunru.intake.models import Application, Attachment

    from .conftest import add_pdf

    settings.ZHUNRU_TODAY = datetime.date(2025, 9, 15)  # census-simplified on its own date
    pk = tx_make.draft(dept="D035", key="census-simplified")
    att = add_pdf(pk, username="clerk_D035")
    assert Api("clerk_D035").post(f"/applications/{pk}/submit").status_code == 200
    from django.test import Client

    from tests.conftest import user

    c = Client()
    c.force_login(user("clerk_D035"))
    barrier = threading.Barrier(2)
    out = {}

    def sign():
        api = Api("head_D035")
        barrier.wait()
        out["sign"] = api.post(f"/applications/{pk}/sign").status_code
        connection.close()

    def remove():
        barrier.wait()
        out["remove"] = c.post(f"/applications/{pk}/attachments/{att}/delete").status_code
        connection.close()

    ts = [threading.Thread(target=sign), threading.Thread(target=remove)]
    [t.start() for t in ts]
    [t.join(60) for t in ts]
    app = Application.objects.get(pk=pk)
    if app.status == "submitted":
        assert Attachment.objects.filter(application=app, kind="policy").exists(), out
