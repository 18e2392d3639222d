from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "zhunru.audit"
    verbose_name = "审计日志"
