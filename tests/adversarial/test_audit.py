"""R-AUD-1: every state change writes an event with actor, role, organisation; tampering is detected by verify_audit."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tests.conftest import Api

from .conftest import add_pdf, page


def _events(pk):
    from zhunru.audit.models import AuditEvent

    return list(AuditEvent.objects.filter(object_type="Application", object_id=str(pk)).order_by("seq"))


def test_r_aud_1_every_state_change_is_an_event(make):
    pk = make.draft()
    att = add_pdf(pk)
    c = page("clerk_D030")
    assert c.post(f"/applications/{pk}/attachments/{att}/delete").status_code == 302
    api = Api("clerk_D030")
    assert api.post(f"/applications/{pk}/submit").status_code == 200
    assert Api("head_D030").post(f"/applications/{pk}/send-back", {"comment": "补充材料"}).status_code == 200
    assert api.post(f"/applications/{pk}/submit").status_code == 200
    assert Api("head_D030").post(f"/applications/{pk}/sign").status_code == 200
    assert api.post(f"/applications/{pk}/withdraw").status_code == 200
    events = _events(pk)
    actions = [e.action for e in events]
    assert actions == ["application.created", "attachment.added", "attachment.removed", "application.submitted",
                       "application.sent_back", "application.submitted", "application.signed", "application.withdrawn"], actions
    for e in events:
        assert e.actor and e.role and e.organisation == "D030", (e.action, e.actor, e.role, e.organisation)
        assert e.at is not None
    by = {e.action: e for e in events}
    assert by["application.signed"].actor == "head_D030" and "applicant_head" in by["application.signed"].role
    assert by["application.created"].actor == "clerk_D030" and "applicant" in by["application.created"].role
    assert by["application.signed"].changes["number"]
    assert by["application.sent_back"].changes["comment"] == "补充材料"
    call_command("verify_audit")


def test_r_aud_1_draft_edits_leave_a_trace(make):
    """'what changed' (R-AUD-1): a PATCH of a draft changes state that must be recoverable."""
    pk = make.draft()
    before = len(_events(pk))
    Api("clerk_D030").patch(f"/applications/{pk}", {"name": "改过的名称"})
    from zhunru.intake.models import Application

    assert Application.objects.get(pk=pk).name == "改过的名称"
    events = _events(pk)
    # either an event per save, or the submission's fingerprint; at least submission records content
    assert Api("clerk_D030").post(f"/applications/{pk}/submit").status_code == 200
    events = _events(pk)
    assert len(events) > before
    assert events[-1].changes.get("content_sha256")


def test_r_aud_1_refused_actions_write_no_event(make):
    pk = make.signed()
    n = len(_events(pk))
    Api("head_D030").post(f"/applications/{pk}/sign")
    Api("clerk_D030").patch(f"/applications/{pk}", {"name": "x"})
    Api("clerk_D035").post(f"/applications/{pk}/withdraw")
    assert len(_events(pk)) == n
    call_command("verify_audit")


def test_r_aud_1_verbal_report_is_audited(make):
    res = Api("reviewer_D020").post("/verbal-reports", {"department": "D030", "on": "2025-10-20", "by": "张三", "channel": "phone", "content": "台风"})
    assert res.status_code == 201, res.content
    from zhunru.audit.models import AuditEvent

    e = AuditEvent.objects.filter(action="verbal_report.recorded").get()
    assert e.actor == "reviewer_D020" and "reviewer" in e.role and e.organisation == "D020"


def _tamper_setup(make):
    from zhunru.audit.models import AuditEvent

    make.signed()
    make.signed()
    events = list(AuditEvent.objects.order_by("district_id", "seq"))
    assert len(events) >= 4
    call_command("verify_audit")
    return events


def _verify_fails_naming(event_seq, capsys=None):
    import io

    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_audit", stderr=err)
    text = err.getvalue()
    assert f"第 {event_seq} 条" in text, text
    return text


def test_r_aud_1_raw_sql_edit_detected(make):
    events = _tamper_setup(make)
    victim = events[1]
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = %s WHERE id = %s", ["mallory", victim.pk])
    _verify_fails_naming(victim.seq)


def test_r_aud_1_raw_sql_edit_of_changes_detected(make):
    events = _tamper_setup(make)
    signed = [e for e in events if e.action == "application.signed"][0]
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET changes = %s WHERE id = %s", ['{"number": "伪造"}', signed.pk])
    _verify_fails_naming(signed.seq)


def test_r_aud_1_rehash_of_edited_row_still_detected(make):
    """An attacker who edits a row and recomputes its hash breaks the next row's link."""
    from zhunru.audit.models import AuditEvent

    events = _tamper_setup(make)
    victim = AuditEvent.objects.get(pk=events[1].pk)
    victim.actor = "mallory"
    new_hash = victim.compute_hash()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditevent SET actor = %s, hash = %s WHERE id = %s", ["mallory", new_hash, victim.pk])
    _verify_fails_naming(events[2].seq)


def test_r_aud_1_delete_middle_row_detected(make):
    events = _tamper_setup(make)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    _verify_fails_naming(events[2].seq)


def test_r_aud_1_delete_last_row_detected(make):
    events = _tamper_setup(make)
    last = events[-1]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    _verify_fails_naming(last.seq)


def test_r_aud_1_delete_last_row_and_rewind_head_detected(make):
    """Deleting the last row and rewinding the chain head in step must still be caught, or the log is not tamper-evident."""
    events = _tamper_setup(make)
    last, prev = events[-1], events[-2]
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
        cur.execute("UPDATE audit_chainhead SET seq = %s, hash = %s WHERE district_id = %s", [prev.seq, prev.hash, last.district_id])
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_r_aud_1_delete_first_row_detected(make):
    events = _tamper_setup(make)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    _verify_fails_naming(events[1].seq)


def test_r_aud_1_delete_everything_detected(make):
    _tamper_setup(make)
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent")
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_r_aud_1_orm_refuses_update_and_delete(make):
    from zhunru.audit.models import AppendOnlyError, AuditEvent

    events = _tamper_setup(make)
    e = AuditEvent.objects.get(pk=events[0].pk)
    e.actor = "x"
    with pytest.raises(AppendOnlyError):
        e.save()
    with pytest.raises(AppendOnlyError):
        e.delete()


def test_r_aud_1_queryset_update_and_delete_refused(make):
    """Bulk QuerySet.update()/delete() bypass Model.save/delete: they must be refused too (append-only)."""
    from zhunru.audit.models import AppendOnlyError, AuditEvent

    _tamper_setup(make)
    with pytest.raises((AppendOnlyError, DatabaseError)):
        with transaction.atomic():
            AuditEvent.objects.all().update(actor="mallory")
    with pytest.raises((AppendOnlyError, DatabaseError)):
        with transaction.atomic():
            AuditEvent.objects.all().delete()


def test_r_aud_1_admin_cannot_change_or_delete_events(make):
    from zhunru.audit.models import AuditEvent

    events = _tamper_setup(make)
    c = page("admin")
    pk = events[0].pk
    r = c.post(f"/admin/audit/auditevent/{pk}/change/", {"actor": "mallory"})
    assert AuditEvent.objects.get(pk=pk).actor != "mallory"
    r = c.post(f"/admin/audit/auditevent/{pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=pk).exists(), r.status_code
    call_command("verify_audit")
