from django.contrib import admin

from .models import Application, DistrictSettings, VerbalReport


@admin.register(DistrictSettings)
class DistrictSettingsAdmin(admin.ModelAdmin):
    """The admin sets the window, the number pattern and the deadlines; no business decisions here."""

    list_display = ("district", "window_start_month", "window_start_day", "window_end_month", "window_end_day", "number_pattern", "backfill_days")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change only through the services, which check rules and write the audit."""

    list_display = ("number", "name", "department", "procedure", "status", "submitted_on")
    list_filter = ("status", "procedure")
    search_fields = ("number", "name")
    list_select_related = ("department",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VerbalReport)
class VerbalReportAdmin(ApplicationAdmin):
    list_display = ("reported_on", "department", "channel", "reported_by", "backfill_due")
    list_filter = ("channel",)
    search_fields = ("content", "reported_by")
