"""Parse a municipal list (市级清单) as the city publishes it — rule R-IMP-1.

Pure: bytes in, ``ParsedItem`` list out, no Django and no database.  The city
publishes the list as an ``.xlsx`` laid out for printing (title row, count row,
header row, category rows such as ``一、依法履行职责事项（10项）`` spanning the
whole width, multi-line cells, the department cell merged over consecutive
rows); districts re-save it, move columns, add cover sheets and notes, or
export it as CSV in UTF-8 or GBK.  Everything below is about reading all of
those the same way, and about refusing a file *as a whole*, with every problem
named by the row number the user sees in the spreadsheet, rather than
importing half of it.

Public API: ``ParsedItem``, ``ImportRefused``, ``parse_municipal_file``.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

# 涉及内容 words as printed in the list → kind codes used by the rest of Zhunru.
INVOLVES_KINDS: dict[str, str] = {
    "工作任务": "task",
    "统计报表": "statistical_report",
    "台账资料": "ledger",
    "考核创建": "assessment",
    "出具证明": "certificate",
    "信息系统": "system",
    "挂牌标识": "plaque",
}

RESIDENTS = "residents"
VILLAGERS = "villagers"
BOTH = [RESIDENTS, VILLAGERS]  # already sorted

# 适用范围 words → organisations.  Compound cells (居委会、村委会 / 居委会和村委会)
# are split first, so only single words are listed here.
APPLIES_WORDS: dict[str, set[str]] = {
    "居委": {RESIDENTS},
    "居委会": {RESIDENTS},
    "居民委员会": {RESIDENTS},
    "村委": {VILLAGERS},
    "村委会": {VILLAGERS},
    "村民委员会": {VILLAGERS},
    "居村": {RESIDENTS, VILLAGERS},
    "居村委": {RESIDENTS, VILLAGERS},
    "居村委会": {RESIDENTS, VILLAGERS},
    "居村组织": {RESIDENTS, VILLAGERS},
    "居(村)委会": {RESIDENTS, VILLAGERS},
}

# Header texts (after NFKC and removing every space / line break) → field.
# "code" and "position" are recognised so that they count as header words and
# are never mistaken for data, but their values are not used: the 序号 restarts
# in every category and codes are reassigned in file order.
HEADER_ALIASES: dict[str, str] = {
    "事项名称": "name",
    "name": "name",
    "居村组织承担的具体内容": "content",
    "居村组织承担的工作内容": "content",
    "具体内容": "content",
    "工作内容": "content",
    "事项内容": "content",
    "content": "content",
    "市级主管部门": "department",
    "主管部门": "department",
    "市级责任部门": "department",
    "责任部门": "department",
    "department": "department",
    "实施依据": "basis",
    "政策依据": "basis",
    "法律依据": "basis",
    "设定依据": "basis",
    "依据": "basis",
    "basis": "basis",
    "涉及内容": "involves",
    "involves": "involves",
    "适用范围": "applies",
    "适用对象": "applies",
    "applies": "applies",
    "事项类别": "category",
    "事项分类": "category",
    "类别": "category",
    "category": "category",
    "序号": "position",
    "code": "code",
    "事项编码": "code",
    "编码": "code",
}

# Fields whose line breaks carry meaning ("1.…\n2.…", one law per line, one
# 涉及内容 word per line).  In the others a line break is only cell wrapping.
MULTILINE_FIELDS = {"content", "basis", "involves", "applies"}

# Cell values that mean "nothing" in 涉及内容.
NONE_WORDS = {"", "无", "/", "-", "—", "——", "–", "没有"}

_INVOLVES_SEPARATORS = re.compile(r"[、,;/\n]+")  # after NFKC: ，→,  ；→;  ／→/
_APPLIES_SEPARATORS = re.compile(r"[、,;/\n和及与]+")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_XML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# Category rows are written "一、依法履行职责事项（10项）" or "(二)依法协助事项".
# Only Chinese numerals make a heading: "1.…" is how content lines start, and a
# stray content line must not silently become a category.
_CATEGORY_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+\s*[、.]|\(\s*[一二三四五六七八九十]+\s*\))\s*"
)
# In a 事项类别 column "1.依法履行职责事项" is fine too; strip either prefix.
_CATEGORY_PREFIX = re.compile(_CATEGORY_HEADING.pattern + r"|^\d+\s*[、.]\s*")
_CATEGORY_COUNT = re.compile(r"\s*\(\s*共?\s*\d+\s*项\s*\)\s*$")
# Notes under (or between) the items: "注：…", "备注：…", "说明：…", "注1：…".
_NOTE = re.compile(r"^(?:注|备注|附注|说明)\s*\d*\s*(?:[:：]|$)")
_NUMBER_ONLY = re.compile(r"^[\d\s.,、()]*$")

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls / .et (and encrypted .xlsx)
_LEGACY_EXTENSIONS = (".xls", ".et", ".ods", ".wps")

MSG_EMPTY = "文件为空"
MSG_NOT_XLSX = "文件不是有效的 .xlsx 表格"
MSG_LEGACY = "不支持旧版 .xls/.et 等格式：请在 Excel 或 WPS 中“另存为” .xlsx 后再导入"
MSG_NOT_TABLE = "文件不是有效的表格：请上传 .xlsx 或 .csv 文件"
MSG_NO_HEADER = (
    "未找到表头：需要包含“事项名称”列，以及“居村组织承担的具体内容”“市级主管部门”"
    "“实施依据”“涉及内容”“适用范围”“事项类别”“序号”中的至少一列"
)


# ---------------------------------------------------------------------------
# Public types
# ---------------------------------------------------------------------------


@dataclass
class ParsedItem:
    code: str  # f"M{year}-{n:03d}", n = running number in file order
    position: int  # that running number n (1-based), the item's place in the list
    category: str  # e.g. "依法履行职责事项" (no "一、" prefix, no "（10项）" count)
    name: str
    content: str  # may hold line breaks ("1.…\n2.…")
    department: str
    basis: str
    involves: list[str]  # kind codes from INVOLVES_KINDS, in that mapping's order
    applies: list[str]  # sorted subset of ["residents", "villagers"]


class ImportRefused(ValueError):
    """The whole file is refused; ``problems`` lists every reason at once.

    Each problem is ``(row, reason)``: ``row`` is the 1-based sheet row the user
    sees in Excel/WPS (for a CSV: the record number, header = 1), or ``None``
    for a problem with the file as a whole.
    """

    def __init__(self, problems: list[tuple[int | None, str]]):
        # File-level problems first, then in row order, so the message reads top-down.
        self.problems = sorted(problems, key=lambda p: (p[0] is not None, p[0] or 0))
        super().__init__(self.problems)  # args = (problems,): pickles and re-raises intact

    def __str__(self) -> str:
        return "；".join(reason if row is None else f"第{row}行：{reason}" for row, reason in self.problems)


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


def parse_municipal_file(data: bytes, filename: str, year: int) -> list[ParsedItem]:
    """Parse a published municipal list; raise ``ImportRefused`` if anything is wrong."""
    for table in read_tables(data, filename):
        header = find_header(table)
        if header is not None:
            return parse_items(table, header, year)
    raise ImportRefused([(None, MSG_NO_HEADER)])


# ---------------------------------------------------------------------------
# Reading files into tables
# ---------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as the user sees it: sheet row, or CSV record number
    values: list[Any]  # merged ranges already spread over their cells
    own: list[bool]  # the cell itself holds a value (not only spread from a merge)
    wide: list[bool]  # the cell is the top-left of a merge spanning several columns


def read_tables(data: bytes, filename: str) -> list[list[Row]]:
    """Every candidate table in the file: one per worksheet, or one for a CSV.

    Decided by content where possible (extensions lie: a CSV renamed .xlsx, an
    .xlsx downloaded as "清单.xls"); the extension only picks the error message.
    """
    ext = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if not data or not data.strip(b" \t\r\n\x00").removeprefix(b"\xef\xbb\xbf").strip():
        raise ImportRefused([(None, MSG_EMPTY)])
    if data.startswith(_ZIP_MAGIC):
        return read_xlsx(data, ext)
    if data.startswith(_OLE_MAGIC):
        # An encrypted .xlsx is an OLE container too, hence the wider message.
        if ext in (".xlsx", ".xlsm"):
            raise ImportRefused(
                [(None, f"{MSG_NOT_XLSX}（可能已加密，或实际是旧版 .xls 文件），请另存为 .xlsx 后再导入")]
            )
        raise ImportRefused([(None, MSG_LEGACY)])
    if ext in (".xlsx", ".xlsm"):
        raise ImportRefused([(None, MSG_NOT_XLSX)])
    if ext in _LEGACY_EXTENSIONS:
        raise ImportRefused([(None, MSG_LEGACY)])
    text = decode_text(data)
    if text is None:
        raise ImportRefused([(None, MSG_NOT_TABLE)])
    return read_csv(text)


def read_xlsx(data: bytes, ext: str) -> list[list[Row]]:
    import openpyxl  # imported here so that CSV-only callers don't pay for it

    _refuse_oversized_package(data)
    try:
        # read_only=False: read-only mode has no merged-cell information.
        # data_only=True: a 序号 written as a formula should read as its number.
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception:  # openpyxl raises a zoo of exceptions for a broken package
        message = MSG_LEGACY if ext in _LEGACY_EXTENSIONS else MSG_NOT_XLSX
        raise ImportRefused([(None, message)]) from None
    return [spread_merged(sheet) for sheet in workbook.worksheets]


# A list of a few thousand items is far below these; a file above them is crafted or broken, and
# reading it whole would tie the server up (a 5 KB file can claim a cell at XFD1048576).
MAX_SHEET_XML_BYTES = 40 * 1024 * 1024
MAX_CELLS = 2_000_000


def _refuse_oversized_package(data: bytes):
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            size = sum(i.file_size for i in package.infolist() if i.filename.startswith("xl/worksheets/"))
    except zipfile.BadZipFile:
        return  # openpyxl's refusal names it
    if size > MAX_SHEET_XML_BYTES:
        raise ImportRefused([(None, f"表格内容过大（解压后约{size // (1024 * 1024)}MB），请删去多余的工作表或空白行列后再导入")])


def _used_extent(sheet: Any) -> tuple[int, int]:
    """The last row and column that hold a value; formatting alone does not count."""
    rows = cols = 0
    for (r, c), cell in sheet._cells.items():
        if not _blank(cell.value):
            rows, cols = max(rows, r), max(cols, c)
    # A merged range reaching past the last value only covers blank cells: nothing to read there.
    return rows, cols


def spread_merged(sheet: Any) -> list[Row]:
    """Read a worksheet, giving every cell of a merged range the range's value.

    openpyxl keeps the value only in the top-left cell.  The department merged
    over four items belongs to all four; a header merged over two rows belongs
    to both; a category row merged across the width reads the same in every
    column.  ``own`` remembers which cells really hold something, so a blank
    row inside a merged department is still recognised as blank.
    """
    max_row, max_col = _used_extent(sheet)
    if max_row * max_col > MAX_CELLS:
        raise ImportRefused([(None, f"工作表“{sheet.title}”的范围过大（{max_row}行×{max_col}列），请删去空白行列后再导入")])
    grid = [list(values) for values in sheet.iter_rows(min_row=1, max_row=max_row, max_col=max_col, values_only=True)] if max_row else []
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([None] * (width - len(r)))
    own = [[not _blank(v) for v in r] for r in grid]
    wide = [[False] * width for _ in grid]
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(grid) or left >= width:
            continue
        value = grid[top][left]
        if merged.max_col > merged.min_col:
            wide[top][left] = True
        for r in range(top, min(merged.max_row, len(grid))):
            for c in range(left, min(merged.max_col, width)):
                grid[r][c] = value
    return [Row(number=i + 1, values=grid[i], own=own[i], wide=wide[i]) for i in range(len(grid))]


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM) first; then GB18030, a superset of GBK that
    Excel/WPS on Chinese Windows write by default.  None if neither fits or the
    bytes are binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def read_csv(text: str) -> list[list[Row]]:
    """A CSV as a table; tab-separated text (Excel "Unicode text") as a fallback."""
    tables = []
    for delimiter in (",", "\t"):
        records = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(r) for r in records), default=0)
        rows = []
        for i, record in enumerate(records):
            values = record + [""] * (width - len(record))
            rows.append(Row(i + 1, values, [not _blank(v) for v in values], [False] * width))
        tables.append(rows)
    return tables


# ---------------------------------------------------------------------------
# Header
# ---------------------------------------------------------------------------


@dataclass
class Header:
    first_data_index: int  # index into the table's rows
    columns: dict[str, int]  # field → column index
    first_column: int  # leftmost header column, where unmerged category rows put their text


def header_fields(row: Row) -> dict[int, str]:
    """column → field for the cells of ``row`` that are known header words."""
    found = {}
    for c, value in enumerate(row.values):
        key = re.sub(r"\s+", "", normalise_cell(value))
        field = HEADER_ALIASES.get(key) or HEADER_ALIASES.get(key.lower())
        if field is None:  # "适用范围（居委/村委）", "*事项名称"
            bare = re.sub(r"\(.*\)$", "", key).lstrip("*")
            field = HEADER_ALIASES.get(bare) or HEADER_ALIASES.get(bare.lower())
        if field:
            found[c] = field
    return found


def _is_header(fields: dict[int, str]) -> bool:
    return "name" in fields.values() and len(set(fields.values())) >= 2


def find_header(table: list[Row]) -> Header | None:
    """Find the header by its words, not its position.

    The header is the first row holding 事项名称 and at least one other known
    header word.  When the next row holds header words too, the header spans
    two rows (columns grouped under a merged heading such as “事项内容”): the
    lower row names the columns, the upper row fills in the columns merged
    down over both rows.
    """
    for i, row in enumerate(table):
        fields = header_fields(row)
        if not _is_header(fields):
            continue
        first_data = i + 1
        if i + 1 < len(table):
            lower = header_fields(table[i + 1])
            if lower:
                fields = {**fields, **lower}
                first_data = i + 2
        columns: dict[str, int] = {}
        for c in sorted(fields):
            columns.setdefault(fields[c], c)  # a group heading spread over columns: first wins
        return Header(first_data_index=first_data, columns=columns, first_column=min(fields))
    return None


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not _INVISIBLE.sub("", value).strip())


def normalise_cell(value: Any, *, multiline: bool = False) -> str:
    """Cell value → clean text.

    NFKC turns full-width digits, letters, brackets and U+3000 spaces into
    their ASCII forms.  Spaces are collapsed and trimmed around every line
    break; empty lines are dropped.  With ``multiline`` the remaining line
    breaks are kept (they separate "1.…" / "2.…"); otherwise they were only
    wrapping and the lines are joined.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 序号 typed as 1 reads back as 1.0
    text = str(value)
    # Excel stores a carriage return inside a cell as the escape "_x000D_",
    # which openpyxl hands back unchanged.
    text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    if multiline:
        return "\n".join(lines)
    return _join_wrapped(lines)


def _join_wrapped(lines: list[str]) -> str:
    """Join wrapped lines: Chinese needs no space, Latin words do."""
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "
        out += line
    return out


class CellError(ValueError):
    """A cell that cannot be read; the message becomes a row problem."""


def parse_involves(text: str) -> list[str]:
    """涉及内容 → kind codes, in INVOLVES_KINDS order, without repeats."""
    compact = re.sub(r"[ \t]+", "", text)
    if compact in NONE_WORDS:
        return []
    words = [w for w in _INVOLVES_SEPARATORS.split(compact) if w not in NONE_WORDS]
    unknown = [w for w in words if w not in INVOLVES_KINDS]
    if unknown:
        raise CellError(
            "涉及内容"
            + "、".join(f"“{w}”" for w in unknown)
            + "无法识别，可填："
            + "、".join(INVOLVES_KINDS)
            + "，或填“无”"
        )
    found = {INVOLVES_KINDS[w] for w in words}
    return [kind for kind in INVOLVES_KINDS.values() if kind in found]


def parse_applies(text: str) -> list[str]:
    """适用范围 → sorted subset of ["residents", "villagers"].

    A blank cell means the same as a missing column: the item applies to both.
    """
    compact = re.sub(r"[ \t]+", "", text)
    if not compact:
        return list(BOTH)
    words = [w for w in _APPLIES_SEPARATORS.split(compact) if w]
    unknown = [w for w in words if w not in APPLIES_WORDS]
    if unknown:
        raise CellError(
            "适用范围" + "、".join(f"“{w}”" for w in unknown) + "无法识别，可填：居委会、村委会或居村"
        )
    found = set().union(*(APPLIES_WORDS[w] for w in words))
    return sorted(found)


def clean_category(text: str) -> str:
    """ "一、依法履行职责事项（10项）" → "依法履行职责事项"."""
    text = normalise_cell(text)
    text = _CATEGORY_PREFIX.sub("", text)
    return _CATEGORY_COUNT.sub("", text).strip()


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


def _is_category_row(row: Row, header: Header) -> str | None:
    """The category text if ``row`` is a category row, else None.

    A category row holds a single value: either merged across the width, or
    in the leftmost column, or written like a heading (一、… / …（10项）).
    A lone value in the name column that looks like nothing of that sort is
    taken as an item with only a name; a lone number is a broken item row.
    """
    cells = [c for c, own in enumerate(row.own) if own]
    if len(cells) != 1:
        return None
    c = cells[0]
    text = normalise_cell(row.values[c])
    if _NUMBER_ONLY.match(text):
        return None
    heading_like = bool(_CATEGORY_HEADING.match(text) or _CATEGORY_COUNT.search(text))
    if heading_like or row.wide[c] or (c == header.first_column and c != header.columns["name"]):
        return clean_category(text) or None
    return None


def _is_note_row(row: Row, header: Header) -> bool:
    """ "注：…" / "备注：…" under or between the items, with no item name."""
    own_values = [normalise_cell(v) for v, own in zip(row.values, row.own, strict=True) if own]
    if not own_values or not _NOTE.match(own_values[0]):
        return False
    name_col = header.columns["name"]
    return not row.own[name_col] or _NOTE.match(normalise_cell(row.values[name_col])) is not None


def parse_items(table: list[Row], header: Header, year: int) -> list[ParsedItem]:
    """Turn the rows under the header into items; refuse with every problem at once."""
    columns = header.columns
    problems: list[tuple[int, str]] = []
    items: list[ParsedItem] = []
    first_row_of_name: dict[str, int] = {}
    current_category = ""

    def cell(row: Row, field: str) -> str:
        if field not in columns or columns[field] >= len(row.values):
            return ""
        return normalise_cell(row.values[columns[field]], multiline=field in MULTILINE_FIELDS)

    for row in table[header.first_data_index :]:
        if not any(row.own):
            continue  # wholly blank rows are layout, not data
        if _is_note_row(row, header):
            continue
        category_row = _is_category_row(row, header)
        if category_row is not None:
            current_category = category_row
            continue
        if _is_header(header_fields(row)):
            continue  # header repeated at the top of a printed page

        name = cell(row, "name")
        if not name:
            problems.append((row.number, "缺少事项名称"))
            continue
        row_problems = []
        if name in first_row_of_name:
            row_problems.append(f"事项名称“{name}”与第{first_row_of_name[name]}行重复")
        else:
            first_row_of_name[name] = row.number

        category = clean_category(cell(row, "category")) or current_category
        if not category:
            row_problems.append("缺少事项类别（该行之前没有类别行，表中也没有“事项类别”列）")
        try:
            involves = parse_involves(cell(row, "involves"))
        except CellError as exc:
            row_problems.append(str(exc))
        try:
            applies = parse_applies(cell(row, "applies"))
        except CellError as exc:
            row_problems.append(str(exc))

        if row_problems:
            problems.extend((row.number, p) for p in row_problems)
            continue
        n = len(items) + 1
        items.append(
            ParsedItem(
                code=f"M{year}-{n:03d}",
                position=n,
                category=category,
                name=name,
                content=cell(row, "content"),
                department=cell(row, "department"),
                basis=cell(row, "basis"),
                involves=involves,
                applies=applies,
            )
        )

    if problems:
        raise ImportRefused(problems)
    if not items:
        raise ImportRefused([(None, "表头下没有任何事项")])
    return items
