"""A name's search keys become the whole name turned to start at each word ("van phung
nguyen" in place of "van phung"), so a search checks its other words on the key alone."""

from django.db import migrations

CHUNK = 2000


def name_keys(folded_name, turned):
    words = folded_name.split(" ") if folded_name else []
    if turned:
        keys = [" ".join(words[i:] + words[:i]) for i in range(len(words))]
    else:
        keys = [" ".join(words[i:]) for i in range(len(words))]
    return sorted({key[:120] for key in keys if key})


def rewrite(apps, turned):
    Person = apps.get_model("registry", "Person")
    SearchKey = apps.get_model("registry", "SearchKey")
    last = 0
    while True:
        rows = list(
            Person.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "folded_name")[:CHUNK]
        )
        if not rows:
            break
        first, last = rows[0][0], rows[-1][0]
        # Number keys ("~" and the reversed digits) stay as they are.
        SearchKey.objects.filter(person_id__gte=first, person_id__lte=last).exclude(
            key__startswith="~"
        ).delete()
        SearchKey.objects.bulk_create(
            [
                SearchKey(person_id=pk, key=key)
                for pk, folded_name in rows
                for key in name_keys(folded_name, turned)
            ],
            batch_size=500,
        )


def turn_name_keys(apps, schema_editor):
    rewrite(apps, turned=True)


def name_suffix_keys(apps, schema_editor):
    rewrite(apps, turned=False)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0014_record_versions"),
    ]

    operations = [
        migrations.RunPython(turn_name_keys, name_suffix_keys),
    ]
