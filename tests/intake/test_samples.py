"""Each of the seven samples through the pre-check, on its own submission date: its expect block, exactly."""

import pytest

from tests.conftest import body_of

KEYS = ["health-elderly", "census-simplified", "late-simplified", "garbage-assessment", "food-safety-grid", "typhoon-emergency", "estate-renewal-exit"]


@pytest.mark.parametrize("key", KEYS)
def test_r_app_9_sample_precheck_matches_expect(api, samples, key):
    sample = samples[key]
    expect = sample["expect"]
    clerk = api("clerk_D030")  # any logged-in user of the district can pre-check
    body = {**body_of(sample), "as_of": sample["submitted_on"]}
    res = clerk.post("/applications/check", body)
    assert res.status_code == 200, res.content
    out = res.json()
    assert out["valid"] is expect["valid"]
    assert {e["rule"] for e in out["errors"]} == set(expect["errors"])
    assert {f["rule"] for f in out["flags"]} == set(expect["flags"])
    if "latest_submission_date" in expect:
        assert out["latest_submission_date"] == expect["latest_submission_date"]
    for item in out["errors"] + out["flags"]:
        assert item["field"] and item["rule"] in item["message"]


def test_r_prin_3_names_the_phrase(api, samples):
    res = api("clerk_D034").post("/applications/check", {**body_of(samples["food-safety-grid"]), "as_of": "2025-10-28"})
    flags = [f for f in res.json()["flags"] if f["rule"] == "R-PRIN-3"]
    assert {f["field"] for f in flags} >= {"summary"}
    summary = next(f for f in flags if f["field"] == "summary")
    assert "食品安全" in summary["phrase"] and "责任主体" in summary["phrase"]
    assert summary["phrase"] in samples["food-safety-grid"]["summary"]


def test_r_prin_3_publicity_only_is_allowed(api, samples):
    body = {**body_of(samples["health-elderly"]), "as_of": "2025-10-20"}
    body["duties"] = [{"text": "开展安全生产和食品安全宣传教育", "mode": "宣传教育"}]
    out = api("clerk_D030").post("/applications/check", body).json()
    assert not [f for f in out["flags"] if f["rule"] == "R-PRIN-3"]


def test_r_prin_2_each_unmoded_duty_flagged_on_its_line(api, samples):
    out = api("clerk_D028").post("/applications/check", {**body_of(samples["garbage-assessment"]), "as_of": "2025-11-03"}).json()
    assert [f["field"] for f in out["flags"] if f["rule"] == "R-PRIN-2"] == ["duties[1].mode"]


def test_r_app_4_exception_reason_turns_error_into_flag(api, samples):
    body = {**body_of(samples["garbage-assessment"]), "as_of": "2025-11-03"}
    body["support"] = {**body["support"], "exception_reason": "示范创建以政策指引为主，经费由街镇自筹"}
    out = api("clerk_D028").post("/applications/check", body).json()
    assert out["valid"] is True
    assert [f["field"] for f in out["flags"] if f["rule"] == "R-APP-4"] == ["support.exception_reason"]


def test_r_proc_4_seven_working_days_latest_date(api, samples):
    body = {**body_of(samples["census-simplified"]), "as_of": "2025-09-17"}
    assert api("clerk_D035").post("/applications/check", body).json()["valid"] is True
    body["as_of"] = "2025-09-18"
    out = api("clerk_D035").post("/applications/check", body).json()
    assert [e["rule"] for e in out["errors"]] == ["R-PROC-4"]
    assert out["latest_submission_date"] == "2025-09-17"


def test_r_proc_5_late_backfill_is_flagged_not_refused(api, samples):
    body = {**body_of(samples["typhoon-emergency"]), "as_of": "2025-08-04"}
    out = api("clerk_D032").post("/applications/check", body).json()
    assert out["valid"] is True
    assert [f["rule"] for f in out["flags"]] == ["R-PROC-5"]
    assert out["latest_submission_date"] is None


def test_r_proc_1_regular_outside_window(api, samples):
    body = {**body_of(samples["health-elderly"]), "as_of": "2025-06-02"}
    out = api("clerk_D030").post("/applications/check", body).json()
    assert [e["rule"] for e in out["errors"]] == ["R-PROC-1"]
    assert out["latest_submission_date"] == "2025-12-31"


def test_r_cal_1_unknown_year_is_a_rule_outcome(api, samples):
    body = {**body_of(samples["census-simplified"]), "as_of": "2026-12-20", "task_start": "2027-01-20"}
    body["time_limit"] = {"type": "annual"}
    res = api("clerk_D035").post("/applications/check", body)
    assert res.status_code == 200
    out = res.json()
    assert out["valid"] is False
    err = next(e for e in out["errors"] if e["rule"] == "R-CAL-1")
    assert err["field"] == "task_start" and "2027" in err["message"]


def test_r_app_8_all_errors_at_once_each_on_its_field(api):
    body = {"procedure": "regular", "kind": "new", "municipal_comparison": "reworded", "scope": "some",
            "involves": {"forms_or_system": True, "plaque": True}, "time_limit": {"type": "one_time", "start": "2025-12-01", "end": "2025-11-01"},
            "as_of": "2025-10-20"}
    out = api("clerk_D030").post("/applications/check", body).json()
    fields = {e["field"] for e in out["errors"]}
    assert {"name", "summary", "municipal_item", "involves.system_name", "involves.plaque_name", "basis.types",
            "basis.documents", "scope_committees", "time_limit.end", "duties", "support"} <= fields
    assert all("（R-" in e["message"] for e in out["errors"])


def test_r_app_2_unknown_municipal_item_and_committee(api, samples):
    body = {**body_of(samples["typhoon-emergency"]), "as_of": "2025-08-01"}
    body["municipal_item"] = "不存在的事项"
    body["scope_committees"] = ["S03C001", "S99C999"]
    out = api("clerk_D032").post("/applications/check", body).json()
    errors = {e["field"]: e["message"] for e in out["errors"]}
    assert "municipal_item" in errors and "S99C999" in errors["scope_committees"]


def test_r_app_2_basis_not_needed_when_same_as_municipal(api, samples):
    body = {**body_of(samples["census-simplified"]), "as_of": "2025-09-15", "basis": {"types": [], "documents": []}}
    out = api("clerk_D035").post("/applications/check", body).json()
    assert out["valid"] is True


def test_r_app_2_possible_duplicate_of_a_live_item_is_flagged(api, samples, putuo):
    from tests.conftest import d, user
    from zhunru.catalog.services import admit_application

    health = samples["health-elderly"]
    admit_application(actor=user("reviewer_D020"), application_id=999, district_id=putuo.pk, department_id=user("clerk_D030").organisation_id,
                      procedure="simplified", kind="new", content=body_of(health), decided_on=d("2025-10-22"), number="普准申〔2025〕9号")
    body = {**body_of(health), "as_of": "2025-10-27", "name": "老年人健康管理宣传动员"}
    out = api("clerk_D030").post("/applications/check", body).json()
    assert [(f["rule"], f["field"], f["phrase"]) for f in out["flags"]] == [("R-APP-2", "name", health["name"])]
    body["name"] = "专项统计调查入户登记协助"
    assert api("clerk_D030").post("/applications/check", body).json()["flags"] == []


def test_r_proc_1_adjust_must_point_at_a_live_item(api, samples):
    body = {**body_of(samples["health-elderly"]), "as_of": "2025-10-20", "kind": "adjust", "adjusts_item": "不存在的事项"}
    out = api("clerk_D030").post("/applications/check", body).json()
    assert [(e["rule"], e["field"]) for e in out["errors"]] == [("R-PROC-1", "adjusts_item")]


def test_r_app_2_an_approved_application_is_not_a_duplicate_of_its_own_item(putuo, samples):
    from tests.conftest import d, user
    from zhunru import clock
    from zhunru.intake import services
    from zhunru.review.services import decide

    with clock.pinned(d("2025-10-20")):
        app = services.create_application(user("clerk_D030"), body_of(samples["health-elderly"]))
        services.submit_application(user("clerk_D030"), app)
        app = services.sign_application(user("head_D030"), app)
    with clock.pinned(d("2025-11-10")):
        decide(user("reviewer_D020"), app, decision="approve")
    app.refresh_from_db()
    assert app.status == "approved"
    assert [f.rule for f in services.run_check(app, d("2025-11-10")).flags] == []
    # Another department's new application with the same name is still flagged.
    other = services.create_application(user("clerk_D030"), body_of(samples["health-elderly"]))
    assert [f.rule for f in services.run_check(other, d("2025-11-12")).flags] == ["R-APP-2"]
