"""Chinese names for the field paths the form's rules point at (zhunru/intake/rules.py and the services).

A flag or an error carries a path such as ``duties[0].mode``; people read 第1条职责的协助方式.
``field_label`` never fails: a path it does not know comes back as it is.
"""

import re

FIELD_LABELS = {
    # 基本情况
    "department": "申请部门",
    "procedure": "申报程序",
    "kind": "申请类别",
    "adjusts_item": "涉及的区级清单事项",
    "exit_reason": "退出理由",
    "task_start": "任务开始日期",
    # 必要性
    "name": "任务名称",
    "summary": "下派工作任务概述",
    "municipal_comparison": "与市级下派任务对比情况",
    "municipal_item": "对应市级清单事项",
    "involves": "涉及内容",
    "involves.certificate": "是否涉及出具证明",
    "involves.forms_or_system": "是否涉及填报表格或信息化系统",
    "involves.system_name": "涉及的信息化系统名称",
    "involves.assessment": "是否涉及考核创建",
    "involves.assessment_name": "考核创建名称",
    "involves.plaque": "是否涉及挂牌标识",
    "involves.plaque_name": "挂牌名称",
    "involves.ledger": "是否涉及台账资料",
    "basis": "来源依据",
    "basis.types": "来源依据类型",
    "basis.documents": "来源依据文件名称",
    "scope": "下派范围",
    "scope_committees": "下派的部分居村",
    "time_limit": "时间时限",
    "time_limit.type": "时间时限",
    "time_limit.start": "任务实施开始日期",
    "time_limit.end": "任务实施结束日期",
    "time_limit.description": "时限说明",
    # 三张清单
    "duties": "居村任务职责清单",
    "support": "委局支撑清单",
    "support.exception_reason": "支撑类型不足2个的理由",
    "courses": "委局课程清单",
    # 紧急事项、附件、预检
    "verbal_report": "口头报告",
    "verbal_report_id": "关联的口头报告",
    "verbal_report.on": "口头报告日期",
    "verbal_report.by": "口头报告的报告人",
    "verbal_report.content": "口头报告的报告内容",
    "verbal_report.channel": "口头报告方式",
    "attachments": "附件（相关政策文件）",
    "as_of": "预检日期",
}

SUPPORT_LABELS = {"funding": "资金支撑", "project": "项目支撑", "manpower": "力量支撑", "resource": "资源支撑", "policy": "政策支撑"}
SUPPORT_PARTS = {"amount": "支持金额", "way": "支持方式", "name": "名称", "description": "简介", "source": "力量来源",
                 "handbook": "汇编、手册名称"}
DUTY_PARTS = {"text": "内容", "mode": "协助方式"}
COURSE_PARTS = {"name": "课程名称", "audience": "培训人群", "frequency": "培训频次", "department": "培训部门"}

_ROW = re.compile(r"^(duties|courses)\[(\d+)\](?:\.(\w+))?$")


def field_label(path) -> str:
    """``duties[0].mode`` → 第1条职责的协助方式; ``support`` → 委局支撑清单; unknown paths unchanged."""
    path = str(path or "").strip()
    if not path:
        return ""
    if path in FIELD_LABELS:
        return FIELD_LABELS[path]
    row = _ROW.match(path)
    if row:
        head, n, part = row.group(1), int(row.group(2)) + 1, row.group(3)
        if head == "duties":
            return f"第{n}条职责" + (f"的{DUTY_PARTS.get(part, part)}" if part else "")
        return f"第{n}门课程" + (f"的{COURSE_PARTS.get(part, part)}" if part else "")
    head, _, rest = path.partition(".")
    if head == "support" and rest:
        kind, _, part = rest.partition(".")
        if kind in SUPPORT_LABELS:
            return SUPPORT_LABELS[kind] + (f"的{SUPPORT_PARTS.get(part, part)}" if part else "")
    if head in ("involves", "time_limit", "verbal_report", "basis") and rest:
        return f"{FIELD_LABELS[head]}（{rest}）"
    return path
