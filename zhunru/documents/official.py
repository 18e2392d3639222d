"""Building blocks of a Chinese official document (GB/T 9704-2012) in python-docx.

A4, margins 37/35/28/26 mm (text block 156 × 225 mm), 3号仿宋 body with a 22-line × 28-character
grid, 2号小标宋 title, red 发文机关标志 and red separator line, page numbers "— 1 —" in 4号宋体.
Landscape pages (tables attached to a document) keep the same margins turned with the page.
"""

from __future__ import annotations

import datetime as dt
import re

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
RED = RGBColor(0xE6, 0x00, 0x12)
SIZE_2, SIZE_3, SIZE_4 = 22, 16, 14  # 二号, 三号, 四号 in points

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value) -> str:
    return "" if value is None else _XML_UNSAFE.sub("", str(value)).strip()


def cn_date(value) -> str:
    """2026-01-05 → 2026年1月5日 (official documents drop the leading zeros)."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return text(value)
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return text(value)


def fonts(element, latin: str, east_asia: str) -> None:
    # font.name only fills w:ascii/w:hAnsi; Chinese text needs w:eastAsia as well.
    rfonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)


def run(par, value: str, *, size=SIZE_3, font=BODY_FONT, bold=False, color=None):
    # Not stripped: tabs and full-width spaces place the 签发人 and the 版记 dates.
    r = par.add_run("" if value is None else _XML_UNSAFE.sub("", str(value)))
    fonts(r._element, LATIN_FONT if font in (BODY_FONT, KAI_FONT) else font, font)
    r.font.size = Pt(size)
    r.font.bold = bold or None
    if color is not None:
        r.font.color.rgb = color
    return r


def paragraph(container, value: str = "", *, align=None, size=SIZE_3, font=BODY_FONT, bold=False, color=None,
              indent_chars=0, before=0, after=0, line=None):
    par = container.add_paragraph()
    if align is not None:
        par.alignment = align
    fmt = par.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if line is not None:
        fmt.line_spacing = Pt(line)
    if value:
        run(par, value, size=size, font=font, bold=bold, color=color)
    return par


# What follows w:pBdr inside w:pPr (ECMA-376 order), so the border goes where Word expects it.
_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
               "w:rPr", "w:sectPr", "w:pPrChange")


def _borders(par):
    ppr = par._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    return borders


def bottom_rule(par, *, color="E60012", size_eighths=18) -> None:
    """A line under the paragraph: the red separator under the 版头 (or the thin lines of the 版记)."""
    borders = _borders(par)
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)


def top_rule(par, *, color="000000", size_eighths=8) -> None:
    borders = _borders(par)
    top = OxmlElement("w:top")
    top.set(qn("w:val"), "single")
    top.set(qn("w:sz"), str(size_eighths))
    top.set(qn("w:space"), "1")
    top.set(qn("w:color"), color)
    borders.insert(0, top)  # w:top comes before w:bottom


def _field(par, instr: str, *, size=SIZE_4, font=SONG_FONT) -> None:
    for kind, value in (("begin", None), ("instr", instr), ("separate", None), ("text", "1"), ("end", None)):
        r = par.add_run()
        fonts(r._element, LATIN_FONT, font)
        r.font.size = Pt(size)
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = value
            r._element.append(el)
        elif kind == "text":
            r.text = value
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            r._element.append(el)


def page_numbers(section) -> None:
    """GB/T 9704 §7.5: "— 1 —" in 4号 Song, centred here (both odd and even pages read well)."""
    footer = section.footer
    par = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(par, "— ", size=SIZE_4, font=SONG_FONT)
    _field(par, " PAGE ")
    run(par, " —", size=SIZE_4, font=SONG_FONT)


def setup(doc, *, landscape: bool = False, grid: bool = True, body_size=SIZE_3) -> None:
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    sect = section._sectPr
    old = sect.find(qn("w:docGrid"))
    if old is not None:
        sect.remove(old)
    if grid:
        # 22 lines of 28 characters: line pitch 225 mm / 22 ≈ 579 twips.
        el = OxmlElement("w:docGrid")
        el.set(qn("w:type"), "linesAndChars")
        el.set(qn("w:linePitch"), "579")
        el.set(qn("w:charSpace"), "0")
        sect.append(el)
    page_numbers(section)

    normal = doc.styles["Normal"]
    fonts(normal.element, LATIN_FONT, BODY_FONT)
    normal.font.size = Pt(body_size)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    for rfonts in defaults.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:eastAsiaTheme", "w:hAnsiTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attr), None)
    # An empty first paragraph comes with the template: drop it so the document starts where we say.
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        if not p.xpath(".//w:t"):
            body.remove(p)


def repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


def shade(cell, fill: str = "F2F2F2") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    el = OxmlElement("w:shd")
    el.set(qn("w:val"), "clear")
    el.set(qn("w:color"), "auto")
    el.set(qn("w:fill"), fill)
    tcpr.append(el)
