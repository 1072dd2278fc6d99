"""Bulk writing: reserved keys, multi-row inserts, and indexes rebuilt after a load."""

from datetime import date

from django.db import connection

from langso.lib.bulk import insert_rows, reserve_ids, secondary_indexes_dropped, update_rows
from langso.registry.models import Person, SearchKey


def index_names(model):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name for name, info in constraints.items() if info["index"] and not info["unique"]}


def test_reserved_keys_are_new_and_rows_go_in_many_per_statement(world):
    person = world.household.head
    before = SearchKey.objects.count()
    ids = reserve_ids(SearchKey, 250)

    insert_rows(SearchKey, ("id", "person", "key"), [(pk, person.pk, f"k{pk}") for pk in ids])

    assert len(set(ids)) == 250 and min(ids) > 0
    assert SearchKey.objects.count() == before + 250
    assert set(reserve_ids(SearchKey, 3)).isdisjoint(ids)


def test_indexes_dropped_for_a_load_are_built_again(world):
    names = index_names(SearchKey)
    assert names  # the key index, and the person foreign key's

    with secondary_indexes_dropped(SearchKey):
        assert index_names(SearchKey) == set()
        insert_rows(SearchKey, ("person", "key"), [(world.household.head_id, "abc")])

    assert index_names(SearchKey) == names
    assert SearchKey.objects.filter(key__prefix="ab").count() == 1


def test_rows_updated_each_with_its_own_values_dates_included(world):
    head, other = world.household.head, Person.objects.exclude(pk=world.household.head_id).first()
    untouched = Person.objects.exclude(pk__in=[head.pk, other.pk]).first()

    update_rows(
        Person,
        ("phone", "health_insurance_expiry"),
        [("0911000001", date(2027, 12, 31), head.pk), ("0911000002", None, other.pk)],
    )

    head.refresh_from_db()
    other.refresh_from_db()
    assert (head.phone, head.health_insurance_expiry) == ("0911000001", date(2027, 12, 31))
    assert (other.phone, other.health_insurance_expiry) == ("0911000002", None)
    assert Person.objects.get(pk=untouched.pk).phone == untouched.phone
