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
  ratio of the whole import to the bare read; goal ≤ 3×.

The import writes into a new hamlet of another commune of the province.
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


def workbook(path, rows, rng, code="096"):
    """A resident book of `rows` people in households of one to seven."""
    import xlsxwriter

    from langso.registry.demo import KINH_FAMILY

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
                 f"Số {serial}, tổ {serial % 40}", "Làm ruộng", f"09{serial:08d}"],
            )  # fmt: skip
            r += 1
    book.close()


def bench_import(rng, rows):
    import python_calamine

    from langso.places import actions as places
    from langso.places.models import Unit
    from langso.registry import actions
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
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhan-khau.xlsx"
        ms_make, _ = timed(workbook, path, rows, rng, unused_birth_code())
        data = path.read_bytes()
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
    ms_write, counts = timed(actions.import_residents, plan, acting_user=None, source="bench")
    total = ms_plan + ms_write
    print(f"{'bare calamine read':<44} {ms_read / 1000:7.2f} s")
    print(f"{'check (plan_import)':<44} {ms_plan / 1000:7.2f} s")
    print(f"{'write (import_residents)':<44} {ms_write / 1000:7.2f} s")
    print(
        f"{'import, check and write':<44} {total / 1000:7.2f} s   {rows / (total / 1000):,.0f} "
        f"rows/s   {total / ms_read:.1f}× the bare read   ({counts['created']:,} people, "
        f"{counts['households']:,} households)"
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
    bench_import(rng, options.rows)


if __name__ == "__main__":
    main()
