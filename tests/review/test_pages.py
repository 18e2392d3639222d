"""The review's pages without a browser: the forms post to the same services (R-PROC-2, R-PROC-5, R-NOTE-1)."""

from django.core.management import call_command
from django.test import Client

from tests.conftest import user
from zhunru.intake.models import Application, VerbalReport
from zhunru.review.models import Invitation, Opinion, ReturnForRevision

from .conftest import sign_sample


def page(username):
    c = Client()
    c.force_login(user(username))
    return c


def test_r_proc_2_desk_forms_invite_return_and_handover(api, samples, on_day):
    from .conftest import add_reviewer

    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    r = page("reviewer_D020")
    html = r.get(f"/review/{app.pk}/").content.decode()
    assert "发出会签" in html and "退回申请部门修改" in html and "作出决定" in html
    res = r.post(f"/review/{app.pk}/invite", {"kind": "consultation", "organisations": ["S01", "S01C001"], "deadline_days": "2", "silence": "on"})
    assert res.status_code == 302
    assert Invitation.objects.filter(application=app, kind="consultation", silence_means_no_opinion=True).count() == 2
    # A bad one shows the message, changes nothing.
    res = r.post(f"/review/{app.pk}/invite", {"kind": "consultation", "organisations": ["D021"], "deadline_days": "x"}, follow=True)
    assert "不是" in res.content.decode() and Invitation.objects.filter(application=app).count() == 2
    # The management command records silence as 无意见 after the deadline (2025-10-23).
    on_day("2025-10-24")
    call_command("review_tick")
    assert Opinion.objects.filter(invitation__application=app, opinion="no_opinion").count() == 2
    call_command("review_tick")  # idempotent
    assert Opinion.objects.filter(invitation__application=app, opinion="no_opinion").count() == 2
    assert "无意见" in r.get(f"/review/{app.pk}/").content.decode()
    res = r.post(f"/review/{app.pk}/return", {"comment": "请补充支撑说明"}, follow=True)
    assert "已退回" in res.content.decode()
    assert ReturnForRevision.objects.get(application=app).version == 1
    assert Application.objects.get(pk=app.pk).status == "returned"
    # The clerk's application page carries the reviewer's comment.
    assert "请补充支撑说明" in page("clerk_D030").get(f"/applications/{app.pk}/").content.decode()
    add_reviewer()
    res = r.post(f"/review/{app.pk}/handover", {"to": "reviewer2_D020"}, follow=True)
    assert "退回" in res.content.decode()  # refused: it is with the department now


def test_r_proc_5_verbal_report_page_records_and_lists(api, on_day):
    on_day("2025-07-29")
    r = page("reviewer_D020")
    res = r.post("/review/verbal-reports/", {"department": "D032", "on": "2025-07-29", "by": "值班室", "channel": "phone",
                                             "content": "台风防御期间协助转移安置"}, follow=True)
    assert "补办截止 2025-08-01" in res.content.decode()
    assert VerbalReport.objects.get().backfill_due.isoformat() == "2025-08-01"
    on_day("2025-08-04")
    html = page("supervisor_D001").get("/review/verbal-reports/").content.decode()
    assert "逾期未补办" in html and "登记口头报告" not in html
    assert page("committee_S01C001").get("/review/verbal-reports/").status_code == 404
    assert page("unit_D021").get("/review/").status_code == 404
