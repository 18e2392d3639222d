"""What a newcomer saw on the plan list, fixed: each test asserts what a user reads on the page or in the document."""

import datetime
import io
import re

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhunru import clock
from zhunru.catalog import queries
from zhunru.catalog.services import file_list, open_round, publish_list
from zhunru.orgs.models import Organisation, OrgKind, User

from .helpers import approve_directly

REVIEWER = "reviewer_D020"


def reviewer() -> User:
    return User.objects.get(username=REVIEWER)


def page_text(client, url: str, username: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def visible(html: str) -> str:
    """The page's text without tags, scripts or attributes: what a reader sees."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def thirty_one_committees(putuo) -> list[str]:
    """A whole street's committees, then others of the next streets, 31 in all."""
    directory = queries.committee_directory(putuo.pk)
    streets = []
    for c in directory:
        if c["street"] not in streets:
            streets.append(c["street"])
    first = [c["code"] for c in directory if c["street"] == streets[0]]
    rest = [c["code"] for c in directory if c["street"] != streets[0]]
    return (first + rest)[:31]


def estate(samples, putuo, codes=None):
    """estate-renewal-exit on the 2025 list (partial scope), published."""
    changes = {"scope_committees": codes} if codes else {}
    item, _ = approve_directly(samples["estate-renewal-exit"], submitted_on="2024-10-15", decided_on="2024-11-15", **changes)
    with clock.pinned(datetime.date(2025, 1, 2)):
        publish_list(reviewer(), putuo.pk, 2025)
    item.refresh_from_db()
    return item


# ---- 1. the item page speaks Chinese -------------------------------------------------------------

def test_item_page_shows_names_and_chinese_labels_not_codes(putuo, client, samples):
    item = estate(samples, putuo)
    text = visible(page_text(client, f"/lists/items/{item.pk}/", REVIEWER))
    names = dict(Organisation.objects.filter(code__in=item.scope_committees).values_list("code", "name"))
    for code, name in names.items():
        assert name in text and code not in text
    assert "部分居村（3个）" in text and ("（3个）：" in text or "（全部，3个）：" in text)
    # 委局支撑清单 with the types and their fields, as the application form names them.
    assert "资金支撑 ：支持金额 每个居委2万元；支持方式 项目经费" in text
    assert "项目支撑 ：项目名称 旧住房更新改造；项目简介 成套改造项目" in text
    assert "funding" not in text and "project：" not in text
    # 来源与状态: the procedure and the kind by their Chinese names.
    assert "常态化程序 · 新增" in text and "regular" not in text and " new " not in text


def test_item_page_queries_do_not_grow_with_the_scope(putuo, client, samples):
    item = estate(samples, putuo)
    client.force_login(reviewer())
    url = f"/lists/items/{item.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    item.scope_committees = thirty_one_committees(putuo)
    item.save(update_fields=["scope_committees"])
    with CaptureQueriesContext(connection) as many:
        text = visible(client.get(url).content.decode())
    assert len(few.captured_queries) == len(many.captured_queries)
    assert "部分居村（31个）" in text


def test_version_comparison_shows_labels_not_codes(putuo, client, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 9)
    health, _ = approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    with clock.pinned(datetime.date(2025, 12, 1)):
        publish_list(reviewer(), putuo.pk, 2026)
    approve_directly(samples["health-elderly"], submitted_on="2025-12-01", decided_on="2025-12-10", kind="adjust",
                     adjusts_item=str(health.pk), time_limit={"type": "annual"})
    with clock.pinned(datetime.date(2025, 12, 20)):
        publish_list(reviewer(), putuo.pk, 2026)
    text = visible(page_text(client, "/lists/2026/compare?with=1", REVIEWER))
    assert "常态化工作任务" in text and "年度工作任务" in text and "'type'" not in text


# ---- 2. lookup: this year and next year, and from when ---------------------------------------------

@pytest.fixture
def next_year_list(putuo, samples, settings):
    """December 2026: the 2027 list is published with an ongoing item and a one-time item starting 2027-03-01."""
    settings.ZHUNRU_TODAY = datetime.date(2026, 10, 9)
    health, _ = approve_directly(samples["health-elderly"], submitted_on="2026-10-20", decided_on="2026-11-10")
    census, _ = approve_directly(samples["census-simplified"], submitted_on="2026-11-02", decided_on="2026-11-20",
                                 procedure="regular", name="2027年人口变动抽样调查",
                                 time_limit={"type": "one_time", "start": "2027-03-01", "end": "2027-04-30"})
    with clock.pinned(datetime.date(2026, 12, 1)):
        publish_list(reviewer(), putuo.pk, 2027)
    settings.ZHUNRU_TODAY = datetime.date(2026, 12, 10)
    return health, census


def test_lookup_in_december_finds_next_years_list_and_says_from_when(next_year_list, client, api):
    health, census = next_year_list
    results = api("committee_S01C001").get(f"/plan-items?q={health.name}").json()["results"]
    first = results[0]
    assert (first["id"], first["list"], first["year"], first["status"]) == (health.pk, "district", 2027, "在列")
    assert first["applies"] is False and first["applies_note"] == "2027年清单在列，自2027年起适用"
    assert isinstance(first["score"], float)  # the API keeps the score
    census_hit = next(r for r in api("committee_S01C001").get("/plan-items?q=人口变动抽样调查").json()["results"]
                      if r["id"] == census.pk)
    assert census_hit["applies_note"] == "2027年清单在列，自2027-03-01起适用"

    text = visible(page_text(client, f"/lists/lookup?q={health.name}", "committee_S01C001"))
    assert "2027年区级清单" in text and "2027年清单在列，自2027年起适用" in text
    assert "没有找到" not in text and "须经准入审核" not in text
    assert "相似度" not in text and "匹配度" not in text and "0." not in text


def test_lookup_searches_next_years_draft_too(putuo, api, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2026, 10, 9)
    health, _ = approve_directly(samples["health-elderly"], submitted_on="2026-10-20", decided_on="2026-11-10")
    settings.ZHUNRU_TODAY = datetime.date(2026, 12, 10)
    first = api("clerk_D030").get(f"/plan-items?q={health.name}").json()["results"][0]
    assert (first["id"], first["list_label"], first["status"]) == (health.pk, "2027年区级清单（编制中）", "待发布")
    assert first["applies"] is None and "自2027年起适用" in first["applies_note"]


def test_lookup_shows_this_years_item_applying_today(putuo, client, samples, settings):
    item = estate(samples, putuo)
    settings.ZHUNRU_TODAY = datetime.date(2025, 5, 20)
    inside = visible(page_text(client, "/lists/lookup?q=旧住房更新改造", f"committee_{item.scope_committees[0]}"))
    assert "2025年区级清单" in inside and "2025年清单在列，今天适用于本居村" in inside
    outside = visible(page_text(client, "/lists/lookup?q=旧住房更新改造", "committee_S01C001"))
    assert "本居村不在该事项的下派范围内" in outside


def test_lookup_shows_reviewers_a_plain_match_level_and_streets_none(putuo, client, settings):
    settings.ZHUNRU_TODAY = datetime.date(2026, 5, 20)
    text = visible(page_text(client, "/lists/lookup?q=加梯", REVIEWER))
    assert "匹配度 高" in text and "相似度" not in text
    assert "2025年市级清单（现行）" in text
    street = User.objects.filter(username__startswith="street_").order_by("username").first()
    text = visible(page_text(client, "/lists/lookup?q=加梯", street.username))
    assert "匹配度" not in text and "相似度" not in text


# ---- 3. the list documents summarise the scope ---------------------------------------------------------

def _docx(data: bytes):
    document = docx.Document(io.BytesIO(data))
    return document, [p.text for p in document.paragraphs]


def test_docx_summarises_a_long_scope_by_street_and_lists_it_in_an_appendix(putuo, client, samples):
    codes = thirty_one_committees(putuo)
    estate(samples, putuo, codes)
    client.force_login(reviewer())
    document, paragraphs = _docx(client.get("/lists/2025/export.docx").content)
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    row = [c.text for c in table.rows[1].cells]
    scope = row[header.index("下派范围")]
    assert scope.startswith("部分居村（31个）") and "（全部）" in scope and "（名单见附录）" in scope
    names = dict(Organisation.objects.filter(code__in=codes).values_list("code", "name"))
    partial = [n for c, n in names.items() if Organisation.objects.get(code=c).parent_id != Organisation.objects.get(code=codes[0]).parent_id]
    assert not any(n in scope for n in partial)  # counts only in the narrow column
    # 涉及内容 as on the page: no implicit 工作任务.
    assert "工作任务" not in row[header.index("涉及内容")] and "信息系统（社区云）" in row[header.index("涉及内容")]
    appendix = "\n".join(paragraphs[paragraphs.index("附录：部分居村事项的下派范围"):])
    assert all(n in appendix for n in names.values())


def test_docx_short_scope_names_its_committees_in_the_cell(putuo, client, samples):
    item = estate(samples, putuo)
    client.force_login(reviewer())
    document, paragraphs = _docx(client.get("/lists/2025/export.docx").content)
    scope = document.tables[0].rows[1].cells[6].text
    names = Organisation.objects.filter(code__in=item.scope_committees).values_list("name", flat=True)
    assert scope.startswith("部分居村（3个）") and all(n in scope for n in names)
    assert "附录：部分居村事项的下派范围" not in paragraphs


def test_xlsx_title_spans_every_column_and_involves_drops_the_task(putuo, client, samples):
    estate(samples, putuo, thirty_one_committees(putuo))
    client.force_login(reviewer())
    book = openpyxl.load_workbook(io.BytesIO(client.get("/lists/2025/export.xlsx").content))
    sheet = book.worksheets[0]
    headers = [sheet.cell(row=3, column=c).value for c in range(1, sheet.max_column + 1)]
    assert len(headers) == 12 and headers[-2:] == ["状态", "来源申请"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A1:L1" in merged and "A2:L2" in merged
    assert "工作任务" not in sheet.cell(row=4, column=headers.index("涉及内容") + 1).value
    assert sheet.cell(row=4, column=headers.index("下派范围") + 1).value.startswith("部分居村（31个）")
    assert "附录-下派范围" in book.sheetnames


# ---- 4. the filing letter says only what the data shows --------------------------------------------------

def _letter(client) -> str:
    document = docx.Document(io.BytesIO(client.get("/lists/2026/filing-letter.docx").content))
    return "\n".join(p.text for p in document.paragraphs)


def test_filing_letter_states_counts_and_leaves_the_signer_to_sign(putuo, client, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 9)
    approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    approve_directly(samples["census-simplified"], submitted_on="2025-12-02", decided_on="2025-12-11", procedure="regular",
                     time_limit={"type": "one_time", "start": "2026-03-01", "end": "2026-04-30"})
    with clock.pinned(datetime.date(2025, 12, 15)):
        publish_list(reviewer(), putuo.pk, 2026)
    client.force_login(reviewer())
    text = _letter(client)
    assert "听取了街镇、居村意见" not in text and "均已明确" not in text
    assert "共列入事项2项" in text and "新增事项2项，调整事项0项" in text
    assert "2项填报了委局支撑清单，1项填报了委局课程清单" in text
    signer = next(line for line in text.split("\n") if "签发人：" in line)
    assert "区民政局" not in signer.split("签发人：")[1] and signer.split("签发人：")[1].strip("\u3000 ") == ""
    with clock.pinned(datetime.date(2025, 12, 16)):
        file_list(reviewer(), putuo.pk, 2026)
    signer = next(line for line in _letter(client).split("\n") if "签发人：" in line)
    assert signer.split("签发人：")[1].strip("\u3000 ") == reviewer().display_name


# ---- 5. official actions ----------------------------------------------------------------------------------

def test_publish_asks_for_confirmation_and_a_filed_version_shows_filed(putuo, client, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 9)
    approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    html = page_text(client, "/lists/2026/", REVIEWER)
    publish_form = re.search(r"<form[^>]*action=\"/lists/2026/publish\"[^>]*>", html).group(0)
    assert "return confirm(" in publish_form
    with clock.pinned(datetime.date(2025, 12, 15)):
        publish_list(reviewer(), putuo.pk, 2026)
    assert "报备第1版" in visible(page_text(client, "/lists/2026/", REVIEWER))
    with clock.pinned(datetime.date(2025, 12, 16)):
        file_list(reviewer(), putuo.pk, 2026)
    text = visible(page_text(client, "/lists/2026/", REVIEWER))
    assert "报备第1版" not in text and "第1版已报备（2025-12-16）" in text


def test_past_year_offers_no_round_and_refuses_to_open_it(putuo, client, settings):
    settings.ZHUNRU_TODAY = datetime.date(2026, 3, 2)
    html = page_text(client, "/lists/2025/", REVIEWER)
    text = visible(html)
    assert "开启2025年度清单编制" not in text and "往年清单，不再开启" in text and _current_step(html) != "开启编制"
    refused = visible(client.post("/lists/2025/open", follow=True).content.decode())
    assert "2025年已过去，不能再开启2025年度清单编制" in refused
    assert "开启2026年度清单编制" in visible(page_text(client, "/lists/2026/", REVIEWER))


def _current_step(html: str) -> str:
    return re.search(r'<li class="[^"]*current"[^>]*aria-current="step"><b>\d\. ([^<]+)</b>', html).group(1)


def test_the_page_shows_the_steps_with_the_current_one(putuo, client, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 9)
    html = page_text(client, "/lists/2026/", REVIEWER)
    assert [s for s in ("开启编制", "确认/纳入", "发布", "报备") if s in visible(html)] == ["开启编制", "确认/纳入", "发布", "报备"]
    assert _current_step(html) == "开启编制"
    open_round(reviewer(), putuo.pk, 2026)
    approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    assert _current_step(page_text(client, "/lists/2026/", REVIEWER)) == "发布"
    with clock.pinned(datetime.date(2025, 12, 15)):
        publish_list(reviewer(), putuo.pk, 2026)
    assert _current_step(page_text(client, "/lists/2026/", REVIEWER)) == "报备"
    # Committees see the list, not the reviewer's steps.
    assert 'class="steps"' not in page_text(client, "/lists/2026/", "committee_S01C001")


# ---- 6. the municipal list page opens on the list in force -------------------------------------------------

def test_municipal_page_opens_on_the_list_in_force(putuo, client, settings):
    settings.ZHUNRU_TODAY = datetime.date(2026, 3, 2)
    text = visible(page_text(client, "/lists/municipal/", "committee_S01C001"))
    assert "2025年上海市下派居村组织工作任务计划清单" in text and "尚未导入" not in text
    assert "现行清单（2026年适用2025年市级清单）" in text
    text = visible(page_text(client, "/lists/municipal/2026/", "committee_S01C001"))
    assert "2026年市级清单尚未导入；现行为2025年市级清单" in text


# ---- 7. the plan list page opens on a year that has a list ---------------------------------------------------

def test_plan_list_page_opens_on_the_newest_year_with_a_list(putuo, client, samples, settings):
    estate(samples, putuo)
    settings.ZHUNRU_TODAY = datetime.date(2026, 3, 2)
    text = visible(page_text(client, "/lists/", "committee_S01C001"))
    assert "2025年普陀区区级下派居村组织工作任务计划清单" in text and "本年度清单尚未建立" not in text
    assert "2026年区级清单尚未建立，现显示2025年清单" in text
    assert "旧住房更新改造" in text
    # The year asked for by its address is shown as it is.
    assert "本年度清单尚未建立" in visible(page_text(client, "/lists/2026/", "committee_S01C001"))


def test_plan_list_page_without_any_list_stays_on_this_year(putuo, client, settings):
    settings.ZHUNRU_TODAY = datetime.date(2026, 3, 2)
    assert Organisation.objects.filter(kind=OrgKind.COMMITTEE).exists()
    text = visible(page_text(client, "/lists/", "committee_S01C001"))
    assert "2026年普陀区区级下派居村组织工作任务计划清单" in text and "本年度清单尚未建立" in text
