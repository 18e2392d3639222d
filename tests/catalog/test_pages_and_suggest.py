"""The pages of the lists, and R-PROC-7's proposal of the municipal comparison on the application form."""

import datetime

import pytest

from zhunru.catalog.rules import compare_versions, round_action, suggest_comparison
from zhunru.orgs.models import User

from .helpers import approve_directly, corrected_garbage


@pytest.mark.parametrize(("name", "comparison", "item"), [
    ("生活垃圾分类宣传动员", "same", "生活垃圾分类宣传动员"),
    ("生活垃圾分类示范小区创建", "reworded", "生活垃圾分类宣传动员"),
    ("老年人健康管理服务宣传动员", "new", None),
])
def test_r_proc_7_system_proposes_the_comparison(putuo, api, name, comparison, item):
    answer = api("clerk_D028").get(f"/municipal-lists/suggest?name={name}").json()
    assert (answer["comparison"], answer["name"]) == (comparison, item), answer


def test_r_proc_7_suggestion_is_pure():
    municipal = [{"code": "M1", "name": "兵役登记和征兵宣传动员", "content": ""}]
    assert suggest_comparison("兵役登记宣传", "", municipal)["comparison"] == "reworded"
    assert suggest_comparison("", "", [])["comparison"] == "new"


def test_round_rules_and_version_compare_are_pure():
    assert round_action("ongoing", None, 2026) == "carry"
    assert round_action("annual", None, 2026) == "propose"
    assert round_action("one_time", datetime.date(2025, 6, 30), 2026) == "drop"
    assert round_action("one_time", datetime.date(2026, 3, 1), 2026) == "carry"
    old = [{"lineage": "a", "name": "A", "summary": "x", "status": "active", "version": 1},
           {"lineage": "b", "name": "B", "status": "active"}]
    new = [{"lineage": "a", "name": "A", "summary": "y", "status": "active", "version": 2},
           {"lineage": "b", "name": "B", "status": "exited", "exited_on": "2026-07-01"},
           {"lineage": "c", "name": "C", "status": "active"}]
    diff = compare_versions(old, new)
    assert [a["name"] for a in diff["added"]] == ["C"]
    assert diff["changed"][0]["fields"] == [{"field": "summary", "label": "概述", "old": "x", "new": "y"}]
    assert [e["name"] for e in diff["exited"]] == ["B"]


def test_plan_list_pages_for_reviewer_and_department(putuo, client, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 9)
    reviewer = User.objects.get(username="reviewer_D020")
    client.force_login(reviewer)
    assert "开启2026年度清单编制" in client.get("/lists/2026/").content.decode()
    page = client.post("/lists/2026/open", follow=True).content.decode()
    assert "已开启2026年度清单编制" in page
    garbage, _ = approve_directly(samples["garbage-assessment"], submitted_on="2025-11-03", decided_on="2025-11-20",
                                  **corrected_garbage(samples["garbage-assessment"]))
    assert "待发布（下一版本）" in client.get("/lists/2026/").content.decode()
    settings.ZHUNRU_TODAY = datetime.date(2025, 12, 15)
    assert "已发布2026年区级清单第1版" in client.post("/lists/2026/publish", follow=True).content.decode()
    assert "已报备（普民〔2025〕1号）" in client.post("/lists/2026/file", follow=True).content.decode()
    page = client.get("/lists/2026/").content.decode()
    assert garbage.name in page and "报备记录" in page and "现行第1版" in page
    assert client.get("/lists/2026/export.xlsx").status_code == 200
    assert client.get("/lists/2026/export.docx").status_code == 200
    assert client.get("/lists/2026/filing-letter.docx").status_code == 200
    assert "表述调整" in client.get("/lists/2026/compare?with=municipal").content.decode()
    assert client.get("/lists/2026/compare?with=7").status_code == 404
    item_page = client.get(f"/lists/items/{garbage.pk}/").content.decode()
    assert "垃圾分类示范小区" in item_page and "委局支撑清单" in item_page and "备案退出" not in item_page

    client.force_login(User.objects.get(username="clerk_D028"))
    item_page = client.get(f"/lists/items/{garbage.pk}/").content.decode()
    assert "备案退出" in item_page
    settings.ZHUNRU_TODAY = datetime.date(2026, 2, 1)
    done = client.post(f"/lists/items/{garbage.pk}/exit", {"reason": "创建工作并入街镇统一安排"}, follow=True).content.decode()
    assert "已备案退出" in done
    assert "已退出（备案退出）" in client.get("/lists/2026/").content.decode()
    # A committee sees the list, not the reviewer's buttons.
    client.force_login(User.objects.get(username="committee_S01C001"))
    page = client.get("/lists/2026/").content.decode()
    assert garbage.name in page and "发布新版本" not in page
    assert client.post("/lists/2026/publish", follow=True).status_code == 200
    assert "只有区民政局审核人员可以发布区级清单" in client.post("/lists/2026/publish", follow=True).content.decode()
