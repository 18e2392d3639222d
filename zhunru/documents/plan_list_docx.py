"""The district plan list (区级下派居村组织工作任务计划清单) as .docx and the texts of its columns (R-DOC-1).

The list goes with the filing letter as its attachment: a landscape A4 page, "附件" in 黑体 at the
top left, the title in 小标宋, the version line in 楷体, then one bordered table whose header row
repeats on every page. Items are plain dicts as kept in a published version (catalog.queries.item_snapshot).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from zhunru.catalog import rules as catalog_rules

from . import official as o

BASIS_TYPES = {"central": "党中央国务院文件", "laws": "法律法规规章", "municipal": "市委市政府文件"}
KINDS = {"task": "工作任务", "statistical_report": "统计报表", "ledger": "台账资料", "assessment": "考核创建",
         "certificate": "出具证明", "system": "信息系统", "plaque": "挂牌标识"}
COMPARISONS = {"same": "工作任务一致", "reworded": "表述调整", "new": "任务新增"}
TIME_LIMITS = {"one_time": "一次性任务", "annual": "年度工作任务", "ongoing": "常态化工作任务", "other": "其他情况"}
SUPPORT = (("funding", "资金", ("amount", "way")), ("project", "项目", ("name", "description")),
           ("manpower", "力量", ("source",)), ("resource", "资源", ("description",)), ("policy", "政策", ("handbook",)))

# (header, width in mm): the landscape text block is 225 mm wide.
COLUMNS = [("序号", 10), ("事项名称", 27), ("主管部门", 20), ("居村任务职责清单", 42), ("来源依据", 30),
           ("涉及内容", 20), ("下派范围", 15), ("时间时限", 18), ("委局支撑清单", 28), ("与市级清单对比", 15)]
TABLE_PT = 10.5  # 五号: a list of a few dozen items on a handful of pages


def _d(v) -> dict:
    return v if isinstance(v, dict) else {}


def title_of(year: int, district_name: str = "普陀区") -> str:
    return f"{year}年{district_name}区级下派居村组织工作任务计划清单"


APPENDIX_NOTE = "（名单见附录）"


def _directory(meta_or_names) -> list[dict]:
    """The district's committees as {code, name, street}: ``meta["committees"]``, or a bare code → name map."""
    if isinstance(meta_or_names, list):
        return meta_or_names
    return [{"code": c, "name": n, "street": ""} for c, n in (meta_or_names or {}).items()]


def scope_cell(item: dict, committees) -> tuple[str, bool]:
    """下派范围 summarised: 全区居村, or 部分居村（31个）by street; True when the names go to the appendix."""
    text, long = catalog_rules.scope_text(item.get("scope") or "all", item.get("scope_committees") or [], _directory(committees))
    return (text + "\n" + APPENDIX_NOTE if long else text), long


def scope_appendix(items: list[dict], committees) -> list[tuple[int, str, list[str]]]:
    """For each item whose committees do not fit its cell: (序号, name, one line per street)."""
    out = []
    for n, item in enumerate(items, 1):
        if item.get("scope") != "some" or not scope_cell(item, committees)[1]:
            continue
        lines = [f"{g['street']}（{'全部，' if g['whole'] else ''}{g['count']}个）：" + "、".join(g["names"])
                 for g in catalog_rules.scope_groups(item.get("scope_committees") or [], _directory(committees))]
        out.append((n, o.text(item.get("name")), lines))
    return out


def item_cells(n: int, item: dict, committees=None) -> list[str]:
    """The ten columns of one item, as text (shared by the .docx and the .xlsx). ``committees``: the
    district's committee directory (or a code → name map)."""
    duties = [f"{i}.{o.text(d.get('text'))}" + (f"（{d['mode']}）" if d.get("mode") else "")
              for i, d in enumerate(item.get("duties") or [], 1)]
    basis = _d(item.get("basis"))
    basis_text = "；".join(BASIS_TYPES.get(t, t) for t in basis.get("types") or [])
    docs = "、".join(o.text(x) for x in basis.get("documents") or [] if o.text(x))
    names = _d(item.get("involves_names"))
    involves = []
    for kind in item.get("involves") or []:
        if kind == "task":
            continue  # every item is a 工作任务: the page does not list it, nor do the documents
        label = KINDS.get(kind, kind)
        extra = {"system": names.get("system_name"), "assessment": names.get("assessment_name"), "plaque": names.get("plaque_name")}.get(kind)
        involves.append(f"{label}（{extra}）" if extra else label)
    scope, _ = scope_cell(item, committees)
    limit = _d(item.get("time_limit"))
    limit_text = TIME_LIMITS.get(limit.get("type"), "")
    if limit.get("type") == "one_time":
        limit_text += f"\n{limit.get('start') or ''}至{limit.get('end') or ''}"
    elif limit.get("type") == "other" and limit.get("description"):
        limit_text += f"\n{limit['description']}"
    support = []
    s = _d(item.get("support"))
    for key, label, parts in SUPPORT:
        values = [o.text(_d(s.get(key)).get(p)) for p in parts if o.text(_d(s.get(key)).get(p))]
        if values:
            support.append(f"{label}：" + "，".join(values))
    for course in item.get("courses") or []:
        if _d(course).get("name"):
            support.append(f"课程：{course['name']}" + (f"（{course.get('audience')}，{course.get('frequency')}）" if course.get("audience") else ""))
    comparison = COMPARISONS.get(item.get("comparison") or "new", "")
    municipal = _d(item.get("municipal_item")).get("name")
    if municipal and item.get("comparison") in ("same", "reworded"):
        comparison += f"\n（{municipal}）"
    name = o.text(item.get("name"))
    if item.get("status") == "exited":
        name += f"\n〔已退出：{item.get('exited_on') or ''}〕"
    return [str(n), name, o.text(item.get("department")), "\n".join(duties) or o.text(item.get("summary")),
            "\n".join(x for x in (basis_text, docs) if x), "、".join(involves) or "—", scope, limit_text,
            "\n".join(support), comparison]


def _cell(cell, value: str, *, bold=False, center=False, font=o.BODY_FONT):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    lines = (value or "").split("\n")
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        par = first if i == 0 else cell.add_paragraph()
        par.paragraph_format.line_spacing = 1.0
        if center:
            par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        o.run(par, line, size=TABLE_PT, bold=bold, font=font)


def render_plan_list_docx(items: list[dict], meta: dict) -> bytes:
    """``meta``: year, district_name, version, published_on, committees (the district's directory)."""
    committees = meta.get("committees") or meta.get("committee_names")
    doc = Document()
    o.setup(doc, landscape=True, grid=False)
    o.paragraph(doc, "附件", font=o.HEI_FONT, size=o.SIZE_3)
    o.paragraph(doc, title_of(meta["year"], meta.get("district_name") or "普陀区"), align=WD_ALIGN_PARAGRAPH.CENTER,
                size=o.SIZE_2, font=o.TITLE_FONT, before=12, after=6)
    listed = [i for i in items if i.get("status") != "exited"]
    line = [f"共{len(listed)}项"]
    if meta.get("version"):
        line.insert(0, f"第{meta['version']}版")
    if meta.get("published_on"):
        line.insert(1, f"{o.cn_date(meta['published_on'])}发布")
    o.paragraph(doc, "（" + "，".join(line) + "）", align=WD_ALIGN_PARAGRAPH.CENTER, font=o.KAI_FONT, size=o.SIZE_3, after=12)

    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, (_, width) in zip(table.columns, COLUMNS, strict=True):
        column.width = Mm(width)  # the grid (w:gridCol) is what LibreOffice and WPS lay out by
    head = table.rows[0]
    o.repeat_header(head)
    for cell, (label, width) in zip(head.cells, COLUMNS, strict=True):
        cell.width = Mm(width)
        o.shade(cell)
        _cell(cell, label, bold=True, center=True, font=o.HEI_FONT)
    for n, item in enumerate(items, 1):
        row = table.add_row()
        o.cant_split(row)
        for i, (cell, value) in enumerate(zip(row.cells, item_cells(n, item, committees), strict=True)):
            cell.width = Mm(COLUMNS[i][1])
            _cell(cell, value, center=i == 0)
    if not items:
        row = table.add_row()
        merged = row.cells[0].merge(row.cells[-1])
        _cell(merged, "（本清单暂无事项）", center=True)
    note = o.paragraph(doc, "注：涉及内容、下派范围、时间时限及三清单以准入审核同意的申请表为准；“已退出”事项保留于清单历史。",
                       size=TABLE_PT, before=6)
    note.paragraph_format.line_spacing = Pt(16)
    appendix = scope_appendix(items, committees)
    if appendix:
        # The committees of a long 部分居村 scope: after the table, grouped by street, not in the narrow column.
        o.paragraph(doc, "附录：部分居村事项的下派范围", font=o.HEI_FONT, size=o.SIZE_3, before=12, after=6)
        for n, name, lines in appendix:
            o.paragraph(doc, f"{n}. {name}", size=TABLE_PT, bold=True, before=4)
            for line in lines:
                par = o.paragraph(doc, line, size=TABLE_PT, indent_chars=2)
                par.paragraph_format.line_spacing = Pt(16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
