"""The rules of the application form (SPEC §3.3) and of the procedures (R-PROC-1/4/5).

``check_application`` is a pure function: it takes the form as a plain dict in the shape of
data/samples/FIELDS.md and a ``CheckContext`` of plain values, and returns every error and
flag at once (R-APP-8). It never touches the database, so the pre-check, the submission,
the head's sign-off and the API all apply exactly the same rules.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from zhunru.catalog.rules import norm, text_score
from zhunru.workdays.rules import (
    Schedule,
    UnknownYear,
    add_working_days,
    latest_submission_date,
    meets_notice,
)

from .negative_list import find_phrases

PROCEDURES = {"regular": "常态化程序", "simplified": "简易程序", "emergency": "紧急（先口头报告后补办）"}
KINDS = {"new": "新增", "adjust": "调整", "exit": "退出"}
COMPARISONS = {"same": "工作任务一致", "reworded": "表述调整", "new": "任务新增"}
BASIS_TYPES = {"central": "党中央国务院文件", "laws": "法律法规规章", "municipal": "市委市政府文件"}
SCOPES = {"all": "全区居村", "some": "部分居村"}
TIME_LIMITS = {"one_time": "一次性任务", "annual": "年度工作任务", "ongoing": "常态化工作任务", "other": "其他情况"}
# R-PRIN-2: the seven modes of a committee's part in assistance.
MODES = ("联系居村民", "协助入户", "组织动员", "宣传教育", "诉求反映", "非专业性工作任务的发现报告", "政务服务的辅助办理")
CHANNELS = {"phone": "电话", "in_person": "当面", "other": "其他"}
# R-APP-4: the five support types and the fields that describe each.
SUPPORT_TYPES = {
    "funding": ("资金支撑", ("amount", "way")),
    "project": ("项目支撑", ("name", "description")),
    "manpower": ("力量支撑", ("source",)),
    "resource": ("资源支撑", ("description",)),
    "policy": ("政策支撑", ("handbook",)),
}
INVOLVES_NAMED = {"forms_or_system": ("system_name", "系统名称"), "assessment": ("assessment_name", "创建名称"), "plaque": ("plaque_name", "挂牌名称")}
NAME_MAX = 50
# R-APP-2: a new task whose name is this close to a live item's is flagged as a possible duplicate.
DUPLICATE_SCORE = 0.7


def similar_item(name: str, item_names) -> str | None:
    """The live item whose name matches ``name`` best, when the wording is close enough."""
    q = norm(name)
    best = max(((max(text_score(q, other), text_score(norm(other), name)), other) for other in item_names), default=(0.0, None))
    return best[1] if best[0] >= DUPLICATE_SCORE else None


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str
    phrase: str | None = None

    def as_error(self) -> dict:
        return {"rule": self.rule, "field": self.field, "message": self.message}

    def as_flag(self) -> dict:
        return {"rule": self.rule, "field": self.field, "message": self.message, "phrase": self.phrase}


@dataclass
class CheckResult:
    errors: list[Problem] = field(default_factory=list)
    flags: list[Problem] = field(default_factory=list)
    latest_submission_date: datetime.date | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "valid": self.valid,
            "errors": [p.as_error() for p in self.errors],
            "flags": [p.as_flag() for p in self.flags],
            "latest_submission_date": self.latest_submission_date.isoformat() if self.latest_submission_date else None,
        }


@dataclass(frozen=True)
class CheckContext:
    as_of: datetime.date
    schedule: Schedule
    # R-PROC-1: the regular window as (month, day) pairs, inside one calendar year.
    window_start: tuple[int, int] = (10, 1)
    window_end: tuple[int, int] = (12, 31)
    simplified_notice_days: int = 7
    backfill_days: int = 3
    # Looks a municipal item up by code or name in the list in force in a year: (year, key) -> name or None.
    municipal_item: Callable[[int, str], str | None] = lambda year, key: None
    departments: frozenset[str] = frozenset()  # codes and names of the district's departments
    committees: frozenset[str] = frozenset()  # codes and names of the district's committees
    district_items: Mapping[str, str] = field(default_factory=dict)  # active district item: key -> name
    verbal_report: Mapping | None = None  # the linked report, when the application carries verbal_report_id


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _date(value) -> datetime.date | None | str:
    """A date, None when blank, or the string "bad" when it cannot be read."""
    if isinstance(value, datetime.date):
        return value
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return "bad"


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return value if isinstance(value, list) else []


def window_bounds(ctx: CheckContext, year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, *ctx.window_start), datetime.date(year, *ctx.window_end)


def task_start_of(form: dict):
    """FIELDS.md: task_start, or for a one-time task its time_limit.start."""
    start = _date(form.get("task_start"))
    if start is None and _dict(form.get("time_limit")).get("type") == "one_time":
        start = _date(_dict(form.get("time_limit")).get("start"))
    return start


def support_types_given(support: dict) -> list[str]:
    return [key for key, (_, parts) in SUPPORT_TYPES.items() if any(_text(_dict(support.get(key)).get(p)) for p in parts)]


def check_application(form: dict, ctx: CheckContext) -> CheckResult:
    result = CheckResult()
    err = result.errors.append

    department = _text(form.get("department"))
    if not department:
        err(Problem("R-APP-2", "department", "请填写申请部门（R-APP-2）"))
    elif ctx.departments and department not in ctx.departments:
        err(Problem("R-APP-2", "department", f"申请部门“{department}”不是本区的区级部门（R-APP-2）"))

    procedure = form.get("procedure")
    if procedure not in PROCEDURES:
        err(Problem("R-PROC-1", "procedure", "请选择申报程序：常态化程序、简易程序或紧急（R-PROC-1）"))
    kind = form.get("kind") or "new"
    if kind not in KINDS:
        err(Problem("R-PROC-1", "kind", "申请类别只能是新增、调整或退出（R-PROC-1）"))

    _check_procedure(form, ctx, procedure, kind, result)
    target = _text(str(form.get("adjusts_item") or ""))
    if kind in ("adjust", "exit") and not target:
        err(Problem("R-PROC-1", "adjusts_item", f"{KINDS[kind]}申请须指明所涉及的区级清单事项（R-PROC-1）"))
    elif kind in ("adjust", "exit") and target not in ctx.district_items:
        err(Problem("R-PROC-1", "adjusts_item", f"区级清单中没有在列事项“{target}”，无法{KINDS[kind]}（R-PROC-1）"))
    if kind == "exit":
        # R-PROC-1: an exit names the item and a reason only.
        if not _text(form.get("exit_reason")):
            err(Problem("R-PROC-1", "exit_reason", "退出申请须填写退出理由（R-PROC-1）"))
        return result

    _check_necessity(form, ctx, kind, result)
    _check_three_lists(form, result)
    _check_negative_list(form, result)
    return result


def _check_procedure(form, ctx: CheckContext, procedure, kind, result: CheckResult):
    err = result.errors.append
    if procedure == "regular":
        start, end = window_bounds(ctx, ctx.as_of.year)
        if ctx.as_of > end:
            start, end = window_bounds(ctx, ctx.as_of.year + 1)
        result.latest_submission_date = end
        if not (start <= ctx.as_of <= end):
            err(Problem(
                "R-PROC-1", "procedure",
                f"常态化程序只在每年{ctx.window_start[0]}月{ctx.window_start[1]}日至{ctx.window_end[0]}月{ctx.window_end[1]}日申报；"
                f"{ctx.as_of:%Y-%m-%d}不在申报窗口内，符合条件的新增事项可走简易程序（R-PROC-1）",
            ))
    elif procedure == "simplified":
        start = task_start_of(form)
        if start is None:
            err(Problem("R-PROC-4", "task_start", "简易程序须填写任务开始日期（R-PROC-4）"))
        elif start == "bad":
            err(Problem("R-PROC-4", "task_start", "任务开始日期不是有效日期（R-PROC-4）"))
        else:
            try:
                result.latest_submission_date = latest_submission_date(ctx.schedule, start, ctx.simplified_notice_days)
                if not meets_notice(ctx.schedule, ctx.as_of, start, ctx.simplified_notice_days):
                    err(Problem(
                        "R-PROC-4", "task_start",
                        f"简易程序须在任务开始前至少{ctx.simplified_notice_days}个工作日提交；任务{start:%Y-%m-%d}开始，"
                        f"最迟应于{result.latest_submission_date:%Y-%m-%d}提交（R-PROC-4）",
                    ))
            except UnknownYear as exc:
                err(Problem("R-CAL-1", "task_start", str(exc)))
        basis_types = _list(_dict(form.get("basis")).get("types"))
        temporary = _dict(form.get("time_limit")).get("type") == "one_time"
        if kind == "new" and not basis_types and not temporary and form.get("municipal_comparison") != "same":
            err(Problem("R-PROC-4", "basis.types", "简易程序仅适用于有法律法规规章、中央或市级文件明确依据的事项，或重大工作安排的临时性任务（R-PROC-4）"))
    elif procedure == "emergency":
        _check_verbal_report(form, ctx, result)


def _check_verbal_report(form, ctx: CheckContext, result: CheckResult):
    err, flag = result.errors.append, result.flags.append
    report = ctx.verbal_report or _dict(form.get("verbal_report"))
    on = _date(report.get("on"))
    if not report or on is None:
        err(Problem("R-PROC-5", "verbal_report", "紧急事项须先向区民政局口头报告，并关联该口头报告（R-PROC-5）"))
        return
    if on == "bad":
        err(Problem("R-PROC-5", "verbal_report.on", "口头报告日期不是有效日期（R-PROC-5）"))
        return
    if not ctx.verbal_report:
        for key, label in (("by", "报告人"), ("content", "报告内容")):
            if not _text(report.get(key)):
                err(Problem("R-PROC-5", f"verbal_report.{key}", f"请填写口头报告的{label}（R-PROC-5）"))
        if report.get("channel") not in CHANNELS:
            err(Problem("R-PROC-5", "verbal_report.channel", "口头报告方式只能是电话、当面或其他（R-PROC-5）"))
    try:
        due = add_working_days(ctx.schedule, on, ctx.backfill_days)
    except UnknownYear as exc:
        err(Problem("R-CAL-1", "verbal_report.on", str(exc)))
        return
    if ctx.as_of > due:
        flag(Problem("R-PROC-5", "verbal_report", f"补办逾期：口头报告于{on:%Y-%m-%d}，应在{ctx.backfill_days}个工作日内（{due:%Y-%m-%d}前）补办申请（R-PROC-5）"))


def _check_necessity(form, ctx: CheckContext, kind, result: CheckResult):
    err, flag = result.errors.append, result.flags.append
    name = _text(form.get("name"))
    if not name:
        err(Problem("R-APP-2", "name", "请填写任务名称（R-APP-2）"))
    elif len(name) > NAME_MAX:
        err(Problem("R-APP-2", "name", f"任务名称应简短，不超过{NAME_MAX}个字（R-APP-2）"))
    elif kind == "new":
        match = similar_item(name, set(ctx.district_items.values()))
        if match:
            flag(Problem("R-APP-2", "name", f"任务名称与区级清单在列事项“{match}”相同或相近，可能重复申请（R-APP-2）", match))
    if not _text(form.get("summary")):
        err(Problem("R-APP-2", "summary", "请填写下派工作任务概述（R-APP-2）"))

    comparison = form.get("municipal_comparison")
    if comparison not in COMPARISONS:
        err(Problem("R-APP-2", "municipal_comparison", "请选择与市级下派任务对比情况：工作任务一致、表述调整或任务新增（R-APP-2）"))
    elif comparison in ("same", "reworded"):
        key = _text(str(form.get("municipal_item") or ""))
        if not key:
            err(Problem("R-APP-2", "municipal_item", f"选择“{COMPARISONS[comparison]}”时须关联对应的市级清单事项（R-APP-2）"))
        elif ctx.municipal_item(ctx.as_of.year, key) is None:
            err(Problem("R-APP-2", "municipal_item", f"市级清单（{ctx.as_of.year}年在用版本）中没有事项“{key}”（R-APP-2）"))

    involves = _dict(form.get("involves"))
    for box, (name_key, label) in INVOLVES_NAMED.items():
        if involves.get(box) and not _text(involves.get(name_key)):
            err(Problem("R-APP-2", f"involves.{name_key}", f"勾选后须填写{label}（R-APP-2）"))

    basis = _dict(form.get("basis"))
    types = _list(basis.get("types"))
    if any(t not in BASIS_TYPES for t in types):
        err(Problem("R-APP-2", "basis.types", "来源依据类型只能是党中央国务院文件、法律法规规章或市委市政府文件（R-APP-2）"))
    if comparison != "same":
        if not types:
            err(Problem("R-APP-2", "basis.types", "请勾选来源依据类型（与市级下派任务一致的除外）（R-APP-2）"))
        if not [d for d in _list(basis.get("documents")) if _text(d)]:
            err(Problem("R-APP-2", "basis.documents", "请填写来源依据的文件名称（R-APP-2）"))

    scope = form.get("scope")
    if scope not in SCOPES:
        err(Problem("R-APP-2", "scope", "请选择下派范围：全区居村或部分居村（R-APP-2）"))
    elif scope == "some":
        chosen = [c for c in _list(form.get("scope_committees")) if _text(str(c))]
        if not chosen:
            err(Problem("R-APP-2", "scope_committees", "选择“部分居村”时须选定居村（R-APP-2）"))
        unknown = [str(c) for c in chosen if ctx.committees and str(c) not in ctx.committees]
        if unknown:
            err(Problem("R-APP-2", "scope_committees", f"以下居村不在本区：{'、'.join(unknown)}（R-APP-2）"))

    limit = _dict(form.get("time_limit"))
    ltype = limit.get("type")
    if ltype not in TIME_LIMITS:
        err(Problem("R-APP-2", "time_limit.type", "请选择时间时限（R-APP-2）"))
    elif ltype == "one_time":
        start, end = _date(limit.get("start")), _date(limit.get("end"))
        for key, value, label in (("start", start, "开始"), ("end", end, "结束")):
            if value is None:
                err(Problem("R-APP-2", f"time_limit.{key}", f"一次性任务须填写任务实施{label}日期（R-APP-2）"))
            elif value == "bad":
                err(Problem("R-APP-2", f"time_limit.{key}", f"任务实施{label}日期不是有效日期（R-APP-2）"))
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            err(Problem("R-APP-2", "time_limit.end", "任务结束日期不能早于开始日期（R-APP-2）"))
    elif ltype == "other" and not _text(limit.get("description")):
        err(Problem("R-APP-2", "time_limit.description", "选择“其他情况”时须说明时限（R-APP-2）"))


def _check_three_lists(form, result: CheckResult):
    err, flag = result.errors.append, result.flags.append
    duties = [(i, _dict(d)) for i, d in enumerate(_list(form.get("duties")))]
    filled = [(i, d) for i, d in duties if _text(d.get("text"))]
    if not filled:
        err(Problem("R-APP-3", "duties", "居村任务职责清单至少填写1条职责（R-APP-3）"))
    for i, duty in filled:
        mode = duty.get("mode")
        if mode in (None, ""):
            flag(Problem("R-PRIN-2", f"duties[{i}].mode", f"第{i + 1}条职责“{_text(duty.get('text'))}”不属于七类协助方式（R-PRIN-2）"))
        elif mode not in MODES:
            err(Problem("R-PRIN-2", f"duties[{i}].mode", f"第{i + 1}条职责的方式“{mode}”不是七类协助方式之一（R-PRIN-2）"))

    support = _dict(form.get("support"))
    given = support_types_given(support)
    reason = _text(support.get("exception_reason"))
    if len(given) < 2:
        if reason:
            flag(Problem("R-APP-4", "support.exception_reason", f"委局支撑清单仅填报{len(given)}个支撑类型，申请部门说明理由：{reason}（R-APP-4）"))
        else:
            err(Problem("R-APP-4", "support", f"委局支撑清单原则上至少填报2个支撑类型（现有{len(given)}个），或说明例外理由（R-APP-4）"))

    for i, course in enumerate(_list(form.get("courses"))):
        course = _dict(course)
        if any(_text(course.get(k)) for k in ("audience", "frequency", "department")) and not _text(course.get("name")):
            err(Problem("R-APP-5", f"courses[{i}].name", f"第{i + 1}门课程须填写课程名称（R-APP-5）"))


def _check_negative_list(form, result: CheckResult):
    texts = [("name", form.get("name")), ("summary", form.get("summary"))]
    texts += [(f"duties[{i}].text", _dict(d).get("text")) for i, d in enumerate(_list(form.get("duties")))]
    for path, text in texts:
        for phrase in find_phrases(_text(text)):
            result.flags.append(Problem(
                "R-PRIN-3", path,
                f"“{phrase}”：不得将居村组织作为行政执法、拆迁拆违、招商引资、安全生产、食品安全等行政管理事务的责任主体（R-PRIN-3）",
                phrase,
            ))
