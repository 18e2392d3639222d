"""R-IMP-1: importing the municipal list (市级清单) as published.

Pure tests: no Django, no database.  Run with
    python -m pytest tests/documents/test_municipal_import.py -p no:django -q
"""

from __future__ import annotations

import io
import random
from dataclasses import asdict
from pathlib import Path

import openpyxl
import pytest

from zhunru.documents.municipal_import import (
    ImportRefused,
    ParsedItem,
    normalise_cell,
    parse_applies,
    parse_involves,
    parse_municipal_file,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "shanghai"
SAMPLE_XLSX = DATA / "2025年上海市下派居村组织工作任务计划清单（示例）.xlsx"
SAMPLE_CSV = DATA / "municipal_list_2025.csv"

HEADER = ["序号", "事项名称", "居村组织承担的具体内容", "市级主管部门", "实施依据", "涉及内容", "适用范围"]


def xlsx_bytes(*sheets: tuple[str, list[list], list[str]]) -> bytes:
    """Build a workbook in memory: each sheet is (title, rows, merged ranges)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows, merges in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for merged in merges:
            sheet.merge_cells(merged)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(SAMPLE_XLSX)


def saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def refused(data: bytes, filename: str = "清单.xlsx") -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        parse_municipal_file(data, filename, 2025)
    return caught.value


# ---------------------------------------------------------------------------
# The published sample
# ---------------------------------------------------------------------------


def test_r_imp_1_xlsx_matches_csv():
    from_xlsx = parse_municipal_file(SAMPLE_XLSX.read_bytes(), SAMPLE_XLSX.name, 2025)
    from_csv = parse_municipal_file(SAMPLE_CSV.read_bytes(), SAMPLE_CSV.name, 2025)

    assert len(from_xlsx) == len(from_csv) == 42
    for a, b in zip(from_xlsx, from_csv, strict=True):
        assert asdict(a) == asdict(b), a.name
    assert [i.code for i in from_xlsx] == [f"M2025-{n:03d}" for n in range(1, 43)]
    assert [i.position for i in from_xlsx] == list(range(1, 43))

    # Category rows: prefix and count gone, 10 + 32 items.
    categories = [i.category for i in from_xlsx]
    assert categories == ["依法履行职责事项"] * 10 + ["依法协助事项"] * 32
    # The department merged over D6:D9 belongs to every item under it.
    assert [i.department for i in from_xlsx[1:5]] == ["市民政局"] * 4
    assert from_xlsx[0] == ParsedItem(
        code="M2025-001",
        position=1,
        category="依法履行职责事项",
        name="居民区党组织建设",
        content="1.组织开展党组织活动\n2.党员教育管理和服务",
        department="市委组织部",
        basis="《中国共产党支部工作条例(试行)》",  # NFKC: full-width brackets become ASCII
        involves=[],
        applies=["residents", "villagers"],
    )
    assert from_xlsx[1].applies == ["residents"]
    assert from_xlsx[8].applies == ["villagers"]
    assert from_xlsx[5].involves == ["ledger"]
    assert from_xlsx[37].involves == ["certificate"]


def test_csv_code_column_is_ignored_and_codes_follow_the_year():
    text = SAMPLE_CSV.read_text("utf-8").replace("M2025-001", "X-999", 1)
    items = parse_municipal_file(text.encode("utf-8"), "list.csv", 2026)
    assert items[0].code == "M2026-001"
    assert items[-1].code == "M2026-042"


def test_xlsx_decided_by_content_not_extension():
    items = parse_municipal_file(SAMPLE_XLSX.read_bytes(), "清单.csv", 2025)
    assert len(items) == 42


def test_utf8_csv_with_bom_and_chinese_headers():
    rows = [
        "2025年市级清单",
        ",".join(HEADER),
        "一、依法履行职责事项（2项）,,,,,,",
        '1,居务公开,"1.公开居务、财务事项\n2.接受居民监督",市民政局,《上海市居民委员会工作条例》,无,居委会',
        '2,村务公开,"1.公开村务",市民政局,《村民委员会组织法》,"台账资料、统计报表",村委会',
    ]
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")
    items = parse_municipal_file(data, "list.csv", 2025)
    assert [i.name for i in items] == ["居务公开", "村务公开"]
    assert items[0].content == "1.公开居务、财务事项\n2.接受居民监督"
    assert items[0].category == "依法履行职责事项"
    assert items[1].involves == ["statistical_report", "ledger"]
    assert items[1].applies == ["villagers"]


def test_gbk_csv():
    rows = [
        ",".join(HEADER),
        "一、依法履行职责事项（1项）,,,,,,",
        '1,人民调解,"1.调解居民间民间纠纷\n2.预防矛盾激化",市司法局,《中华人民共和国人民调解法》,台账资料,"居委会、村委会"',
        "二、依法协助事项（1项）,,,,,,",
        "1,法治宣传教育,1.组织开展普法宣传活动,市司法局,全国人大常委会关于开展法治宣传教育的决议,无,居村",
    ]
    data = "\r\n".join(rows).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    items = parse_municipal_file(data, "清单.csv", 2025)
    assert [(i.code, i.category, i.name) for i in items] == [
        ("M2025-001", "依法履行职责事项", "人民调解"),
        ("M2025-002", "依法协助事项", "法治宣传教育"),
    ]
    assert items[0].content == "1.调解居民间民间纠纷\n2.预防矛盾激化"
    assert items[0].involves == ["ledger"]
    assert items[1].applies == ["residents", "villagers"]


# ---------------------------------------------------------------------------
# Layout variants, built in memory
# ---------------------------------------------------------------------------


def test_list_on_second_sheet_after_cover_sheet():
    cover = ("封面", [["2025年市级清单"], ["印发说明：各区参照执行"], ["事项名称见第二页"]], [])
    body = (
        "清单",
        [
            ["2025年清单"],
            HEADER,
            ["一、依法履行职责事项（1项）"],
            [1, "居务公开", "1.公开居务", "市民政局", "《条例》", "无", "居委会"],
        ],
        ["A1:G1", "A3:G3"],
    )
    items = parse_municipal_file(xlsx_bytes(cover, body), "清单.xlsx", 2025)
    assert [(i.code, i.name, i.category) for i in items] == [("M2025-001", "居务公开", "依法履行职责事项")]


def test_two_row_header_under_merged_group_heading():
    rows = [
        ["2025年清单"],
        ["序号", "事项名称", "事项内容", None, None, "涉及内容", "适用范围"],
        [None, None, "具体内容", "主管部门", "政策依据", None, None],
        ["一、依法协助事项（2项）"],
        [1, "法治宣传教育", "1.组织开展普法宣传活动", "市司法局", "普法决议", "无", "居委会、村委会"],
        [2, "社区矫正对象帮扶协助", "1.协助开展日常帮扶", None, "《社区矫正法》", "台账资料", "居村"],
    ]
    merges = ["A1:G1", "A2:A3", "B2:B3", "C2:E2", "F2:F3", "G2:G3", "A4:G4", "D5:D6"]
    items = parse_municipal_file(xlsx_bytes(("Sheet1", rows, merges)), "清单.xlsx", 2025)
    assert [asdict(i) for i in items] == [
        {
            "code": "M2025-001",
            "position": 1,
            "category": "依法协助事项",
            "name": "法治宣传教育",
            "content": "1.组织开展普法宣传活动",
            "department": "市司法局",
            "basis": "普法决议",
            "involves": [],
            "applies": ["residents", "villagers"],
        },
        {
            "code": "M2025-002",
            "position": 2,
            "category": "依法协助事项",
            "name": "社区矫正对象帮扶协助",
            "content": "1.协助开展日常帮扶",
            "department": "市司法局",
            "basis": "《社区矫正法》",
            "involves": ["ledger"],
            "applies": ["residents", "villagers"],
        },
    ]


def test_shuffled_columns_with_alternative_names():
    rows = [
        ["适用范围", "政策依据", "事项名称", "主管部门", "涉及内容", "工作内容", "序号"],
        ["一、依法履行职责事项（1项）"],
        ["居民委员会", "《条例》", "居务公开", "市民政局", "无", "1.公开居务\n2.接受监督", 1],
        ["二、依法协助事项（1项）"],
        ["村民委员会", "《兵役法》", "兵役登记", "上海警备区", "统计报表/信息系统", "1.动员登记", 1],
    ]
    items = parse_municipal_file(xlsx_bytes(("Sheet1", rows, [])), "x.xlsx", 2025)
    assert [(i.code, i.category, i.name, i.department, i.basis) for i in items] == [
        ("M2025-001", "依法履行职责事项", "居务公开", "市民政局", "《条例》"),
        ("M2025-002", "依法协助事项", "兵役登记", "上海警备区", "《兵役法》"),
    ]
    assert items[0].content == "1.公开居务\n2.接受监督"
    assert items[0].applies == ["residents"]
    assert items[1].applies == ["villagers"]
    assert items[1].involves == ["statistical_report", "system"]


def test_category_column_instead_of_category_rows():
    rows = [
        ["事项类别", "序号", "事项名称", "具体内容", "主管部门", "依据", "涉及内容", "适用范围"],
        ["依法履行职责事项", 1, "居务公开", "1.公开居务", "市民政局", "《条例》", "无", "居委"],
        [None, 2, "村务公开", "1.公开村务", "市民政局", "《组织法》", "无", "村委"],
        ["二、依法协助事项", 1, "法治宣传教育", "1.普法", "市司法局", "决议", "-", "居村"],
    ]
    # The category cell merged down over its items, as people do.
    items = parse_municipal_file(xlsx_bytes(("Sheet1", rows, ["A2:A3"])), "x.xlsx", 2025)
    assert [(i.code, i.category, i.name) for i in items] == [
        ("M2025-001", "依法履行职责事项", "居务公开"),
        ("M2025-002", "依法履行职责事项", "村务公开"),
        ("M2025-003", "依法协助事项", "法治宣传教育"),
    ]


def test_missing_applies_column_means_both():
    rows = [
        ["序号", "事项名称", "具体内容", "主管部门"],
        ["一、依法协助事项"],
        [1, "法治宣传教育", "1.普法", "市司法局"],
    ]
    (item,) = parse_municipal_file(xlsx_bytes(("Sheet1", rows, ["A2:D2"])), "x.xlsx", 2025)
    assert item.applies == ["residents", "villagers"]
    assert item.involves == [] and item.basis == ""
    assert item.category == "依法协助事项"


def test_full_width_digits_stray_spaces_and_line_breaks():
    rows = [
        [
            "序号",
            " 事项\n名称 ",
            "居村组织承担的\n具体内容",
            "\u3000市级主管部门",
            "实施依据",
            "涉及 内容",
            "适用范围",
        ],
        ["一、依法履行职责事项（１０项）"],
        [
            "１",
            "  居务公开\u3000",
            "１．公开居务、财务事项 \n\n 　２．接受居民监督  ",
            " 市民政局\n",
            "《上海市居民委员会工作条例》\n《城市居民委员会组织法》",
            "台账资料，统计报表\n信息系统",
            "居委会和村委会",
        ],
    ]
    (item,) = parse_municipal_file(xlsx_bytes(("Sheet1", rows, ["A2:G2"])), "x.xlsx", 2025)
    assert item.category == "依法履行职责事项"
    assert item.name == "居务公开"
    assert item.content == "1.公开居务、财务事项\n2.接受居民监督"
    assert item.department == "市民政局"
    assert item.basis == "《上海市居民委员会工作条例》\n《城市居民委员会组织法》"
    assert item.involves == ["statistical_report", "ledger", "system"]
    assert item.applies == ["residents", "villagers"]


def test_blank_rows_and_note_rows_are_skipped():
    rows = [
        HEADER,
        [None] * 7,
        ["一、依法履行职责事项（2项）"],
        [1, "居务公开", "1.公开居务", "市民政局", "《条例》", "无", "居委会"],
        [None, "", "  ", None, None, None, None],
        [2, "村务公开", "1.公开村务", None, "《组织法》", "无", "村委会"],
        [None] * 7,
        ["注：1.本清单由市民政局负责解释。"],
        ["备注：各区可结合实际细化。"],
        [None, "说明：涉及内容为“无”的事项不另行报送台账。"],
    ]
    # Department merged over rows 4–6, including the blank row 5: still blank.
    merges = ["A3:G3", "A8:G8", "D4:D6"]
    items = parse_municipal_file(xlsx_bytes(("Sheet1", rows, merges)), "x.xlsx", 2025)
    assert [(i.code, i.name, i.department) for i in items] == [
        ("M2025-001", "居务公开", "市民政局"),
        ("M2025-002", "村务公开", "市民政局"),
    ]


@pytest.mark.parametrize(
    ("cell", "kinds"),
    [
        ("", []),
        ("无", []),
        ("／", []),
        ("/", []),
        ("-", []),
        ("—", []),
        ("工作任务", ["task"]),
        ("挂牌标识、考核创建", ["assessment", "plaque"]),
        ("统计报表，台账资料;出具证明", ["statistical_report", "ledger", "certificate"]),
        ("信息系统\n工作任务", ["task", "system"]),
        ("台账资料／台账资料", ["ledger"]),
    ],
)
def test_parse_involves(cell, kinds):
    assert parse_involves(normalise_cell(cell, multiline=True)) == kinds


@pytest.mark.parametrize(
    ("cell", "applies"),
    [
        ("居委", ["residents"]),
        ("居委会", ["residents"]),
        ("居民委员会", ["residents"]),
        ("村委", ["villagers"]),
        ("村委会", ["villagers"]),
        ("村民委员会", ["villagers"]),
        ("居村", ["residents", "villagers"]),
        ("居村委会", ["residents", "villagers"]),
        ("居委会、村委会", ["residents", "villagers"]),
        ("居委会和村委会", ["residents", "villagers"]),
        ("村委会，居委会", ["residents", "villagers"]),
        ("", ["residents", "villagers"]),
    ],
)
def test_parse_applies(cell, applies):
    assert parse_applies(normalise_cell(cell, multiline=True)) == applies


# ---------------------------------------------------------------------------
# Refusals
# ---------------------------------------------------------------------------


def test_refuses_broken_sample_with_every_row_problem():
    workbook = sample_workbook()
    sheet = workbook.active
    sheet["B9"] = None  # 居务公开: content left, name gone
    sheet["F20"] = "宣传材料"  # not a 涉及内容 word
    sheet["B30"] = "居民区党组织建设"  # same name as row 5
    sheet["G31"] = "街道"  # not a 适用范围 word
    error = refused(saved(workbook))
    assert [row for row, _ in error.problems] == [9, 20, 30, 31]
    message = str(error)
    assert message.startswith("第9行：缺少事项名称；第20行：涉及内容“宣传材料”无法识别")
    assert "第30行：事项名称“居民区党组织建设”与第5行重复" in message
    assert "第31行：适用范围“街道”无法识别" in message
    assert isinstance(error, ValueError)


def test_refuses_sample_with_unknown_name_header():
    workbook = sample_workbook()
    workbook.active["B3"] = "任务"
    workbook.active["B9"] = None
    error = refused(saved(workbook))
    assert error.problems == [(None, error.problems[0][1])]
    assert str(error).startswith("未找到表头：需要包含“事项名称”列")


def test_refuses_duplicate_names_naming_both_rows():
    rows = [
        ["清单"],
        HEADER,
        ["一、依法协助事项（3项）"],
        [1, "法治宣传教育", "1.普法", "市司法局", "决议", "无", "居村"],
        [2, "禁毒宣传", "1.宣传", "市禁毒办", "《禁毒法》", "无", "居村"],
        [3, " 法治宣传\n教育 ", "1.再普法", "市司法局", "决议", "无", "居村"],
    ]
    error = refused(xlsx_bytes(("Sheet1", rows, [])))
    assert error.problems == [(6, "事项名称“法治宣传教育”与第4行重复")]
    assert str(error) == "第6行：事项名称“法治宣传教育”与第4行重复"


def test_refuses_items_without_category():
    rows = [
        HEADER,
        [1, "法治宣传教育", "1.普法", "市司法局", "决议", "无", "居村"],
        ["一、依法协助事项"],
        [1, "禁毒宣传", "1.宣传", "市禁毒办", "《禁毒法》", "无", "居村"],
    ]
    error = refused(xlsx_bytes(("Sheet1", rows, [])))
    assert [row for row, _ in error.problems] == [2]
    assert str(error).startswith("第2行：缺少事项类别")


def test_refuses_row_with_only_a_number():
    rows = [HEADER, ["一、依法协助事项"], [1, "禁毒宣传", "1.宣传", "市禁毒办", "", "无", "居村"], [2]]
    error = refused(xlsx_bytes(("Sheet1", rows, [])))
    assert str(error) == "第4行：缺少事项名称"


@pytest.mark.parametrize(
    ("data", "filename"), [(b"", "清单.xlsx"), (b"", "清单.csv"), (b"\xef\xbb\xbf \r\n", "清单.csv")]
)
def test_refuses_empty_file(data, filename):
    error = refused(data, filename)
    assert error.problems == [(None, "文件为空")]
    assert str(error) == "文件为空"


def test_refuses_random_bytes_named_xlsx():
    error = refused(random.Random(7).randbytes(2048).replace(b"PK", b"pk"), "清单.xlsx")
    assert error.problems == [(None, "文件不是有效的 .xlsx 表格")]


def test_refuses_zip_that_is_not_a_workbook():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    error = refused(buffer.getvalue(), "清单.xlsx")
    assert str(error) == "文件不是有效的 .xlsx 表格"


@pytest.mark.parametrize("filename", ["清单.xls", "清单.et"])
def test_refuses_legacy_formats_asking_for_xlsx(filename):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(8).randbytes(1024)
    message = str(refused(ole, filename))
    assert ".xls" in message and "另存为" in message and ".xlsx" in message
    # Even when the bytes are not OLE (an HTML page saved as .xls), the advice is the same.
    assert "另存为" in str(refused(b"<html><table><tr><td>1</td></tr></table></html>", filename))


def test_refuses_binary_that_is_no_table():
    error = refused(b"\x00\x01\x02binary\x00" * 20, "清单.csv")
    assert str(error).startswith("文件不是有效的表格")


def test_refuses_csv_without_header():
    error = refused("名称,内容\n居务公开,公开\n".encode(), "清单.csv")
    assert error.problems[0][0] is None
    assert str(error).startswith("未找到表头")


def test_refuses_stray_content_line_instead_of_taking_it_as_a_category():
    rows = [
        HEADER,
        ["一、依法协助事项"],
        [1, "禁毒宣传", "1.宣传", "市禁毒办", "", "无", "居村"],
        [None, None, "2.协助社区康复"],  # a continuation line typed into its own row
    ]
    error = refused(xlsx_bytes(("Sheet1", rows, [])))
    assert str(error) == "第4行：缺少事项名称"


def test_import_refused_keeps_its_problems_through_pickle():
    import pickle

    error = ImportRefused([(9, "缺少事项名称"), (None, "文件为空"), (5, "缺少事项类别")])
    assert str(error) == "文件为空；第5行：缺少事项类别；第9行：缺少事项名称"
    copy = pickle.loads(pickle.dumps(error))
    assert copy.problems == error.problems and str(copy) == str(error)
