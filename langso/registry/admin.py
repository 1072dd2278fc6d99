from django.contrib import admin

from langso.registry.models import Household, Person


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["pk", "head", "address", "unit"]
    raw_id_fields = ["unit", "head"]
    search_fields = ["address"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "birth_date", "sex", "residence_status", "household"]
    list_filter = ["sex", "residence_status"]
    raw_id_fields = ["household"]
    search_fields = ["folded_name", "id_number"]
