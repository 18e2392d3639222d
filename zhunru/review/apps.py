from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhunru.review"
    verbose_name = "准入审核"

    def ready(self):
        from zhunru.intake.models import Application

        from . import signals  # noqa: F401

        # Organisations invited to joint review or consultation may read that application, and nothing
        # else of the applicant's (orgs.scoping's "invited" path). Declared here, not in intake, because
        # the invitations are the review's: intake does not know about them.
        Application.scope_fields = {**Application.scope_fields, "invited": "review_invitations__organisation"}

        from zhunru.audit.services import register_state_check

        from .models import Decision

        @register_state_check
        def decided_states():
            # A decision row edited behind the system's back no longer matches the status its event recorded.
            status = {"approve": "approved", "reject": "rejected"}
            return ((Application.__name__, str(a), status.get(d, d)) for a, d in Decision.objects.values_list("application_id", "decision").iterator())
