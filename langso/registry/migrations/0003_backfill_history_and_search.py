"""Give people recorded before dated history an open membership, a sort key and search keys."""

from django.db import migrations

from langso.lib.vietnamese import clean_digits, fold, name_sort_key

BATCH = 5000


def backfill(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    Person = apps.get_model("registry", "Person")
    Membership = apps.get_model("registry", "Membership")
    SearchKey = apps.get_model("registry", "SearchKey")

    for household in Household.objects.iterator(chunk_size=BATCH):
        household.folded_address = fold(f"{household.house_number} {household.address}")
        household.save(update_fields=["folded_address"])

    people = Person.objects.order_by("pk")
    last = 0
    while batch := list(people.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        memberships, keys = [], []
        for person in batch:
            person.sort_key = name_sort_key(
                person.full_name, (person.family_name, person.middle_name, person.given_name)
            )
            if person.household_id:
                memberships.append(
                    Membership(
                        person_id=person.pk,
                        household_id=person.household_id,
                        relationship=person.relationship,
                        residence_status=person.residence_status,
                        start=person.birth_date,
                        end=person.died_on,
                    )
                )
            words = person.folded_name.split(" ")
            wanted = {" ".join(words[i:]) for i in range(len(words))}
            if person.id_number:
                wanted.add("~" + person.id_number[::-1])
            if clean_digits(person.phone):
                wanted.add("#" + clean_digits(person.phone))
            keys += [SearchKey(person_id=person.pk, key=key) for key in wanted if key]
        Person.objects.bulk_update(batch, ["sort_key"])
        Membership.objects.bulk_create(memberships)
        SearchKey.objects.bulk_create(keys)


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_person_details_history_search")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
