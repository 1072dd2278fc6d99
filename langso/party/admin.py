"""The site administrator's view of the handbook: the fee schedule is set here.

Members' own records are changed through the handbook's pages (audited actions);
the admin lists them read-only.
"""

from django.contrib import admin

from langso.party.models import FeeSchedule, Member, Organisation


@admin.register(FeeSchedule)
class FeeScheduleAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "salaried_per_mille",
        "pension_per_mille",
        "student_amount",
        "other_amount",
    ]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "unit", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["unit", "parent"]
    readonly_fields = ["path"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "status", "position"]
    list_filter = ["status"]
    raw_id_fields = ["person", "user", "organisation"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
