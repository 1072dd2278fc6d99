"""Phone search keys become reversed like ID numbers: a phone is found by its last digits."""

from django.db import migrations

CHUNK = 5000


def reverse_phone_keys(apps, schema_editor):
    SearchKey = apps.get_model("registry", "SearchKey")
    while True:
        keys = list(SearchKey.objects.filter(key__startswith="#").order_by("pk")[:CHUNK])
        if not keys:
            break
        for row in keys:
            row.key = "~" + row.key[1:][::-1]
        SearchKey.objects.bulk_update(keys, ["key"], batch_size=1000)


def phone_keys_forward(apps, schema_editor):
    SearchKey = apps.get_model("registry", "SearchKey")
    Person = apps.get_model("registry", "Person")
    # Reversed keys that are a person's phone go back to the "#" form.
    for person in Person.objects.exclude(phone="").only("pk", "phone").iterator():
        digits = "".join(ch for ch in person.phone if ch.isdigit())
        if digits:
            SearchKey.objects.filter(person_id=person.pk, key="~" + digits[::-1]).update(
                key="#" + digits
            )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0011_immunisation_vaccine_codes"),
    ]

    operations = [
        migrations.RunPython(reverse_phone_keys, phone_keys_forward),
    ]
