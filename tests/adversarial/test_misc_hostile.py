"""What a hostile or careless user would try besides."""

import pytest
from django.test import Client

from tests.conftest import Api

from .conftest import page


def test_auth_wrong_password_401_chinese(putuo):
    res = Client().post("/api/v1/auth/token", data={"username": "clerk_D030", "password": "wrong"}, content_type="application/json")
    assert res.status_code == 401
    assert "密码" in res.json()["errors"][0]["message"]


def test_auth_unknown_user_same_answer_as_wrong_password(putuo):
    a = Client().post("/api/v1/auth/token", data={"username": "nobody", "password": "x"}, content_type="application/json")
    b = Client().post("/api/v1/auth/token", data={"username": "clerk_D030", "password": "x"}, content_type="application/json")
    assert a.status_code == b.status_code == 401
    assert a.json() == b.json()


@pytest.mark.parametrize("body", [{}, {"username": "clerk_D030"}, {"username": 1, "password": 2}, {"username": None, "password": None}])
def test_auth_token_bad_body_422(putuo, body):
    res = Client().post("/api/v1/auth/token", data=body, content_type="application/json")
    assert res.status_code == 422, res.content
    assert res.json()["errors"][0]["field"]


def test_auth_deactivated_users_token_refused(make):
    from zhunru.orgs.models import User

    api = Api("clerk_D030")
    assert api.get("/applications").status_code == 200
    User.objects.filter(username="clerk_D030").update(is_active=False)
    res = api.get("/applications")
    assert res.status_code == 401
    assert "令牌" in res.json()["errors"][0]["message"] or "登录" in res.json()["errors"][0]["message"]
    assert api.post("/applications", {"name": "x"}).status_code == 401


def test_auth_deactivated_user_cannot_get_token(putuo):
    from tests.conftest import PASSWORD
    from zhunru.orgs.models import User

    User.objects.filter(username="clerk_D030").update(is_active=False)
    res = Client().post("/api/v1/auth/token", data={"username": "clerk_D030", "password": PASSWORD}, content_type="application/json")
    assert res.status_code == 401


def test_auth_bogus_bearer_401(putuo):
    res = Client().get("/api/v1/applications", headers={"Authorization": "Bearer nope"})
    assert res.status_code == 401
    assert res.json()["errors"][0]["message"]
    res = Client().get("/api/v1/applications", headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert res.status_code == 401


def test_auth_user_moved_to_another_department_loses_access(make):
    from zhunru.orgs.models import Organisation, User

    pk = make.draft()
    api = Api("clerk_D030")
    User.objects.filter(username="clerk_D030").update(organisation=Organisation.objects.get(code="D035"))
    assert api.get(f"/applications/{pk}").status_code == 404


def test_auth_user_without_organisation_sees_nothing(make):
    from zhunru.orgs.models import User

    make.draft()
    api = Api("clerk_D030")
    User.objects.filter(username="clerk_D030").update(organisation=None)
    res = api.get("/applications")
    assert res.status_code == 200 and res.json()["count"] == 0
    res = api.post("/applications", {"name": "x"})
    assert 400 <= res.status_code < 500, res.status_code
    res = api.post("/applications/check", {"name": "x"})
    assert 400 <= res.status_code < 500, res.status_code
    res = api.post("/verbal-reports", {"department": "D030", "on": "2025-10-20", "by": "x", "channel": "phone", "content": "y"})
    assert 400 <= res.status_code < 500, res.status_code


def test_hostile_department_of_another_in_body(make):
    res = Api("clerk_D030").post("/applications", make.body(department="D035"))
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "department"
    pk = make.draft()
    res = Api("clerk_D030").patch(f"/applications/{pk}", {"department": "区统计局"})
    assert res.status_code == 422
    from zhunru.intake.models import Application

    assert Application.objects.get(pk=pk).department.code == "D030"


def test_hostile_department_in_page_form_ignored(make):
    from zhunru.intake.models import Application

    pk = make.draft()
    c = page("clerk_D030")
    c.post(f"/applications/{pk}/autosave", {"department": "D035", "name": "x"})
    app = Application.objects.get(pk=pk)
    assert app.department.code == "D030" and app.content["department"] == "D030"


def test_hostile_someone_elses_verbal_report_id(make):
    res = Api("reviewer_D020").post("/verbal-reports", {"department": "D035", "on": "2025-10-20", "by": "张三", "channel": "phone", "content": "统计"})
    rid = res.json()["id"]
    res = Api("clerk_D030").post("/applications", make.body(procedure="emergency", verbal_report_id=rid))
    assert res.status_code == 422, res.content
    assert res.json()["errors"][0]["field"] == "verbal_report_id"
    res = Api("clerk_D030").post("/applications/check", make.body(procedure="emergency", verbal_report_id=rid))
    assert res.status_code in (404, 422), res.content
    pk = make.draft()
    c = page("clerk_D030")
    res = c.post(f"/applications/{pk}/autosave", {"procedure": "emergency", "verbal_report_id": str(rid)})
    assert res.status_code == 422
    from zhunru.intake.models import Application

    assert Application.objects.get(pk=pk).verbal_report_id is None


def test_hostile_nonexistent_verbal_report_id(make):
    res = Api("clerk_D030").post("/applications", make.body(procedure="emergency", verbal_report_id=987654))
    assert res.status_code == 422
    res = Api("clerk_D030").post("/applications", make.body(procedure="emergency", verbal_report_id=-3))
    assert res.status_code == 422, res.content
    res = Api("clerk_D030").post("/applications", make.body(procedure="emergency", verbal_report_id=10**30))
    assert res.status_code == 422, res.content


def test_hostile_scope_committees_of_another_district(make):
    from zhunru.orgs.models import Organisation, OrgKind

    city = Organisation.objects.get(code="SH")
    other = Organisation.objects.create(code="JA", name="静安区", kind=OrgKind.DISTRICT, parent=city)
    other.district = other
    other.save()
    street = Organisation.objects.create(code="JA01", name="静安寺街道", kind=OrgKind.STREET, parent=other, district=other)
    Organisation.objects.create(code="JA01C001", name="静安某居委", kind=OrgKind.COMMITTEE, parent=street, district=other)
    body = make.body(scope="some", scope_committees=["S01C001", "JA01C001"], as_of="2025-10-20")
    out = Api("clerk_D030").post("/applications/check", body).json()
    assert not out["valid"]
    assert any(e["field"] == "scope_committees" and "JA01C001" in e["message"] for e in out["errors"])
    pk = Api("clerk_D030").post("/applications", body).json()["id"]
    res = Api("clerk_D030").post(f"/applications/{pk}/submit")
    assert res.status_code == 422


def test_hostile_server_fields_in_body_ignored(make):
    body = make.body(status="approved", number="普准申〔2025〕999号", submitted_on="2020-01-01",
                     head_signoff={"name": "伪造", "date": "2020-01-01"}, id=1, department_name="伪造")
    res = Api("clerk_D030").post("/applications", body)
    assert res.status_code == 201
    out = res.json()
    assert out["status"] == "draft" and out["number"] is None and out["submitted_on"] is None and out["head_signoff"] is None
    assert out["department_name"] == "区卫生健康委员会"
    pk = out["id"]
    out = Api("clerk_D030").patch(f"/applications/{pk}", {"status": "submitted", "number": "X"}).json()
    assert out["status"] == "draft" and out["number"] is None


def test_hostile_reviewer_cannot_create_application(make):
    res = Api("reviewer_D020").post("/applications", make.body())
    assert res.status_code == 403
    res = Api("committee_S01C001").post("/applications", make.body())
    assert res.status_code == 403
    assert res.json()["errors"][0]["message"]


def test_hostile_clerk_cannot_record_verbal_report(make):
    res = Api("clerk_D030").post("/verbal-reports", {"department": "D030", "on": "2025-10-20", "by": "x", "channel": "phone", "content": "y"})
    assert res.status_code == 403


def test_hostile_verbal_report_bad_inputs(make):
    rev = Api("reviewer_D020")
    for body, field in [({"department": "D030", "on": "2030-01-02", "by": "x", "channel": "phone", "content": "y"}, "on"),
                        ({"department": "NOPE", "on": "2025-10-20", "by": "x", "channel": "phone", "content": "y"}, "department"),
                        ({"department": "D030", "on": "2025-10-20", "by": " ", "channel": "phone", "content": "y"}, "by"),
                        ({"department": "D030", "on": "2025-10-20", "by": "x", "channel": "fax", "content": "y"}, "channel"),
                        ({"department": "S01", "on": "2025-10-20", "by": "x", "channel": "phone", "content": "y"}, "department")]:
        res = rev.post("/verbal-reports", body)
        assert res.status_code == 422, (body, res.status_code, res.content[:300])
        fields = {e["field"] for e in res.json()["errors"]}
        assert field in fields or f"reported_{field}" in fields or (field == "by" and "reported_by" in fields), (body, fields)


def test_hostile_exit_kind_skips_necessity(make, samples):
    """An exit needs only department, kind, adjusts_item, exit_reason: nothing else is demanded."""
    import datetime

    from tests.conftest import body_of, user
    from zhunru.catalog.services import admit_application

    clerk = user("clerk_D030")
    admit_application(actor=user("reviewer_D020"), application_id=1, district_id=clerk.organisation.district_id,
                      department_id=clerk.organisation_id, procedure="simplified", kind="new",
                      content=body_of(samples["health-elderly"]), decided_on=datetime.date(2025, 10, 10))
    body = {"kind": "exit", "procedure": "regular", "adjusts_item": samples["health-elderly"]["name"], "exit_reason": "任务完成", "as_of": "2025-10-20"}
    res = Api("clerk_D030").post("/applications/check", body)
    assert res.status_code == 200
    assert res.json()["valid"] is True, res.json()
    # An item that is not on the list cannot be exited: that is the only error.
    res = Api("clerk_D030").post("/applications/check", {**body, "adjusts_item": "某事项"})
    assert [(e["rule"], e["field"]) for e in res.json()["errors"]] == [("R-PROC-1", "adjusts_item")]


def test_hostile_withdraw_by_head_refused(make):
    pk = make.awaiting()
    res = Api("head_D030").post(f"/applications/{pk}/withdraw")
    assert res.status_code == 403
    assert res.json()["errors"][0]["message"]


def test_hostile_page_sign_by_clerk_shows_message_not_change(make):
    from zhunru.intake.models import Application

    pk = make.awaiting()
    r = page("clerk_D030").post(f"/applications/{pk}/sign", follow=True)
    assert r.status_code == 200
    assert any("负责人" in str(m) for m in r.context["messages"])
    assert Application.objects.get(pk=pk).status == "awaiting_signoff"


def test_hostile_edit_page_of_submitted_redirects_and_post_does_not_change(make):
    from zhunru.intake.models import Application

    pk = make.signed()
    before = Application.objects.get(pk=pk).content
    c = page("clerk_D030")
    r = c.post(f"/applications/{pk}/edit", {"name": "改", "action": "submit"})
    assert r.status_code in (302, 409)
    r = c.post(f"/applications/{pk}/autosave", {"name": "改"})
    assert r.status_code == 409
    assert "不能修改" in r.json()["errors"][0]["message"]
    assert Application.objects.get(pk=pk).content == before


def test_hostile_open_redirect_on_login(putuo):
    from tests.conftest import PASSWORD

    r = Client().post("/login/?next=https://evil.example/", {"username": "clerk_D030", "password": PASSWORD})
    assert r.status_code == 302
    assert "evil.example" not in r["Location"]


def test_hostile_login_wrong_password_message_in_chinese(putuo):
    r = Client().post("/login/", {"username": "clerk_D030", "password": "wrong"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "用户名" in html or "密码" in html


def test_hostile_404_page_is_chinese(make):
    r = page("clerk_D030").get("/applications/999999/")
    assert r.status_code == 404
    assert "未找到" in r.content.decode() or "不存在" in r.content.decode()


def test_hostile_api_unknown_path_404_json(make):
    r = Api("clerk_D030").get("/nope")
    assert r.status_code == 404


def test_hostile_openapi_available(putuo):
    r = Client().get("/api/v1/openapi.json")
    assert r.status_code == 200


def test_hostile_check_by_committee_user(make):
    """A committee user (no department) pre-checks: 200 with the department error, or a clear 4xx — never 500."""
    res = Api("committee_S01C001").post("/applications/check", make.body(department=None, as_of="2025-10-20"))
    assert res.status_code in (200, 403), res.content
