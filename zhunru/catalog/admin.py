from django.contrib import admin

from .models import MunicipalItem, MunicipalList


class MunicipalItemInline(admin.TabularInline):
    model = MunicipalItem
    extra = 0
    fields = ("code", "category", "name", "department")


@admin.register(MunicipalList)
class MunicipalListAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "imported_at")
    inlines = [MunicipalItemInline]
