from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "zhunru.intake"
    verbose_name = "准入申请"

    def ready(self):
        from zhunru.audit.services import register_state_check

        from .models import Application

        @register_state_check
        def application_states():
            return ((Application.__name__, str(pk), status) for pk, status in Application.objects.values_list("pk", "status").iterator())
