"""Notices stop naming the party's model: an audience's party organisation becomes a
registered target (kind "organisation" + target_id), a recipient's organisation the
keeper who tells them in person (teller_kind "organisation" + teller_id). The ids are
copied as they are, so existing rows keep their organisation."""

from django.db import migrations, models

KIND = "organisation"  # the key langso.party registers its organisations under


def organisations_to_targets(apps, schema_editor):
    Audience = apps.get_model("notices", "Audience")
    Recipient = apps.get_model("notices", "Recipient")
    Audience.objects.filter(organisation__isnull=False).update(
        target_id=models.F("organisation_id")
    )
    Recipient.objects.filter(organisation__isnull=False).update(
        teller_kind=KIND, teller_id=models.F("organisation_id")
    )


def targets_to_organisations(apps, schema_editor):
    Audience = apps.get_model("notices", "Audience")
    Recipient = apps.get_model("notices", "Recipient")
    Audience.objects.filter(kind=KIND).update(organisation_id=models.F("target_id"))
    Recipient.objects.filter(teller_kind=KIND).update(organisation_id=models.F("teller_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="audience",
            name="target_id",
            field=models.PositiveBigIntegerField(
                blank=True,
                help_text="The registered target's id.",
                null=True,
                verbose_name="target",
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="sender_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="sent in the name of"
            ),
        ),
        migrations.AddField(
            model_name="notice",
            name="sender_kind",
            field=models.CharField(
                blank=True,
                help_text="A registered audience kind; empty when the issuing unit sends it.",
                max_length=15,
                verbose_name="sent in the name of (kind)",
            ),
        ),
        migrations.AddField(
            model_name="recipient",
            name="teller_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="told in person by"
            ),
        ),
        migrations.AddField(
            model_name="recipient",
            name="teller_kind",
            field=models.CharField(
                blank=True,
                help_text="Empty: the hamlet head; else the keeper of a registered target.",
                max_length=15,
                verbose_name="told in person by (kind)",
            ),
        ),
        migrations.AlterField(
            model_name="audience",
            name="kind",
            field=models.CharField(max_length=15, verbose_name="kind"),
        ),
        migrations.RunPython(organisations_to_targets, targets_to_organisations),
    ]
