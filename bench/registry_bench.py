"""The resident registry at province scale: search, list pages and a 100,000-row import.

    .venv/bin/python bench/registry_bench.py --var-dir DIR [--database-url URL]

Runs against a database already holding the million-person demo (build one with
`bench/demo_build.py --keep DIR`). It prints:

- search: p50 / p95 / max over a fixed mix of 300 queries (full names without
  diacritics, name endings, given names, ID-number endings, phone numbers), once as
  a province official (the indexed search-key plan) and once as a commune official
  (the scope-first plan); goal p95 ≤ 50 ms;
- the first page of a hamlet's and of a commune's resident list, rendered by the
  real view through Django's test client, p95 over 30 requests; goal ≤ 100 ms;
- a 100,000-row workbook: the bare python-calamine read, then the check
  (`plan_import`) and the write (`import_residents`), rows per second, and the
  ratio of the whole import to the bare read; goal ≤ 3×;
- the same book imported again with new phone numbers (every row an update);
- the database's own share: the same rows copied by the database itself
  (INSERT … SELECT from what the import wrote, no Python, rolled back), the least
  any import of them could take on top of reading the file.

The import writes into a new hamlet of another commune of the province. Its names
and birth dates are drawn with a seed taken from the number of people, so a second
run on the same database imports other people rather than a hundred thousand
look-alikes of the first run's.
"""

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from common import official, setup, summary, timed


def query_mix(rng, count=300):
    """Queries people type: drawn from real rows so most of them find someone."""
    from langso.registry.models import Person

    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    sample = []
    while len(sample) < count // 3:
        pk = rng.randint(1, top)
        row = (
            Person.objects.filter(pk__gte=pk)
            .values("full_name", "folded_name", "given_name", "id_number", "phone")
            .first()
        )
        if row:
            sample.append(row)
    queries = []
    for row in sample:
        words = row["folded_name"].split(" ")
        queries.append(row["folded_name"])  # "nguyen van phung"
        queries.append(" ".join(words[-2:]) if rng.random() < 0.5 else row["full_name"])
        if row["id_number"] and rng.random() < 0.5:
            queries.append(row["id_number"][-6:])
        elif row["phone"]:
            queries.append(row["phone"])
        else:
            queries.append(row["given_name"])
    return queries[:count]


def bench_search(rng):
    from langso.places.models import Unit
    from langso.registry.access import search_people_for_user

    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14")
    commune = Unit.objects.get(kind=Unit.Kind.COMMUNE, code="04105")
    users = {
        "bench-tinh": official("bench-tinh", province),
        "bench-xa": official("bench-xa", commune),
    }
    queries = query_mix(rng)
    results = {}
    for label, user in (
        ("search, province official (1M people)", users["bench-tinh"]),
        ("search, commune official", users["bench-xa"]),
    ):
        timings, found = [], 0
        for query in queries:
            ms, people = timed(search_people_for_user, user, query)
            timings.append(ms)
            found += bool(people)
        results[label] = summary(label, timings)
        print(f"{'':<44} {found} of {len(queries)} queries found someone")
    return users


def bench_lists(users):
    from django.test import Client

    from langso.places.models import Unit

    commune = Unit.objects.get(kind=Unit.Kind.COMMUNE, code="04105")
    hamlet = Unit.objects.filter(parent=commune, kind=Unit.Kind.HAMLET).order_by("path").first()
    client = Client()
    client.force_login(users["bench-xa"])
    for label, params in (
        ("first page of a hamlet's residents", {"unit": hamlet.pk}),
        ("first page of a commune's residents", {}),
    ):
        client.get("/registry/people/", params)  # warm the caches once
        timings = []
        for _ in range(30):
            ms, response = timed(client.get, "/registry/people/", params)
            assert response.status_code == 200, response.status_code
            timings.append(ms)
        summary(label, timings)


def unused_birth_code():
    """A birth-province code no registered ID number starts with, so the import finds no
    one already registered (the benchmark can then run again on the same database)."""
    from langso.registry.models import Person

    for code in range(96, 0, -1):
        prefix = f"{code:03d}"
        taken = Person.objects.filter(id_number__gte=prefix, id_number__lt=f"{code + 1:03d}")
        if not taken.exists():
            return prefix
    raise SystemExit("every birth-province code is in use")


def workbook(path, rows, rng, code="096", phones="09"):
    """A resident book of `rows` people in households of one to seven."""
    import xlsxwriter

    from langso.demo.registry import KINH_FAMILY

    families = [name for name, _weight in KINH_FAMILY]
    given = ["An", "Bình", "Cường", "Dũng", "Hà", "Hoa", "Lan", "Minh", "Nam", "Thủy", "Tuấn"]
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet("Nhân khẩu")
    sheet.write_row(0, 0, ["DANH SÁCH NHÂN KHẨU"])
    sheet.write_row(
        2, 0, ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quan hệ với chủ hộ",
               "Địa chỉ", "Nghề nghiệp", "Số điện thoại"],
    )  # fmt: skip
    r, serial = 3, 0
    while serial < rows:
        family = rng.choice(families)
        size = min(rows - serial, rng.choice([1, 2, 3, 3, 4, 4, 5, 6, 7]))
        for member in range(size):
            serial += 1
            sex = rng.choice(["Nam", "Nữ"])
            middle = "Văn" if sex == "Nam" else "Thị"
            year = rng.randint(1940, 2024)
            digit = (year // 100 - 19) * 2 + (sex == "Nữ")
            id_number = f"{code}{digit}{year % 100:02d}{serial:06d}"
            sheet.write_row(
                r, 0,
                [serial, f"{family} {middle} {rng.choice(given)}",
                 f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}", sex, id_number,
                 "Chủ hộ" if member == 0 else rng.choice(["Vợ", "Con", "Cháu", "Mẹ"]),
                 f"Số {serial}, tổ {serial % 40}", "Làm ruộng", f"{phones}{serial:08d}"],
            )  # fmt: skip
            r += 1
    book.close()


def bench_database_share(first_person, first_household):
    """Seconds the database alone takes to write again what the import wrote, rolled back."""
    from django.db import connection, transaction

    from langso.lib.bulk import sqlite_page_cache
    from langso.registry.import_writer import IMPORT_CACHE_KIB
    from langso.registry.models import Household, LifeEvent, Membership, Person, SearchKey

    def columns(model, skip=()):
        names = [f.column for f in model._meta.concrete_fields if f.column not in skip]
        return ", ".join(connection.ops.quote_name(name) for name in names)

    def copy(model, where, replace):
        table = connection.ops.quote_name(model._meta.db_table)
        skip = ("id", *replace)
        targets = ", ".join(connection.ops.quote_name(name) for name in replace)
        return (
            f"INSERT INTO {table} ({columns(model, skip)}, {targets}) "
            f"SELECT {columns(model, skip)}, {', '.join(replace.values())} FROM {table} "
            f"WHERE {where}"
        )

    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(id) FROM registry_person")
        person_shift = cursor.fetchone()[0] - first_person + 1
        cursor.execute("SELECT MAX(id) FROM registry_household")
        household_shift = cursor.fetchone()[0] - first_household + 1
    shifted_person = f"person_id + {person_shift}"
    shifted_household = f"household_id + {household_shift}"
    statements = [
        (Household, copy(Household, f"id >= {first_household}", {"id": f"id + {household_shift}",
                                                                  "head_id": "NULL"})),
        (Person, copy(Person, f"id >= {first_person}", {
            "id": f"id + {person_shift}", "household_id": shifted_household,
            # First digit 9: no birth-province code (001–096) starts so.
            "id_number": "'9' || SUBSTR(id_number, 2)",
        })),
        (Membership, copy(Membership, f"person_id >= {first_person}",
                          {"person_id": shifted_person, "household_id": shifted_household})),
        (LifeEvent, copy(LifeEvent, f"person_id >= {first_person}",
                         {"person_id": shifted_person, "household_id": shifted_household})),
        (SearchKey, copy(SearchKey, f"person_id >= {first_person}", {"person_id": shifted_person})),
    ]  # fmt: skip
    seconds = {}
    started = time.perf_counter()
    with sqlite_page_cache(IMPORT_CACHE_KIB), transaction.atomic():
        with connection.cursor() as cursor:
            for model, sql in statements:
                ms, _ = timed(cursor.execute, sql)
                seconds[model.__name__] = ms / 1000
            if connection.vendor == "postgresql":
                # The foreign keys are checked at commit there: check them now.
                ms, _ = timed(cursor.execute, "SET CONSTRAINTS ALL IMMEDIATE")
                seconds["foreign keys"] = ms / 1000
        total = time.perf_counter() - started
        transaction.set_rollback(True)
    return total, seconds


def bench_import(seed, rows):
    import python_calamine

    from langso.places.models import Unit
    from langso.registry import import_writer
    from langso.registry import units as places
    from langso.registry.importing import plan_import

    # Not the commune the searches and lists measure: the import would swell it.
    commune = (
        Unit.objects.filter(kind=Unit.Kind.COMMUNE, path__startswith="14/")
        .exclude(code="04105")
        .exclude(code="")  # an official commune, not another benchmark's
        .order_by("-path")
        .first()
    )
    hamlet = places.create_unit(
        commune, name=f"Thôn Nhập {time.time_ns()}", type_name="thôn", acting_user=None
    )
    code = unused_birth_code()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhan-khau.xlsx"
        ms_make, _ = timed(workbook, path, rows, random.Random(seed), code)
        data = path.read_bytes()
        # The same people with new phone numbers: imported again, every row is an update.
        # 070 is a mobile prefix (MobiFone); 080 is none, and the phone check refuses it.
        workbook(path, rows, random.Random(seed), code, phones="07")
        again = path.read_bytes()
    print(f"workbook of {rows:,} rows made in {ms_make / 1000:.1f} s ({len(data) / 1e6:.1f} MB)")
    ms_read, _ = timed(
        lambda: (
            python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            .get_sheet_by_index(0)
            .to_python()
        )
    )
    ms_plan, plan = timed(plan_import, data, filename="nhan-khau.xlsx", unit=hamlet)
    if plan.problems:
        sys.exit(f"the benchmark workbook has errors: {plan.problems[:3]}")
    from langso.registry.models import Household, Person

    first_person = (Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    first_household = (
        Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    ms_write, counts = timed(import_writer.import_residents, plan, acting_user=None, source="bench")
    total = ms_plan + ms_write
    print(f"{'bare calamine read':<44} {ms_read / 1000:7.2f} s")
    print(f"{'check (plan_import)':<44} {ms_plan / 1000:7.2f} s")
    print(f"{'write (import_residents)':<44} {ms_write / 1000:7.2f} s")
    print(
        f"{'import, check and write':<44} {total / 1000:7.2f} s   {rows / (total / 1000):,.0f} "
        f"rows/s   {total / ms_read:.1f}× the bare read   ({counts['created']:,} people, "
        f"{counts['households']:,} households)"
    )
    share, parts = bench_database_share(first_person, first_household)
    shown = ", ".join(f"{name} {value:.2f} s" for name, value in parts.items())
    print(f"{'the same rows copied by the database alone':<44} {share:7.2f} s   ({shown})")
    least = ms_read / 1000 + share
    print(
        f"{'least possible import (read + copy)':<44} {least:7.2f} s   "
        f"{least / (ms_read / 1000):.1f}× the bare read (before the commit)"
    )
    ms_plan, plan = timed(plan_import, again, filename="nhan-khau.xlsx", unit=hamlet)
    ms_write, counts = timed(import_writer.import_residents, plan, acting_user=None, source="bench")
    print(
        f"{'the same book with new phones, check + write':<44} "
        f"{(ms_plan + ms_write) / 1000:7.2f} s   ({counts['updated']:,} people updated; "
        f"check {ms_plan / 1000:.2f} s, write {ms_write / 1000:.2f} s)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True, help="Where the demo database was kept.")
    parser.add_argument("--database-url", help="The database, if not SQLite in --var-dir.")
    parser.add_argument("--rows", type=int, default=100_000, help="Rows of the import workbook.")
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)
    from django.db import connection

    from langso.registry.models import Person

    print(f"{connection.vendor}: {Person.objects.count():,} people")
    rng = random.Random(7)
    users = bench_search(rng)
    bench_lists(users)
    bench_import(Person.objects.count(), options.rows)


if __name__ == "__main__":
    main()
