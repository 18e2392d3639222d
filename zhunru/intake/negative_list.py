"""R-PRIN-3: text that makes a committee the responsible subject of administrative management.

No department or street may make a committee the 责任主体 of 行政执法, 拆迁拆违, 招商引资,
安全生产, 食品安全 or other administrative management. Publicity (宣传) in these fields
is allowed. We look, sentence by sentence, for a field of the negative list together with
wording that puts the committee in charge of it, and report the phrase between them.
"""

import re

FIELDS = ("行政执法", "拆迁拆违", "拆迁", "拆违", "招商引资", "安全生产", "食品安全", "行政管理", "行政处罚")
# Wording that makes the committee the one responsible, not the one who informs or reports.
CHARGE = ("责任主体", "主体责任", "责任书", "责任状", "属地责任", "监管责任", "负责监管", "执法检查", "行政处罚", "查处", "考核指标")
# Fields that are themselves the administrative act: asking a committee to do them is the violation.
ACTS = ("行政执法", "拆迁拆违", "拆违", "招商引资", "行政处罚")
# Publicity and reporting are the committee's part (R-PRIN-2 modes) in these fields too.
ALLOWED_PART = ("宣传", "发现报告", "动员", "教育")

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_FIELD_RE = "|".join(FIELDS)
_CHARGE_RE = "|".join(CHARGE)
_PAIR = re.compile(rf"(?:{_FIELD_RE}).{{0,20}}?(?:{_CHARGE_RE})|(?:{_CHARGE_RE}).{{0,20}}?(?:{_FIELD_RE})")
_ACT = re.compile("|".join(ACTS))


def find_phrases(text: str) -> list[str]:
    """The phrases in ``text`` that trigger R-PRIN-3, in reading order."""
    found = []
    for sentence in _SENTENCE.findall(text or ""):
        pair = _PAIR.search(sentence)
        if pair:
            found.append(pair.group(0))
            continue
        act = _ACT.search(sentence)
        if act and not any(word in sentence for word in ALLOWED_PART):
            found.append(act.group(0))
    return found
