"""The filing letter (报备函) that sends the plan list to 市民政局 and 区委、区政府 (R-PROC-3, R-DOC-1).

An upward document (上行文, a 报告) laid out per GB/T 9704-2012: red 发文机关标志, 发文字号 with
签发人, the red separator line, the 2号小标宋 title, 主送机关, the body in 3号仿宋 with a
two-character indent, the attachment line, the signature (落款) and date, and the 版记 with
抄送 and 印发 lines at the foot.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt

from . import official as o
from .plan_list_docx import title_of

LINE = 28.95  # 22 lines in the 225 mm text block


def render_filing_letter(meta: dict) -> bytes:
    """``meta``: year, version, district_name, authority, document_number, signer, date, recipients,
    counts {total, new, adjusted, carried, exited, same, reworded, added, with_support, with_courses}.

    The letter states what the list's data shows and nothing more: how many items, how many new,
    adjusted, carried and exited, how many name their support and their courses. Without a known
    signer the 签发人 is a blank line to sign by hand; without a known contact, blanks to fill in."""
    year, version = meta["year"], meta.get("version")
    district = meta.get("district_name") or "普陀区"
    authority = meta.get("authority") or f"上海市{district}民政局"
    counts = meta.get("counts") or {}
    list_title = title_of(year, district) + (f"（第{version}版）" if version else "")

    doc = Document()
    o.setup(doc)
    # 版头: the issuing authority in red, then the number and the signer on one line, then the red rule.
    o.paragraph(doc, f"{authority}文件", align=WD_ALIGN_PARAGRAPH.CENTER, size=36, font=o.TITLE_FONT, color=o.RED,
                before=24, after=30, line=52)
    number = o.paragraph(doc, "", line=LINE)
    number.paragraph_format.tab_stops.add_tab_stop(Mm(155), WD_TAB_ALIGNMENT.RIGHT)
    o.run(number, "\u3000" + (meta.get("document_number") or ""))
    o.run(number, "\t签发人：", font=o.BODY_FONT)
    signer = o.text(meta.get("signer"))
    if signer:
        o.run(number, signer + "\u3000", font=o.KAI_FONT)
    else:
        o.run(number, "\u3000" * 4, font=o.KAI_FONT).font.underline = True  # signed by hand
        o.run(number, "\u3000", font=o.KAI_FONT)
    o.bottom_rule(number)
    o.paragraph(doc, "", line=LINE)

    o.paragraph(doc, f"关于报备{year}年度{district}区级下派居村组织工作任务计划清单的报告", align=WD_ALIGN_PARAGRAPH.CENTER,
                size=o.SIZE_2, font=o.TITLE_FONT, line=36, before=6, after=6)
    o.paragraph(doc, "", line=LINE)
    recipients = meta.get("recipients") or ["上海市民政局", f"中共上海市{district}委员会、上海市{district}人民政府"]
    o.paragraph(doc, "，".join(recipients) + "：", line=LINE)

    total = counts.get("total", 0)
    composition = [f"新增事项{counts.get('new', 0)}项", f"调整事项{counts.get('adjusted', 0)}项"]
    if counts.get("carried"):
        composition.insert(0, f"沿用上年事项{counts['carried']}项")
    exited = f"本年度退出事项{counts.get('exited', 0)}项。" if counts.get("exited") else ""
    body = [
        f"我局对区级部门申请列入{year}年度{district}区级下派居村组织工作任务计划清单的事项进行了准入审核，"
        f"形成《{list_title}》，共列入事项{total}项。其中，" + "，".join(composition) + "。" + exited,
        f"与上海市下派居村组织工作任务计划清单相比，工作任务一致{counts.get('same', 0)}项，表述调整{counts.get('reworded', 0)}项，"
        f"任务新增{counts.get('added', 0)}项。",
        f"列入事项中，{counts.get('with_support', 0)}项填报了委局支撑清单，{counts.get('with_courses', 0)}项填报了委局课程清单。",
        "清单之外的事项，区级部门不得擅自向居村组织下派；确需居村组织协助的，按程序申请准入。",
        "特此报告。",
    ]
    for text in body:
        o.paragraph(doc, text, indent_chars=2, line=LINE)
    o.paragraph(doc, "", line=LINE)
    attach = o.paragraph(doc, "", indent_chars=2, line=LINE)
    o.run(attach, f"附件：{list_title}")
    o.paragraph(doc, "", line=LINE)
    o.paragraph(doc, "", line=LINE)
    sign = o.paragraph(doc, authority, align=WD_ALIGN_PARAGRAPH.RIGHT, line=LINE)
    sign.paragraph_format.right_indent = Pt(16 * 4)
    date = o.paragraph(doc, o.cn_date(meta.get("date")), align=WD_ALIGN_PARAGRAPH.RIGHT, line=LINE)
    date.paragraph_format.right_indent = Pt(16 * 4)
    contact = o.text(meta.get("contact"))
    o.paragraph(doc, f"（联系人：{contact or chr(0x3000) * 4}，联系电话：{chr(0x3000) * 4}）", indent_chars=2, line=LINE)

    # 版记: 抄送 and 印发, between thin rules, 4号仿宋.
    for _ in range(3):
        o.paragraph(doc, "", line=LINE)
    printed = o.paragraph(doc, "", size=o.SIZE_4, line=LINE)
    if meta.get("copy_to"):  # 抄送 only when someone says to whom
        cc = printed
        o.top_rule(cc, size_eighths=8)
        o.bottom_rule(cc, color="000000", size_eighths=4)
        o.run(cc, "\u3000抄送：" + o.text(meta["copy_to"]), size=o.SIZE_4)
        printed = o.paragraph(doc, "", size=o.SIZE_4, line=LINE)
    else:
        o.top_rule(printed, size_eighths=8)
    o.bottom_rule(printed, color="000000", size_eighths=8)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(155), WD_TAB_ALIGNMENT.RIGHT)
    o.run(printed, f"\u3000{authority}办公室", size=o.SIZE_4)
    o.run(printed, f"\t{o.cn_date(meta.get('date'))}印发\u3000", size=o.SIZE_4)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
