"""The plan list's rules as plain functions over plain values (no ORM).

- R-LOOK-1: character-level matching of a query against an item's name, content and basis.
- R-PROC-7: the system's proposal of 一致 / 表述调整 / 新增 against the municipal list, and
  the comparison of two versions of the district list, field by field.
- R-PROC-1/3: what a new year's round does with last year's items.
- R-SCOPE-1: which requirement kinds an approved form involves.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping

# --------------------------------------------------------------------------- text

_DROP = re.compile(r"[\s\u3000，。、；：？！“”‘’（）()《》〈〉【】\[\]<>,.;:?!\"'·—\-_/\\|]+")


def norm(text) -> str:
    """NFKC, lower case, without spaces or punctuation: what two wordings have in common."""
    if not text:
        return ""
    return _DROP.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (a short: the query or a name)."""
    if not a or not b:
        return 0
    prev = [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, bj in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ch == bj else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def text_score(q: str, text: str, *, subsequence: bool = True) -> float:
    """How well the (normalised) query ``q`` is found in ``text``: 0..1.

    Found whole → 1 (a little less for a long text, so the tighter name wins); otherwise the share
    of the query's characters found in order and of its character pairs found anywhere.
    """
    t = norm(text)
    if not q or not t:
        return 0.0
    coverage = min(1.0, len(q) / len(t))
    if q in t:
        return 0.85 + 0.15 * coverage
    if not set(q) & set(t):
        return 0.0
    grams = _bigrams(q)
    pairs = len(grams & _bigrams(t)) / len(grams) if grams else 0.0
    if subsequence and len(t) <= 120:
        order = _lcs(q, t) / len(q)
    else:
        order = len(set(q) & set(t)) / len(set(q))
    return (0.45 * order + 0.35 * pairs) * (0.9 + 0.1 * coverage)


# Weights: a match in the name ranks above one in the content, which ranks above the basis.
FIELD_WEIGHTS = (("name", 1.0), ("content", 0.7), ("basis", 0.5))
MIN_SCORE = 0.35


# R-LOOK-1: common short forms, built in. The editable table (catalog → 常用简称) adds to these and
# overrides them; a row with an empty 全称 switches a built-in one off.
BUILTIN_ABBREVIATIONS = {
    "加梯": "加装电梯", "反诈": "反电信网络诈骗", "垃分": "垃圾分类", "征兵": "兵役", "低保": "最低生活保障",
    "医保": "医疗保险", "社保": "社会保险", "创城": "文明城区创建", "双拥": "拥军优属", "人普": "人口普查",
    "防汛": "防汛防台", "禁毒": "禁毒宣传", "老旧小区": "旧住房更新改造",
}


def abbreviation_table(rows: Mapping[str, str]) -> dict[str, str]:
    table = {**BUILTIN_ABBREVIATIONS, **rows}
    return {k: v for k, v in table.items() if k and v}


def query_variants(query: str, abbreviations: Mapping[str, str]) -> list[str]:
    """The query, and the query with each known short form written out (反诈 → 反电信网络诈骗)."""
    q = norm(query)
    variants = [q] if q else []
    for short, full in abbreviations.items():
        s = norm(short)
        if s and s in q:
            expanded = q.replace(s, norm(full))
            if expanded not in variants:
                variants.append(expanded)
    return variants


def item_score(variants: list[str], fields: Mapping[str, str]) -> tuple[float, str]:
    """Best score over the variants and the fields, and the field it came from."""
    best, where = 0.0, ""
    for q in variants:
        for key, weight in FIELD_WEIGHTS:
            s = text_score(q, fields.get(key) or "", subsequence=key == "name") * weight
            if s > best:
                best, where = s, key
    return round(best, 3), where


# --------------------------------------------------------------------------- comparison with the municipal list

COMPARISON_LABELS = {"same": "工作任务一致", "reworded": "表述调整", "new": "任务新增"}


def _common_run(a: str, b: str) -> int:
    """Length of the longest common substring."""
    best, prev = 0, [0] * (len(b) + 1)
    for ch in a:
        cur = [0]
        for j, bj in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ch == bj else 0)
        best = max(best, *cur)
        prev = cur
    return best


def suggest_comparison(name: str, summary: str, municipal: Iterable[Mapping]) -> dict:
    """R-PROC-7: propose 一致 / 表述调整 / 新增 and the municipal item, by similarity of wording.

    ``municipal`` holds dicts with code, name, content. The applicant confirms or changes it.
    """
    n, s = norm(name), norm(summary)
    best, best_score = None, 0.0
    for item in municipal:
        m = norm(item.get("name"))
        if n and n == m:
            return {"comparison": "same", "label": COMPARISON_LABELS["same"], "code": item.get("code"),
                    "name": item.get("name"), "score": 1.0}
        run = _common_run(n, m)
        shared = run / min(len(n), len(m)) if n and m and run >= 4 else 0.0
        score = max(text_score(n, item.get("name") or ""), text_score(m, name or ""), shared)
        if s:
            score = max(score, 0.8 * text_score(m, summary or ""))
        if score > best_score:
            best, best_score = item, score
    if best is not None and best_score >= 0.55:
        return {"comparison": "reworded", "label": COMPARISON_LABELS["reworded"], "code": best.get("code"),
                "name": best.get("name"), "score": round(best_score, 3)}
    return {"comparison": "new", "label": COMPARISON_LABELS["new"], "code": None, "name": None,
            "score": round(best_score, 3)}


# --------------------------------------------------------------------------- the approved form

def involved_kinds(form: Mapping) -> list[str]:
    """R-SCOPE-1: the requirement kinds an approved form involves (SPEC §3.0)."""
    inv = form.get("involves") if isinstance(form.get("involves"), dict) else {}
    kinds = ["task"]
    if inv.get("forms_or_system"):
        kinds += ["statistical_report", "system"]
    for box, kind in (("ledger", "ledger"), ("assessment", "assessment"), ("certificate", "certificate"), ("plaque", "plaque")):
        if inv.get(box):
            kinds.append(kind)
    return kinds


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# --------------------------------------------------------------------------- the annual round

CARRY, PROPOSE, DROP = "carry", "propose", "drop"


def round_action(time_limit: str, ends_on: datetime.date | None, new_year: int) -> str:
    """R-PROC-1/3: what opening ``new_year``'s round does with an item of the year before.

    Ongoing (常态化) and other items are carried over; annual ones are proposed to their department
    for confirmation; one-time ones ending before the new year are left out.
    """
    if time_limit == "annual":
        return PROPOSE
    if time_limit == "one_time":
        return CARRY if ends_on and ends_on.year >= new_year else DROP
    return CARRY


# --------------------------------------------------------------------------- versions

# The fields a version comparison looks at, with their labels.
COMPARED_FIELDS = {
    "name": "事项名称", "department": "主管部门", "summary": "概述", "duties": "居村任务职责清单",
    "support": "委局支撑清单", "courses": "委局课程清单", "basis": "来源依据", "involves": "涉及内容",
    "scope": "下派范围", "scope_committees": "部分居村", "time_limit": "时间时限",
    "comparison": "与市级清单对比", "municipal_item": "对应市级事项", "status": "状态",
}


def compare_versions(old: list[Mapping], new: list[Mapping]) -> dict:
    """R-PROC-7: items added, changed (field by field) and exited between two snapshots.

    Items are matched by ``lineage``; an item that left the list, or is 已退出 in ``new`` while
    it was 在列 in ``old``, counts as exited.
    """
    before = {i["lineage"]: i for i in old}
    after = {i["lineage"]: i for i in new}
    added, changed, exited = [], [], []
    for key, item in after.items():
        prior = before.get(key)
        if prior is None:
            if item.get("status") != "exited":
                added.append({"lineage": key, "name": item["name"], "department": item.get("department")})
            continue
        if item.get("status") == "exited" and prior.get("status") != "exited":
            exited.append({"lineage": key, "name": item["name"], "exit_kind": item.get("exit_kind"),
                           "exited_on": item.get("exited_on")})
            continue
        fields = [
            {"field": f, "label": label, "old": prior.get(f), "new": item.get(f)}
            for f, label in COMPARED_FIELDS.items()
            if f != "status" and prior.get(f) != item.get(f)
        ]
        if fields:
            changed.append({"lineage": key, "name": item["name"], "old_version": prior.get("version"),
                            "new_version": item.get("version"), "fields": fields})
    for key, prior in before.items():
        if key not in after and prior.get("status") != "exited":
            exited.append({"lineage": key, "name": prior["name"], "exit_kind": None, "exited_on": None})
    return {"added": added, "changed": changed, "exited": exited}


# --------------------------------------------------------------------------- labels for people (no codes, no English)

PROCEDURE_LABELS = {"regular": "常态化程序", "simplified": "简易程序", "emergency": "紧急程序"}
APPLICATION_KIND_LABELS = {"new": "新增", "adjust": "调整", "exit": "退出"}
# 委局支撑清单 (R-APP-4): the five types with their fields, as the application form names them.
SUPPORT_TYPES = (
    ("funding", "资金支撑", (("amount", "支持金额"), ("way", "支持方式"))),
    ("project", "项目支撑", (("name", "项目名称"), ("description", "项目简介"))),
    ("manpower", "力量支撑", (("source", "力量来源"),)),
    ("resource", "资源支撑", (("description", "资源情况"),)),
    ("policy", "政策支撑", (("handbook", "汇编、手册名称"),)),
)


def support_lines(support) -> list[dict]:
    """The support list as labelled lines: [{label, fields: [(field label, value)]}], plus the exception reason."""
    support = support if isinstance(support, Mapping) else {}
    out = []
    for key, label, parts in SUPPORT_TYPES:
        block = support.get(key)
        if not isinstance(block, Mapping):
            continue
        fields = [(name, str(block.get(part)).strip()) for part, name in parts if str(block.get(part) or "").strip()]
        if fields:
            out.append({"label": label, "fields": fields})
    reason = str(support.get("exception_reason") or "").strip()
    if reason:
        out.append({"label": "支撑类型不足2类的说明", "fields": [("", reason)]})
    return out


def scope_groups(codes: Iterable[str], committees: Iterable[Mapping]) -> list[dict]:
    """部分居村 grouped by street: [{street, whole, count, names}], streets in directory order.

    ``committees``: every committee of the district as {code, name, street}; a street all of whose
    committees are chosen is ``whole`` (长寿路街道（全部）). Codes not in the directory are kept as they are.
    """
    chosen = [str(c) for c in codes or []]
    wanted = set(chosen)
    by_street: dict[str, list[Mapping]] = {}
    for c in committees:
        by_street.setdefault(c.get("street") or "", []).append(c)
    groups, known = [], set()
    for street, members in by_street.items():
        picked = [m for m in members if m["code"] in wanted]
        if picked:
            known.update(m["code"] for m in picked)
            groups.append({"street": street or "其他", "whole": len(picked) == len(members), "count": len(picked),
                           "names": [m["name"] for m in picked]})
    unknown = [c for c in chosen if c not in known]
    if unknown:
        groups.append({"street": "其他", "whole": False, "count": len(unknown), "names": unknown})
    return groups


def scope_text(scope: str, codes, committees, *, inline_limit: int = 6) -> tuple[str, bool]:
    """The 下派范围 of a list cell and whether the full committee list is too long for it (→ an appendix).

    全区居村; or 部分居村（31个）：长寿路街道（全部）、长风新村街道（3个：甲、乙、丙）, the names left out
    (counts only) when more than ``inline_limit`` committees are chosen.
    """
    if scope != "some":
        return "全区居村", False
    groups = scope_groups(codes, committees)
    total = sum(g["count"] for g in groups)
    long = total > inline_limit
    parts = []
    for g in groups:
        if g["whole"]:
            parts.append(f"{g['street']}（全部）")
        elif long:
            parts.append(f"{g['street']}（{g['count']}个）")
        else:
            parts.append(f"{g['street']}（{g['count']}个：{'、'.join(g['names'])}）")
    return f"部分居村（{total}个）" + ("：" + "、".join(parts) if parts else ""), long
