from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhunru.demo"
    verbose_name = "演示数据"
