"""The application form in a real browser (issue 2): fill, pre-check, submit, sign; errors beside
their fields; nothing typed lost when the session expires (R-APP-8); usable on a phone."""

import os
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import body_of

from .browser import PHONE, fill_application, log_in, log_out, new_page, row, screenshot

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.e2e

COMPARED = ("name", "duties", "support", "courses", "involves", "basis", "scope", "time_limit")


def _application(**filters):
    from zhunru.intake.models import Application

    return Application.objects.get(**filters)


def _new_application(page):
    page.get_by_role("button", name="新建申请").click()
    expect(page.get_by_role("heading", name="上海市普陀区下派居村组织工作任务申请表")).to_be_visible()
    return int(re.search(r"/applications/(\d+)/edit", page.url).group(1))


def _wait_saved(page):
    expect(page.locator("#savestate")).to_contain_text("已自动保存")


def test_r_app_9_clerk_fills_prechecks_submits_and_head_signs(putuo_live, live_server, browser, samples):
    sample = samples["health-elderly"]
    page = new_page(browser, live_server.url)
    log_in(page, "clerk_D030")
    pk = _new_application(page)

    fill_application(page, sample)
    page.get_by_role("button", name="预检").click()
    summary = page.locator("#precheck-summary")
    expect(summary).to_contain_text("预检通过")
    expect(summary).to_contain_text("最迟提交日期：2025-12-31")
    expect(page.locator(".field-error")).to_have_count(0)
    screenshot(page, "application-form-filled.png")

    page.get_by_role("button", name="提交负责人签发").click()
    expect(page.locator(".messages")).to_contain_text("已提交，等待本部门主要负责人签发")
    expect(page.locator(".status")).to_have_text("待负责人签发")
    log_out(page)

    log_in(page, "head_D030")
    page.get_by_role("link", name=sample["name"]).click()
    expect(page.locator("#signoff")).to_contain_text("2025年10月20日")  # the sign-off day is the system's today
    screenshot(page, "application-signoff.png")
    page.get_by_role("button", name="同意并签发").click()
    expect(page.locator(".messages")).to_contain_text("已签发，申请编号：普准申〔2025〕1号")
    expect(page.locator("#app-number")).to_have_text("普准申〔2025〕1号")
    expect(page.locator(".status")).to_have_text("待审核")
    screenshot(page, "application-submitted.png")

    app = _application(pk=pk)
    assert app.status == "submitted" and app.number == "普准申〔2025〕1号"
    assert str(app.submitted_on) == "2025-10-20" and app.head_signoff_date == app.submitted_on
    expected = body_of(sample)
    assert {k: app.content[k] for k in COMPARED} == {k: expected[k] for k in COMPARED}
    assert app.content["procedure"] == "regular" and app.content["municipal_comparison"] == "new"


def test_r_app_8_precheck_puts_each_error_beside_its_field(putuo_live, live_server, browser):
    page = new_page(browser, live_server.url)
    log_in(page, "clerk_D030")
    _new_application(page)
    row(page, "involves").get_by_label("是否涉及挂牌标识", exact=True).check()  # ticked, but no name given
    row(page, "scope").get_by_label("部分居村", exact=True).check()  # and no committee chosen

    with page.expect_response(re.compile(r"/precheck$")) as answer:
        page.get_by_role("button", name="预检").click()
    errors = answer.value.json()["errors"]
    fields = {e["field"] for e in errors}
    assert {"name", "involves.plaque_name", "summary", "duties", "support"} <= fields
    expect(page.locator("#precheck-summary")).to_contain_text(f"预检发现 {len(errors)} 个问题须修改")

    expect(row(page, "name").locator(".field-error")).to_have_text("请填写任务名称（R-APP-2）")
    expect(row(page, "involves.plaque_name").locator(".field-error")).to_have_text("勾选后须填写挂牌名称（R-APP-2）")
    for e in errors:  # every error sits inside the element that holds its field, and is visible
        expect(row(page, e["field"]).locator(".field-error", has_text=e["message"])).to_be_visible()
    expect(page.locator("#appform .field-error")).to_have_count(len(errors))
    expect(row(page, "scope_committees").locator(".field-error")).to_have_text("选择“部分居村”时须选定居村（R-APP-2）")
    screenshot(page, "application-precheck-errors.png")

    # The committee picker: a whole street at once, counted per street and in all.
    street = row(page, "scope_committees").locator("details").first
    street.locator("summary").click()
    street.get_by_role("button", name="全选").click()
    n = street.locator("input[name=scope_committees]").count()
    assert n > 0
    expect(street.locator("[data-street-count]")).to_have_text(str(n))
    expect(page.locator("#committee-count")).to_have_text(str(n))

    # Fixing the two fields and checking again clears their messages.
    page.get_by_label("任务名称", exact=True).fill("垃圾分类宣传")
    row(page, "involves.plaque_name").locator("input").fill("垃圾分类示范点")
    page.get_by_role("button", name="预检").click()
    expect(row(page, "name").locator(".field-error")).to_have_count(0)
    expect(row(page, "involves.plaque_name").locator(".field-error")).to_have_count(0)
    expect(row(page, "summary").locator(".field-error")).to_have_count(1)
    expect(row(page, "scope_committees").locator(".field-error")).to_have_count(0)


def test_r_app_8_nothing_typed_is_lost_when_the_session_expires(putuo_live, live_server, browser):
    page = new_page(browser, live_server.url)
    log_in(page, "clerk_D030")
    pk = _new_application(page)
    page.get_by_label("任务名称", exact=True).fill("社区消防安全宣传")
    _wait_saved(page)
    assert _application(pk=pk).content["name"] == "社区消防安全宣传"

    page.context.clear_cookies()  # the session ends while the clerk is typing
    page.get_by_label("下派工作任务概述", exact=True).fill("组织居村开展消防安全宣传，张贴海报。")
    page.get_by_role("button", name="增加一条职责").click()
    page.locator("#duty-rows > li").nth(3).get_by_label("职责内容").fill("入户发放消防宣传资料")
    page.locator("#duty-rows > li").nth(3).get_by_label("协助方式").select_option("宣传教育")
    row(page, "support").get_by_label("力量支撑", exact=True).check()
    row(page, "support.manpower").get_by_label("力量来源").fill("区消防救援支队")
    banner = page.locator("#restore-banner")
    expect(banner).to_contain_text("登录已过期")
    assert _application(pk=pk).content["summary"] == ""

    banner.get_by_role("link", name="重新登录").click()
    expect(page).to_have_url(re.compile(r"/login/\?next="))
    log_in(page, "clerk_D030", go=False)
    expect(page).to_have_url(re.compile(rf"/applications/{pk}/edit$"))
    expect(banner).to_contain_text("已恢复本机暂存的")
    expect(page.get_by_label("下派工作任务概述", exact=True)).to_have_value("组织居村开展消防安全宣传，张贴海报。")
    expect(page.locator("#duty-rows > li").nth(3).get_by_label("职责内容")).to_have_value("入户发放消防宣传资料")
    expect(row(page, "support").get_by_label("力量支撑", exact=True)).to_be_checked()
    expect(row(page, "support.manpower").get_by_label("力量来源")).to_be_visible()
    _wait_saved(page)

    content = _application(pk=pk).content
    assert content["name"] == "社区消防安全宣传"
    assert content["summary"] == "组织居村开展消防安全宣传，张贴海报。"
    assert content["duties"] == [{"text": "入户发放消防宣传资料", "mode": "宣传教育"}]
    assert content["support"] == {"manpower": {"source": "区消防救援支队"}}
    # Saved on the server, the copy kept in the browser is gone: a reload shows the same.
    assert page.evaluate(f"localStorage.getItem('zhunru-draft-{pk}')") is None


def test_form_and_list_on_a_phone(putuo_live, live_server, browser, samples):
    from tests.conftest import user
    from zhunru.demo.loader import load_samples
    from zhunru.intake import services

    load_samples(putuo_live)  # the list shows the demo's applications with their statuses
    app = services.create_application(user("clerk_D030"), body_of(samples["health-elderly"]) | {"name": "老年人健康管理服务宣传动员（续）"})
    page = new_page(browser, live_server.url, **PHONE)
    log_in(page, "clerk_D030")
    expect(page.get_by_role("heading", name="我的工作台")).to_be_visible()  # everyone lands on 待办
    page.get_by_role("link", name="我发起的", exact=True).click()
    expect(page.locator("table.list tbody tr")).not_to_have_count(0)
    screenshot(page, "application-list-phone.png")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the list is {width}px wide on a 390px phone"

    page.goto(f"/applications/{app.pk}/edit")
    page.get_by_role("button", name="预检").click()
    expect(page.locator("#precheck-summary")).to_contain_text("预检通过")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the form is {width}px wide on a 390px phone"
    screenshot(page, "application-form-phone.png")
