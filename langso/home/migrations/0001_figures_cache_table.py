"""The table of the database cache that keeps the home page's figures (settings.CACHES)."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"


def create_tables(apps, schema_editor):
    # Every database cache of the settings; one that exists already is left as it is.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_tables(apps, schema_editor):
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == DATABASE_CACHE:
            table = schema_editor.quote_name(cache["LOCATION"])
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_tables, drop_tables)]
