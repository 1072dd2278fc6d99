"""The party organisation columns, copied by 0002, go (a migration of their own, so that
PostgreSQL drops them after the copy has been committed)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_audience_target_sender_teller"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="audience",
            name="organisation",
        ),
        migrations.RemoveField(
            model_name="recipient",
            name="organisation",
        ),
    ]
