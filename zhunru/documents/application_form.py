"""《上海市普陀区下派居村组织工作任务申请表》 as .docx (R-DOC-1).

The layout follows the form attached to 普委办〔2024〕1号: one bordered two-column table,
labels on the left, with the three section heading rows spanning both columns. The form
is rendered from whatever the application holds, so a draft with missing fields still
prints, with blanks where the department has not written yet.
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .official import text

TITLE = "上海市普陀区下派居村组织工作任务申请表"

# 方正小标宋 is the GB/T 9704 title face; bold keeps the title a title where a machine
# lacks it and substitutes 宋体.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"
# 仿宋 has no ☐/☑ glyphs; Word and WPS would show a tofu box without a symbol font.
BOX_FONT = "Segoe UI Symbol"
TICKED, UNTICKED = "☑", "☐"

TABLE_PT = 12  # 小四: the form holds much text; 16 pt body size would run to four pages
NOTE_PT = 10.5  # 五号, for the template's parenthetical instructions
LABEL_WIDTH = Mm(34)
CONTENT_WIDTH = Mm(156) - LABEL_WIDTH  # the GB/T 9704 text block is 156 mm wide
OPINION_HEIGHT = Mm(28)
BLANK = "\u3000" * 4  # an underlined gap where a value is still missing, as on paper

PROCEDURES = [
    ("regular", "常态化程序"),
    ("simplified", "简易程序"),
    ("emergency", "紧急（先口头报告后补办）"),
]
COMPARISONS = [("same", "工作任务一致"), ("reworded", "表述调整"), ("new", "任务新增")]
BASIS_TYPES = [("central", "党中央国务院文件"), ("laws", "法律法规规章"), ("municipal", "市委市政府文件")]
CHANNELS = {"phone": "电话", "in_person": "当面", "other": "其他"}
DECISIONS = {"approve": "同意", "reject": "不同意"}

# lxml refuses these outright; a stray one pasted into a text field must not break the form.


# --- reading a possibly incomplete application --------------------------------------


def _d(value) -> dict:
    return value if isinstance(value, dict) else {}


def _l(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


# Text that Word's XML cannot hold is dropped by the official-document helpers' ``text``.
_t = text


def _date(value) -> str:
    """2025-08-01 → 2025年8月1日 (official documents drop the leading zeros)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return _t(value)  # show what was typed rather than lose it
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return _t(value)


def _filled(obj) -> bool:
    return any(_t(v) for v in _d(obj).values())


# --- text pieces inside a cell ------------------------------------------------------


def box(label: str, ticked: bool) -> tuple:
    """`label(☑)`: the template's "括号内打√"."""
    return ("box", label, bool(ticked))


def field(label: str, value) -> tuple:
    """`label：value`, the value underlined like the template's ____ blanks."""
    return ("field", label, _t(value))


def _fonts(rpr_parent, latin: str, east_asia: str) -> None:
    # font.name only fills w:ascii/w:hAnsi; Chinese text uses w:eastAsia.
    rfonts = rpr_parent.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _run(par, text: str, *, size=None, bold=False, underline=False, font=None):
    run = par.add_run(text)
    _fonts(run._element, font or LATIN_FONT, font or BODY_FONT)
    run.font.bold = bold or None
    run.font.underline = underline or None
    if size:
        run.font.size = Pt(size)
    return run


def _write(par, parts, size) -> None:
    """Plain strings, box() and field() pieces, separated the way a form is typed."""
    for i, part in enumerate(parts):
        if i:
            _run(par, "  ", size=size)
        if isinstance(part, tuple) and part[0] == "box":
            _run(par, part[1] + "(", size=size)
            _run(par, TICKED if part[2] else UNTICKED, size=size, font=BOX_FONT)
            _run(par, ")", size=size)
        elif isinstance(part, tuple) and part[0] == "field":
            if part[1]:
                _run(par, part[1] + "：", size=size)
            _run(par, part[2] or BLANK, size=size, underline=True)
        else:
            _run(par, _t(part), size=size)


def _fill(cell, paragraphs, *, align=None, size=TABLE_PT) -> None:
    """Each item of `paragraphs` is one line: a string or a list of pieces."""
    first = True
    for line in paragraphs or [""]:
        par = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if align is not None:
            par.alignment = align
        _write(par, line if isinstance(line, list) else [line], size)


# --- rows ---------------------------------------------------------------------------


def _width(row) -> None:
    # Word reads the cell widths, LibreOffice/WPS the grid: set both.
    row.cells[0].width = LABEL_WIDTH
    row.cells[-1].width = CONTENT_WIDTH


def _keep_together(row) -> None:
    # A row split over two pages leaves an unlabelled half at the top of the next one.
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _label(cell, label: str, note: str = "") -> None:
    _fill(cell, [label], align=WD_ALIGN_PARAGRAPH.CENTER)
    if note:
        par = cell.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(par, note, size=NOTE_PT)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def field_row(table, label: str, *blocks, note: str = "", min_height=None):
    """A labelled row; each extra block is a sub-row under the same (merged) label,
    as the seed splits 概述 / 对比情况 and 来源依据 / 文件名称."""
    rows = []
    for block in blocks or ([],):
        row = table.add_row()
        _width(row)
        _keep_together(row)
        _fill(row.cells[1], block)
        row.cells[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        rows.append(row)
    label_cell = rows[0].cells[0]
    if len(rows) > 1:
        label_cell = label_cell.merge(rows[-1].cells[0])
        # merge() concatenates the empty paragraphs; start the label from one.
        for extra in label_cell.paragraphs[1:]:
            extra._element.getparent().remove(extra._element)
    _label(label_cell, label, note)
    if min_height is not None:
        _min_height(rows[-1], min_height)
    return rows


def _min_height(row, height) -> None:
    # Room to write by hand when the field is printed blank.
    row.height = height
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def heading_row(table, text: str) -> None:
    row = table.add_row()
    _width(row)
    cell = row.cells[0].merge(row.cells[1])
    _fill(cell, [text], align=WD_ALIGN_PARAGRAPH.CENTER)
    _keep_together(row)
    # A heading alone at the foot of a page heads nothing.
    cell.paragraphs[0].paragraph_format.keep_with_next = True
    for run in cell.paragraphs[0].runs:
        run.font.bold = True


def signed_row(table, label: str, body, closing, *, min_height=OPINION_HEIGHT) -> None:
    """An opinion box: the opinion at the top, signature and date at the bottom right."""
    (row,) = field_row(table, label, body, min_height=min_height)
    cell = row.cells[1]
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    for i, line in enumerate(closing):
        par = cell.add_paragraph()
        par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if i == 0:
            par.paragraph_format.space_before = Pt(30)  # room to sign above the name
        _write(par, line if isinstance(line, list) else [line], TABLE_PT)


# --- the document -------------------------------------------------------------------


def _setup(doc) -> None:
    section = doc.sections[0]
    # python-docx starts from US Letter; GB/T 9704: A4, margins 37/35/28/26 mm.
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    # No line grid: snapping table text to the 22-line body grid would spread the form
    # over several pages.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is not None:
        grid.getparent().remove(grid)

    normal = doc.styles["Normal"]
    _fonts(normal.element, LATIN_FONT, BODY_FONT)
    normal.font.size = Pt(TABLE_PT)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")  # so ambiguous punctuation takes the Chinese font
    rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    # The template's theme fonts would otherwise win over the named ones in some readers.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for rfonts in defaults.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)


def _task_rows(table, form: dict, meta: dict) -> None:
    involves, basis, limit = _d(form.get("involves")), _d(form.get("basis")), _d(form.get("time_limit"))
    support = _d(form.get("support"))

    heading_row(table, "拟下派居村组织工作任务情况")
    field_row(table, "任务名称", [_t(form.get("name"))])
    comparison = form.get("municipal_comparison")
    compare_line = [box(label, comparison == code) for code, label in COMPARISONS]
    compare_block = [["与市级下派任务对比情况（对应情况的括号内打√）："], compare_line]
    if comparison in ("same", "reworded"):
        item = meta.get("municipal_item_name") or form.get("municipal_item")
        compare_block.append([field("对应市级下派任务", item)])
    summary_row, _ = field_row(table, "下派工作任务\n概述", [_t(form.get("summary"))], compare_block)
    _min_height(summary_row, Mm(14))
    field_row(
        table,
        "涉及内容",
        [
            [box("是否涉及出具证明", involves.get("certificate"))],
            [
                box("是否涉及填报表格或信息化系统", involves.get("forms_or_system")),
                field("系统名称", involves.get("system_name")),
            ],
            [
                box("是否涉及考核创建", involves.get("assessment")),
                field("创建名称", involves.get("assessment_name")),
            ],
            [box("是否涉及挂牌标识", involves.get("plaque")), field("挂牌名称", involves.get("plaque_name"))],
            [box("是否涉及台账资料", involves.get("ledger"))],
        ],
    )

    heading_row(table, "拟下派居村组织工作任务“一必要”情况")
    types = {t for t in _l(basis.get("types")) if isinstance(t, str)}
    documents = "、".join(filter(None, map(_t, _l(basis.get("documents")))))
    field_row(
        table,
        "来源依据",
        [[box(label, code in types) for code, label in BASIS_TYPES]],
        [[field("文件名称", documents)]],
        note="（与市级下派任务一致的无需填写）",
    )
    scope = form.get("scope")
    scope_block = [[box("全区居村", scope == "all"), box("部分居村", scope == "some")]]
    if scope == "some":
        names = _l(meta.get("committee_names")) or _l(form.get("scope_committees"))
        scope_block.append([field("居村名单", "、".join(filter(None, map(_t, names))))])
    field_row(table, "下派范围", scope_block)
    kind = limit.get("type")
    field_row(
        table,
        "时间时限",
        [
            [box("一次性任务", kind == "one_time")],
            [
                "任务实施起止时间：",
                field("", _date(limit.get("start"))),
                "至",
                field("", _date(limit.get("end"))),
            ],
            [
                box("年度工作任务", kind == "annual"),
                box("常态化工作任务", kind == "ongoing"),
                box("其他情况", kind == "other"),
                field("", limit.get("description")),
            ],
        ],
    )

    heading_row(table, "拟下派居村组织工作任务“三清单”情况")
    duties = []
    for i, duty in enumerate(_l(form.get("duties")), 1):
        duty = _d(duty)
        mode = _t(duty.get("mode"))
        duties.append(f"{i}. {_t(duty.get('text'))}" + (f"（{mode}）" if mode else ""))
    field_row(
        table,
        "居村任务\n职责清单",
        ["条目式说明居村承接下派任务的具体职责", *(duties or ["1.", "2.", "3."])],
    )
    funding, project = _d(support.get("funding")), _d(support.get("project"))
    manpower, resource, policy = (_d(support.get(k)) for k in ("manpower", "resource", "policy"))
    support_lines = [
        [
            box("资金支撑", _filled(funding)),
            field("支持金额", funding.get("amount")),
            field("支持方式", funding.get("way")),
        ],
        [
            box("项目支撑", _filled(project)),
            field("项目名称", project.get("name")),
            field("项目简介", project.get("description")),
        ],
        [box("力量支撑", _filled(manpower)), field("力量来源", manpower.get("source"))],
        [box("资源支撑", _filled(resource)), field("资源情况", resource.get("description"))],
        [box("政策支撑", _filled(policy)), field("汇编、手册名称", policy.get("handbook"))],
    ]
    if _t(support.get("exception_reason")):
        support_lines.append([field("支撑类型不足2类的说明", support.get("exception_reason"))])
    field_row(
        table,
        "委局\n支撑清单",
        support_lines,
        note="（请在对应支撑类型后打√，并简述情况。原则上至少填报2个以上支撑类型）",
    )
    courses = [
        [
            field("课程名称", c.get("name")),
            field("培训人群", c.get("audience")),
            field("培训频次", c.get("frequency")),
            field("培训部门", c.get("department")),
        ]
        for c in map(_d, _l(form.get("courses")))
    ]
    blank_course = [
        [field("课程名称", ""), field("培训人群", ""), field("培训频次", ""), field("培训部门", "")]
    ]
    field_row(table, "委局\n课程清单", courses or blank_course, note="（选填）")


def _procedure_rows(table, form: dict, meta: dict) -> None:
    procedure = form.get("procedure")
    block = [[box(label, procedure == code) for code, label in PROCEDURES]]
    if procedure == "simplified" and form.get("task_start"):
        block.append([field("任务开始时间", _date(form.get("task_start")))])
    report = _d(form.get("verbal_report"))
    if procedure == "emergency" and _filled(report):
        channel = report.get("channel")
        block.append(["口头报告情况："])
        block.append([field("时间", _date(report.get("on"))), field("报告人", report.get("by"))])
        block.append([field("方式", CHANNELS.get(channel, channel))])
        block.append([field("内容", report.get("content"))])
    field_row(table, "申报程序", block)


def _review_rows(table, meta: dict) -> None:
    signoff = _d(meta.get("head_signoff"))
    if _t(signoff.get("name")) or signoff.get("date"):
        # As the page shows it: signing is the head's consent.
        closing = [f"同意。（签字）{_t(signoff.get('name'))}  {_date(signoff.get('date')) or '年  月  日'}"]
    else:
        closing = ["（签字）\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"]
    signed_row(table, "申请部门\n主要负责人\n意见", [""], closing)

    decision = _d(meta.get("decision"))
    verdict = DECISIONS.get(decision.get("decision"))
    if verdict:
        body = [verdict]
        closing = [
            f"{_t(decision.get('unit'))}（盖章）",
            f"{_t(decision.get('name'))}  {_date(decision.get('date')) or '年  月  日'}".strip(),
        ]
    else:
        body = ["（同意或不同意）"]
        closing = ["（盖章）", "年\u3000\u3000月\u3000\u3000日"]
    signed_row(table, "准入审核\n意见", body, closing)
    field_row(table, "不同意理由", [_t(decision.get("reason"))], min_height=Mm(18))
    field_row(table, "修改建议", [_t(decision.get("suggestions"))], min_height=Mm(18))


def _opinions_table(doc, opinions: list) -> None:
    # Kept out of the main table so that one reads exactly as the official form.
    par = doc.add_paragraph()
    par.paragraph_format.space_before = Pt(12)
    par.paragraph_format.space_after = Pt(6)
    _run(par, "会签及征求意见", size=14, bold=True)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = [Mm(40), Mm(22), Mm(58), Mm(36)]  # as wide as the form above
    for cell, head, width in zip(table.rows[0].cells, ["单位", "意见", "说明", "日期"], widths, strict=True):
        cell.width = width
        _fill(cell, [head], align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.paragraphs[0].runs[0].font.bold = True
    for opinion in map(_d, opinions):
        cells = table.add_row().cells
        values = [opinion.get("organisation"), opinion.get("opinion_label"), opinion.get("comment")]
        for cell, value, width in zip(cells, [*values, _date(opinion.get("date"))], widths, strict=True):
            cell.width = width
            _fill(cell, [_t(value)])
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width


def render_application_form(form: dict, meta: dict) -> bytes:
    """The filled 申请表 as .docx bytes. `form` is one application in the FIELDS.md shape
    (any part may be missing); `meta` holds what the server knows besides: number,
    department_name, municipal_item_name, committee_names, head_signoff, decision, opinions."""
    form, meta = _d(form), _d(meta)
    doc = Document()
    _setup(doc)

    title = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = Pt(12)
    _run(title, TITLE, size=22, bold=True, font=TITLE_FONT)

    number = doc.add_paragraph()
    number.paragraph_format.space_after = Pt(6)
    _run(number, "编号：", size=14)
    _run(number, _t(meta.get("number")), size=14)

    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.columns[0].width, table.columns[1].width = LABEL_WIDTH, CONTENT_WIDTH

    department = meta.get("department_name") or form.get("department")
    field_row(table, "申请部门\n（盖章）", [_t(department)], min_height=Mm(12))
    _procedure_rows(table, form, meta)

    kind = form.get("kind")
    item = meta.get("adjusts_item_name") or form.get("adjusts_item")
    if kind == "exit":
        # An exit carries only the item and the reason (FIELDS.md); the task sections
        # would be all empty boxes that look like a half-filled application.
        field_row(table, "退出事项", [_t(item)])
        field_row(table, "退出理由", [_t(form.get("exit_reason"))], min_height=Mm(30))
    else:
        if kind == "adjust":
            field_row(table, "调整事项", [_t(item)])
        _task_rows(table, form, meta)
    _review_rows(table, meta)

    opinions = [o for o in _l(meta.get("opinions")) if isinstance(o, dict)]
    if opinions:
        _opinions_table(doc, opinions)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
