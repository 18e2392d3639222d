"""R-PROC-6: natural exit by `zhunru_tick`, filed exit by the department, both audited."""

import datetime
import io

import pytest
from django.core.management import call_command

from zhunru import clock
from zhunru.audit.models import AuditEvent
from zhunru.catalog.models import ExitKind, ItemStatus, PlanItem
from zhunru.catalog.services import publish_list
from zhunru.orgs.models import User

from .helpers import approve_directly


@pytest.fixture
def estate(putuo, samples):
    """estate-renewal-exit approved for the 2025 list (through catalog.services.admit_application), published."""
    item, _ = approve_directly(samples["estate-renewal-exit"], submitted_on="2024-10-15", decided_on="2024-11-15")
    assert item.plan_list.year == 2025
    with clock.pinned(datetime.date(2024, 12, 20)):
        publish_list(User.objects.get(username="reviewer_D020"), putuo.pk, 2025)
    item.refresh_from_db()
    return item


def tick(day: str) -> str:
    out = io.StringIO()
    call_command("zhunru_tick", "--date", day, stdout=out)
    return out.getvalue()


def test_r_proc_6_one_time_item_exits_the_day_after_its_end(estate, api):
    assert estate.status == ItemStatus.ACTIVE and str(estate.ends_on) == "2025-06-30"
    assert "0 个事项" in tick("2025-06-30")
    estate.refresh_from_db()
    assert estate.status == ItemStatus.ACTIVE
    assert "1 个事项" in tick("2025-07-01")
    estate.refresh_from_db()
    assert (estate.status, estate.exit_kind, str(estate.exited_on)) == (ItemStatus.EXITED, ExitKind.NATURAL, "2025-07-01")
    assert estate.status_label == "已退出（自然退出）"
    events = AuditEvent.objects.filter(action="plan_item.exited_naturally")
    assert events.count() == 1
    # Twice, and on a later day: nothing more changes.
    before = AuditEvent.objects.count()
    assert "0 个事项" in tick("2025-07-01")
    assert "0 个事项" in tick("2025-07-15")
    estate.refresh_from_db()
    assert str(estate.exited_on) == "2025-07-01" and AuditEvent.objects.count() == before
    # The exited item stays in history and in the published version.
    reviewer = api("reviewer_D020")
    now = reviewer.get("/plan-lists/2025").json()["items"]
    assert [(i["name"], i["status"]) for i in now] == [(estate.name, "exited")]
    assert reviewer.get("/plan-lists/2025?version=1").json()["items"][0]["status"] == "active"


def test_tick_without_date_uses_today(estate, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 8, 1)
    out = io.StringIO()
    call_command("zhunru_tick", stdout=out)
    assert "2025-08-01：1 个事项自然退出" in out.getvalue()


def test_r_proc_6_department_files_exit_of_its_own_item(estate, api, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 3, 1)
    clerk = api("clerk_D027")  # 区房管局, the item's department
    assert estate.department.code == "D027"
    refused = clerk.post(f"/plan-items/{estate.pk}/exit", {"reason": "  "})
    assert refused.status_code == 422 and "退出理由" in refused.json()["errors"][0]["message"]
    done = clerk.post(f"/plan-items/{estate.pk}/exit", {"reason": "项目提前完成"})
    assert done.status_code == 200, done.content
    assert done.json()["status_label"] == "已退出（备案退出）"
    estate.refresh_from_db()
    assert (estate.exit_kind, str(estate.exited_on), estate.exit_reason) == (ExitKind.FILED, "2025-03-01", "项目提前完成")
    event = AuditEvent.objects.get(action="plan_item.exit_filed")
    assert event.actor == "clerk_D027" and event.changes["reason"] == "项目提前完成"
    assert clerk.post(f"/plan-items/{estate.pk}/exit", {"reason": "再次"}).status_code == 409
    # An exited item is no longer matched as in force, and the natural exit leaves it alone.
    assert "0 个事项" in tick("2025-07-01")


def test_exit_of_another_departments_item_is_refused_and_changes_nothing(estate, api):
    before = AuditEvent.objects.count()
    other = api("clerk_D030").post(f"/plan-items/{estate.pk}/exit", {"reason": "不是我们的"})
    assert other.status_code == 404  # scoping: another department's item is not disclosed to act on
    assert other.json()["errors"][0]["message"] == "未找到该对象，或您无权查看"
    reviewer = api("reviewer_D020").post(f"/plan-items/{estate.pk}/exit", {"reason": "审核人不能代部门退出"})
    assert reviewer.status_code == 403 and "主管部门" in reviewer.json()["errors"][0]["message"]
    committee = api("committee_S01C001").post(f"/plan-items/{estate.pk}/exit", {"reason": "x"})
    assert committee.status_code == 404
    estate.refresh_from_db()
    assert estate.status == ItemStatus.ACTIVE and AuditEvent.objects.count() == before


def test_publish_with_no_items_is_refused_and_changes_nothing(putuo, api):
    reviewer = api("reviewer_D020")
    assert reviewer.post("/plan-lists/2027/open").status_code == 200
    refused = reviewer.post("/plan-lists/2027/publish")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == "2027年区级清单中没有可发布的事项，不能发布（R-PROC-3）"
    assert reviewer.get("/plan-lists/2027").json()["versions"] == []
    assert api("clerk_D030").post("/plan-lists/2027/publish").status_code == 403
    assert reviewer.post("/plan-lists/2027/file").status_code == 409
    assert not PlanItem.objects.filter(plan_list__year=2027).exists()
