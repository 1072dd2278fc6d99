"""A member's smartphone is now the person's Reach (copied by 0004); the invitations'
e-mail stamp goes with party's own e-mail task: notices' deliveries record each message."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0004_meeting_notice_member_reach"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="invitation",
            name="emailed_at",
        ),
        migrations.RemoveField(
            model_name="member",
            name="has_smartphone",
        ),
    ]
