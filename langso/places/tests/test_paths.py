"""`path__within`: everything under a unit, as one indexed query on both databases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from langso.places.models import Unit
from langso.test import make_unit


@pytest.mark.django_db
def test_within_takes_the_unit_and_its_subtree_but_not_a_sibling_sharing_a_prefix():
    province = make_unit(None, Unit.Kind.PROVINCE, "14", "Sơn La", "tỉnh")
    commune = make_unit(province, Unit.Kind.COMMUNE, "04000", "Tân Lập", "xã")
    h1 = make_unit(commune, Unit.Kind.HAMLET, "h1", "Một", "thôn")
    g1 = make_unit(h1, Unit.Kind.GROUP, "g01", "Tổ 1", "tổ")
    h10 = make_unit(commune, Unit.Kind.HAMLET, "h10", "Mười", "thôn")
    odd = make_unit(commune, Unit.Kind.HAMLET, "h1_%", "Lạ", "thôn")

    assert set(Unit.objects.within(h1)) == {h1, g1}
    assert set(Unit.objects.within(commune)) == {commune, h1, g1, h10, odd}
    assert set(Unit.objects.within(odd)) == {odd}  # LIKE wildcards in a path are literal


@pytest.mark.django_db
def test_within_is_one_query_that_searches_the_path_index():
    province = make_unit(None, Unit.Kind.PROVINCE, "14", "Sơn La", "tỉnh")
    commune = make_unit(province, Unit.Kind.COMMUNE, "04000", "Tân Lập", "xã")
    hamlets = [make_unit(commune, Unit.Kind.HAMLET, f"h{n}", f"Thôn {n}", "thôn") for n in range(3)]
    groups = [make_unit(h, Unit.Kind.GROUP, "g01", "Tổ 1", "tổ") for h in hamlets]
    make_unit(province, Unit.Kind.COMMUNE, "04009", "Chiềng Hặc", "xã")

    with CaptureQueriesContext(connection) as queries:
        found = set(Unit.objects.within(commune))
    assert found == {commune, *hamlets, *groups}
    assert len(queries) == 1  # not one query per level of the tree

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Unit.objects.within(commune).explain()
    # A full pass over the table ("SCAN places_unit" on SQLite, "Seq Scan" on PostgreSQL)
    # would mean the prefix test defeats the index.
    assert "SCAN places_unit" not in plan
    assert "Seq Scan" not in plan
    assert "INDEX" in plan.upper()
