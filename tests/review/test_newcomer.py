"""What a newcomer saw on the desk, the queue and the to-do page, fixed: each test reads the page as a user does."""

import datetime
import re

import pytest
from django.test import Client

from tests.conftest import Api, user
from zhunru.intake.rules import CheckContext, check_application
from zhunru.review import services
from zhunru.review.labels import field_label
from zhunru.review.models import Invitation
from zhunru.workdays.rules import Schedule

from .conftest import sign_sample
from .test_scenarios import docx_text


def page(username):
    c = Client()
    c.force_login(user(username))
    return c


def section(html: str, element_id: str) -> str:
    """The text of the element with this id, up to its closing tag of the same name (good enough for our pages)."""
    m = re.search(rf'<(\w+)[^>]*id="{element_id}"', html)
    assert m, f"#{element_id} not on the page"
    tag = m.group(1)
    end = html.find(f"</{tag}>", m.end())
    return html[m.start():end]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# ---- 1. after the decision an unanswered invitation is closed, not "待答复（剩 5 个工作日）"

def test_unanswered_invitation_is_closed_once_decided_on_desk_invitee_page_and_docx(api, samples, on_day):
    app = sign_sample(samples["food-safety-grid"], on="2025-10-20")
    on_day("2025-10-20")
    reviewer = Api("reviewer_D020")
    assert reviewer.post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D001"]}).status_code == 201
    assert Api("unit_D021").post(f"/applications/{app.pk}/opinions", {"opinion": "disagree", "comment": "违反负面清单"}).status_code == 201
    res = reviewer.post(f"/applications/{app.pk}/decision", {"decision": "reject", "reason": "负面清单事项", "override_reason": "问题明确"})
    assert res.status_code == 200, res.content

    desk = page("reviewer_D020").get(f"/review/{app.pk}/").content.decode()
    matrix = text(section(desk, "matrix"))
    assert "未答复（审核已结束）" in matrix
    assert "待答复" not in matrix and "剩 5 个工作日" not in matrix

    # The invitee: its to-do no longer holds it; its page says the review has ended and offers no answer form.
    unit = page("unit_D001")
    assert app.number not in unit.get("/todo/").content.decode()
    inv = Invitation.objects.get(application=app, organisation__code="D001")
    html = unit.get(f"/review/invitations/{inv.pk}/").content.decode()
    assert "审核已结束" in text(section(html, "review-ended")) and "不同意" in text(section(html, "review-ended"))
    assert 'class="opinion-form"' not in html and "提交意见" not in html
    panel = unit.get(f"/applications/{app.pk}/").content.decode()
    assert "审核已结束，无需再提出意见" in panel and "提出意见</a>" not in panel

    # The downloaded form lists it in the 会签 table as 未答复.
    docx = docx_text(reviewer.get(f"/applications/{app.pk}/form.docx").content)
    assert "区委办公室（会签）" in docx and "未答复" in docx
    assert "区司法局（会签）" in docx and "违反负面清单" in docx


def test_unanswered_invitation_is_closed_once_withdrawn(api, samples, on_day):
    from zhunru.intake import services as intake

    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    assert Api("reviewer_D020").post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021"]}).status_code == 201
    intake.withdraw_application(user("clerk_D030"), app)
    inv = Invitation.objects.get(application=app)
    html = page("unit_D021").get(f"/review/invitations/{inv.pk}/").content.decode()
    assert "申请部门已撤回该申请" in html and "提交意见" not in html
    assert "未答复（审核已结束）" in text(section(page("reviewer_D020").get(f"/review/{app.pk}/").content.decode(), "matrix"))


# ---- 2. hint headings in Chinese, the rule code small beside them

RULE_PATHS = ["department", "procedure", "kind", "adjusts_item", "exit_reason", "task_start", "name", "summary", "municipal_comparison",
              "municipal_item", "involves", "involves.system_name", "involves.assessment_name", "involves.plaque_name", "basis.types",
              "basis.documents", "scope", "scope_committees", "time_limit.type", "time_limit.start", "time_limit.end",
              "time_limit.description", "duties", "duties[0].text", "duties[0].mode", "duties[11].mode", "support",
              "support.exception_reason", "courses[0].name", "courses[2].name", "verbal_report", "verbal_report.on",
              "verbal_report.by", "verbal_report.content", "verbal_report.channel", "verbal_report_id", "attachments", "as_of"]


@pytest.mark.parametrize("path", RULE_PATHS)
def test_field_label_is_chinese_for_every_rule_path(path):
    label = field_label(path)
    assert label and not re.search(r"[A-Za-z_]", label), (path, label)


def test_field_label_examples_and_every_path_the_rules_emit():
    assert field_label("name") == "任务名称"
    assert field_label("duties[0].mode") == "第1条职责的协助方式"
    assert field_label("support") == "委局支撑清单"
    assert field_label("scope") == "下派范围"
    assert field_label("basis.documents") == "来源依据文件名称"
    assert field_label("no.such[path]") == "no.such[path]"
    # Every field the rules report for broken forms, whatever they are, reads in Chinese.
    ctx = CheckContext(as_of=datetime.date(2025, 11, 3), schedule=Schedule(loaded_years=frozenset({2025})))
    forms = [{}, {"kind": "exit"}, {"kind": "adjust", "procedure": "simplified", "task_start": "x"},
             {"procedure": "emergency", "verbal_report": {"on": "2025-10-01"}}, {"procedure": "emergency", "verbal_report": {"on": "x"}},
             {"name": "x" * 60, "municipal_comparison": "same", "involves": {"forms_or_system": True, "assessment": True, "plaque": True},
              "basis": {"types": ["bad"]}, "scope": "some", "time_limit": {"type": "one_time", "start": "x"},
              "duties": [{"text": "巡查", "mode": ""}, {"text": "执法", "mode": "执法"}], "support": {"exception_reason": "无"},
              "courses": [{"audience": "居委"}]},
             {"time_limit": {"type": "other"}, "scope": "some", "scope_committees": ["nowhere"]}]
    paths = {p.field for f in forms for p in [*check_application(f, ctx).errors, *check_application(f, ctx).flags]}
    assert {"duties[0].mode", "courses[0].name", "verbal_report.by", "support.exception_reason"} <= paths
    for path in paths:
        assert not re.search(r"[A-Za-z_]", field_label(path)), path


def test_desk_flag_heading_shows_chinese_field_and_small_rule_code(api, samples, on_day):
    app = sign_sample(samples["food-safety-grid"])
    on_day("2025-10-28")
    flags = section(page("reviewer_D020").get(f"/review/{app.pk}/").content.decode(), "flags")
    assert "第1条职责的协助方式" in flags
    assert re.search(r'<span class="rule small"[^>]*>R-PRIN-2</span>', flags)
    assert "duties[0].mode" not in flags and ">name<" not in flags


# ---- 3. already invited this round: ticked, disabled, 已邀请

def test_invite_box_shows_already_invited_ticked_and_disabled(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    r = page("reviewer_D020")
    r.post(f"/review/{app.pk}/invite", {"kind": "joint_review", "organisations": ["D021"], "deadline_days": "5"})
    r.post(f"/review/{app.pk}/invite", {"kind": "consultation", "organisations": ["S01C001"], "deadline_days": "5", "silence": "on"})
    box = section(r.get(f"/review/{app.pk}/").content.decode(), "invite")
    assert re.search(r'<label class="invited"><input type="checkbox" value="D021" checked disabled> 区司法局 <span[^>]*>已邀请</span>', box)
    assert re.search(r'<input type="checkbox" value="S01C001" checked disabled>', box)
    assert 'name="organisations" value="D021"' not in box and 'name="organisations" value="D001"' in box
    # The server still refuses a second invitation in this round.
    res = r.post(f"/review/{app.pk}/invite", {"kind": "joint_review", "organisations": ["D021"], "deadline_days": "5"}, follow=True)
    assert "本轮已邀请：区司法局" in res.content.decode()
    assert Invitation.objects.filter(application=app, organisation__code="D021").count() == 1


# ---- 4. the matrix heading

def test_matrix_heading_is_plain_with_counts(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    assert Api("reviewer_D020").post(f"/applications/{app.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D001", "D003"]}).status_code == 201
    assert Api("unit_D021").post(f"/applications/{app.pk}/opinions", {"opinion": "agree"}).status_code == 201
    matrix = section(page("reviewer_D020").get(f"/review/{app.pk}/").content.decode(), "matrix")
    assert "<h2>会签与征求意见</h2>" in matrix and "×" not in matrix
    assert "共 3 家，已答复 1 家" in text(matrix)


# ---- 5. waited so long, and who will take it

def test_queue_and_desk_show_waiting_days_and_unassigned_explained(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])  # Mon 2025-10-20
    r = page("reviewer_D020")
    on_day("2025-10-20")
    assert "今日提交" in text(section(r.get("/review/").content.decode(), "queue"))
    on_day("2025-10-27")  # five working days later: shown in orange
    html = r.get("/review/").content.decode()
    queue = text(section(html, "queue"))
    assert "已等待 5 个工作日" in queue and "未分配（首位处理的审核人承办）" in queue
    assert '<span class="waited long">已等待 5 个工作日</span>' in html
    desk = r.get(f"/review/{app.pk}/").content.decode()
    assert "已等待 5 个工作日" in text(section(desk, "app-waited"))
    assert "未分配（首位处理的审核人承办）" in desk
    # Once someone acts, the desk names them and no longer says 未分配.
    services.record_necessity(user("reviewer_D020"), app, legality="pass", reasonableness="pass", necessity="pass")
    assert "未分配" not in r.get(f"/review/{app.pk}/").content.decode()


def test_waiting_falls_back_to_calendar_days_in_a_year_without_calendar(api, samples, on_day):
    app = sign_sample(samples["health-elderly"])  # 2025-10-20
    on_day("2027-01-04")  # 2027 has no holiday schedule
    r = page("reviewer_D020")
    res = r.get("/review/")
    assert res.status_code == 200
    assert "已等待 441 天" in text(res.content.decode()) and "按自然日计" in text(res.content.decode())
    res = r.get(f"/review/{app.pk}/")
    assert res.status_code == 200 and "已等待 441 天" in res.content.decode()


# ---- 6. /todo/ is a good landing page for every role

@pytest.mark.parametrize("who,empty", [
    ("unit_D021", "暂无待办：会签和征求意见邀请会出现在这里"),
    ("street_S01", "暂无待办：会签和征求意见邀请会出现在这里"),
    ("committee_S01C001", "暂无待办：会签和征求意见邀请会出现在这里"),
    ("reviewer_D020", "暂无待办：提交审核的申请和待补办的口头报告会出现在这里"),
    ("clerk_D030", "暂无待办：退回修改的申请和待补办申请的口头报告会出现在这里"),
    ("head_D030", "暂无待办：待您签发的申请会出现在这里"),
    ("supervisor_D001", "暂无待办：逾期未补办或逾期补办的口头报告会出现在这里"),
    ("discipline_D012", "暂无待办。"),
])
def test_todo_landing_page_heading_and_empty_state_per_role(api, on_day, who, empty):
    on_day("2025-10-21")
    html = page(who).get("/todo/").content.decode()
    assert "<h1>我的工作台</h1>" in html and "待办 <b>" in html
    assert text(section(html, "todo-empty")).strip() == empty
    assert "需要您处理的事项" in html or who == "discipline_D012"


def test_todo_landing_page_shortcuts_and_tabs_fit_the_role(api, on_day):
    on_day("2025-10-21")
    reviewer = page("reviewer_D020").get("/todo/").content.decode()
    assert 'href="/review/"' in reviewer and "我发起的" in reviewer
    clerk = page("clerk_D030").get("/todo/").content.decode()
    assert 'action="/applications/new"' in clerk and "＋ 新建申请</button>" in clerk and "我发起的" in clerk
    assert "新建申请" not in page("unit_D021").get("/todo/").content.decode()
    unit = page("unit_D021").get("/todo/").content.decode()
    assert "?tab=started" not in unit  # a review unit starts nothing
    assert "暂无已办事项" in page("unit_D021").get("/todo/?tab=done").content.decode()
