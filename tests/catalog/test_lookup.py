"""R-LOOK-1: "is this task on the list?" — tolerant of wording, both lists together, applicability."""

import datetime

import pytest

from zhunru.catalog import queries
from zhunru.catalog.models import Abbreviation
from zhunru.catalog.services import publish_list
from zhunru.orgs.models import User

from .helpers import approve_directly


@pytest.fixture
def today(settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 5, 20)
    return settings.ZHUNRU_TODAY


@pytest.mark.parametrize(("query", "expected"), [
    ("垃圾分类宣传", "生活垃圾分类宣传动员"),
    ("兵役登记", "兵役登记和征兵宣传动员"),
    ("反诈", "反电信网络诈骗宣传"),
    ("加梯", "既有多层住宅加装电梯意愿征询"),
])
def test_r_look_1_examples_find_their_item_first(putuo, api, today, query, expected):
    answer = api("committee_S01C001").get(f"/plan-items?q={query}")
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert results[0]["name"] == expected, results[:3]
    assert results[0]["list"] == "municipal" and results[0]["status"] == "在列"
    assert set(results[0]) >= {"id", "name", "list", "status", "applies", "score"}
    assert results == sorted(results, key=lambda r: -r["score"])


def test_r_look_1_applies_to_the_askers_committee(putuo, api, today):
    # 加装电梯 applies to 居委会 only (the municipal list's 适用范围).
    assert api("committee_S01C001").get("/plan-items?q=加梯").json()["results"][0]["applies"] is True
    assert api("committee_S09V035").get("/plan-items?q=加梯").json()["results"][0]["applies"] is False
    assert api("clerk_D030").get("/plan-items?q=加梯").json()["results"][0]["applies"] is None  # not a committee


def test_r_look_1_searches_the_district_list_too_with_status_and_scope(putuo, api, samples, today):
    item, _ = approve_directly(samples["estate-renewal-exit"], submitted_on="2024-10-15", decided_on="2024-11-15")
    publish_list(User.objects.get(username="reviewer_D020"), putuo.pk, 2025)
    inside = api("committee_S02C001").get("/plan-items?q=旧住房更新改造").json()["results"][0]
    assert (inside["id"], inside["list"], inside["status"], inside["applies"]) == (item.pk, "district", "在列", True)
    outside = api("committee_S01C001").get("/plan-items?q=旧住房更新改造").json()["results"][0]
    assert outside["list"] == "district" and outside["applies"] is False  # not among the chosen committees


def test_r_look_1_name_match_ranks_above_content_match(putuo, api, today):
    results = api("clerk_D030").get("/plan-items?q=反诈宣传").json()["results"]
    assert results[0]["name"] == "反电信网络诈骗宣传" and results[0]["matched"] == "name"


def test_r_look_1_abbreviations_are_editable(putuo, api, today):
    assert not [r for r in api("clerk_D030").get("/plan-items?q=体测").json()["results"] if r["score"] > 0.8]
    Abbreviation.objects.create(short="体测", full="体质测定")
    # No 体质测定 item in the sample list: the expansion is used, and nothing breaks.
    assert api("clerk_D030").get("/plan-items?q=体测").status_code == 200


def test_lookup_page_shows_which_list_and_status(putuo, client, today):
    client.force_login(User.objects.get(username="committee_S01C001"))
    page = client.get("/lists/lookup?q=加梯")
    text = page.content.decode()
    assert page.status_code == 200 and "既有多层住宅加装电梯意愿征询" in text
    assert "市级清单" in text and "适用于本居村" in text
    assert 'class="lookupbox"' in text  # the search box is in the top bar of every page


def test_empty_query_finds_nothing(putuo, api, today):
    assert api("clerk_D030").get("/plan-items?q=").json()["results"] == []
    assert queries.lookup(User.objects.get(username="clerk_D030"), "   ", today) == []
