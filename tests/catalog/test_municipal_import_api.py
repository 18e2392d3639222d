"""R-IMP-1 end to end: POST /municipal-lists/import (multipart) and GET /municipal-lists/{year}."""

import io
from pathlib import Path

import openpyxl
import pytest

from zhunru.audit.models import AuditEvent
from zhunru.catalog.models import MunicipalItem, MunicipalList

DATA = Path(__file__).resolve().parents[2] / "data" / "shanghai"
XLSX = DATA / "2025年上海市下派居村组织工作任务计划清单（示例）.xlsx"
CSV = DATA / "municipal_list_2025.csv"


@pytest.fixture
def reviewer(api):
    return api("reviewer_D020")


def upload(client, data: bytes, name: str, year=2025):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/municipal-lists/import", data={"file": SimpleUploadedFile(name, data), "year": year})


def _post(reviewer, data, name, year=2025):
    # Multipart through the bearer client (not JSON).
    from django.core.files.uploadedfile import SimpleUploadedFile

    return reviewer.client.post("/api/v1/municipal-lists/import", data={"file": SimpleUploadedFile(name, data), "year": year},
                                headers=reviewer.headers)


def snapshot():
    return (list(MunicipalItem.objects.order_by("municipal_list__year", "position").values_list("municipal_list__year", "code", "name", "content")),
            AuditEvent.objects.count())


def test_r_imp_1_sample_xlsx_and_csv_import_to_the_same_42_items(putuo, reviewer):
    from_csv = reviewer.get("/municipal-lists/2025").json()  # the fixture loaded the CSV
    assert len(from_csv["items"]) == 42
    answer = _post(reviewer, XLSX.read_bytes(), XLSX.name)
    assert answer.status_code == 200, answer.content
    assert answer.json()["count"] == 42 and answer.json()["names"][0] == "居民区党组织建设"
    from_xlsx = reviewer.get("/municipal-lists/2025").json()
    assert from_xlsx == from_csv
    assert set(from_csv["items"][0]) == {"code", "name", "category", "department", "content", "basis", "involves", "applies"}
    assert from_csv["items"][0]["code"] == "M2025-001" and from_csv["items"][0]["applies"] == ["residents", "villagers"]
    # Versioned by year: another year is a list of its own.
    assert _post(reviewer, CSV.read_bytes(), CSV.name, 2026).json()["count"] == 42
    assert sorted(MunicipalList.objects.values_list("year", flat=True)) == [2025, 2026]
    assert reviewer.get("/municipal-lists/2026").json()["items"][0]["code"] == "M2026-001"
    assert reviewer.get("/municipal-lists/2019").status_code == 404


def _broken_copy(edit) -> bytes:
    wb = openpyxl.load_workbook(XLSX)
    edit(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_r_imp_1_broken_copy_is_refused_whole_with_row_numbers(putuo, reviewer):
    before = snapshot()

    def no_names(ws):
        ws["B5"] = None
        ws["B9"] = "  "

    refused = _post(reviewer, _broken_copy(no_names), "清单.xlsx")
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [e["field"] for e in errors] == ["row 5", "row 9"]
    assert errors[0]["message"] == "第5行：缺少事项名称" and errors[0]["rule"] == "R-IMP-1"

    def unknown_header(ws):
        for col in range(1, 9):
            ws.cell(row=3, column=col).value = f"列{col}"

    refused = _post(reviewer, _broken_copy(unknown_header), "清单.xlsx")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "file"
    assert "表头" in refused.json()["errors"][0]["message"]
    assert snapshot() == before  # nothing half-imported, nothing audited


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"", "empty.xlsx", "空"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "photo.csv", "不是"),
    (b"PK\x03\x04 not really a zip", "broken.xlsx", "xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "old.xls", "xls"),
])
def test_bad_files_are_refused_with_a_clear_chinese_message(putuo, reviewer, data, name, words):
    before = snapshot()
    refused = _post(reviewer, data, name)
    assert refused.status_code == 422
    message = refused.json()["errors"][0]["message"]
    assert words in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)
    assert snapshot() == before


def test_gbk_csv_is_read(putuo, reviewer):
    gbk = CSV.read_text(encoding="utf-8-sig").encode("gbk")
    answer = _post(reviewer, gbk, "清单-gbk.csv", 2024)
    assert answer.status_code == 200, answer.content
    assert answer.json()["count"] == 42
    assert reviewer.get("/municipal-lists/2024").json()["items"][5]["name"] == reviewer.get("/municipal-lists/2025").json()["items"][5]["name"]


def test_duplicate_names_are_refused_with_both_rows(putuo, reviewer):
    before = snapshot()
    lines = CSV.read_text(encoding="utf-8-sig")
    dup = lines + "M2025-099,依法协助事项,反电信网络诈骗宣传,开展宣传,市公安局,《反电信网络诈骗法》,,居村\n"
    refused = _post(reviewer, dup.encode(), "dup.csv")
    assert refused.status_code == 422
    assert "重复" in refused.json()["errors"][0]["message"]
    assert snapshot() == before


def test_only_the_reviewer_imports(putuo, api):
    before = snapshot()
    clerk = api("clerk_D030")
    refused = _post(clerk, CSV.read_bytes(), CSV.name)
    assert refused.status_code == 403 and "区民政局" in refused.json()["errors"][0]["message"]
    assert snapshot() == before


def test_missing_file_or_year_is_a_422(putuo, reviewer):
    answer = reviewer.client.post("/api/v1/municipal-lists/import", data={"year": 2025}, headers=reviewer.headers)
    assert answer.status_code == 422


def test_import_page_for_the_reviewer(putuo, client):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(get_user_model().objects.get(username="reviewer_D020"))
    page = client.get("/lists/municipal/2025/")
    assert page.status_code == 200 and "导入市级清单" in page.content.decode()
    done = client.post("/lists/municipal/import", {"file": SimpleUploadedFile(XLSX.name, XLSX.read_bytes()), "year": "2023"}, follow=True)
    assert "已导入2023年市级清单，共42项" in done.content.decode()
