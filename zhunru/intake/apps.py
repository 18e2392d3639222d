from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "zhunru.intake"
    verbose_name = "准入申请"
