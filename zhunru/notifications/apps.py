from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhunru.notifications"
    verbose_name = "消息提醒"
