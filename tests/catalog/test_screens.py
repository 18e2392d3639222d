"""Browser: the plan list page and a lookup result, as screenshots (var/screenshots/catalog-*.png)."""

import datetime
import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

pytestmark = pytest.mark.e2e


@pytest.fixture
def listed(transactional_db, settings, samples):
    """Committed data for the live server: Putuo, the municipal list, a published and filed 2026 list."""
    from tests.conftest import PASSWORD
    from zhunru import clock
    from zhunru.catalog.services import file_list, open_round, publish_list
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users
    from zhunru.orgs.models import User

    from .helpers import approve_directly, corrected_garbage

    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)
    reviewer = User.objects.get(username="reviewer_D020")
    with clock.pinned(datetime.date(2025, 10, 9)):
        open_round(reviewer, district.pk, 2026)
    approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    approve_directly(samples["garbage-assessment"], submitted_on="2025-11-03", decided_on="2025-11-20",
                     **corrected_garbage(samples["garbage-assessment"]))
    approve_directly(samples["census-simplified"], submitted_on="2025-12-02", decided_on="2025-12-11", procedure="regular",
                     time_limit={"type": "one_time", "start": "2026-03-01", "end": "2026-04-30"})
    with clock.pinned(datetime.date(2025, 12, 15)):
        publish_list(reviewer, district.pk, 2026)
        file_list(reviewer, district.pk, 2026)
    settings.ZHUNRU_TODAY = datetime.date(2026, 3, 10)
    return district


def test_screens_plan_list_and_lookup(listed, live_server, browser):
    from tests.e2e.browser import log_in, new_page, screenshot

    page = new_page(browser, live_server.url)
    log_in(page, "committee_S01C001")
    page.goto("/lists/2026/")
    assert page.get_by_role("heading", name="2026年普陀区区级下派居村组织工作任务计划清单").is_visible()
    assert page.get_by_role("link", name="生活垃圾分类示范小区创建").is_visible()
    screenshot(page, "catalog-plan-list.png", full_page=False)
    page.get_by_role("search").get_by_role("textbox").fill("加梯")
    page.get_by_role("search").get_by_role("button", name="查询").click()
    page.wait_for_url("**/lists/lookup?q=*")
    first = page.locator(".result").first
    assert "既有多层住宅加装电梯意愿征询" in first.inner_text() and "适用于本居村" in first.inner_text()
    screenshot(page, "catalog-lookup.png", full_page=False)
