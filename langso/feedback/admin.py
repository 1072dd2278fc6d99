from django.contrib import admin

from langso.feedback.models import Category, Holiday


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "handler_kind", "deadline_days", "order", "active"]
    list_editable = ["handler_kind", "deadline_days", "order", "active"]


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    list_display = ["day", "name", "is_working_day"]
    list_filter = ["is_working_day"]
    date_hierarchy = "day"
