"""Bad input (issue 3): each refused with a clear Chinese message, the right status, and nothing changed."""

import pytest

from tests.conftest import Api
from zhunru.audit.models import AuditEvent
from zhunru.intake.models import Application
from zhunru.review.models import Decision, Invitation, Opinion

from .conftest import sign_sample


def _snapshot(app_id):
    app = Application.objects.get(pk=app_id)
    return (app.status, AuditEvent.objects.count(), Decision.objects.count(), Invitation.objects.count(), Opinion.objects.count())


@pytest.fixture
def health(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    return app


def _chinese(res):
    msg = res.json()["errors"][0]["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in msg), msg
    return msg


def test_r_proc_2_reject_needs_reason(health):
    before = _snapshot(health.pk)
    res = Api("reviewer_D020").post(f"/applications/{health.pk}/decision", {"decision": "reject", "reason": "  "})
    assert res.status_code == 422
    err = res.json()["errors"][0]
    assert err["rule"] == "R-PROC-2" and err["field"] == "reason" and "不同意理由" in _chinese(res)
    assert _snapshot(health.pk) == before


@pytest.mark.parametrize("state", ["withdrawn", "approved", "returned"])
def test_r_proc_2_decision_in_wrong_state_is_409(health, state):
    reviewer = Api("reviewer_D020")
    if state == "withdrawn":
        assert Api("clerk_D030").post(f"/applications/{health.pk}/withdraw").status_code == 200
    elif state == "approved":
        assert reviewer.post(f"/applications/{health.pk}/decision", {"decision": "approve"}).status_code == 200
    else:
        assert reviewer.post(f"/applications/{health.pk}/return", {"comment": "请补充"}).status_code == 200
    before = _snapshot(health.pk)
    res = reviewer.post(f"/applications/{health.pk}/decision", {"decision": "reject", "reason": "理由"})
    assert res.status_code == 409
    msg = _chinese(res)
    assert {"withdrawn": "撤回", "approved": "最终决定", "returned": "退回"}[state] in msg
    assert _snapshot(health.pk) == before
    for path, body in (("invitations", {"kind": "joint_review", "organisations": ["D021"]}), ("return", {"comment": "x"}),
                       ("necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}), ("handover", {"to": "reviewer_D020"})):
        assert reviewer.post(f"/applications/{health.pk}/{path}", body).status_code == 409, path
    assert _snapshot(health.pk) == before


def test_r_proc_2_opinion_from_someone_not_invited(health):
    reviewer = Api("reviewer_D020")
    assert reviewer.post(f"/applications/{health.pk}/invitations", {"kind": "joint_review", "organisations": ["D021"]}).status_code == 201
    before = _snapshot(health.pk)
    # Not invited: cannot even see it.
    res = Api("unit_D023").post(f"/applications/{health.pk}/opinions", {"opinion": "agree"})
    assert res.status_code == 404 and "未找到" in _chinese(res)
    # Sees it (it is theirs) but was not invited.
    res = Api("clerk_D030").post(f"/applications/{health.pk}/opinions", {"opinion": "agree"})
    assert res.status_code == 403 and "未受邀" in _chinese(res)
    # The invited organisation, but a person without the review-unit role (its clerk).
    res = Api("clerk_D021").post(f"/applications/{health.pk}/opinions", {"opinion": "agree"})
    assert res.status_code == 403
    # Another organisation's invitation id.
    inv = Invitation.objects.get(application=health)
    res = Api("unit_D023").post(f"/applications/{health.pk}/opinions", {"opinion": "agree", "invitation_id": inv.pk})
    assert res.status_code == 404
    # no_opinion is the system's alone.
    res = Api("unit_D021").post(f"/applications/{health.pk}/opinions", {"opinion": "no_opinion"})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "opinion" and "系统" in _chinese(res)
    # disagree needs a comment
    res = Api("unit_D021").post(f"/applications/{health.pk}/opinions", {"opinion": "disagree", "comment": ""})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "comment"
    assert _snapshot(health.pk) == before


def test_r_cal_1_invitation_deadline_in_year_without_calendar(api, samples, on_day):
    app = sign_sample(samples["health-elderly"], on="2026-12-28")
    on_day("2026-12-28")
    before = _snapshot(app.pk)
    res = Api("reviewer_D020").post(f"/applications/{app.pk}/invitations", {"kind": "consultation", "organisations": ["S01"], "deadline_days": 5})
    assert res.status_code == 422
    err = res.json()["errors"][0]
    assert err["rule"] == "R-CAL-1" and err["field"] == "deadline_days" and "2027年" in err["message"]
    assert _snapshot(app.pk) == before


@pytest.mark.parametrize("body,field", [
    ({"kind": "joint_review", "organisations": ["S01"]}, "organisations"),  # a street is not a review unit
    ({"kind": "consultation", "organisations": ["D021"]}, "organisations"),  # a department is not consulted
    ({"kind": "joint_review", "organisations": ["D999"]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 0}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 61}, "deadline_days"),
    ({"kind": "cosign", "organisations": ["D021"]}, "kind"),
    ({"kind": "joint_review", "organisations": []}, "organisations"),
])
def test_r_proc_2_bad_invitations_refused(health, body, field):
    before = _snapshot(health.pk)
    res = Api("reviewer_D020").post(f"/applications/{health.pk}/invitations", body)
    assert res.status_code == 422, res.content
    assert field in {e["field"] for e in res.json()["errors"]}
    _chinese(res)
    assert _snapshot(health.pk) == before


def test_r_proc_2_same_organisation_twice_in_one_round_refused(health):
    reviewer = Api("reviewer_D020")
    assert reviewer.post(f"/applications/{health.pk}/invitations", {"kind": "joint_review", "organisations": ["D021"]}).status_code == 201
    before = _snapshot(health.pk)
    res = reviewer.post(f"/applications/{health.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D023"]})
    assert res.status_code == 422 and "本轮已邀请" in _chinese(res)
    assert _snapshot(health.pk) == before


def test_r_proc_2_only_reviewer_acts_and_only_the_holder(health):
    from .conftest import add_reviewer

    for who in ("clerk_D030", "head_D030", "supervisor_D001"):
        res = Api(who).post(f"/applications/{health.pk}/decision", {"decision": "approve"})
        assert res.status_code == 403, who
    assert Api("reviewer_D020").post(f"/applications/{health.pk}/necessity",
                                     {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}).status_code == 200
    add_reviewer()
    res = Api("reviewer2_D020").post(f"/applications/{health.pk}/decision", {"decision": "approve"})
    assert res.status_code == 403 and "转办" in _chinese(res)
    # Hand-over: now the second reviewer holds it.
    assert Api("reviewer_D020").post(f"/applications/{health.pk}/handover", {"to": "nobody"}).status_code == 422
    res = Api("reviewer_D020").post(f"/applications/{health.pk}/handover", {"to": "reviewer2_D020"})
    assert res.status_code == 200 and res.json()["review"]["reviewer"] == "reviewer2_D020"
    assert Api("reviewer_D020").post(f"/applications/{health.pk}/decision", {"decision": "approve"}).status_code == 403
    assert Api("reviewer2_D020").post(f"/applications/{health.pk}/decision", {"decision": "approve"}).status_code == 200


def test_r_proc_2_opinions_are_immutable():
    from zhunru.review.models import ImmutableError, Opinion

    op = Opinion(pk=1)
    with pytest.raises(ImmutableError):
        op.save()
    with pytest.raises(ImmutableError):
        op.delete()


def test_r_proc_2_remind_only_overdue_and_unanswered(health, on_day):
    reviewer = Api("reviewer_D020")
    res = reviewer.post(f"/applications/{health.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D023"], "deadline_days": 2})
    ids = {i["organisation"]: i["id"] for i in res.json()["invitations"]}
    assert res.json()["invitations"][0]["deadline"] == "2025-10-23"
    res = reviewer.post(f"/invitations/{ids['D021']}/remind")
    assert res.status_code == 409 and "尚未逾期" in _chinese(res)
    assert Api("unit_D021").post(f"/applications/{health.pk}/opinions", {"opinion": "agree"}).status_code == 201
    on_day("2025-10-24")
    res = reviewer.post(f"/invitations/{ids['D021']}/remind")
    assert res.status_code == 409 and "已提出意见" in _chinese(res)
    res = reviewer.post(f"/invitations/{ids['D023']}/remind")
    assert res.status_code == 200 and res.json()["reminders"] == 1
    assert Api("unit_D021").post(f"/invitations/{ids['D023']}/remind").status_code == 404
    from zhunru.notifications.models import Notification
    assert Notification.objects.filter(user__username="unit_D023", title__startswith="催办").count() == 1
