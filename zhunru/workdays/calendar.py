"""The schedule in force: the admin's table read once per call site, wrapped around the pure rules."""

import datetime
from pathlib import Path

from django.db import transaction

from .models import CalendarDay, CalendarYear
from .rules import Schedule


def current_schedule() -> Schedule:
    """Two queries, whatever the number of entries."""
    return Schedule(
        overrides={d: w for d, w in CalendarDay.objects.values_list("date", "is_working_day")},
        loaded_years=frozenset(CalendarYear.objects.values_list("year", flat=True)),
    )


class ScheduleFileError(ValueError):
    pass


def parse_schedule_file(text: str) -> tuple[set[int], dict[datetime.date, tuple[bool, str]]]:
    """Read the simple schedule file an admin loads.

    One entry a line: ``2027-10-01 休 国庆节`` or ``2027-09-26 班 调休上班``; ``year 2027``
    marks the year as fully published (weekends off, except the listed days). ``#`` starts
    a comment. Every bad line is reported at once with its number.
    """
    years: set[int] = set()
    days: dict[datetime.date, tuple[bool, str]] = {}
    errors = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        if parts[0].lower() in {"year", "年份"} and len(parts) >= 2 and parts[1].isdigit():
            years.add(int(parts[1]))
            continue
        try:
            day = datetime.date.fromisoformat(parts[0])
        except ValueError:
            errors.append(f"第{lineno}行：日期“{parts[0]}”不是 YYYY-MM-DD 格式")
            continue
        if len(parts) < 2 or parts[1] not in {"班", "休", "work", "off"}:
            errors.append(f"第{lineno}行：第二列须为“班”或“休”")
            continue
        days[day] = (parts[1] in {"班", "work"}, parts[2] if len(parts) > 2 else "")
    if errors:
        raise ScheduleFileError("；".join(errors))
    return years, days


def load_schedule_file(path: Path) -> int:
    return load_schedule_text(Path(path).read_text(encoding="utf-8-sig"))


@transaction.atomic
def load_schedule_text(text: str) -> int:
    """All lines or none: a bad line refuses the whole file."""
    years, days = parse_schedule_file(text)
    for year in years:
        CalendarYear.objects.get_or_create(year=year)
    for day, (working, note) in days.items():
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working_day": working, "note": note})
    return len(days)
