"""A list answers with the same number of SQL queries for 4 rows and for 40."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import user
from zhunru.intake.models import Application


def _make(n, dept):
    clerk = user(f"clerk_{dept.code}")
    Application.objects.bulk_create([
        Application(district_id=dept.district_id, department=dept, created_by=clerk, name=f"任务{i}", content={"name": f"任务{i}"})
        for i in range(n)
    ])


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_my_applications_page_and_api_fixed_queries(client, api, putuo):
    from zhunru.orgs.models import Organisation

    dept = Organisation.objects.get(code="D030")
    client.force_login(user("clerk_D030"))
    clerk = api("clerk_D030")
    _make(4, dept)
    page_small = _count(lambda: client.get("/applications/"))
    api_small = _count(lambda: clerk.get("/applications?limit=200"))
    _make(36, dept)
    page_large = _count(lambda: client.get("/applications/"))
    api_large = _count(lambda: clerk.get("/applications?limit=200"))
    assert client.get("/applications/").content.decode().count("任务3") >= 1
    assert page_small == page_large
    assert api_small == api_large
    assert clerk.get("/applications?limit=200").json()["count"] == 40
