import re

from django.db import migrations

_SPACES = re.compile(r"\s+")


def single_spaces(apps, schema_editor):
    """House numbers and addresses typed with doubled spaces get single ones."""
    Household = apps.get_model("registry", "Household")
    doubled = r"\s\s|^\s|\s$"
    for household in Household.objects.filter(address__regex=doubled) | Household.objects.filter(
        house_number__regex=doubled
    ):
        household.address = _SPACES.sub(" ", household.address).strip()
        household.house_number = _SPACES.sub(" ", household.house_number).strip()
        household.save(update_fields=["address", "house_number"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0009_household_closed_on"),
    ]

    operations = [
        migrations.RunPython(single_spaces, migrations.RunPython.noop),
    ]
