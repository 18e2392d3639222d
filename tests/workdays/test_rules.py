"""R-CAL-1: working days from the State Council schedule, the admin's table winning over it."""

import datetime

import pytest
from django.core.management import call_command

from tests.conftest import d
from zhunru.workdays.calendar import ScheduleFileError, current_schedule, parse_schedule_file
from zhunru.workdays.models import CalendarDay, CalendarYear
from zhunru.workdays.rules import (
    Schedule,
    UnknownYear,
    add_working_days,
    is_working_day,
    latest_submission_date,
    working_days_between,
)

S = Schedule()


def test_r_cal_1_national_day_2026():
    for day in range(1, 8):
        assert not is_working_day(S, datetime.date(2026, 10, day)), f"10-{day:02d} is a holiday"
    assert is_working_day(S, d("2026-09-20")), "Sunday 09-20 is a make-up working day"
    assert is_working_day(S, d("2026-10-10")), "Saturday 10-10 is a make-up working day"
    assert is_working_day(S, d("2026-10-08"))
    # late-simplified: 9-28, 9-29, 9-30 and 10-08 are the only working days before 10-09.
    assert working_days_between(S, d("2026-09-28"), d("2026-10-09")) == 4
    assert latest_submission_date(S, d("2026-10-09"), 7) == d("2026-09-22")


def test_r_cal_1_year_end_crossing():
    # 2025-12-31 (Wed), then the 2026 New Year holiday (01-01..01-03) and the make-up Sunday 01-04.
    assert add_working_days(S, d("2025-12-30"), 1) == d("2025-12-31")
    assert add_working_days(S, d("2025-12-31"), 1) == d("2026-01-04")
    assert working_days_between(S, d("2025-12-29"), d("2026-01-06")) == 5  # 12-29,30,31, 01-04, 01-05


def test_r_cal_1_year_without_schedule_is_an_error():
    with pytest.raises(UnknownYear) as exc:
        is_working_day(S, d("2027-03-01"))
    assert "2027" in str(exc.value)
    with pytest.raises(UnknownYear):
        add_working_days(S, d("2026-12-30"), 5)  # runs into 2027


def test_r_proc_4_seven_working_days_counts_submission_day():
    # census-simplified: 9-15..9-25 holds 9 working days, the latest date is the 7th working day before 9-26.
    assert working_days_between(S, d("2025-09-15"), d("2025-09-26")) == 9
    assert latest_submission_date(S, d("2025-09-26"), 7) == d("2025-09-17")
    # A Saturday submission does not count as day 1.
    assert working_days_between(S, d("2025-09-13"), d("2025-09-16")) == 1


def test_r_proc_5_backfill_three_working_days():
    assert add_working_days(S, d("2025-07-29"), 3) == d("2025-08-01")


@pytest.mark.django_db
def test_r_cal_1_admin_table_wins_and_loads_a_year(tmp_path):
    CalendarDay.objects.create(date=d("2026-10-08"), is_working_day=False, note="测试：临时调整")
    assert not current_schedule().is_working_day(d("2026-10-08"))
    path = tmp_path / "2027.txt"
    path.write_text("# 2027年安排（示例）\nyear 2027\n2027-01-01 休 元旦\n2027-02-07 班 调休上班\n", encoding="utf-8")
    call_command("load_workdays", str(path))
    schedule = current_schedule()
    assert CalendarYear.objects.filter(year=2027).exists()
    assert not schedule.is_working_day(d("2027-01-01"))
    assert schedule.is_working_day(d("2027-02-07"))  # a Sunday made a working day
    assert schedule.is_working_day(d("2027-03-01")) and not schedule.is_working_day(d("2027-03-06"))


def test_r_cal_1_schedule_file_errors_name_each_line():
    with pytest.raises(ScheduleFileError) as exc:
        parse_schedule_file("2027-13-01 休\n2027-01-02 忙\n")
    assert "第1行" in str(exc.value) and "第2行" in str(exc.value)


def test_r_cal_1_workdays_api(api):
    res = api("clerk_D030").get("/workdays?from=2026-09-28&to=2026-10-10")
    assert res.status_code == 200
    body = res.json()
    working = [x["date"] for x in body["days"] if x["working"]]
    assert working == ["2026-09-28", "2026-09-29", "2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10"]
    assert body["working_days"] == 6
    bad = api("clerk_D030").get("/workdays?from=2026-12-30&to=2027-01-05")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["rule"] == "R-CAL-1" and "2027" in bad.json()["errors"][0]["message"]


def test_r_cal_1_admin_uploads_a_schedule_file(client, putuo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import user

    client.force_login(user("admin"))
    bad = SimpleUploadedFile("2027.txt", "year 2027\n2027-01-01 休 元旦\n2027-02-30 班\n".encode())
    res = client.post("/admin/workdays/calendarday/upload/", {"file": bad}, follow=True)
    assert "第3行" in res.content.decode() and not CalendarDay.objects.exists() and not CalendarYear.objects.exists()
    good = SimpleUploadedFile("2027.txt", "year 2027\n2027-01-01 休 元旦\n".encode())
    res = client.post("/admin/workdays/calendarday/upload/", {"file": good}, follow=True)
    assert "已载入 1 个日期" in res.content.decode()
    assert not current_schedule().is_working_day(d("2027-01-01"))
