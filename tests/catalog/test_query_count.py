"""The plan list page and the lookup answer with the same number of SQL queries for 40 and 4,000 items."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhunru.catalog.models import ItemStatus, PlanItem, PlanList, PlanListVersion
from zhunru.catalog.queries import item_snapshot
from zhunru.orgs.models import Organisation, User


def fill(district, n: int):
    plan, _ = PlanList.objects.get_or_create(district=district, year=2025)
    plan.items.all().delete()
    plan.versions.all().delete()
    depts = list(Organisation.objects.filter(district=district, kind="department")[:5])
    PlanItem.objects.bulk_create([
        PlanItem(plan_list=plan, district=district, department=depts[i % 5], lineage=uuid.uuid4().hex,
                 name=f"测试事项{i:05d}宣传动员", summary="协助开展宣传动员", status=ItemStatus.ACTIVE,
                 time_limit="ongoing", content={"name": f"测试事项{i:05d}", "duties": [{"text": "宣传", "mode": "宣传教育"}]},
                 involves=["task"], comparison="new", joined_on=datetime.date(2025, 1, 1))
        for i in range(n)
    ], batch_size=500)
    items = [item_snapshot(i) for i in plan.items.select_related("department", "municipal_item")]
    PlanListVersion.objects.create(plan_list=plan, number=1, published_on=datetime.date(2025, 1, 1), published_by="t", items=items)


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/lists/2025/", "/lists/2025/?version=1", "/lists/lookup?q=宣传动员", "/api/v1/plan-items?q=加梯"])
def test_same_number_of_queries_for_40_and_4000_items(putuo, client, settings, url):
    settings.ZHUNRU_TODAY = datetime.date(2025, 6, 1)
    client.force_login(User.objects.get(username="committee_S01C001"))
    fill(putuo, 40)
    client.get(url)  # warm: sessions, content types
    small = count(client, url)
    fill(putuo, 4000)
    large = count(client, url)
    assert small == large, (small, large)
    assert PlanItem.objects.count() == 4000
