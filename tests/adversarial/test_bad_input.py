"""Bad input (issue 2 "Bad input"): a clear Chinese 4xx naming the field, never a 500."""

import json
import re

import pytest
from django.test import Client

from tests.conftest import Api

from .conftest import page

CJK = re.compile(r"[\u4e00-\u9fff]")


def _raw(api, method, path, raw: bytes | str, content_type="application/json"):
    return getattr(api.client, method)(f"/api/v1{path}", data=raw, content_type=content_type, headers=api.headers)


def _assert_4xx_named(res, field=None, statuses=(400, 422)):
    assert res.status_code in statuses, (res.status_code, res.content[:500])
    errors = res.json()["errors"]
    assert errors and all(CJK.search(e["message"]) for e in errors), errors
    if field is not None:
        assert any(e["field"] == field for e in errors), errors


@pytest.fixture
def clerk(make):
    return Api("clerk_D030")


@pytest.mark.parametrize("path", ["/applications", "/applications/check"])
@pytest.mark.parametrize("raw", [b"{", b"{'name': 1}", b"[1,2", b"\xff\xfe\x00", b"null", b"[]", b"\"text\"", b"42"])
def test_bad_input_malformed_json_is_4xx(clerk, path, raw):
    res = _raw(clerk, "post", path, raw)
    _assert_4xx_named(res)


def test_bad_input_malformed_json_patch(clerk, make):
    pk = make.draft()
    _assert_4xx_named(_raw(clerk, "patch", f"/applications/{pk}", b"{not json"))


def test_bad_input_empty_body(clerk):
    _assert_4xx_named(_raw(clerk, "post", "/applications", b""))


@pytest.mark.parametrize("body,field", [
    ({"duties": "在居民区宣传"}, "duties"),
    ({"involves": ["certificate"]}, "involves"),
    ({"involves": {"certificate": "maybe"}}, "involves.certificate"),
    ({"time_limit": {"type": "one_time", "start": "2025-02-30", "end": "2025-03-01"}}, "time_limit.start"),
    ({"task_start": "2025-13-01"}, "task_start"),
    ({"task_start": "tomorrow"}, "task_start"),
    ({"procedure": "express"}, "procedure"),
    ({"kind": "delete"}, "kind"),
    ({"scope": "everywhere"}, "scope"),
    ({"municipal_comparison": "similar"}, "municipal_comparison"),
    ({"basis": {"types": ["rumour"]}}, "basis.types[0]"),
    ({"time_limit": {"type": "forever"}}, "time_limit.type"),
    ({"scope_committees": "S01C001"}, "scope_committees"),
    ({"duties": [{"text": {"a": [1, 2, {"b": None}]}, "mode": "宣传教育"}]}, "duties[0].text"),
    ({"support": {"funding": {"amount": [[[[["x"]]]]]}}}, "support.funding.amount"),
    ({"courses": [1, 2]}, "courses[0]"),
    ({"verbal_report_id": "abc"}, "verbal_report_id"),
    ({"name": 123}, "name"),
    ({"name": ["a"]}, "name"),
])
def test_bad_input_wrong_types_422_names_field(clerk, body, field):
    for path in ("/applications", "/applications/check"):
        res = clerk.post(path, body)
        _assert_4xx_named(res, field, statuses=(422,))


def test_bad_input_wrong_type_patch_422(clerk, make):
    pk = make.draft()
    res = clerk.patch(f"/applications/{pk}", {"duties": "x"})
    _assert_4xx_named(res, "duties", statuses=(422,))
    from zhunru.intake.models import Application

    assert Application.objects.get(pk=pk).content["duties"]  # nothing lost


def test_bad_input_check_bad_as_of(clerk):
    res = clerk.post("/applications/check", {"as_of": "2025-02-30"})
    _assert_4xx_named(res, "as_of", statuses=(422,))


def test_bad_input_check_as_of_in_unknown_year_is_200_with_r_cal_1(clerk, make):
    body = make.body("census-simplified", as_of="2030-01-02", task_start="2030-03-01")
    res = clerk.post("/applications/check", body)
    assert res.status_code == 200, res.content
    out = res.json()
    assert not out["valid"] and any(e["rule"] == "R-CAL-1" for e in out["errors"])


def test_bad_input_deeply_nested_junk_is_4xx(clerk):
    deep = "[" * 100000 + "]" * 100000
    raw = '{"duties": ' + deep + "}"
    res = _raw(clerk, "post", "/applications", raw)
    _assert_4xx_named(res)


def test_bad_input_deeply_nested_inside_a_dict_field(clerk):
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    raw = '{"support": {"funding": ' + deep + "}}"
    res = _raw(clerk, "post", "/applications", raw)
    assert res.status_code in (201, 400, 422), res.status_code


def test_bad_input_huge_body_is_4xx(clerk):
    raw = json.dumps({"name": "x", "summary": "长" * (6 * 1024 * 1024)})
    res = _raw(clerk, "post", "/applications", raw)
    assert res.status_code in (400, 413, 422), (res.status_code, res.content[:300])


def test_bad_input_long_strings_are_saved_as_draft_and_refused_on_submit(clerk, make):
    pk = make.draft()
    res = clerk.patch(f"/applications/{pk}", {"name": "名" * 5000, "summary": "概" * 200000})
    assert res.status_code == 200, res.content[:300]
    assert res.json()["name"] == "名" * 5000  # nothing typed is lost
    res = clerk.post(f"/applications/{pk}/submit")
    _assert_4xx_named(res, "name", statuses=(422,))


def test_bad_input_null_bytes_and_unicode_never_500(clerk, make):
    body = make.body(name="健康\x00管理\u202e🚑", summary="概述\x00\ud7ff\u2028含控制符\x01\x1f")
    body["duties"] = [{"text": "宣传\x00教育", "mode": "宣传教育"}]
    res = clerk.post("/applications", body)
    assert res.status_code in (201, 422), (res.status_code, res.content[:300])
    if res.status_code == 201:
        pk = res.json()["id"]
        assert clerk.get(f"/applications/{pk}").status_code == 200
        assert clerk.get(f"/applications/{pk}/form.docx").status_code == 200
        c = page("clerk_D030")
        for url in (f"/applications/{pk}/", f"/applications/{pk}/edit", "/applications/"):
            assert c.get(url).status_code == 200, url
    else:
        _assert_4xx_named(res, statuses=(422,))


def test_bad_input_null_byte_in_check(clerk, make):
    res = clerk.post("/applications/check", make.body(name="a\x00b", as_of="2025-10-20"))
    assert res.status_code in (200, 422), res.content[:300]


def test_bad_input_lone_surrogate_escaped_in_json(clerk):
    res = _raw(clerk, "post", "/applications", '{"name": "bad \\ud800 surrogate", "summary": "x"}')
    assert res.status_code in (201, 400, 422), (res.status_code, res.content[:300])
    if res.status_code == 201:
        pk = res.json()["id"]
        assert clerk.get(f"/applications/{pk}").status_code == 200
        assert clerk.get(f"/applications/{pk}/form.docx").status_code == 200


@pytest.mark.parametrize("query", ["limit=-5", "offset=-10", "limit=0", "limit=100000", "offset=99999999"])
def test_bad_input_list_paging_clamped(clerk, make, query):
    make.draft()
    res = clerk.get(f"/applications?{query}")
    assert res.status_code == 200, res.content
    assert 0 <= len(res.json()["results"]) <= 200


@pytest.mark.parametrize("query", ["limit=abc", "offset=1.5", "limit=99999999999999999999999999"])
def test_bad_input_list_paging_not_integer(clerk, make, query):
    res = clerk.get(f"/applications?{query}")
    assert res.status_code in (200, 422), (res.status_code, res.content[:300])
    if res.status_code == 422:
        _assert_4xx_named(res, statuses=(422,))


def test_bad_input_list_unknown_status_filter(clerk, make):
    make.draft()
    res = clerk.get("/applications?status=<script>")
    assert res.status_code in (200, 422)


@pytest.mark.parametrize("query,field", [
    ("from=2025-10-10&to=2025-10-01", "to"),
    ("from=2025-02-30&to=2025-03-01", "from"),
    ("from=abc&to=2025-03-01", "from"),
    ("from=2030-01-01&to=2030-01-10", "from"),
    ("from=2029-12-25&to=2030-01-10", "to"),
    ("to=2025-03-01", "from"),
    ("from=2025-03-01", "to"),
    ("from=2020-01-01&to=2025-01-01", "to"),
    ("from=0001-01-01&to=0001-01-02", "from"),
    ("from=9999-12-31&to=9999-12-31", "from"),
])
def test_bad_input_workdays(clerk, query, field):
    res = clerk.get(f"/workdays?{query}")
    # for an unknown year either end may be named; the others must name their own field
    _assert_4xx_named(res, None if query[5:9] in ("2030", "2029", "0001", "9999") else field, statuses=(422,))


def test_bad_input_workdays_unknown_year_says_why(clerk):
    res = clerk.get("/workdays?from=2030-01-01&to=2030-01-10")
    assert "2030" in res.json()["errors"][0]["message"]


# ---- state machine refusals: 409 with a Chinese message

def test_bad_input_patch_submitted_is_409(clerk, make):
    pk = make.signed()
    res = clerk.patch(f"/applications/{pk}", {"name": "篡改"})
    _assert_4xx_named(res, statuses=(409,))
    pk2 = make.awaiting()
    _assert_4xx_named(clerk.patch(f"/applications/{pk2}", {"name": "篡改"}), statuses=(409,))


def test_bad_input_submit_twice_409(clerk, make):
    pk = make.awaiting()
    _assert_4xx_named(clerk.post(f"/applications/{pk}/submit"), statuses=(409,))


def test_bad_input_sign_twice_409(make):
    from zhunru.intake.models import NumberCounter

    pk = make.signed()
    res = Api("head_D030").post(f"/applications/{pk}/sign")
    _assert_4xx_named(res, statuses=(409,))
    assert NumberCounter.objects.get().last == 1


def test_bad_input_sign_draft_409(make):
    pk = make.draft()
    _assert_4xx_named(Api("head_D030").post(f"/applications/{pk}/sign"), statuses=(409,))


def test_bad_input_withdraw_twice_409(clerk, make):
    pk = make.signed()
    assert clerk.post(f"/applications/{pk}/withdraw").status_code == 200
    _assert_4xx_named(clerk.post(f"/applications/{pk}/withdraw"), statuses=(409,))
    _assert_4xx_named(clerk.patch(f"/applications/{pk}", {"name": "x"}), statuses=(409,))
    _assert_4xx_named(clerk.post(f"/applications/{pk}/submit"), statuses=(409,))
    body = clerk.get(f"/applications/{pk}").json()
    assert body["status"] == "withdrawn" and body["number"]  # keeps its number


def test_bad_input_send_back_without_comment_names_field(make):
    pk = make.awaiting()
    res = Api("head_D030").post(f"/applications/{pk}/send-back", {"comment": "   "})
    _assert_4xx_named(res, "comment", statuses=(422,))


def test_bad_input_send_back_comment_wrong_type(make):
    pk = make.awaiting()
    res = Api("head_D030").post(f"/applications/{pk}/send-back", {"comment": {"x": 1}})
    _assert_4xx_named(res, "comment", statuses=(422,))


def test_bad_input_submit_invalid_reports_all_errors_on_fields(clerk, make):
    pk = make.draft(name="", summary="", duties=[], support={})
    res = clerk.post(f"/applications/{pk}/submit")
    _assert_4xx_named(res, statuses=(422,))
    fields = {e["field"] for e in res.json()["errors"]}
    assert {"name", "summary", "duties", "support"} <= fields
    assert all(e["rule"] for e in res.json()["errors"])


# ---- the page form

def _text_of(res) -> str:
    if res.get("Content-Type", "").startswith("application/json"):
        return json.dumps(res.json(), ensure_ascii=False)
    return res.content.decode()


def _post_form(c, pk, data, url="autosave"):
    return c.post(f"/applications/{pk}/{url}", data)


@pytest.mark.parametrize("url", ["autosave", "precheck", "edit"])
@pytest.mark.parametrize("data", [
    pytest.param({"duties[99999].text": "x"}, id="huge_index"),
    pytest.param({"duties.text": "x"}, id="duties_as_dict"),
    pytest.param({"support": "abc"}, id="support_scalar"),
    pytest.param({"courses": "abc"}, id="courses_scalar"),
    pytest.param({"involves": "abc"}, id="involves_scalar"),
    pytest.param({"time_limit": "abc"}, id="time_limit_scalar"),
    pytest.param({"basis": "abc"}, id="basis_scalar"),
    pytest.param({"duties[0].text.x": "1"}, id="duty_text_dict"),
    pytest.param({"duties[0]": "plain"}, id="duty_row_scalar"),
    pytest.param({"courses[0]": "plain"}, id="course_row_scalar"),
    pytest.param({"support.funding": "plain"}, id="support_funding_scalar"),
    pytest.param({"support.funding.amount.x": "1"}, id="support_funding_amount_dict"),
    pytest.param({"[0]": "x"}, id="bare_index"),
    pytest.param({"verbal_report_id": "99999999999999999999999"}, id="verbal_report_id_huge"),
    pytest.param({"verbal_report_id": "-1"}, id="verbal_report_id_negative"),
    pytest.param({"_as_of": "2025-02-30"}, id="as_of_bad"),
    pytest.param({"_as_of": "2030-01-01", "procedure": "simplified", "task_start": "2030-02-01"}, id="as_of_2030"),
    pytest.param({"time_limit.type": "one_time", "time_limit.start": "2025-02-30"}, id="one_time_bad_date"),
    pytest.param({"name": "a\x00b", "summary": "c\x00d"}, id="null_bytes"),
    pytest.param({"scope_committees": ["S01C001"] * 300}, id="many_committees"),
])
def test_bad_input_page_form_junk_never_500(make, url, data):
    pk = make.draft()
    c = page("clerk_D030")
    res = _post_form(c, pk, data, url)
    assert res.status_code < 500, (url, data, res.status_code)
    if url in ("autosave", "precheck"):
        assert res.status_code in (200, 400, 422), res.status_code
        if res.status_code != 200:
            assert CJK.search(_text_of(res)), res.content[:300]
    # the application still opens afterwards
    assert c.get(f"/applications/{pk}/edit").status_code == 200
    assert c.get(f"/applications/{pk}/").status_code == 200
    assert c.get(f"/applications/{pk}/form.docx").status_code == 200


def test_bad_input_page_form_huge_row_index_does_not_grow_list(make):
    from zhunru.intake.models import Application

    pk = make.draft()
    c = page("clerk_D030")
    res = _post_form(c, pk, {"name": "x", "duties[99999].text": "夹带", "duties[0].text": "正常"})
    assert res.status_code == 200
    duties = Application.objects.get(pk=pk).content["duties"]
    assert len(duties) <= 1


def test_bad_input_page_form_ten_thousand_rows_is_refused_clearly(make):
    from zhunru.intake.models import Application

    pk = make.draft()
    before = Application.objects.get(pk=pk).content
    c = page("clerk_D030")
    data = {f"duties[{i}].text": f"职责{i}" for i in range(10000)}
    res = _post_form(c, pk, data)
    assert 400 <= res.status_code < 500, res.status_code
    assert Application.objects.get(pk=pk).content == before
    assert CJK.search(_text_of(res)), res.content[:300]


@pytest.mark.parametrize("url", ["edit", "autosave", "precheck", "sign", "withdraw", "attachments"])
def test_bad_input_page_post_without_csrf_is_refused(make, url):
    from zhunru.intake.models import Application

    pk = make.draft()
    before = Application.objects.get(pk=pk)
    c = page("clerk_D030", enforce_csrf_checks=True)
    res = c.post(f"/applications/{pk}/{url}", {"name": "CSRF 改名"})
    assert res.status_code == 403, (url, res.status_code)
    after = Application.objects.get(pk=pk)
    assert after.content == before.content and after.status == before.status


def test_bad_input_page_new_without_csrf_is_refused(make):
    from zhunru.intake.models import Application

    n = Application.objects.count()
    c = page("clerk_D030", enforce_csrf_checks=True)
    assert c.post("/applications/new").status_code == 403
    assert Application.objects.count() == n


def test_bad_input_api_cookie_session_without_csrf_refused(make):
    """The API also accepts the session cookie; a cross-site POST with the cookie and no CSRF token must fail."""
    from zhunru.intake.models import Application

    n = Application.objects.count()
    c = page("clerk_D030", enforce_csrf_checks=True)
    res = c.post("/api/v1/applications", data=json.dumps({"name": "csrf"}), content_type="application/json")
    assert res.status_code in (401, 403), res.status_code
    assert Application.objects.count() == n


def test_bad_input_get_on_post_only_pages(make):
    pk = make.draft()
    c = page("clerk_D030")
    for url in (f"/applications/{pk}/autosave", f"/applications/{pk}/withdraw", "/applications/new"):
        assert c.get(url).status_code == 405, url


def test_bad_input_autosave_expired_session_json_401(make):
    pk = make.draft()
    res = Client().post(f"/applications/{pk}/autosave", {"name": "x"})
    assert res.status_code == 401
    assert "登录" in res.json()["message"]
