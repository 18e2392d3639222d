"""The reviewer's desk in a real browser, from the queue to the decision (issue 3), with screenshots in
var/screenshots/review-*.png: the reviewer sees the flag, invites two review units, one answers in its
own browser, the reviewer sees the matrix and decides; the applicant sees the decision."""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

from playwright.sync_api import expect  # noqa: E402

from tests.e2e.browser import log_in, new_page, screenshot  # noqa: E402

from .conftest import sign_sample  # noqa: E402

pytestmark = pytest.mark.e2e


def test_r_proc_2_reviewer_desk_queue_to_decision_in_browser(putuo_live, live_server, samples, browser):
    app = sign_sample(samples["food-safety-grid"], on="2025-10-20")
    _walk(browser, live_server.url, app)


def _walk(browser, base_url, app):
    reviewer = new_page(browser, base_url)
    log_in(reviewer, "reviewer_D020")
    expect(reviewer.locator("#nav-todo .navcount")).to_have_text("1")
    reviewer.get_by_role("link", name="审核", exact=True).click()
    expect(reviewer.locator("#queue")).to_contain_text(app.number)
    screenshot(reviewer, "review-1-queue.png")
    reviewer.get_by_role("link", name=app.name).click()
    expect(reviewer.locator("#flags")).to_contain_text("R-PRIN-3")
    expect(reviewer.locator("#flags mark").first).to_contain_text("食品安全")
    screenshot(reviewer, "review-2-desk.png")

    necessity = reviewer.locator("#necessity")
    for name in ("legality", "reasonableness"):
        necessity.locator(f'input[name="{name}"][value="pass"]').check()
    necessity.locator('input[name="necessity"][value="fail"]').check()
    necessity.get_by_label("审查意见").fill("以居委会为食品安全责任主体，不具备必要性")
    necessity.get_by_role("button", name="保存审查意见").click()
    expect(reviewer.locator(".messages")).to_contain_text("已记录")

    invite = reviewer.locator("#invite form").first
    invite.get_by_label("区司法局").check()
    invite.get_by_label("区委办公室").check()
    invite.get_by_role("button", name="发出会签").click()
    expect(reviewer.locator("#matrix")).to_contain_text("区司法局")
    expect(reviewer.locator("#app-status")).to_have_text("审核中")

    unit = new_page(browser, base_url)
    log_in(unit, "unit_D021")
    unit.locator("#nav-todo").click()
    expect(unit.locator("#todo-todo")).to_contain_text("剩 5 个工作日")
    screenshot(unit, "review-3-unit-todo.png")
    unit.locator("#todo-todo a").first.click()
    unit.get_by_label("不同意", exact=True).check()
    unit.get_by_label("意见说明（不同意或有意见时必填）").fill("将居委会作为食品安全网格责任主体，违反负面清单")
    unit.get_by_role("button", name="提交意见").click()
    expect(unit.locator("#opinions")).to_contain_text("违反负面清单")
    screenshot(unit, "review-4-unit-opinion.png")
    unit.context.close()

    reviewer.reload()
    expect(reviewer.locator("#matrix")).to_contain_text("违反负面清单")
    expect(reviewer.locator("#decide")).to_contain_text("区委办公室")
    form = reviewer.locator("#decision-form")
    form.get_by_label("不同意", exact=True).check()
    form.get_by_label("不同意理由（不同意时必填）").fill("以居委会为食品安全网格责任主体，属于不得下派的行政管理事务（R-PRIN-3）")
    form.get_by_label("修改建议（选填）").fill("可改为食品安全宣传教育")
    form.get_by_label("未待意见齐备即作决定的理由").fill("负面清单问题明确，无需等待区委办意见")
    screenshot(reviewer, "review-5-before-decision.png")
    reviewer.once("dialog", lambda d: d.accept())
    form.get_by_role("button", name="作出决定").click()
    expect(reviewer.locator("#decision")).to_contain_text("准入审核意见：不同意")
    expect(reviewer.locator("#app-status")).to_have_text("不同意")
    screenshot(reviewer, "review-6-decided.png")
    with reviewer.expect_download() as download:
        reviewer.get_by_role("button", name="下载申请表（.docx）").click()
    assert download.value.suggested_filename.endswith(".docx")
    reviewer.context.close()

    clerk = new_page(browser, base_url)
    log_in(clerk, "clerk_D034")
    clerk.goto(f"/applications/{app.pk}/")
    expect(clerk.locator("main")).to_contain_text("准入审核意见：不同意")
    screenshot(clerk, "review-7-applicant-sees-decision.png")
    clerk.context.close()
