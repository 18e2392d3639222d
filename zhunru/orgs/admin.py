from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "subtype", "parent", "is_review_unit", "is_lead")
    list_filter = ("kind", "subtype", "is_review_unit")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    raw_id_fields = ("parent", "district")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "organisation", "is_active")
    list_filter = ("roles", "is_active")
    search_fields = ("username", "display_name", "organisation__name")
    list_select_related = ("organisation",)
    raw_id_fields = ("organisation",)
    filter_horizontal = ("roles",)
    fieldsets = BaseUserAdmin.fieldsets + (("准入系统", {"fields": ("display_name", "organisation", "roles")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + (("准入系统", {"fields": ("display_name", "organisation", "roles")}),)


admin.site.site_header = "准入系统管理"
admin.site.site_title = "准入系统管理"
admin.site.index_title = "组织、人员、工作日与设置"
