import re

from django.db import migrations

_SPACES = re.compile(r"\s+")


def single_spaces(apps, schema_editor):
    """Names loaded or typed with doubled spaces ("Xã  Bắc Đông Quan") get single ones."""
    Unit = apps.get_model("places", "Unit")
    for unit in Unit.objects.filter(name__regex=r"\s\s|^\s|\s$"):
        unit.name = _SPACES.sub(" ", unit.name).strip()
        unit.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(single_spaces, migrations.RunPython.noop),
    ]
