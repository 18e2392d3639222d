"""Working-day arithmetic (R-CAL-1, SPEC §3.0) as pure functions over a schedule.

A ``Schedule`` answers "is this a working day?" from three sources, first match wins:
the admin's table of single days, the years the admin loaded in full, and chinese-calendar
for the years it knows. A date in a year none of them knows raises ``UnknownYear``:
the system never guesses a holiday schedule.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

import chinese_calendar

ONE_DAY = datetime.timedelta(days=1)


class UnknownYear(ValueError):
    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year}年的节假日安排尚未发布或未录入工作日历，无法计算工作日（R-CAL-1）")


@dataclass(frozen=True)
class Schedule:
    overrides: Mapping[datetime.date, bool] = field(default_factory=dict)
    loaded_years: frozenset[int] = frozenset()

    def is_working_day(self, day: datetime.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in self.loaded_years:
            return day.weekday() < 5
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            raise UnknownYear(day.year) from None


def is_working_day(schedule: Schedule, day: datetime.date) -> bool:
    return schedule.is_working_day(day)


def working_days_between(schedule: Schedule, start: datetime.date, end: datetime.date) -> int:
    """Working days in [start, end), both ends as dates; 0 when end <= start."""
    count, day = 0, start
    while day < end:
        count += schedule.is_working_day(day)
        day += ONE_DAY
    return count


def add_working_days(schedule: Schedule, day: datetime.date, n: int) -> datetime.date:
    """The n-th working day after ``day`` (day itself not counted); n < 0 goes backwards."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if schedule.is_working_day(day):
            remaining -= 1
    return day


def latest_submission_date(schedule: Schedule, start: datetime.date, n: int) -> datetime.date:
    """The last day on which a submission still leaves n working days before ``start``.

    SPEC §3.0: the working days from the submission day (counted when it is a working day)
    up to the day before ``start`` must number at least n, so the answer is the n-th working
    day before ``start``.
    """
    return add_working_days(schedule, start, -n)


def meets_notice(schedule: Schedule, submitted: datetime.date, start: datetime.date, n: int) -> bool:
    return working_days_between(schedule, submitted, start) >= n
