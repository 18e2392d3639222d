from django.db import models


class CalendarDay(models.Model):
    """An admin's entry for one day. It wins over chinese-calendar (R-CAL-1).

    A year is 'known' when chinese-calendar knows it or when this table marks it complete
    (CalendarYear), so a new year's schedule can be loaded in November before a library release.
    """

    date = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    note = models.CharField("说明", max_length=50, blank=True, help_text="如：国庆节、调休上班")

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日调整"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'上班' if self.is_working_day else '休息'} {self.note}"


class CalendarYear(models.Model):
    """A year whose full schedule an admin has loaded: weekends are days off, except CalendarDay entries."""

    year = models.PositiveIntegerField("年份", unique=True)
    note = models.CharField("依据", max_length=200, blank=True, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")

    class Meta:
        verbose_name = "已发布工作日历的年份"
        verbose_name_plural = "已发布工作日历的年份"
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
