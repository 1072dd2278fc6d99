"""Bulk writing: reserved keys, multi-row inserts, and indexes rebuilt after a load."""

from django.db import connection

from langso.lib.bulk import insert_rows, reserve_ids, secondary_indexes_dropped
from langso.registry.models import SearchKey


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
