"""The district plan list as .xlsx (R-DOC-1): laid out as the municipal list is published — a title row,
a count row, one header row, one row per item — so it prints on landscape A4 and reads back in."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .plan_list_docx import COLUMNS, item_cells, scope_appendix, title_of

EXTRA_COLUMNS = ["状态", "来源申请"]

WIDTHS = [6, 24, 18, 40, 30, 18, 16, 16, 28, 16]


def render_plan_list_xlsx(items: list[dict], meta: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{meta['year']}年计划清单"
    ncol = len(COLUMNS) + len(EXTRA_COLUMNS)  # the title and count rows span every column
    committees = meta.get("committees") or meta.get("committee_names")
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([title_of(meta["year"], meta.get("district_name") or "普陀区")])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws["A1"].font = Font(name="宋体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    listed = [i for i in items if i.get("status") != "exited"]
    info = f"共{len(listed)}项" + (f"（第{meta['version']}版，{meta.get('published_on') or ''}发布）" if meta.get("version") else "")
    ws.append([info])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws.append([label for label, _ in COLUMNS] + EXTRA_COLUMNS)
    for col in range(1, ncol + 1):
        cell = ws.cell(row=3, column=col)
        cell.font = Font(name="黑体", bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    for n, item in enumerate(items, 1):
        sources = "、".join(s.get("number") or f"#{s.get('application_id')}" for s in item.get("sources") or [])
        ws.append(item_cells(n, item, committees) + [item.get("status_label") or "", sources])
        for col in range(1, ncol + 1):
            cell = ws.cell(row=ws.max_row, column=col)
            cell.alignment = Alignment(vertical="center", wrap_text=True, horizontal="center" if col == 1 else None)
            cell.border = border
    for i, width in enumerate([*WIDTHS, 12, 20], 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    appendix = scope_appendix(items, committees)
    if appendix:
        extra = wb.create_sheet("附录-下派范围")
        extra.append(["序号", "事项名称", "下派范围（按街镇）"])
        for n, name, lines in appendix:
            for line in lines:
                extra.append([n, name, line])
        for col, width in zip("ABC", (6, 30, 100), strict=True):
            extra.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
