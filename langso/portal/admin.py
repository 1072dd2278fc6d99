from django.contrib import admin
from django.db import models

from langso.portal.models import Procedure


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """The procedures shown on every commune's site: the national rules, so edited here by
    the site administrator (articles and contacts go through the portal's own pages)."""

    list_display = ["title", "field", "national_code", "fee", "processing_time", "order"]
    list_editable = ["order"]
    search_fields = ["title", "field"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
