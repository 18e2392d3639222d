from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path

from .calendar import ScheduleFileError, load_schedule_text
from .models import CalendarDay, CalendarYear


class ScheduleUploadForm(forms.Form):
    file = forms.FileField(label="日历文件", help_text="UTF-8 文本，每行：2027-10-01 休 国庆节 / 2027-09-26 班 调休上班；year 2027 表示该年已完整发布")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    list_filter = ("is_working_day",)
    date_hierarchy = "date"
    change_list_template = "admin/workdays/calendarday/change_list.html"

    def get_urls(self):
        return [path("upload/", self.admin_site.admin_view(self.upload), name="workdays_calendarday_upload")] + super().get_urls()

    def upload(self, request):
        """R-CAL-1: an admin loads a newly published year's schedule from a simple file."""
        form = ScheduleUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                text = form.cleaned_data["file"].read().decode("utf-8-sig")
                n = load_schedule_text(text)
            except UnicodeDecodeError:
                messages.error(request, "文件须为 UTF-8 编码的文本")
            except ScheduleFileError as exc:
                messages.error(request, f"未载入任何日期：{exc}")
            else:
                messages.success(request, f"已载入 {n} 个日期")
                return redirect("admin:workdays_calendarday_changelist")
        return render(request, "admin/workdays/calendarday/upload.html",
                      {**self.admin_site.each_context(request), "form": form, "title": "载入工作日历文件", "opts": self.model._meta})


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "note")
