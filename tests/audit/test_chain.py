"""R-AUD-1: every state change is an event, chained by hash; verify_audit finds the first broken one."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.conftest import body_of, user
from zhunru.audit.models import AppendOnlyError, AuditEvent
from zhunru.intake import services


@pytest.fixture
def history(putuo, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)
    clerk, head = user("clerk_D030"), user("head_D030")
    app = services.create_application(clerk, body_of(samples["health-elderly"]))
    services.submit_application(clerk, app)
    services.sign_application(head, app)
    services.withdraw_application(clerk, app)
    return app


def test_r_aud_1_each_state_change_is_an_event(history):
    events = list(AuditEvent.objects.filter(object_type="Application", object_id=str(history.pk)).order_by("seq"))
    assert [e.action for e in events] == ["application.created", "application.submitted", "application.signed", "application.withdrawn"]
    signed = events[2]
    assert signed.actor == "head_D030" and signed.role == "applicant_head" and signed.organisation == "D030"
    assert signed.changes["status"] == ["awaiting_signoff", "submitted"] and signed.changes["number"] == "普准申〔2025〕1号"
    assert all(e.prev_hash == p.hash for p, e in zip(events, events[1:], strict=False))
    call_command("verify_audit")


def test_r_aud_1_append_only_through_the_orm(history):
    event = AuditEvent.objects.first()
    event.actor = "someone"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_r_aud_1_edit_behind_the_systems_back_is_found(history):
    target = AuditEvent.objects.get(action="application.signed")
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = %s WHERE id = %s", ["head_D035", target.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    from zhunru.audit.services import verify_chain

    (broken,) = verify_chain()
    assert broken.event_id == target.pk and broken.seq == target.seq


def test_r_aud_1_deleted_entries_are_found(history):
    from zhunru.audit.services import verify_chain

    last = AuditEvent.objects.order_by("-seq").first()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    assert verify_chain() and "缺失" in verify_chain()[0].reason
