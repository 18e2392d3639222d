from django.contrib import admin

from .models import Abbreviation, Filing, MunicipalItem, MunicipalList, PlanItem, PlanList, PlanListVersion


class MunicipalItemInline(admin.TabularInline):
    model = MunicipalItem
    extra = 0
    fields = ("code", "category", "name", "department")


@admin.register(MunicipalList)
class MunicipalListAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "imported_at")
    inlines = [MunicipalItemInline]


@admin.register(Abbreviation)
class AbbreviationAdmin(admin.ModelAdmin):
    """R-LOOK-1: the lookup's table of common short forms, editable here."""

    list_display = ("short", "full")
    search_fields = ("short", "full")


@admin.register(PlanList)
class PlanListAdmin(admin.ModelAdmin):
    list_display = ("year", "district", "round_opened_on")


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    """Read-only: items change through the services (approval, publish, exit), which write the audit chain."""

    list_display = ("name", "plan_list", "department", "version", "status", "exited_on")
    list_filter = ("status", "plan_list__year")
    search_fields = ("name",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register([PlanListVersion, Filing])
