"""Chromium and the few steps every browser test repeats (launch, log in, screenshots).

Debian's chromium, never a downloaded one: ``playwright install`` is not part of the setup.
"""

import os
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-gpu"]
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("ZHUNRU_CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Browser, base_url: str, **options) -> Page:
    """A fresh context (own cookies and localStorage) in Chinese, on Shanghai time."""
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(15_000)
    return context.new_page()


def log_in(page: Page, username: str, password: str = PASSWORD, *, go: bool = True):
    """Through the login page, as a person does. ``go=False`` when the page is already on it."""
    if go:
        page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def log_out(page: Page):
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("heading", name="登录")).to_be_visible()


def screenshot(page: Page, name: str, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    if full_page:  # at the end, where the sticky action bar rests in the flow, so it covers nothing in the picture
        page.evaluate("window.scrollTo({top: document.documentElement.scrollHeight, behavior: 'instant'})")
    page.screenshot(path=str(path), full_page=full_page)
    return path


def row(page: Page, field: str):
    """The element of the form that holds one field (and where the pre-check puts its errors)."""
    return page.locator(f'[data-field="{field}"]')


def fill_application(page: Page, sample: dict):
    """Fill the form from one sample entry the way a clerk does: click the boxes, type the text."""
    form = page.locator("#appform")
    radio = {"regular": "常态化程序", "simplified": "简易程序", "emergency": "紧急（先口头报告后补办）"}
    row(page, "procedure").get_by_label(radio[sample["procedure"]], exact=True).check()
    row(page, "kind").get_by_label({"new": "新增", "adjust": "调整", "exit": "退出"}[sample["kind"]], exact=True).check()
    form.get_by_label("任务名称", exact=True).fill(sample["name"])
    form.get_by_label("下派工作任务概述", exact=True).fill(sample["summary"])
    comparison = {"same": "工作任务一致", "reworded": "表述调整", "new": "任务新增"}[sample["municipal_comparison"]]
    row(page, "municipal_comparison").get_by_label(comparison, exact=True).check()

    inv = sample["involves"]
    boxes = {"certificate": "是否涉及出具证明", "forms_or_system": "是否涉及填报表格或信息化系统",
             "assessment": "是否涉及考核创建", "plaque": "是否涉及挂牌标识", "ledger": "是否涉及台账资料"}
    names = {"forms_or_system": "system_name", "assessment": "assessment_name", "plaque": "plaque_name"}
    for key, label in boxes.items():
        box = row(page, "involves").get_by_label(label, exact=True)
        box.set_checked(bool(inv.get(key)))
        if inv.get(key) and key in names:
            row(page, f"involves.{names[key]}").locator("input").fill(inv[names[key]])

    basis_labels = {"central": "党中央国务院文件", "laws": "法律法规规章", "municipal": "市委市政府文件"}
    for value, label in basis_labels.items():
        row(page, "basis.types").get_by_label(label, exact=True).set_checked(value in sample["basis"]["types"])
    row(page, "basis.documents").locator("textarea").fill("\n".join(sample["basis"]["documents"]))

    row(page, "scope").get_by_label({"all": "全区居村", "some": "部分居村"}[sample["scope"]], exact=True).check()
    limits = {"one_time": "一次性任务", "annual": "年度工作任务", "ongoing": "常态化工作任务", "other": "其他情况"}
    row(page, "time_limit.type").get_by_label(limits[sample["time_limit"]["type"]], exact=True).check()

    duty_rows = page.locator("#duty-rows > li")
    for i, duty in enumerate(sample["duties"]):
        while duty_rows.count() <= i:
            page.get_by_role("button", name="增加一条职责").click()
        duty_rows.nth(i).get_by_label("职责内容").fill(duty["text"])
        duty_rows.nth(i).get_by_label("协助方式").select_option(duty["mode"] or "")

    support_labels = {"funding": "资金支撑", "project": "项目支撑", "manpower": "力量支撑", "resource": "资源支撑", "policy": "政策支撑"}
    parts = {"amount": "支持金额", "way": "支持方式", "name": "项目名称", "description": "项目简介",
             "source": "力量来源", "handbook": "汇编、手册名称"}
    for key, label in support_labels.items():
        given = sample["support"].get(key)
        row(page, "support").get_by_label(label, exact=True).set_checked(bool(given))
        for part, value in (given or {}).items():
            label = "资源情况" if key == "resource" else parts[part]
            row(page, f"support.{key}").get_by_label(label).fill(value)

    course_rows = page.locator("#course-rows > li")
    for i, course in enumerate(sample["courses"]):
        while course_rows.count() <= i:
            page.get_by_role("button", name="增加一门课程").click()
        for part, ph in (("name", "课程名称"), ("audience", "培训人群"), ("frequency", "培训频次"), ("department", "培训部门")):
            course_rows.nth(i).get_by_label(ph).fill(course[part])
