from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zhunru.workdays"
    verbose_name = "工作日历"
