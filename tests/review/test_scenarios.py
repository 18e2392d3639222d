"""The three scenarios of issue 3, through the API as other systems would drive it (R-PROC-2, R-PROC-5, R-DOC-1)."""

import io

import pytest
from docx import Document

from tests.conftest import Api
from zhunru.intake.models import ApplicationVersion, Status
from zhunru.review.models import Decision, Opinion

from .conftest import sign_sample

SIX_UNITS = ["D001", "D003", "D015", "D021", "D023", "D040"]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if cell._tc not in seen:
                    seen.add(cell._tc)
                    parts.append(cell.text)
    return "\n".join(parts)


def test_r_prin_3_r_proc_2_food_safety_grid_flag_joint_review_reject_and_docx(api, samples, on_day):
    sample = samples["food-safety-grid"]
    app = sign_sample(sample)
    on_day("2025-10-28")
    reviewer = Api("reviewer_D020")

    # The desk shows the negative-list flag with the phrase that triggered it.
    from django.test import Client
    page = Client()
    page.force_login(reviewer.user)
    html = page.get(f"/review/{app.pk}/").content.decode()
    assert "R-PRIN-3" in html and "<mark>" in html
    flag_phrase = html.split("<mark>")[1].split("</mark>")[0]
    assert "食品安全" in flag_phrase and flag_phrase in sample["summary"] + "".join(d["text"] for d in sample["duties"])

    res = reviewer.post(f"/applications/{app.pk}/invitations",
                        {"kind": "joint_review", "organisations": ["区司法局", "D001"], "deadline_days": 5, "silence_means_no_opinion": False})
    assert res.status_code == 201, res.content
    out = res.json()
    assert out["status"] == "in_review"
    assert {i["organisation"] for i in out["invitations"]} == {"D021", "D001"}
    assert all(i["deadline"] == "2025-11-04" and i["silence_means_no_opinion"] is False for i in out["invitations"])

    on_day("2025-10-30")
    res = Api("unit_D021").post(f"/applications/{app.pk}/opinions", {"opinion": "disagree", "comment": "将居委会作为食品安全责任主体，违反负面清单"})
    assert res.status_code == 201, res.content
    assert res.json()["late"] is False

    # 区委办 has not answered: the reviewer must say why she decides now.
    reason = "以居委会为食品安全网格责任主体，属于不得下派的行政管理事务（R-PRIN-3）"
    res = reviewer.post(f"/applications/{app.pk}/decision", {"decision": "reject", "reason": reason})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "override_reason"
    assert "区委办公室" in res.json()["errors"][0]["message"]
    res = reviewer.post(f"/applications/{app.pk}/decision", {"decision": "reject", "reason": reason, "suggestions": "改为食品安全宣传",
                                                             "override_reason": "负面清单问题明确，无需等待"})
    assert res.status_code == 200, res.content
    out = res.json()
    assert out["status"] == "rejected"
    assert out["decision"] == {"decision": "reject", "decision_label": "不同意", "reason": reason, "suggestions": "改为食品安全宣传",
                               "override_reason": "负面清单问题明确，无需等待", "outstanding": ["区委办公室"], "unit": "区民政局",
                               "name": "区民政局审核人", "date": "2025-10-30"}
    d021 = next(i for i in out["invitations"] if i["organisation"] == "D021")
    assert d021["opinions"][0]["opinion"] == "disagree"

    text = docx_text(reviewer.get(f"/applications/{app.pk}/form.docx").content)
    assert "不同意" in text and reason in text and "改为食品安全宣传" in text
    assert "区民政局（盖章）" in text and "2025年10月30日" in text
    assert "区司法局（会签）" in text and "违反负面清单" in text


def test_r_proc_2_health_elderly_joint_review_consultation_return_diff_approve(api, samples, on_day, monkeypatch):
    admitted = []
    monkeypatch.setattr("zhunru.review.services.admit_application", lambda **kw: admitted.append(kw))
    sample = samples["health-elderly"]
    app = sign_sample(sample)
    number = app.number
    on_day("2025-10-20")
    reviewer = Api("reviewer_D020")
    assert reviewer.post(f"/applications/{app.pk}/necessity", {"legality": "pass", "reasonableness": "pass", "necessity": "pass",
                                                               "comment": "有法律依据"}).status_code == 200
    res = reviewer.post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": SIX_UNITS})
    assert res.status_code == 201, res.content
    res = reviewer.post(f"/applications/{app.pk}/invitations", {"kind": "consultation", "organisations": ["S01", "S02", "S01C001", "S01C002", "S02C001"]})
    assert res.status_code == 201, res.content
    invs = res.json()["invitations"]
    assert len(invs) == 11
    consult = [i for i in invs if i["kind"] == "consultation"]
    assert all(i["silence_means_no_opinion"] for i in consult) and all(not i["silence_means_no_opinion"] for i in invs if i["kind"] == "joint_review")
    assert all(i["deadline"] == "2025-10-27" for i in invs)  # 5 working days after Mon 10-20

    # Everyone's to-do list has it, with working days left.
    todo = Api("street_S01").get("/todo").json()
    assert todo["counts"]["todo"] == 1 and todo["todo"][0]["working_days_left"] == 5

    on_day("2025-10-22")
    for code in SIX_UNITS:
        assert Api(f"unit_{code}").post(f"/applications/{app.pk}/opinions", {"opinion": "agree", "comment": "同意"}).status_code == 201
    assert Api("street_S01").post(f"/applications/{app.pk}/opinions", {"opinion": "comment", "comment": "建议明确体检登记分工"}).status_code == 201
    assert Api("committee_S01C001").post(f"/applications/{app.pk}/opinions", {"opinion": "agree"}).status_code == 201
    # A supplementary opinion is a new row; the first stays as it was.
    res = Api("street_S01").post(f"/applications/{app.pk}/opinions", {"opinion": "agree", "comment": "分工已沟通，同意"})
    assert res.json()["supplementary"] is True
    # A late one is accepted and marked late.
    on_day("2025-10-28")
    res = Api("street_S02").post(f"/applications/{app.pk}/opinions", {"opinion": "agree", "comment": "同意"})
    assert res.status_code == 201 and res.json()["late"] is True

    # Return for revision: the duty line changes, the head signs again, the number stays.
    res = reviewer.post(f"/applications/{app.pk}/return", {"comment": "第1条职责请写明宣传方式"})
    assert res.status_code == 200 and res.json()["status"] == "returned"
    assert Api("clerk_D030").get("/todo").json()["todo"][0]["kind"] == "returned"
    duties = [dict(x) for x in sample["duties"]]
    duties[0]["text"] = "在居民区通过宣传栏和微信群宣传老年人健康管理服务政策"
    clerk, head = Api("clerk_D030"), Api("head_D030")
    assert clerk.patch(f"/applications/{app.pk}", {"duties": duties}).status_code == 200
    assert clerk.post(f"/applications/{app.pk}/submit").status_code == 200
    res = head.post(f"/applications/{app.pk}/sign")
    assert res.status_code == 200, res.content
    assert res.json()["number"] == number and res.json()["status"] == "submitted"
    assert ApplicationVersion.objects.filter(application_id=app.pk).count() == 2
    # It comes back to the reviewer's queue.
    assert any(r["url"] == f"/review/{app.pk}/" for r in reviewer.get("/todo").json()["todo"])

    from django.test import Client
    page = Client()
    page.force_login(reviewer.user)
    html = page.get(f"/review/{app.pk}/").content.decode()
    assert "修改对比：第1版 → 第2版" in html and "居村任务职责清单第1条" in html
    assert "在居民区通过宣传栏和微信群宣传老年人健康管理服务政策" in html and "在居民区宣传老年人健康管理服务政策" in html

    # Past the deadline, the silent committees read as 无意见 (consultation), set by the system alone.
    res = reviewer.post(f"/applications/{app.pk}/decision", {"decision": "approve", "suggestions": "做好宣传"})
    assert res.status_code == 200, res.content
    out = res.json()
    assert out["status"] == "approved" and out["number"] == number
    silent = [i for i in out["invitations"] if i["organisation"] in ("S01C002", "S02C001")]
    assert [i["opinions"][0]["opinion"] for i in silent] == ["no_opinion", "no_opinion"]
    assert all(i["opinions"][0]["given_by"] == "system" for i in silent)
    assert out["decision"]["outstanding"] == []
    assert Opinion.objects.filter(invitation__application_id=app.pk, opinion="no_opinion", given_by__isnull=True).count() == 2
    assert len(admitted) == 1 and admitted[0]["application_id"] == app.pk and admitted[0]["number"] == number
    assert admitted[0]["content"]["duties"][0]["text"].startswith("在居民区通过宣传栏")
    # Final: a second decision is refused.
    res = reviewer.post(f"/applications/{app.pk}/decision", {"decision": "reject", "reason": "x"})
    assert res.status_code == 409 and "最终决定" in res.json()["errors"][0]["message"]
    assert Decision.objects.filter(application_id=app.pk).count() == 1


@pytest.mark.parametrize("backfill_on,state,flagged", [("2025-08-01", "on_time", False), ("2025-08-04", "late", True)])
def test_r_proc_5_typhoon_emergency_backfill_within_three_working_days(api, samples, on_day, backfill_on, state, flagged):
    from zhunru.review.queries import verbal_reports_for

    sample = samples["typhoon-emergency"]
    on_day("2025-07-29")
    vr = sample["verbal_report"]
    res = Api("reviewer_D020").post("/verbal-reports", {"department": "区应急管理局", "on": vr["on"], "by": vr["by"],
                                                        "channel": vr["channel"], "content": vr["content"]})
    assert res.status_code == 201, res.content
    report = res.json()
    assert report["backfill_due"] == "2025-08-01"  # Tue 07-29 + 3 working days
    app = sign_sample(sample, on=backfill_on, verbal_report_id=report["id"])
    on_day(backfill_on)
    out = Api("reviewer_D020").get(f"/applications/{app.pk}").json()
    assert out["verbal_report_id"] == report["id"]
    from zhunru.intake.services import run_check
    assert ("R-PROC-5" in {f.rule for f in run_check(app, app.submitted_on).flags}) is flagged
    views = verbal_reports_for(Api("supervisor_D001").user)
    assert [v.state for v in views] == [state]


def test_r_proc_5_report_not_backfilled_is_overdue_for_reviewer_and_supervisor(api, on_day):
    on_day("2025-07-29")
    assert Api("reviewer_D020").post("/verbal-reports", {"department": "D032", "on": "2025-07-29", "by": "值班室", "channel": "phone",
                                                         "content": "台风防御期间协助转移安置"}).status_code == 201
    on_day("2025-08-01")
    row = next(r for r in Api("reviewer_D020").get("/todo").json()["todo"] if r["kind"] == "verbal_report")
    assert row["overdue"] is False and row["working_days_left"] == 0
    assert not [r for r in Api("supervisor_D001").get("/todo").json()["todo"] if r["kind"] == "verbal_report"]
    on_day("2025-08-04")
    for who in ("reviewer_D020", "supervisor_D001"):
        row = next(r for r in Api(who).get("/todo").json()["todo"] if r["kind"] == "verbal_report")
        assert row["overdue"] is True and row["deadline"] == "2025-08-01" and row["working_days_left"] == -1
    assert Status.SUBMITTED  # the report exists before any application
