"""The review's rules as plain functions over plain values (R-PROC-2, R-PROC-5, R-NOTE-1)."""

import datetime

from zhunru.workdays.rules import Schedule, UnknownYear, add_working_days, working_days_between

DEFAULT_DEADLINE_DAYS = 5
MAX_DEADLINE_DAYS = 60
ACTIVE = ("submitted", "in_review")  # what the reviewer can act on
OPEN_FOR_OPINIONS = ("submitted", "in_review", "returned")


def default_silence(kind: str) -> bool:
    """R-PROC-2: silence counts as 无意见 by default for consultation, not for joint review."""
    return kind == "consultation"


def invitation_deadline(schedule: Schedule, invited_on: datetime.date, days: int) -> datetime.date:
    """SPEC §3.0: the N-th working day after the invitation day, inclusive. Raises UnknownYear."""
    return add_working_days(schedule, invited_on, days)


def is_late(given_on: datetime.date, deadline: datetime.date) -> bool:
    return given_on > deadline


def silence_counts(*, silence_means_no_opinion: bool, deadline: datetime.date, today: datetime.date, answered: bool) -> bool:
    """No answer by the deadline reads as 无意见 only where the invitation says so."""
    return silence_means_no_opinion and not answered and today > deadline


def working_days_left(schedule: Schedule, today: datetime.date, deadline: datetime.date | None) -> int | None:
    """Working days after today up to the deadline, inclusive; negative when overdue.

    0: the deadline is today; -2: two working days past it; None: the calendar does not know.
    """
    if deadline is None:
        return None
    one = datetime.timedelta(days=1)
    try:
        if deadline >= today:
            return working_days_between(schedule, today + one, deadline + one)
        return -working_days_between(schedule, deadline + one, today + one)
    except UnknownYear:
        return None


def waited(schedule: Schedule, since: datetime.date | None, today: datetime.date) -> tuple[int, bool] | None:
    """How long something has waited since ``since``: (working days after it up to today, True),
    or (calendar days, False) where the calendar does not know a year in between; None without a date."""
    if since is None:
        return None
    one = datetime.timedelta(days=1)
    try:
        return working_days_between(schedule, since + one, today + one), True
    except UnknownYear:
        return max((today - since).days, 0), False


LONG_WAIT_DAYS = DEFAULT_DEADLINE_DAYS  # working days (7 calendar days without a calendar) after which a wait shows in orange


def waited_label(schedule: Schedule, since: datetime.date | None, today: datetime.date) -> str:
    """已等待 3 个工作日; 已等待 40 天（……按自然日计）where a year has no calendar; 今日提交; "" without a date."""
    w = waited(schedule, since, today)
    if w is None:
        return ""
    n, working = w
    if since >= today:
        return "今日提交"
    if working:
        return f"已等待 {n} 个工作日"
    return f"已等待 {n} 天（工作日历未录入，按自然日计）"


def waited_long(schedule: Schedule, since: datetime.date | None, today: datetime.date) -> bool:
    w = waited(schedule, since, today)
    return bool(w) and w[0] >= (LONG_WAIT_DAYS if w[1] else 7)


def decision_errors(decision: str, reason: str, outstanding: list[str], override_reason: str) -> list[dict]:
    errors = []
    if decision not in ("approve", "reject"):
        errors.append({"rule": "R-PROC-2", "field": "decision", "message": "审核意见只能是同意或不同意（R-PROC-2）"})
    if decision == "reject" and not reason.strip():
        errors.append({"rule": "R-PROC-2", "field": "reason", "message": "审核意见为不同意时须填写不同意理由（R-PROC-2）"})
    if outstanding and not override_reason.strip():
        errors.append({"rule": "R-PROC-2", "field": "override_reason",
                       "message": f"以下单位尚未答复：{'、'.join(outstanding)}；如需现在作出决定，请说明理由（R-PROC-2）"})
    return errors


# ---- what changed between two versions of the form (field by field)

LABELS = {
    "department": "申请部门", "procedure": "申报程序", "kind": "申请类别", "adjusts_item": "调整/退出事项",
    "exit_reason": "退出理由", "task_start": "任务开始日期", "name": "任务名称", "summary": "下派工作任务概述",
    "municipal_comparison": "与市级下派任务对比情况", "municipal_item": "对应市级事项",
    "involves": "涉及内容", "involves.certificate": "是否涉及出具证明", "involves.forms_or_system": "是否涉及填报表格或信息化系统",
    "involves.system_name": "系统名称", "involves.assessment": "是否涉及考核创建", "involves.assessment_name": "创建名称",
    "involves.plaque": "是否涉及挂牌标识", "involves.plaque_name": "挂牌名称", "involves.ledger": "是否涉及台账资料",
    "basis.types": "来源依据类型", "basis.documents": "来源依据文件名称", "scope": "下派范围", "scope_committees": "部分居村",
    "time_limit.type": "时间时限", "time_limit.start": "任务开始时间", "time_limit.end": "任务结束时间",
    "time_limit.description": "时限说明", "support.exception_reason": "支撑类型不足的理由",
    "verbal_report_id": "关联口头报告",
}
SUPPORT_LABELS = {"funding": "资金支撑", "project": "项目支撑", "manpower": "力量支撑", "resource": "资源支撑", "policy": "政策支撑"}
PART_LABELS = {"amount": "支持金额", "way": "支持方式", "name": "名称", "description": "简介/情况", "source": "力量来源",
               "handbook": "汇编、手册名称", "text": "内容", "mode": "协助方式", "audience": "培训人群",
               "frequency": "培训频次", "department": "培训部门"}
# Lists of scalars are compared whole; lists of rows line by line.
WHOLE_LISTS = {"basis.types", "basis.documents", "scope_committees"}


def label_of(path: str) -> str:
    if path in LABELS:
        return LABELS[path]
    head, _, rest = path.partition(".")
    for prefix, title in (("duties", "居村任务职责清单"), ("courses", "委局课程清单")):
        if head.startswith(prefix + "["):
            n = int(head[len(prefix) + 1:-1]) + 1
            return f"{title}第{n}条" + (f"·{PART_LABELS.get(rest, rest)}" if rest else "")
    if head == "support":
        kind, _, part = rest.partition(".")
        return SUPPORT_LABELS.get(kind, kind) + (f"·{PART_LABELS.get(part, part)}" if part else "")
    return path


def _flatten(value, path: str, out: dict):
    if isinstance(value, dict) and path not in WHOLE_LISTS:
        for k, v in value.items():
            _flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(value, list) and path not in WHOLE_LISTS:
        for i, v in enumerate(value):
            _flatten(v, f"{path}[{i}]", out)
    else:
        out[path] = value


def _empty(value) -> bool:
    return value in (None, "", [], {}, False)


def diff_content(old: dict, new: dict) -> list[dict]:
    """Every field whose value differs, as {field, label, old, new}, in the form's order."""
    a, b = {}, {}
    _flatten(old or {}, "", a)
    _flatten(new or {}, "", b)
    changes = []
    for path in list(dict.fromkeys([*a, *b])):
        x, y = a.get(path), b.get(path)
        if x == y or (_empty(x) and _empty(y)):
            continue
        changes.append({"field": path, "label": label_of(path), "old": _show(x), "new": _show(y)})
    return changes


def _show(value) -> str:
    if value is None or value == "":
        return "（空）"
    if value is True:
        return "是"
    if value is False:
        return "否"
    if isinstance(value, list):
        return "、".join(map(str, value)) or "（空）"
    return str(value)
