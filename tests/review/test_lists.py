"""To-do lists for everyone (R-NOTE-1) and the reviewer's queue: counts in the navigation, working days
left, red when overdue; the same number of SQL queries for 4 rows as for 40."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.conftest import Api, user
from zhunru.intake.models import Application, ApplicationVersion, Status
from zhunru.orgs.models import Organisation
from zhunru.review.models import Invitation

from .conftest import sign_sample


def _bulk_apps(n: int, start: int):
    """n applications in review with an invitation to D021 each: rows for both the reviewer's and the unit's list."""
    dept = Organisation.objects.get(code="D030")
    clerk, reviewer = user("clerk_D030"), user("reviewer_D020")
    d021 = Organisation.objects.get(code="D021")
    for i in range(start, start + n):
        app = Application.objects.create(district=dept.district, department=dept, created_by=clerk, status=Status.IN_REVIEW,
                                         procedure="regular", name=f"测试任务{i}", content={"name": f"测试任务{i}"},
                                         number=f"普准申〔2025〕{i}号", number_year=2025, number_seq=i,
                                         submitted_on=datetime.date(2025, 10, 20))
        ApplicationVersion.objects.create(application=app, version=1, content=app.content, signed_on=app.submitted_on, signed_by=clerk)
        Invitation.objects.create(district=dept.district, application=app, kind="joint_review", organisation=d021, invited_by=reviewer,
                                  invited_on=datetime.date(2025, 10, 20), deadline_days=5, deadline=datetime.date(2025, 10, 27),
                                  silence_means_no_opinion=False)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        res = client.get(url)
    assert res.status_code == 200
    return len(ctx.captured_queries), res


@pytest.mark.parametrize("url,who", [("/todo/", "reviewer_D020"), ("/todo/", "unit_D021"), ("/review/", "reviewer_D020"),
                                     ("/todo/?tab=started", "reviewer_D020"), ("/todo/?tab=started", "clerk_D030")])
def test_r_note_1_list_queries_do_not_grow_with_rows(api, settings, url, who):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 22)
    page = Client()
    page.force_login(user(who))
    _bulk_apps(4, 1)
    few, res = _queries(page, url)
    assert res.content.decode().count("测试任务") >= 4
    _bulk_apps(36, 5)
    many, res = _queries(page, url)
    assert res.content.decode().count("测试任务") >= 40
    assert few == many, (few, many)


def test_r_note_1_everyone_has_a_todo_with_counts_and_overdue_in_red(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    reviewer = Api("reviewer_D020")
    assert reviewer.get("/todo").json()["counts"]["todo"] == 1
    reviewer.post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021"], "deadline_days": 2})
    reviewer.post(f"/applications/{app.pk}/invitations", {"kind": "consultation", "organisations": ["S01", "S01C001"], "deadline_days": 3})
    for who in ("unit_D021", "street_S01", "committee_S01C001"):
        out = Api(who).get("/todo").json()
        assert out["counts"]["todo"] == 1, who
        assert out["todo"][0]["url"].startswith("/review/invitations/")
    row = Api("unit_D021").get("/todo").json()["todo"][0]
    assert row["deadline"] == "2025-10-23" and row["working_days_left"] == 2 and row["overdue"] is False

    page = Client()
    page.force_login(user("unit_D021"))
    html = page.get("/todo/").content.decode()
    assert 'id="nav-todo">待办<span class="navcount">1</span>' in html and "剩 2 个工作日" in html
    on_day("2025-10-27")
    html = page.get("/todo/").content.decode()
    assert 'class="overdue"' in html and "逾期 2 个工作日" in html
    assert Api("unit_D021").get("/todo").json()["todo"][0]["working_days_left"] == -2

    # Answering moves it to 已办; the reviewer's 我发起的 lists what was sent.
    Api("unit_D021").post(f"/applications/{app.pk}/opinions", {"opinion": "agree"})
    out = Api("unit_D021").get("/todo").json()
    assert out["counts"] == {"todo": 0, "done": 1, "started": 0}
    assert reviewer.get("/todo").json()["counts"]["started"] == 3
    # The head's sign-off and the clerk's returned application are to-dos too.
    reviewer.post(f"/applications/{app.pk}/return", {"comment": "请修改第2条"})
    row = Api("clerk_D030").get("/todo").json()["todo"][0]
    assert row["kind"] == "returned" and "请修改第2条" in row["detail"]
    Api("clerk_D030").post(f"/applications/{app.pk}/submit")
    assert Api("head_D030").get("/todo").json()["todo"][0]["kind"] == "signoff"


def test_r_note_1_notifications_in_app_and_by_email(api, samples, on_day, settings, mailoutbox, django_capture_on_commit_callbacks):
    u = user("unit_D021")
    u.email = "d021@example.org"
    u.save()
    reviewer = user("reviewer_D020")
    reviewer.email = "mzj@example.org"
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):  # mail goes out after the commit
        app = sign_sample(samples["health-elderly"])  # signing tells the district's reviewers
    assert [m.to for m in mailoutbox] == [["mzj@example.org"]]
    on_day("2025-10-21")
    with django_capture_on_commit_callbacks(execute=True):
        Api("reviewer_D020").post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021"]})
    mail = mailoutbox[-1]
    assert mail.to == ["d021@example.org"] and "会签" in mail.subject
    page = Client()
    page.force_login(u)
    html = page.get("/todo/").content.decode()
    assert 'id="nav-notifications">消息<span class="navcount">1</span>' in html
    from zhunru.notifications.models import Notification

    note = Notification.objects.get(user=u)
    res = page.get(f"/notifications/{note.pk}/")
    assert res.status_code == 302 and res["Location"] == note.url and note.url.startswith("/review/invitations/")
    note.refresh_from_db()
    assert note.read_at is not None and note.emailed
    assert "navcount" not in page.get("/notifications/").content.decode().split("</nav>")[0].split("nav-notifications")[1]
    # Someone else's notification is not theirs to open.
    other = Client()
    other.force_login(user("unit_D023"))
    assert other.get(f"/notifications/{note.pk}/").status_code == 404
