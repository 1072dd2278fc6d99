"""The nine categories of issue 14 and the public holidays of 2025–2027
(langso.feedback.defaults); both are edited in the admin afterwards."""

from django.db import migrations

from langso.feedback.defaults import ensure_defaults


def add(apps, schema_editor):
    ensure_defaults(apps.get_model("feedback", "Category"), apps.get_model("feedback", "Holiday"))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
