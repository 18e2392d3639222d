"""The application's life cycle through the API: draft → 待负责人签发 → 待审核, and what refuses."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import body_of, user
from zhunru.intake import services
from zhunru.intake.models import Application, Attachment, Status


@pytest.fixture
def oct20(settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)


def _docx_bytes() -> bytes:
    from docx import Document

    buf = io.BytesIO()
    Document().save(buf)
    return buf.getvalue()


def test_r_app_6_clerk_submits_head_signs_number_assigned(api, samples, oct20):
    clerk, head = api("clerk_D030"), api("head_D030")
    body = {**body_of(samples["health-elderly"]), "submitted_on": "2020-01-01", "head_signoff": {"name": "伪造", "date": "2020-01-01"}}
    res = clerk.post("/applications", body)
    assert res.status_code == 201, res.content
    app = res.json()
    assert app["status"] == "draft" and app["number"] is None and app["submitted_on"] is None and app["head_signoff"] is None
    assert app["name"] == samples["health-elderly"]["name"] and app["duties"] == samples["health-elderly"]["duties"]

    assert head.post(f"/applications/{app['id']}/sign").status_code == 409  # nothing to sign yet
    assert clerk.post(f"/applications/{app['id']}/sign").status_code == 403  # R-APP-6: the head signs, not the clerk
    res = clerk.post(f"/applications/{app['id']}/submit")
    assert res.status_code == 200 and res.json()["status"] == "awaiting_signoff"
    assert clerk.patch(f"/applications/{app['id']}", {"name": "改名"}).status_code == 409

    res = head.post(f"/applications/{app['id']}/sign")
    assert res.status_code == 200, res.content
    out = res.json()
    assert out["status"] == "submitted" and out["status_label"] == "待审核"
    assert out["number"] == "普准申〔2025〕1号"
    assert out["submitted_on"] == "2025-10-20"
    assert out["head_signoff"] == {"name": "区卫生健康委员会主要负责人", "date": "2025-10-20"}
    assert Application.objects.get(pk=app["id"]).versions.count() == 1


def test_r_app_8_submission_with_many_faults_gets_all_at_once(api, oct20):
    clerk = api("clerk_D030")
    app = clerk.post("/applications", {"procedure": "regular", "involves": {"plaque": True}}).json()
    res = clerk.post(f"/applications/{app['id']}/submit")
    assert res.status_code == 422
    errors = res.json()["errors"]
    fields = {e["field"] for e in errors}
    assert {"name", "summary", "municipal_comparison", "involves.plaque_name", "scope", "time_limit.type", "duties", "support"} <= fields
    assert any(e["message"] == "委局支撑清单原则上至少填报2个支撑类型（现有0个），或说明例外理由（R-APP-4）" for e in errors)
    assert Application.objects.get(pk=app["id"]).status == Status.DRAFT


def test_r_app_8_draft_saved_whatever_it_holds(api):
    clerk = api("clerk_D030")
    app = clerk.post("/applications", {"name": "只写了名字"}).json()
    res = clerk.patch(f"/applications/{app['id']}", {"duties": [{"text": "半条职责"}], "scope": "some"})
    assert res.status_code == 200
    out = clerk.get(f"/applications/{app['id']}").json()
    assert out["name"] == "只写了名字" and out["duties"][0]["text"] == "半条职责" and out["scope"] == "some"


def test_malformed_body_is_422_with_fields_named(api):
    clerk = api("clerk_D030")
    res = clerk.post("/applications", {"procedure": "fast", "task_start": "2025-02-30", "duties": "一条"})
    assert res.status_code == 422
    fields = {e["field"] for e in res.json()["errors"]}
    assert {"procedure", "task_start", "duties"} <= fields
    assert all(e["message"] for e in res.json()["errors"])
    res = clerk.client.post("/api/v1/applications/check", data="{not json", content_type="application/json", headers=clerk.headers)
    assert res.status_code in (400, 422) and res.json()["errors"]


def test_r_proc_2_withdraw_until_decision_keeps_number(api, samples, oct20):
    clerk, head = api("clerk_D030"), api("head_D030")
    app = clerk.post("/applications", body_of(samples["health-elderly"])).json()
    clerk.post(f"/applications/{app['id']}/submit")
    number = head.post(f"/applications/{app['id']}/sign").json()["number"]
    res = clerk.post(f"/applications/{app['id']}/withdraw")
    assert res.status_code == 200 and res.json()["status"] == "withdrawn" and res.json()["number"] == number
    assert clerk.post(f"/applications/{app['id']}/withdraw").status_code == 409


def test_head_sends_back_with_comment(api, samples, oct20):
    clerk, head = api("clerk_D030"), api("head_D030")
    app = clerk.post("/applications", body_of(samples["health-elderly"])).json()
    clerk.post(f"/applications/{app['id']}/submit")
    assert head.post(f"/applications/{app['id']}/send-back", {"comment": ""}).status_code == 422
    res = head.post(f"/applications/{app['id']}/send-back", {"comment": "请补充课程安排"})
    assert res.status_code == 200 and res.json()["status"] == "draft" and res.json()["sent_back_comment"] == "请补充课程安排"
    assert clerk.patch(f"/applications/{app['id']}", {"courses": []}).status_code == 200


def test_r_proc_4_simplified_needs_policy_document_at_signoff(api, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 9, 15)
    clerk, head = api("clerk_D035"), api("head_D035")
    app = clerk.post("/applications", body_of(samples["census-simplified"])).json()
    assert clerk.post(f"/applications/{app['id']}/submit").status_code == 200
    res = head.post(f"/applications/{app['id']}/sign")
    assert res.status_code == 422
    assert [e["rule"] for e in res.json()["errors"]] == ["R-PROC-4"] and res.json()["errors"][0]["field"] == "attachments"
    upload = SimpleUploadedFile("通知.docx", _docx_bytes())
    res = clerk.client.post(f"/api/v1/applications/{app['id']}/attachments", {"file": upload, "kind": "policy"}, headers=clerk.headers)
    assert res.status_code == 201 and res.json()["type"] == "docx"
    res = head.post(f"/applications/{app['id']}/sign")
    assert res.status_code == 200 and res.json()["number"] == "普准申〔2025〕1号"


def test_r_proc_4_signoff_rechecks_against_the_signing_day(api, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 9, 17)
    clerk, head = api("clerk_D035"), api("head_D035")
    app = clerk.post("/applications", body_of(samples["census-simplified"])).json()
    assert clerk.post(f"/applications/{app['id']}/submit").status_code == 200
    clerk.client.post(f"/api/v1/applications/{app['id']}/attachments", {"file": SimpleUploadedFile("a.docx", _docx_bytes())}, headers=clerk.headers)
    settings.ZHUNRU_TODAY = datetime.date(2025, 9, 18)  # the head signs one day too late
    res = head.post(f"/applications/{app['id']}/sign")
    assert res.status_code == 422 and [e["rule"] for e in res.json()["errors"]] == ["R-PROC-4"]


def test_r_proc_5_emergency_linked_to_verbal_report(api, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 7, 29)
    reviewer = api("reviewer_D020")
    res = reviewer.post("/verbal-reports", {"department": "D032", "on": "2025-07-29", "by": "区应急管理局值班室", "channel": "phone", "content": "台风转移安置"})
    assert res.status_code == 201 and res.json()["backfill_due"] == "2025-08-01"
    assert api("clerk_D032").post("/verbal-reports", {"department": "D032", "on": "2025-07-29", "by": "x", "channel": "phone", "content": "x"}).status_code == 403
    report_id = res.json()["id"]
    settings.ZHUNRU_TODAY = datetime.date(2025, 8, 4)  # one working day late
    clerk, head = api("clerk_D032"), api("head_D032")
    body = {k: v for k, v in body_of(samples["typhoon-emergency"]).items() if k != "verbal_report"}
    app = clerk.post("/applications", {**body, "verbal_report_id": report_id}).json()
    assert app["verbal_report_id"] == report_id and app["backfill_due"] == "2025-08-01"
    assert clerk.post(f"/applications/{app['id']}/submit").status_code == 200
    assert head.post(f"/applications/{app['id']}/sign").status_code == 200  # late is accepted
    check = services.run_check(Application.objects.get(pk=app["id"]), datetime.date(2025, 8, 4))
    assert [f.rule for f in check.flags] == ["R-PROC-5"]
    # Another department's report cannot be linked.
    other = api("clerk_D030").post("/applications", {"procedure": "emergency", "verbal_report_id": report_id})
    assert other.status_code == 422 and other.json()["errors"][0]["field"] == "verbal_report_id"


def test_r_app_7_disguised_and_oversize_uploads_refused_nothing_stored(api, settings, tmp_path):
    clerk = api("clerk_D030")
    app = clerk.post("/applications", {"name": "附件测试"}).json()
    url = f"/api/v1/applications/{app['id']}/attachments"
    fake = SimpleUploadedFile("政策.pdf", b"MZ\x90\x00" + b"\x00" * 100)  # a Windows program named .pdf
    res = clerk.client.post(url, {"file": fake}, headers=clerk.headers)
    assert res.status_code == 422 and "政策.pdf" in res.json()["errors"][0]["message"] and "R-APP-7" in res.json()["errors"][0]["message"]
    settings.ZHUNRU_MAX_UPLOAD_BYTES = 1000
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    res = clerk.client.post(url, {"file": big}, headers=clerk.headers)
    assert res.status_code == 422 and "大小限制" in res.json()["errors"][0]["message"]
    assert Attachment.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True
    ok = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4\n%%EOF\n")
    res = clerk.client.post(url, {"file": ok}, headers=clerk.headers)
    assert res.status_code == 201
    stored = Attachment.objects.get()
    assert ".." not in stored.file.name and stored.file.name.startswith("attachments/") and stored.detected_type == "pdf"


def test_html_in_text_is_shown_as_text(api, client, samples, oct20):
    clerk = api("clerk_D030")
    body = body_of(samples["health-elderly"])
    body["name"] = "<script>alert(1)</script>"
    body["summary"] = "<img src=x onerror=alert(2)>"
    app = clerk.post("/applications", body).json()
    client.force_login(user("clerk_D030"))
    for url in (f"/applications/{app['id']}/", f"/applications/{app['id']}/edit", "/applications/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_form_docx_download(api, samples, oct20):
    from docx import Document

    clerk, head = api("clerk_D030"), api("head_D030")
    app = clerk.post("/applications", body_of(samples["health-elderly"])).json()
    clerk.post(f"/applications/{app['id']}/submit")
    head.post(f"/applications/{app['id']}/sign")
    res = clerk.get(f"/applications/{app['id']}/form.docx")
    assert res.status_code == 200 and res["Content-Type"].startswith("application/vnd.openxmlformats")
    doc = Document(io.BytesIO(res.content))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert "普准申〔2025〕1号" in text and "老年人健康管理服务宣传动员" in text and "☑" in text and "区卫生健康委员会" in text


def test_create_refuses_another_department_in_body(api, samples):
    res = api("clerk_D030").post("/applications", {**body_of(samples["health-elderly"]), "department": "区统计局"})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "department"


def test_draft_page_save_and_submit_through_the_form(client, putuo, samples, oct20):
    """The page posts flat names; the same service saves them."""
    clerk = user("clerk_D030")
    client.force_login(clerk)
    res = client.post("/applications/new")
    app = Application.objects.get(created_by=clerk)
    assert res.status_code == 302 and res["Location"].endswith(f"/applications/{app.pk}/edit")
    s = samples["health-elderly"]
    post = {
        "procedure": "regular", "kind": "new", "name": s["name"], "summary": s["summary"], "municipal_comparison": "new",
        "involves.forms_or_system": "on", "involves.system_name": "社区云", "basis.types": ["laws"], "basis.documents": s["basis"]["documents"][0],
        "scope": "all", "time_limit.type": "ongoing",
        "duties[0].text": s["duties"][0]["text"], "duties[0].mode": s["duties"][0]["mode"],
        "duties[1].text": s["duties"][1]["text"], "duties[1].mode": s["duties"][1]["mode"],
        "duties[2].text": s["duties"][2]["text"], "duties[2].mode": s["duties"][2]["mode"], "duties[3].text": "", "duties[3].mode": "",
        "support.funding.amount": s["support"]["funding"]["amount"], "support.funding.way": s["support"]["funding"]["way"],
        "support.manpower.source": s["support"]["manpower"]["source"], "support.policy.handbook": s["support"]["policy"]["handbook"],
        "courses[0].name": s["courses"][0]["name"], "courses[0].audience": s["courses"][0]["audience"],
        "courses[0].frequency": s["courses"][0]["frequency"], "courses[0].department": s["courses"][0]["department"],
        "action": "submit",
    }
    res = client.post(f"/applications/{app.pk}/edit", post)
    assert res.status_code == 302, res.content.decode()[:2000]
    app.refresh_from_db()
    assert app.status == Status.AWAITING_SIGNOFF
    for key in ("name", "summary", "duties", "support", "courses", "basis", "scope", "time_limit"):
        assert app.content[key] == s[key], key
