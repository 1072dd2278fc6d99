from django.contrib import admin

from langso.reports.models import Election, MilitaryStatus, PollingArea, VoterExclusion


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "day"]


@admin.register(PollingArea)
class PollingAreaAdmin(admin.ModelAdmin):
    list_display = ["election", "commune", "number", "name"]
    raw_id_fields = ["commune", "units"]


@admin.register(VoterExclusion)
class VoterExclusionAdmin(admin.ModelAdmin):
    list_display = ["person", "reason", "since", "until"]
    raw_id_fields = ["person", "recorded_by"]


@admin.register(MilitaryStatus)
class MilitaryStatusAdmin(admin.ModelAdmin):
    list_display = ["person", "year", "status"]
    raw_id_fields = ["person", "recorded_by"]
