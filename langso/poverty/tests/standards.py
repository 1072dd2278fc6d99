"""The standards shipped by migration 0002, again: a test module that flushes the database
(the demo's tests do, at their end) also removes the rows data migrations wrote."""

import importlib

from django.apps import apps


def ensure_shipped():
    Standard = apps.get_model("poverty", "Standard")
    if not Standard.objects.exists():
        importlib.import_module("langso.poverty.migrations.0002_standards").ship(apps, None)
