from django.contrib import admin

from langso.places.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["path", "name", "kind", "type_name", "code", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "path"]
    raw_id_fields = ["parent", "successor"]
    readonly_fields = ["path"]
