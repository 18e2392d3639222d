"""R-DOC-1: the filled 申请表 reads like the official form to someone opening the .docx."""

import io
import json
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from zhunru.documents.application_form import TITLE, render_application_form

SAMPLES = Path(__file__).resolve().parents[2] / "data/samples/applications.json"


def sample(key: str) -> dict:
    apps = json.loads(SAMPLES.read_text(encoding="utf-8"))["applications"]
    return next(a for a in apps if a["key"] == key)


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def cells(table) -> list:
    """Each cell once: row.cells repeats a merged cell for every grid column it spans."""
    seen, out = set(), []
    for row in table.rows:
        for cell in row.cells:
            if cell._tc not in seen:
                seen.add(cell._tc)
                out.append(cell)
    return out


def row_text(table, label: str) -> str:
    """The text right of the cell whose text starts with `label`."""
    for row in table.rows:
        first = row.cells[0].text.replace("\n", "")  # labels wrap as the seed's do
        if first.startswith(label) and len(row.cells) > 1 and row.cells[1]._tc is not row.cells[0]._tc:
            return row.cells[1].text
    raise AssertionError(f"no row labelled {label!r}")


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [c.text for c in cells(table)]
    return "\n".join(parts)


def meta_for(app: dict, **extra) -> dict:
    meta = {"number": "PT-ZR-2025-0007", "head_signoff": app.get("head_signoff")}
    meta.update(extra)
    return meta


@pytest.fixture
def health():
    app = sample("health-elderly")
    return app, open_docx(render_application_form(app, meta_for(app)))


def test_r_doc_1_form_layout_with_boxes(health):
    app, doc = health
    assert doc.paragraphs[0].text == TITLE
    assert any(p.text.strip() == "编号：PT-ZR-2025-0007" for p in doc.paragraphs)

    assert len(doc.tables) == 1
    table = doc.tables[0]
    assert table.style.name == "Table Grid"  # the borders

    assert row_text(table, "申请部门") == "区卫生健康委员会"
    assert row_text(table, "任务名称") == app["name"]
    comparison = "\n".join(c.text for c in cells(table) if "与市级下派任务对比情况" in c.text)
    assert "任务新增(☑)" in comparison
    assert "工作任务一致(☐)" in comparison
    assert "表述调整(☐)" in comparison

    involves = row_text(table, "涉及内容")
    assert "是否涉及填报表格或信息化系统(☑)" in involves
    assert "系统名称：社区云" in involves
    assert "是否涉及出具证明(☐)" in involves

    assert "法律法规规章(☑)" in all_text(doc)
    assert "《中华人民共和国基本医疗卫生与健康促进法》" in all_text(doc)
    assert "全区居村(☑)" in row_text(table, "下派范围")
    assert "常态化工作任务(☑)" in row_text(table, "时间时限")
    assert "常态化程序(☑)" in row_text(table, "申报程序")

    duties = row_text(table, "居村任务职责清单")
    for i, duty in enumerate(app["duties"], 1):
        assert f"{i}. {duty['text']}（{duty['mode']}）" in duties

    support = row_text(table, "委局支撑清单")
    assert "资金支撑(☑)" in support
    assert "每个居村每年3000元" in support
    assert "力量支撑(☑)" in support and "政策支撑(☑)" in support
    assert "项目支撑(☐)" in support and "资源支撑(☐)" in support

    assert "课程名称：老年人健康管理政策培训" in row_text(table, "委局课程清单")
    signoff = row_text(table, "申请部门主要负责人意见")
    assert "（示例）主任" in signoff and "2025年10月20日" in signoff
    assert "（同意或不同意）" in row_text(table, "准入审核意见")

    # Section headings span the whole table.
    headings = [c.text for c in cells(table) if c.text.startswith("拟下派居村组织工作任务")]
    assert headings == [
        "拟下派居村组织工作任务情况",
        "拟下派居村组织工作任务“一必要”情况",
        "拟下派居村组织工作任务“三清单”情况",
    ]
    assert all(len({c._tc for c in r.cells}) == 1 for r in table.rows if r.cells[0].text in headings)


def test_page_and_fonts_follow_gb_t_9704(health):
    _, doc = health
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1)
    assert abs(section.page_height - Mm(297)) < Mm(1)
    assert abs(section.top_margin - Mm(37)) < Mm(1)
    assert abs(section.left_margin - Mm(28)) < Mm(1)

    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert "仿宋" in rfonts.get(qn("w:eastAsia"))

    # Boxes are in a font that has them, Chinese runs carry the East Asian font.
    runs = [r for c in cells(doc.tables[0]) for p in c.paragraphs for r in p.runs]
    box_runs = [r for r in runs if r.text in ("☐", "☑")]
    assert box_runs
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) == "Segoe UI Symbol" for r in box_runs)
    text_runs = [r for r in runs if r.text.strip() and r not in box_runs]
    assert all(r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in text_runs)


def test_garbage_assessment_reworded_with_one_support_type():
    app = sample("garbage-assessment")
    meta = meta_for(app, municipal_item_name="生活垃圾分类宣传动员")
    doc = open_docx(render_application_form(app, meta))
    table = doc.tables[0]
    text = all_text(doc)

    assert "表述调整(☑)" in text and "任务新增(☐)" in text
    assert "对应市级下派任务：生活垃圾分类宣传动员" in text
    involves = row_text(table, "涉及内容")
    assert "是否涉及考核创建(☑)" in involves and "创建名称：垃圾分类示范小区创建" in involves
    assert "是否涉及挂牌标识(☑)" in involves and "挂牌名称：垃圾分类示范小区" in involves
    assert "是否涉及台账资料(☑)" in involves
    assert "是否涉及填报表格或信息化系统(☐)" in involves
    assert "年度工作任务(☑)" in row_text(table, "时间时限")

    duties = row_text(table, "居村任务职责清单")
    assert "1. 组织居民参与分类宣传（组织动员）" in duties
    assert "2. 每周填报分类实效检查表" in duties  # no mode: no empty brackets
    assert "（）" not in duties

    support = row_text(table, "委局支撑清单")
    assert "政策支撑(☑)" in support and "《垃圾分类工作指引》" in support
    assert "资金支撑(☐)" in support
    assert "支撑类型不足2类的说明" not in support
    assert "（示例）局长" in row_text(table, "申请部门主要负责人意见")


def test_empty_draft_renders_the_blank_form():
    doc = open_docx(render_application_form({}, {}))
    table = doc.tables[0]
    assert doc.paragraphs[0].text == TITLE
    assert "编号：" in doc.paragraphs[1].text
    text = all_text(doc)
    assert "☑" not in text
    assert "任务新增(☐)" in text and "全区居村(☐)" in text
    assert "（签字）" in row_text(table, "申请部门主要负责人意见")
    assert "年" in row_text(table, "申请部门主要负责人意见")
    assert "（同意或不同意）" in row_text(table, "准入审核意见")


def test_malformed_values_do_not_crash():
    form = {
        "involves": None,
        "basis": {"types": "laws", "documents": [None, "《文件》"]},
        "duties": [None, {"text": None, "mode": None}, "stray"],
        "support": {"funding": "x", "exception_reason": "仅一类\x00"},
        "time_limit": {"type": "one_time", "start": "not a date", "end": None},
        "courses": [{}],
        "name": 123,
        "summary": "<b>不是标记</b>\n第二行",
    }
    meta = {"head_signoff": {"name": None, "date": "2025-13-01"}, "opinions": [None, {}], "decision": "x"}
    doc = open_docx(render_application_form(form, meta))
    text = all_text(doc)
    assert "<b>不是标记</b>" in text  # user text is shown as typed, never as markup
    assert "not a date" in text
    assert "支撑类型不足2类的说明：仅一类" in text


def test_reject_decision_shows_verdict_reason_and_opinions():
    app = sample("food-safety-grid")
    meta = meta_for(
        app,
        decision={
            "decision": "reject",
            "unit": "区民政局",
            "name": "（示例）审核人",
            "date": "2025-11-05",
            "reason": "将居委会作为食品安全责任主体，属于负面清单事项。",
            "suggestions": "改由市场监管所承担检查职责，居委会仅协助发现报告。",
        },
        opinions=[
            {
                "organisation": "区司法局",
                "opinion_label": "不同意",
                "comment": "不符合合法性要求",
                "date": "2025-11-04",
            }
        ],
    )
    doc = open_docx(render_application_form(app, meta))
    table = doc.tables[0]
    review = row_text(table, "准入审核意见")
    assert review.startswith("不同意")
    assert "区民政局（盖章）" in review and "2025年11月5日" in review
    assert row_text(table, "不同意理由") == meta["decision"]["reason"]
    assert row_text(table, "修改建议") == meta["decision"]["suggestions"]
    assert len(doc.tables) == 2
    assert "会签及征求意见" in all_text(doc)
    assert ["区司法局", "不同意", "不符合合法性要求", "2025年11月4日"] in [
        [c.text for c in r.cells] for r in doc.tables[1].rows
    ]


def test_emergency_some_scope_exit_and_adjust():
    app = sample("typhoon-emergency")
    meta = meta_for(
        app, committee_names=["甲居委会", "乙居委会"], municipal_item_name="防汛防台和防灾减灾宣传动员"
    )
    doc = open_docx(render_application_form(app, meta))
    table = doc.tables[0]
    procedure = row_text(table, "申报程序")
    assert "紧急（先口头报告后补办）(☑)" in procedure
    assert "2025年7月29日" in procedure and "区应急管理局值班室" in procedure and "电话" in procedure
    scope = row_text(table, "下派范围")
    assert "部分居村(☑)" in scope and "甲居委会、乙居委会" in scope
    assert "2025年7月29日" in row_text(table, "时间时限") and "2025年8月3日" in row_text(table, "时间时限")

    exit_doc = open_docx(
        render_application_form(
            {
                "department": "区住房保障和房屋管理局",
                "kind": "exit",
                "adjusts_item": "旧住房更新改造居民意见征询",
                "exit_reason": "任务已完成",
            },
            {},
        )
    )
    exit_table = exit_doc.tables[0]
    assert row_text(exit_table, "退出事项") == "旧住房更新改造居民意见征询"
    assert row_text(exit_table, "退出理由") == "任务已完成"

    adjust_doc = open_docx(render_application_form({"kind": "adjust", "adjusts_item": "某事项"}, {}))
    assert row_text(adjust_doc.tables[0], "调整事项") == "某事项"
