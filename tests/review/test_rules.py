"""The review's pure rules (R-PROC-2, R-NOTE-1)."""

import datetime

from zhunru.review.rules import decision_errors, default_silence, diff_content, working_days_left
from zhunru.workdays.rules import Schedule

S = Schedule()
D = datetime.date


def test_r_note_1_working_days_left_counts_the_deadline_and_goes_negative():
    assert working_days_left(S, D(2025, 10, 20), D(2025, 10, 27)) == 5
    assert working_days_left(S, D(2025, 10, 27), D(2025, 10, 27)) == 0
    assert working_days_left(S, D(2025, 10, 29), D(2025, 10, 27)) == -2
    assert working_days_left(S, D(2025, 9, 30), D(2025, 10, 9)) == 1  # 2025 National Day holiday runs 10-01..10-08
    assert working_days_left(S, D(2026, 12, 28), D(2027, 1, 5)) is None  # no calendar for 2027
    assert working_days_left(S, D(2025, 10, 20), None) is None


def test_r_proc_2_silence_default_and_decision_rules():
    assert default_silence("consultation") is True and default_silence("joint_review") is False
    assert [e["field"] for e in decision_errors("reject", "", [], "")] == ["reason"]
    assert [e["field"] for e in decision_errors("approve", "", ["区司法局"], "")] == ["override_reason"]
    assert decision_errors("approve", "", ["区司法局"], "紧急") == []


def test_r_proc_2_diff_field_by_field():
    old = {"name": "甲", "duties": [{"text": "宣传", "mode": "宣传教育"}], "support": {"funding": {"amount": "1000"}},
           "basis": {"types": ["laws"]}, "involves": {"ledger": False}}
    new = {"name": "甲", "duties": [{"text": "宣传政策", "mode": "宣传教育"}, {"text": "登记", "mode": None}],
           "support": {"funding": {"amount": "2000"}}, "basis": {"types": ["laws", "central"]}, "involves": {"ledger": True}}
    changes = {c["field"]: c for c in diff_content(old, new)}
    assert set(changes) == {"duties[0].text", "duties[1].text", "support.funding.amount", "basis.types", "involves.ledger"}
    assert changes["duties[0].text"]["label"] == "居村任务职责清单第1条·内容"
    assert (changes["duties[0].text"]["old"], changes["duties[0].text"]["new"]) == ("宣传", "宣传政策")
    assert changes["support.funding.amount"]["label"] == "资金支撑·支持金额"
    assert changes["basis.types"]["new"] == "laws、central" and changes["involves.ledger"]["new"] == "是"
