"""R-PROC-1, R-PROC-3, R-PROC-7, R-DOC-1: a full annual round to a published and filed list, then a new version."""

import io

import docx
import openpyxl
import pytest

from zhunru.audit.models import AuditEvent
from zhunru.catalog.models import Filing, ItemStatus, PlanItem, PlanListVersion

from .helpers import approve_directly, corrected_garbage


@pytest.fixture
def reviewer(api):
    return api("reviewer_D020")


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_r_proc_3_full_round_publish_file_adjust_and_compare(putuo, reviewer, samples, settings):
    settings.ZHUNRU_TODAY = __import__("datetime").date(2025, 10, 9)
    opened = reviewer.post("/plan-lists/2026/open")
    assert opened.status_code == 200, opened.content
    assert opened.json()["carried"] == []

    # Approved through the stand-in for the review's decision (catalog.services.admit_application).
    health, health_app = approve_directly(samples["health-elderly"], submitted_on="2025-10-20", decided_on="2025-11-10")
    garbage, _ = approve_directly(samples["garbage-assessment"], submitted_on="2025-11-03", decided_on="2025-11-20",
                                  **corrected_garbage(samples["garbage-assessment"]))
    assert health.plan_list.year == garbage.plan_list.year == 2026
    assert health.status == ItemStatus.PENDING
    assert health.sources[0]["application_id"] == health_app.pk and health.sources[0]["number"] == health_app.number
    assert garbage.comparison == "reworded" and garbage.municipal_item.name == "生活垃圾分类宣传动员"
    assert set(garbage.involves) >= {"assessment", "plaque", "ledger"}

    draft = reviewer.get("/plan-lists/2026").json()
    assert draft["version"] is None and {i["name"] for i in draft["pending"]} == {health.name, garbage.name}

    settings.ZHUNRU_TODAY = __import__("datetime").date(2025, 12, 15)
    published = reviewer.post("/plan-lists/2026/publish")
    assert published.status_code == 200, published.content
    assert published.json()["version"] == 1
    v1 = reviewer.get("/plan-lists/2026").json()
    assert {i["name"]: i["status"] for i in v1["items"]} == {health.name: "active", garbage.name: "active"}
    item = next(i for i in v1["items"] if i["name"] == health.name)
    # Everything the approved application said is on the item.
    assert item["summary"] == samples["health-elderly"]["summary"]
    assert [d["text"] for d in item["duties"]] == [d["text"] for d in samples["health-elderly"]["duties"]]
    assert item["support"]["funding"]["amount"] == "每个居村每年3000元"
    assert item["courses"][0]["name"] == "老年人健康管理政策培训"
    assert item["time_limit"] == {"type": "ongoing"} and item["scope"] == "all"
    assert item["involves_names"] == {"system_name": "社区云"}

    filed = reviewer.post("/plan-lists/2026/file")
    assert filed.status_code == 200, filed.content
    recipients = [f["recipient"] for f in filed.json()["filings"]]
    assert recipients == ["上海市民政局", "中共上海市普陀区委员会、上海市普陀区人民政府"]
    assert Filing.objects.filter(version__number=1, filed_on="2025-12-15").count() == 2
    assert reviewer.post("/plan-lists/2026/file").status_code == 409  # filed once only
    assert AuditEvent.objects.filter(action="plan_list.filed").count() == 1

    # An adjustment of the health item (kind adjust, pointing at the item), and one new item.
    adjusted_summary = "组织居村协助开展65岁以上老年人健康管理服务宣传动员和健康体检预约。"
    new_duties = samples["health-elderly"]["duties"] + [{"text": "协助通知老年人领取体检报告", "mode": "联系居村民"}]
    adjusted, _ = approve_directly(samples["health-elderly"], submitted_on="2025-12-01", decided_on="2025-12-10",
                                   kind="adjust", adjusts_item=str(health.pk), summary=adjusted_summary, duties=new_duties)
    census = samples["census-simplified"]
    added, _ = approve_directly(census, submitted_on="2025-12-02", decided_on="2025-12-11", procedure="regular",
                                time_limit={"type": "one_time", "start": "2026-03-01", "end": "2026-04-30"})
    assert adjusted.previous_id == health.pk and adjusted.lineage == health.lineage and adjusted.version == 2
    health.refresh_from_db()
    assert health.status == ItemStatus.ACTIVE  # the published version stays until the next one is published

    settings.ZHUNRU_TODAY = __import__("datetime").date(2025, 12, 20)
    assert reviewer.post("/plan-lists/2026/publish").json()["version"] == 2
    health.refresh_from_db()
    assert health.status == ItemStatus.SUPERSEDED
    v2 = reviewer.get("/plan-lists/2026").json()
    assert v2["version"] == 2
    assert {i["name"] for i in v2["items"]} == {health.name, garbage.name, added.name}
    # The old version is kept as it was.
    old = reviewer.get("/plan-lists/2026?version=1").json()
    assert next(i for i in old["items"] if i["name"] == health.name)["summary"] == samples["health-elderly"]["summary"]

    compared = reviewer.get("/plan-lists/2026/compare?with=1").json()
    assert [a["name"] for a in compared["added"]] == [added.name]
    changed = {c["name"]: {f["field"] for f in c["fields"]} for c in compared["changed"]}
    assert changed == {health.name: {"summary", "duties"}}
    assert compared["exited"] == []
    municipal = reviewer.get("/plan-lists/2026/compare?with=municipal").json()
    assert municipal["counts"] == {"same": 1, "reworded": 1, "new": 1}

    assert reviewer.post("/plan-lists/2026/file").status_code == 200
    # The documents hold the items: re-open them.
    doc = reviewer.get("/plan-lists/2026/export?format=docx")
    assert doc.status_code == 200 and doc["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = _docx_text(doc.content)
    for name in (health.name, garbage.name, added.name, "2026年普陀区区级下派居村组织工作任务计划清单", "第2版"):
        assert name in text
    assert adjusted_summary not in text and "协助通知老年人领取体检报告" in text
    section = docx.Document(io.BytesIO(doc.content)).sections[0]
    assert section.page_width > section.page_height  # the list is a landscape table

    xlsx = reviewer.get("/plan-lists/2026/export?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = [sheet.cell(row=r, column=2).value for r in range(4, sheet.max_row + 1)]
    assert sorted(n.split("\n")[0] for n in names) == sorted([health.name, garbage.name, added.name])
    assert sheet.cell(row=3, column=2).value == "事项名称"

    letter = reviewer.get("/plan-lists/2026/filing-letter")
    letter_text = _docx_text(letter.content)
    assert "上海市普陀区民政局文件" in letter_text and "普民〔2025〕2号" in letter_text
    assert "上海市民政局，中共上海市普陀区委员会、上海市普陀区人民政府：" in letter_text
    assert "共列入事项3项" in letter_text and "调整事项1项" in letter_text

    assert PlanListVersion.objects.filter(plan_list__year=2026).count() == 2
    assert PlanItem.objects.filter(plan_list__year=2026, status=ItemStatus.ACTIVE).count() == 3


def test_r_proc_1_round_carries_ongoing_proposes_annual_drops_one_time(putuo, api, samples, settings):
    """Opening 2026 from 2025: ongoing carried, annual proposed to its department (unconfirmed left out),
    one-time ending in 2025 left out."""
    import datetime

    reviewer = api("reviewer_D020")
    # 2025 items joining at once by the simplified procedure (R-PROC-4), with the filing recorded.
    ongoing, _ = approve_directly(samples["health-elderly"], submitted_on="2025-03-03", decided_on="2025-03-10",
                                  procedure="simplified", task_start="2025-04-01")
    assert ongoing.status == ItemStatus.ACTIVE and ongoing.plan_list.year == 2025
    assert Filing.objects.filter(item=ongoing).count() == 2
    annual, _ = approve_directly(samples["garbage-assessment"], submitted_on="2025-03-03", decided_on="2025-03-10",
                                 procedure="simplified", task_start="2025-04-01", **corrected_garbage(samples["garbage-assessment"]))
    declined, _ = approve_directly(samples["garbage-assessment"], submitted_on="2025-03-04", decided_on="2025-03-11",
                                   procedure="simplified", task_start="2025-04-01", name="垃圾分类实效测评协助",
                                   **corrected_garbage(samples["garbage-assessment"]))
    one_time, _ = approve_directly(samples["census-simplified"], submitted_on="2025-09-15", decided_on="2025-09-18")
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 8)
    summary = reviewer.post("/plan-lists/2026/open").json()
    assert summary["carried"] == [ongoing.name]
    assert sorted(summary["proposed"]) == sorted([annual.name, declined.name])
    assert summary["left_out"] == [one_time.name]
    assert reviewer.post("/plan-lists/2026/open").status_code == 409

    proposed = {i.name: i for i in PlanItem.objects.filter(plan_list__year=2026, status=ItemStatus.PROPOSED)}
    clerk = api("clerk_D028")
    assert clerk.post(f"/plan-items/{proposed[annual.name].pk}/confirm", {"keep": True}).status_code == 200
    assert api("clerk_D030").post(f"/plan-items/{proposed[declined.name].pk}/confirm", {"keep": True}).status_code == 404
    settings.ZHUNRU_TODAY = datetime.date(2025, 12, 20)
    assert reviewer.post("/plan-lists/2026/publish").status_code == 200
    listed = reviewer.get("/plan-lists/2026").json()["items"]
    assert sorted(i["name"] for i in listed) == sorted([ongoing.name, annual.name])
    carried = next(i for i in listed if i["name"] == ongoing.name)
    assert carried["carried_from_id"] == ongoing.pk and carried["lineage"] == ongoing.lineage
    assert PlanItem.objects.get(plan_list__year=2026, name=declined.name).status == ItemStatus.LEFT_OUT
