"""Party messages go through notices: a meeting links the notice that invited its
members, and a member without a smartphone becomes a person whose Reach says "cannot
be reached by phone", so that notices put them on the secretary's in-person list.

Invitations, answers and "told in person" marks (Invitation.informed_at) stay as they
are: meetings scheduled before this change had no notice, and their marks remain on
their invitations. The columns go in 0005, after this copy is committed."""

import django.db.models.deletion
from django.db import migrations, models


def smartphones_to_reach(apps, schema_editor):
    Member = apps.get_model("party", "Member")
    Reach = apps.get_model("notices", "Reach")
    without = Member.objects.filter(has_smartphone=False).values_list("person_id", flat=True)
    have = set(
        Reach.objects.filter(person_id__in=without).values_list("person_id", flat=True)
    )
    Reach.objects.filter(person_id__in=have).update(no_phone=True)
    Reach.objects.bulk_create(
        [Reach(person_id=person_id, no_phone=True) for person_id in without if person_id not in have],
        batch_size=1000,
    )


def reach_to_smartphones(apps, schema_editor):
    Member = apps.get_model("party", "Member")
    Reach = apps.get_model("notices", "Reach")
    told = Reach.objects.filter(no_phone=True).values("person_id")
    Member.objects.filter(person_id__in=told).update(has_smartphone=False)


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0003_remove_organisation_fields"),
        ("party", "0003_member_probation_reminded_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="notice",
            field=models.ForeignKey(
                blank=True,
                help_text="The notice that invited the members: its delivery and in-person list.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="notices.notice",
                verbose_name="invitation notice",
            ),
        ),
        migrations.RunPython(smartphones_to_reach, reach_to_smartphones),
    ]
