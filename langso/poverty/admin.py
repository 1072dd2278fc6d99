"""The site administrator's view of the poverty review: the standards' figures and their
indicators' definitions are corrected here (never in code), and a commune's area."""

from django.contrib import admin

from langso.poverty.models import AreaSetting, Indicator, Standard


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["order", "code", "dimension", "name", "definition"]


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "valid_from",
        "valid_to",
        "rural_line",
        "urban_line",
        "poor_min_lacking",
        "indicators_provisional",
    ]
    inlines = [IndicatorInline]


@admin.register(AreaSetting)
class AreaSettingAdmin(admin.ModelAdmin):
    list_display = ["commune", "urban"]
    raw_id_fields = ["commune"]
