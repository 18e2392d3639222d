"""Adversarial tests of the review (issue 3): scoping, bad input, concurrency, audit.

Each test asserts what SHOULD happen (SPEC Standards): another organisation's object is 404; bad input is a
clear Chinese 4xx naming the field and rule, never a 500, and nothing is half-changed.
"""

import json
import re

import pytest

from tests.conftest import PASSWORD, Api, user  # noqa: F401
from zhunru.audit.models import AuditEvent
from zhunru.intake.models import Application, Status
from zhunru.orgs.models import Organisation, OrgKind, Role, User
from zhunru.review.models import Decision, Invitation, Opinion, ReturnForRevision, ReviewCase

from .conftest import TODAY, page, race

CJK = re.compile(r"[\u4e00-\u9fff]")
REVIEWER = "reviewer_D020"


# ---------------------------------------------------------------------------- helpers


def snapshot(app_id):
    """Everything a review action may write, to prove nothing changed."""
    app = Application.objects.get(pk=app_id)
    case = ReviewCase.objects.filter(application_id=app_id).values("reviewer_id", "legality", "necessity_comment").first()
    return {
        "status": app.status,
        "invitations": Invitation.objects.filter(application_id=app_id).count(),
        "opinions": Opinion.objects.filter(invitation__application_id=app_id).count(),
        "returns": ReturnForRevision.objects.filter(application_id=app_id).count(),
        "decisions": Decision.objects.filter(application_id=app_id).count(),
        "case": case,
        "audit": AuditEvent.objects.count(),
    }


def assert_clear_4xx(res, field=None, statuses=(400, 409, 422)):
    assert res.status_code in statuses, (res.status_code, res.content[:500])
    body = res.json()
    assert body["errors"], body
    messages = " ".join(e["message"] for e in body["errors"])
    assert CJK.search(messages), messages
    if field is not None:
        assert any(e.get("field") == field or field in (e.get("message") or "") for e in body["errors"]), (field, body)
    return body


def invite(app_id, kind, orgs, days=5, **extra):
    res = Api(REVIEWER).post(f"/applications/{app_id}/invitations", {"kind": kind, "organisations": orgs, "deadline_days": days, **extra})
    assert res.status_code == 201, res.content
    body = res.json()
    return {i["organisation"]: i["id"] for i in body["invitations"]}


def second_district():
    """Another district with its own civil-affairs bureau, a reviewer, a review unit and a committee."""
    city = Organisation.objects.get(kind=OrgKind.CITY)
    dist = Organisation.objects.create(code="X310", name="某某区", kind=OrgKind.DISTRICT, parent=city)
    dist.district = dist
    dist.save()
    bureau = Organisation.objects.create(code="X310D020", name="某某区民政局", kind=OrgKind.DEPARTMENT, parent=dist, district=dist, is_lead=True)
    unit = Organisation.objects.create(code="X310D021", name="某某区司法局", kind=OrgKind.DEPARTMENT, parent=dist, district=dist, is_review_unit=True)
    street = Organisation.objects.create(code="X310S01", name="某某街道", kind=OrgKind.STREET, parent=dist, district=dist)
    reviewer = User.objects.create_user(username="reviewer_X310", password=PASSWORD, display_name="外区审核人", organisation=bureau)
    reviewer.roles.add(Role.REVIEWER)
    u = User.objects.create_user(username="unit_X310D021", password=PASSWORD, display_name="外区审核单位", organisation=unit)
    u.roles.add(Role.REVIEW_UNIT)
    s = User.objects.create_user(username="street_X310S01", password=PASSWORD, display_name="外区街道", organisation=street)
    s.roles.add(Role.STREET)
    return reviewer


# ---------------------------------------------------------------------------- scoping


@pytest.mark.parametrize("intruder", ["unit_D023", "street_S02", "committee_S01C001", "clerk_D035", "unit_D001"])
def test_uninvited_cannot_read_or_answer_invitation(make, intruder):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"]) | invite(pk, "consultation", ["S01"])
    before = snapshot(pk)
    api = Api(intruder)
    assert api.get(f"/applications/{pk}").status_code == 404
    assert api.get(f"/applications/{pk}/form.docx").status_code == 404
    res = api.post(f"/applications/{pk}/opinions", {"opinion": "agree", "comment": "x"})
    assert res.status_code == 404, (intruder, res.status_code, res.content[:300])
    for inv in invs.values():
        res = api.post(f"/applications/{pk}/opinions", {"opinion": "agree", "comment": "x", "invitation_id": inv})
        assert res.status_code == 404, (intruder, res.status_code, res.content[:300])
        assert api.post(f"/invitations/{inv}/remind").status_code == 404
    c = page(intruder)
    assert c.get(f"/review/{pk}/").status_code == 404
    assert c.get(f"/applications/{pk}/").status_code == 404
    for inv in invs.values():
        assert c.get(f"/review/invitations/{inv}/").status_code == 404
        assert c.post(f"/review/invitations/{inv}/", {"opinion": "agree", "comment": "x"}).status_code == 404
        assert c.post(f"/review/invitations/{inv}/remind").status_code == 404
    assert str(pk) not in json.dumps(api.get("/todo").json())
    assert snapshot(pk) == before


def test_invited_unit_cannot_read_other_application_of_same_department(make):
    first = make.signed()
    second = make.signed(name="另一项卫健委任务")
    invite(first, "joint_review", ["D021"])
    api = Api("unit_D021")
    assert api.get(f"/applications/{first}").status_code == 200
    for path in (f"/applications/{second}", f"/applications/{second}/form.docx"):
        assert api.get(path).status_code == 404, path
    assert api.post(f"/applications/{second}/opinions", {"opinion": "agree"}).status_code == 404
    ids = [a["id"] for a in api.get("/applications").json()["results"]]
    assert second not in ids
    c = page("unit_D021")
    assert c.get(f"/applications/{second}/").status_code == 404
    assert c.get(f"/review/{second}/").status_code == 404


def test_invited_unit_cannot_change_the_application(make):
    """Read it, yes; touch it, no (and with a refusal, not a change)."""
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    api = Api("unit_D021")
    for method, path, body in [("patch", f"/applications/{pk}", {"name": "改名"}), ("post", f"/applications/{pk}/withdraw", None),
                               ("post", f"/applications/{pk}/decision", {"decision": "approve"}),
                               ("post", f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["D023"]}),
                               ("post", f"/applications/{pk}/return", {"comment": "退"}),
                               ("post", f"/applications/{pk}/handover", {"to": REVIEWER})]:
        res = api._call(method, path, body)
        assert res.status_code in (403, 404, 409), (path, res.status_code, res.content[:300])
    assert Application.objects.get(pk=pk).name != "改名"
    assert snapshot(pk) == before


def test_unit_cannot_answer_invitation_addressed_to_another_unit(make):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021", "D023"])
    before = snapshot(pk)
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "disagree", "comment": "冒名", "invitation_id": invs["D023"]})
    assert res.status_code in (403, 404), res.content
    assert CJK.search(res.json()["errors"][0]["message"])
    c = page("unit_D021")
    assert c.post(f"/review/invitations/{invs['D023']}/", {"opinion": "disagree", "comment": "冒名"}).status_code == 404
    assert snapshot(pk) == before
    assert not Opinion.objects.filter(invitation_id=invs["D023"]).exists()


def test_invitation_id_of_another_application_is_refused(make):
    first, second = make.signed(), make.signed(name="另一项卫健委任务")
    a = invite(first, "joint_review", ["D021"])
    invite(second, "joint_review", ["D021"])
    before = snapshot(second)
    res = Api("unit_D021").post(f"/applications/{second}/opinions", {"opinion": "agree", "invitation_id": a["D021"]})
    assert res.status_code in (404, 422), res.content
    assert snapshot(second) == before
    assert not Opinion.objects.filter(invitation_id=a["D021"]).exists()


@pytest.mark.parametrize("who", ["clerk_D030", "head_D030"])
def test_applicant_cannot_take_reviewer_actions(make, who):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    api = Api(who)
    calls = [
        (f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}),
        (f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["D023"]}),
        (f"/applications/{pk}/return", {"comment": "自己退回"}),
        (f"/applications/{pk}/decision", {"decision": "approve", "override_reason": "自批"}),
        (f"/applications/{pk}/handover", {"to": REVIEWER}),
        (f"/applications/{pk}/opinions", {"opinion": "agree"}),
        (f"/invitations/{invs['D021']}/remind", None),
    ]
    for path, body in calls:
        res = api.post(path, body)
        assert res.status_code in (403, 404), (who, path, res.status_code, res.content[:300])
        assert CJK.search(res.json()["errors"][0]["message"])
    c = page(who)
    for url, data in [(f"/review/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}),
                      (f"/review/{pk}/invite", {"kind": "joint_review", "organisations": ["D023"]}),
                      (f"/review/{pk}/return", {"comment": "x"}), (f"/review/{pk}/decide", {"decision": "approve", "override_reason": "x"}),
                      (f"/review/{pk}/handover", {"to": REVIEWER})]:
        res = c.post(url, data)
        assert res.status_code in (302, 403, 404), (url, res.status_code)
    assert snapshot(pk) == before


def test_reviewer_of_another_district_sees_nothing(make):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"])
    second_district()
    before = snapshot(pk)
    api = Api("reviewer_X310")
    assert api.get(f"/applications/{pk}").status_code == 404
    assert api.get(f"/applications/{pk}/form.docx").status_code == 404
    for path, body in [
        (f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}),
        (f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["X310D021"]}),
        (f"/applications/{pk}/opinions", {"opinion": "agree"}),
        (f"/applications/{pk}/return", {"comment": "外区退回"}),
        (f"/applications/{pk}/decision", {"decision": "reject", "reason": "外区否决", "override_reason": "x"}),
        (f"/applications/{pk}/handover", {"to": "reviewer_X310"}),
        (f"/invitations/{invs['D021']}/remind", None),
    ]:
        res = api.post(path, body)
        assert res.status_code == 404, (path, res.status_code, res.content[:300])
    assert pk not in [a["id"] for a in api.get("/applications").json()["results"]]
    assert str(pk) not in json.dumps(api.get("/todo").json())
    c = page("reviewer_X310")
    assert c.get(f"/review/{pk}/").status_code == 404
    assert c.get(f"/review/invitations/{invs['D021']}/").status_code == 404
    assert f"/review/{pk}/" not in c.get("/review/").content.decode()
    assert snapshot(pk) == before


def test_cannot_invite_organisations_of_another_district(make):
    pk = make.signed()
    second_district()
    before = snapshot(pk)
    for kind, org in (("joint_review", "X310D021"), ("consultation", "X310S01")):
        res = Api(REVIEWER).post(f"/applications/{pk}/invitations", {"kind": kind, "organisations": [org]})
        assert_clear_4xx(res, "organisations", (422,))
    assert snapshot(pk) == before


@pytest.mark.parametrize("to", ["nobody", "unit_D021", "clerk_D030", "supervisor_D001", "", "   ", REVIEWER, "reviewer_X310", "a\x00b", "x" * 5000])
def test_handover_to_non_reviewer_or_unknown_is_refused(make, to):
    pk = make.signed()
    second_district()
    Api(REVIEWER).post(f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"})
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/handover", {"to": to})
    assert_clear_4xx(res, "to", (422,))
    assert snapshot(pk) == before
    assert ReviewCase.objects.get(application_id=pk).reviewer.username == REVIEWER


def test_handover_to_inactive_reviewer_is_refused(make):
    pk = make.signed()
    u = User.objects.create_user(username="reviewer_gone", password=PASSWORD, organisation=Organisation.objects.get(code="D020"), is_active=False)
    u.roles.add(Role.REVIEWER)
    res = Api(REVIEWER).post(f"/applications/{pk}/handover", {"to": "reviewer_gone"})
    assert_clear_4xx(res, "to", (422,))


def test_remind_not_overdue_is_409(make):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"], days=5)
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/invitations/{invs['D021']}/remind")
    assert_clear_4xx(res, statuses=(409,))
    assert Invitation.objects.get(pk=invs["D021"]).reminders == 0
    assert snapshot(pk) == before


def test_remind_answered_invitation_is_409(make, settings):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"], days=1)
    Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "agree"})
    settings.ZHUNRU_TODAY = TODAY.replace(day=30)
    res = Api(REVIEWER).post(f"/invitations/{invs['D021']}/remind")
    assert_clear_4xx(res, statuses=(409,))


def test_remind_unknown_invitation_is_404(make):
    assert Api(REVIEWER).post("/invitations/99999999/remind").status_code == 404


# ---------------------------------------------------------------------------- bad input: invitations


BAD_INVITATIONS = [
    ({"kind": "joint_review", "organisations": []}, "organisations"),
    ({"kind": "joint_review", "organisations": [""]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["NOPE"]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["D021", "NOPE"]}, "organisations"),
    ({"kind": "consultation", "organisations": ["D030"]}, "organisations"),
    ({"kind": "consultation", "organisations": ["D021"]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["S01C001"]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["S01"]}, "organisations"),
    ({"kind": "joint_review", "organisations": ["D030"]}, "organisations"),
    ({"kind": "joint_review", "organisations": "D021"}, "organisations"),
    ({"kind": "joint_review", "organisations": [None]}, "organisations[0]"),
    ({"kind": "joint_review", "organisations": [{"code": "D021"}]}, "organisations[0]"),
    ({"kind": "joint_review", "organisations": ["D0\x0021\x00x"]}, "organisations"),  # NUL is dropped: "D021x" is unknown
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 0}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": -1}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 100000}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 10 ** 30}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": "abc"}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": None}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": True}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "deadline_days": 2.5}, "deadline_days"),
    ({"kind": "joint_review", "organisations": ["D021"], "silence_means_no_opinion": "maybe"}, "silence_means_no_opinion"),
    ({"kind": "unknown", "organisations": ["D021"]}, "kind"),
    ({"kind": "", "organisations": ["D021"]}, "kind"),
    ({"organisations": ["D021"]}, "kind"),
    ({"kind": "joint_review"}, "organisations"),
]


@pytest.mark.parametrize("body,field", BAD_INVITATIONS, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD_INVITATIONS)])
def test_bad_invitation_is_refused_and_nothing_changes(make, body, field):
    pk = make.signed()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/invitations", body)
    assert_clear_4xx(res, field, (422,))
    assert snapshot(pk) == before


def test_duplicate_invitation_in_one_body_creates_one(make):
    pk = make.signed()
    res = Api(REVIEWER).post(f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D021", "区司法局"]})
    assert res.status_code in (201, 422), res.content
    assert Invitation.objects.filter(application_id=pk).count() <= 1


def test_invitation_twice_in_same_round_is_refused(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["D023", "D021"]})
    assert_clear_4xx(res, "organisations", (409, 422))
    assert snapshot(pk) == before


@pytest.mark.parametrize("days", ["0", "-1", "100000", "abc", ""])
def test_bad_invitation_on_the_page_changes_nothing(make, days):
    pk = make.signed()
    before = snapshot(pk)
    c = page(REVIEWER)
    res = c.post(f"/review/{pk}/invite", {"kind": "joint_review", "organisations": ["D021"], "deadline_days": days}, follow=True)
    assert res.status_code == 200
    if days == "":
        return  # an empty field may reasonably mean the default
    assert "答复期限" in res.content.decode()
    assert snapshot(pk) == before


# ---------------------------------------------------------------------------- bad input: opinions


BAD_OPINIONS = [
    ({"opinion": "no_opinion"}, "opinion"),
    ({"opinion": "maybe"}, "opinion"),
    ({"opinion": ""}, "opinion"),
    ({"opinion": None}, "opinion"),
    ({"opinion": 1}, "opinion"),
    ({}, "opinion"),
    ({"opinion": "disagree"}, "comment"),
    ({"opinion": "disagree", "comment": "   \n\t"}, "comment"),
    ({"opinion": "comment", "comment": ""}, "comment"),
    ({"opinion": "agree", "comment": ["a"]}, "comment"),
    ({"opinion": "agree", "invitation_id": "abc"}, "invitation_id"),
    ({"opinion": "agree", "invitation_id": 99999999}, "invitation_id"),
    ({"opinion": "agree", "invitation_id": -1}, "invitation_id"),
]


@pytest.mark.parametrize("body,field", BAD_OPINIONS, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD_OPINIONS)])
def test_bad_opinion_is_refused_and_nothing_changes(make, body, field):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", body)
    assert_clear_4xx(res, field, (404, 422))
    assert snapshot(pk) == before


def test_opinion_with_nul_bytes_is_stored_clean_or_refused(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "comment", "comment": "请\x00明确\x00分工"})
    assert res.status_code in (201, 422), (res.status_code, res.content[:300])
    if res.status_code == 201:
        assert "\x00" not in Opinion.objects.get(pk=res.json()["id"]).comment
    else:
        assert snapshot(pk) == before


def test_opinion_with_lone_surrogate_is_not_a_500(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    raw = '{"opinion": "comment", "comment": "bad \\ud800 text"}'
    api = Api("unit_D021")
    res = api.client.post(f"/api/v1/applications/{pk}/opinions", data=raw, content_type="application/json", headers=api.headers)
    assert res.status_code in (201, 422), (res.status_code, res.content[:300])


def test_huge_opinion_comment_is_not_a_500(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB): the body itself is too big.
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "comment", "comment": "长" * (3 * 1024 * 1024)})
    assert 400 <= res.status_code < 500, (res.status_code, res.content[:300])
    assert snapshot(pk) == before


def test_large_opinion_comment_is_accepted_or_refused_clearly(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "comment", "comment": "意见" * 100_000})
    assert res.status_code in (201, 422), (res.status_code, res.content[:300])
    if res.status_code == 201:
        assert page(REVIEWER).get(f"/review/{pk}/").status_code == 200


def test_html_in_opinion_is_shown_as_text(make):
    pk = make.signed()
    invs = invite(pk, "joint_review", ["D021"])
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    res = Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "comment", "comment": evil})
    assert res.status_code == 201
    for who, url in ((REVIEWER, f"/review/{pk}/"), ("unit_D021", f"/review/invitations/{invs['D021']}/"), ("clerk_D030", f"/applications/{pk}/")):
        html = page(who).get(url).content.decode()
        assert "<script>alert(" not in html, (who, url)
        assert "<img src=x onerror" not in html, (who, url)
    assert "<script>alert(" not in page(REVIEWER).get("/todo/?tab=started").content.decode()


def test_html_in_return_and_decision_is_shown_as_text(make):
    pk = make.signed()
    evil = "<script>alert(2)</script>"
    assert Api(REVIEWER).post(f"/applications/{pk}/return", {"comment": evil}).status_code == 200
    for who, url in ((REVIEWER, f"/review/{pk}/"), ("clerk_D030", f"/applications/{pk}/")):
        assert "<script>alert(2)" not in page(who).get(url).content.decode()


def test_second_opinion_is_supplementary_never_changes_the_first(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    api = Api("unit_D021")
    first = api.post(f"/applications/{pk}/opinions", {"opinion": "agree"}).json()
    second = api.post(f"/applications/{pk}/opinions", {"opinion": "disagree", "comment": "改主意了"}).json()
    assert second["supplementary"] is True and first["supplementary"] is False
    assert Opinion.objects.get(pk=first["id"]).opinion == "agree"


# ---------------------------------------------------------------------------- bad input: decision, return, necessity


BAD_DECISIONS = [
    ({"decision": "maybe"}, "decision"),
    ({"decision": ""}, "decision"),
    ({"decision": None}, "decision"),
    ({}, "decision"),
    ({"decision": "reject"}, "reason"),
    ({"decision": "reject", "reason": "  \n "}, "reason"),
    ({"decision": "approve", "reason": 5}, "reason"),
]


@pytest.mark.parametrize("body,field", BAD_DECISIONS, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD_DECISIONS)])
def test_bad_decision_is_refused_and_nothing_changes(make, body, field):
    pk = make.signed()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/decision", body)
    assert_clear_4xx(res, field, (422,))
    assert snapshot(pk) == before


def test_decision_needs_override_reason_while_opinions_outstanding(make):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    before = snapshot(pk)
    for override in ("", "   "):
        res = Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "approve", "override_reason": override})
        assert_clear_4xx(res, "override_reason", (422,))
    assert snapshot(pk) == before


def test_approve_twice_is_409_and_one_decision(make):
    pk = make.signed()
    assert Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "approve"}).status_code == 200
    before = snapshot(pk)
    for body in ({"decision": "approve"}, {"decision": "reject", "reason": "改判"}):
        res = Api(REVIEWER).post(f"/applications/{pk}/decision", body)
        assert_clear_4xx(res, statuses=(409,))
    assert snapshot(pk) == before
    assert Decision.objects.filter(application_id=pk).count() == 1
    from zhunru.catalog.models import PlanItem

    assert len([i for i in PlanItem.objects.all() if any(s.get("application_id") == pk for s in i.sources)]) == 1


def test_decide_on_withdrawn_application_is_409(make):
    pk = make.signed()
    assert Api("clerk_D030").post(f"/applications/{pk}/withdraw").status_code == 200
    before = snapshot(pk)
    for path, body in [(f"/applications/{pk}/decision", {"decision": "approve"}), (f"/applications/{pk}/return", {"comment": "x"}),
                       (f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"}),
                       (f"/applications/{pk}/invitations", {"kind": "joint_review", "organisations": ["D021"]}),
                       (f"/applications/{pk}/handover", {"to": "nobody"})]:
        res = Api(REVIEWER).post(path, body)
        assert_clear_4xx(res, statuses=(409,))
    assert snapshot(pk) == before


def test_decide_on_draft_application_is_404(make):
    pk = make.draft()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "approve"})
    assert res.status_code in (404, 409), res.content
    assert snapshot(pk) == before


def test_decide_on_returned_application_is_409(make):
    pk = make.signed()
    assert Api(REVIEWER).post(f"/applications/{pk}/return", {"comment": "请修改"}).status_code == 200
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "approve"})
    assert_clear_4xx(res, statuses=(409,))
    assert snapshot(pk) == before


def test_decision_with_nul_bytes_is_stored_clean_or_refused(make):
    pk = make.signed()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "reject", "reason": "理由\x00含空字符", "suggestions": "\x00"})
    assert res.status_code in (200, 422), (res.status_code, res.content[:300])
    if res.status_code == 200:
        assert "\x00" not in Decision.objects.get(application_id=pk).reason
    else:
        assert snapshot(pk) == before


@pytest.mark.parametrize("comment", ["", "   ", "\n\t", None])
def test_return_without_comment_is_refused(make, comment):
    pk = make.signed()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/return", {"comment": comment} if comment is not None else {})
    assert_clear_4xx(res, "comment", (422,))
    assert snapshot(pk) == before


def test_return_with_nul_bytes_is_stored_clean_or_refused(make):
    pk = make.signed()
    before = snapshot(pk)
    res = Api(REVIEWER).post(f"/applications/{pk}/return", {"comment": "请\x00修改"})
    assert res.status_code in (200, 422), (res.status_code, res.content[:300])
    if res.status_code == 422:
        assert snapshot(pk) == before
    else:
        assert "\x00" not in ReturnForRevision.objects.get(application_id=pk).comment


def test_necessity_with_nul_bytes_is_stored_clean_or_refused(make):
    pk = make.signed()
    res = Api(REVIEWER).post(f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass",
                                                                 "comment": "审查\x00意见"})
    assert res.status_code in (200, 422), (res.status_code, res.content[:300])
    if res.status_code == 200:
        assert "\x00" not in ReviewCase.objects.get(application_id=pk).necessity_comment


@pytest.mark.parametrize("body,field", [({"legality": "maybe", "reasonableness": "pass", "necessity": "pass"}, "legality"),
                                        ({"reasonableness": "pass", "necessity": "pass"}, "legality"),
                                        ({"legality": "pass", "reasonableness": "pass", "necessity": True}, "necessity")])
def test_bad_necessity_is_refused(make, body, field):
    pk = make.signed()
    before = snapshot(pk)
    assert_clear_4xx(Api(REVIEWER).post(f"/applications/{pk}/necessity", body), field, (422,))
    assert snapshot(pk) == before


ENDPOINTS = ["necessity", "invitations", "opinions", "return", "decision", "handover"]
MALFORMED = ["null", "[]", '"x"', "5", "{", "", "\x00", '{"kind": "joint_review", "organisations": ["D021"]', "true"]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("raw", MALFORMED, ids=[repr(m) for m in MALFORMED])
def test_malformed_json_is_a_clear_4xx(make, endpoint, raw):
    pk = make.signed()
    invite(pk, "joint_review", ["D021"])
    who = "unit_D021" if endpoint == "opinions" else REVIEWER
    before = snapshot(pk)
    api = Api(who)
    res = api.client.post(f"/api/v1/applications/{pk}/{endpoint}", data=raw, content_type="application/json", headers=api.headers)
    assert 400 <= res.status_code < 500, (endpoint, raw, res.status_code, res.content[:300])
    assert CJK.search(" ".join(e["message"] for e in res.json()["errors"]))
    assert snapshot(pk) == before


def test_remind_with_bad_id_is_404_or_422(make):
    api = Api(REVIEWER)
    for bad in ("abc", "-1", "0", "99999999999999999999999"):
        res = api.post(f"/invitations/{bad}/remind")
        assert res.status_code in (404, 422), (bad, res.status_code)


# ---------------------------------------------------------------------------- audit


def test_every_review_action_is_audited_and_chain_verifies(make, settings, capsys):
    from django.core.management import call_command

    pk = make.signed()
    r = Api(REVIEWER)
    r.post(f"/applications/{pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass"})
    invs = invite(pk, "joint_review", ["D021", "D023"], days=1)
    Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "agree"})
    Api("unit_D021").post(f"/applications/{pk}/opinions", {"opinion": "comment", "comment": "补充"})
    settings.ZHUNRU_TODAY = TODAY.replace(day=24)
    assert r.post(f"/invitations/{invs['D023']}/remind").status_code == 200
    assert r.post(f"/applications/{pk}/decision", {"decision": "approve", "override_reason": "区人社局逾期"}).status_code == 200
    actions = list(AuditEvent.objects.filter(object_type="Application", object_id=str(pk)).values_list("action", flat=True))
    for a in ("review.necessity_recorded", "review.invited", "review.opinion_given", "review.reminded", "review.decided"):
        assert a in actions, a
    assert actions.count("review.opinion_given") == 2
    assert AuditEvent.objects.filter(action="plan_item.admitted").exists()
    call_command("verify_audit")
    assert "校验通过" in capsys.readouterr().out


@pytest.mark.parametrize("first", ["invitation", "handover", "reminder"])
def test_verify_audit_holds_whatever_the_reviewer_does_first(make, settings, capsys, first):
    """The first action of the reviewer moves 已提交 → 审核中; the audit must say so, or verify_audit cries wolf."""
    from django.core.management import call_command

    pk = make.signed()
    add = User.objects.create_user(username="reviewer2_D020", password=PASSWORD, organisation=Organisation.objects.get(code="D020"))
    add.roles.add(Role.REVIEWER)
    if first == "invitation":
        invite(pk, "consultation", ["S01"])
    elif first == "handover":
        assert Api(REVIEWER).post(f"/applications/{pk}/handover", {"to": "reviewer2_D020"}).status_code == 200
    else:
        invite(pk, "joint_review", ["D021"], days=1)
        settings.ZHUNRU_TODAY = TODAY.replace(day=24)
    call_command("verify_audit")
    assert "校验通过" in capsys.readouterr().out


def _tampered_is_found(sql, params):
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connection

    call_command("verify_audit")  # untouched, it holds
    with connection.cursor() as cur:
        cur.execute(sql, params)
    try:
        call_command("verify_audit")
    except CommandError:
        return True
    return False


def test_tampered_decision_row_is_found_by_verify_audit(make):
    """R-AUD-1 / issue 3 §8: the decision is rewritten in the database behind the system's back."""
    pk = make.signed()
    assert Api(REVIEWER).post(f"/applications/{pk}/decision", {"decision": "approve"}).status_code == 200
    d = Decision.objects.get(application_id=pk)
    assert _tampered_is_found(f"UPDATE {Decision._meta.db_table} SET decision = %s, reason = %s WHERE id = %s", ["reject", "伪造", d.pk])


# ---------------------------------------------------------------------------- concurrency




def _api_call(username, path, body=None):
    def call():
        res = Api(username).post(path, body)
        return res.status_code, res.content.decode()[:300]
    return call


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_two_users_answer_the_same_invitation_at_once(live, repeat):
    pk = live.signed()
    invs = invite(pk, "joint_review", ["D021"])
    u = User.objects.create_user(username="unit2_D021", password=PASSWORD, organisation=Organisation.objects.get(code="D021"))
    u.roles.add(Role.REVIEW_UNIT)
    results = race(_api_call("unit_D021", f"/applications/{pk}/opinions", {"opinion": "agree"}),
                   _api_call("unit2_D021", f"/applications/{pk}/opinions", {"opinion": "disagree", "comment": "不同意"}))
    assert all(r[0] == "ok" for r in results), results
    statuses = sorted(r[1][0] for r in results)
    assert all(s in (201, 409) for s in statuses), results
    ops = list(Opinion.objects.filter(invitation_id=invs["D021"]))
    assert len([o for o in ops if not o.supplementary]) == 1, [(o.opinion, o.supplementary) for o in ops]
    assert AuditEvent.objects.filter(action="review.opinion_given").count() == len(ops)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_decision_races_withdrawal(live, repeat):
    pk = live.signed()
    results = race(_api_call(REVIEWER, f"/applications/{pk}/decision", {"decision": "approve"}),
                   _api_call("clerk_D030", f"/applications/{pk}/withdraw"))
    assert all(r[0] == "ok" for r in results), results
    codes = sorted(r[1][0] for r in results)
    assert codes == [200, 409], results
    app = Application.objects.get(pk=pk)
    has_decision = Decision.objects.filter(application_id=pk).exists()
    assert (app.status == Status.APPROVED) == has_decision
    assert app.status in (Status.APPROVED, Status.WITHDRAWN)
    from zhunru.catalog.models import PlanItem

    admitted = [i for i in PlanItem.objects.all() if any(s.get("application_id") == pk for s in i.sources)]
    assert len(admitted) == (1 if has_decision else 0)
    from zhunru.audit.services import verify_chain

    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_decision_races_return(live, repeat):
    pk = live.signed()
    results = race(_api_call(REVIEWER, f"/applications/{pk}/decision", {"decision": "reject", "reason": "不符合"}),
                   _api_call(REVIEWER, f"/applications/{pk}/return", {"comment": "请修改"}))
    assert all(r[0] == "ok" for r in results), results
    codes = sorted(r[1][0] for r in results)
    assert codes == [200, 409], results
    app = Application.objects.get(pk=pk)
    decided = Decision.objects.filter(application_id=pk).count()
    returned = ReturnForRevision.objects.filter(application_id=pk).count()
    assert decided + returned == 1
    assert app.status == (Status.REJECTED if decided else Status.RETURNED)
