"""Every invitation, opinion, reminder, hand-over, return and decision is an audit event; verify_audit still
holds, and finds a row edited behind the system's back (R-AUD-1)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.conftest import Api
from zhunru.audit.models import AuditEvent

from .conftest import add_reviewer, sign_sample


def test_r_aud_1_review_actions_are_audited_and_tampering_is_found(api, samples, on_day, capsys):
    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    add_reviewer()
    r = Api("reviewer_D020")
    r.post(f"/applications/{app.pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"})
    inv = r.post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D023"], "deadline_days": 1}).json()
    Api("unit_D021").post(f"/applications/{app.pk}/opinions", {"opinion": "comment", "comment": "请明确分工"})
    on_day("2025-10-23")
    d023 = next(i["id"] for i in inv["invitations"] if i["organisation"] == "D023")
    assert r.post(f"/invitations/{d023}/remind").status_code == 200
    assert r.post(f"/applications/{app.pk}/return", {"comment": "请修改"}).status_code == 200
    Api("clerk_D030").post(f"/applications/{app.pk}/submit")
    Api("head_D030").post(f"/applications/{app.pk}/sign")
    assert r.post(f"/applications/{app.pk}/handover", {"to": "reviewer2_D020"}).status_code == 200
    assert Api("reviewer2_D020").post(f"/applications/{app.pk}/decision",
                                      {"decision": "approve", "override_reason": "区人社局逾期未答复，已催办"}).status_code == 200
    actions = list(AuditEvent.objects.filter(object_type="Application", object_id=str(app.pk)).values_list("action", flat=True))
    for action in ("review.necessity_recorded", "review.invited", "review.opinion_given", "review.reminded", "review.returned",
                   "review.handed_over", "review.decided"):
        assert action in actions, action
    assert actions.count("review.invited") == 2
    decided = AuditEvent.objects.get(action="review.decided")
    assert decided.actor == "reviewer2_D020" and decided.organisation == "D020" and "reviewer" in decided.role
    assert decided.changes["status"] == ["submitted", "approved"] and decided.changes["outstanding"] == ["区人力资源和社会保障局"]

    call_command("verify_audit")
    assert "校验通过" in capsys.readouterr().out

    # Someone edits the decision's audit row directly in the database.
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET changes = %s WHERE id = %s",
                    ['{"status": ["in_review", "rejected"]}', decided.pk])
    with pytest.raises(CommandError):
        call_command("verify_audit")
    err = capsys.readouterr().err
    assert f"第 {decided.seq} 条" in err and "被修改" in err
