"""The poverty review at province scale.

    .venv/bin/python bench/poverty_bench.py --var-dir DIR [--database-url URL]

Against the million-person demo (`bench/demo_build.py --keep DIR`), it first adds (once;
a second run reuses it) a recognised review for every commune of the province without
one: each household whose members hold an HN card is classified poor and a CN card
near-poor (the demo's standing), written in bulk, and a target per commune. Then it
prints:

- the province's poverty page (every commune's rate, target and change since last
  year) as a commune leader at the province through Django's test client, p50 / p95
  over 20 requests; goal p95 ≤ 300 ms;
- scoring 10,000 surveys (a large commune's review) with their results written
  (`actions.rescore`, after the surveys are inserted); goal ≤ 2 s;
- a commune's posting list of 2,000 households to PDF; goal ≤ 3 s.

Each figure is printed with its wall time, the process's CPU time (`time.process_time()`:
on SQLite the queries run in this process too, and Typst's threads count) and the load
average, so that a figure measured on a busy machine can be judged: at a load of 12 on two
cores a process gets about a sixth of a core, and its wall time is six times its CPU time.
The first province page of a new year also counts last year's households once (kept in
`poverty.HouseholdCount`); it is printed apart from the 20 timed requests.
"""

import argparse
import json
import os
import random
import statistics
import time
from datetime import date

from common import setup

RUNS = 20


def measured(function, *args, **kwargs):
    """(wall ms, CPU ms, result) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, result


def load() -> str:
    return "load " + " ".join(f"{n:.1f}" for n in os.getloadavg())


def line(label, wall_ms, cpu_ms, extra=""):
    print(
        f"{label:<50} wall {wall_ms / 1000:6.2f} s   CPU {cpu_ms / 1000:6.2f} s   {load()}"
        + (f"   {extra}" if extra else "")
    )


def percentiles(label, walls, cpus):
    def p95(values):
        values = sorted(values)
        return values[max(0, int(len(values) * 0.95) - 1)]

    print(
        f"{label:<50} wall p50 {statistics.median(walls):6.1f} ms  p95 {p95(walls):6.1f} ms   "
        f"CPU p50 {statistics.median(cpus):6.1f} ms  p95 {p95(cpus):6.1f} ms   "
        f"(n={len(walls)})   {load()}"
    )


BENCH_DECISION = "BENCH/QĐ-UBND"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command

    from langso.places.models import Unit

    call_command("migrate", verbosity=0)
    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14")
    rng = random.Random(options.seed)
    started = time.perf_counter()
    built = classify_province(province, rng)
    if built:
        print(f"{'classify the province (once)':<50} wall {time.perf_counter() - started:6.2f} s")
    from langso.poverty.status import stored_households

    if stored_households(province) is None:
        # The province page reads the indicators' stored summaries (make bench refreshes
        # them in reports_bench.py first); a standalone run refreshes them once.
        from langso.reports.tasks import refresh_summaries

        started = time.perf_counter()
        refresh_summaries.call(province.path)
        print(
            f"{'refresh the stored summaries (once)':<50} "
            f"wall {time.perf_counter() - started:6.2f} s"
        )
    province_page(province)
    scoring(province, rng)
    posting_pdf(province, rng)


def classify_province(province, rng):
    """A recognised review per commune, the standing taken from HN / CN cards."""
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from langso.places.models import Unit
    from langso.poverty.models import Result, Review, Status, Target
    from langso.registry.models import Membership

    today = timezone.localdate()
    day = date(today.year - 1, 12, 10)
    communes = list(
        Unit.objects.filter(kind=Unit.Kind.COMMUNE, path__startswith=province.path + "/").exclude(
            pk__in=Review.objects.values("commune_id")
        )
    )
    if not communes:
        return False
    stays = (
        Membership.objects.as_of(today)
        .within(province)
        .filter(
            Q(person__health_insurance_number__startswith="HN")
            | Q(person__health_insurance_number__startswith="CN")
        )
        .values_list("household_id", "household__unit__path", "person__health_insurance_number")
    )
    standing = {}
    commune_of = {}
    for household_id, path, number in stays.iterator(chunk_size=5000):
        if number.startswith("HN"):
            standing[household_id] = Result.POOR
        else:
            standing.setdefault(household_id, Result.NEAR_POOR)
        commune_of[household_id] = "/".join(path.split("/")[:2])
    with transaction.atomic():
        reviews = {}
        for commune in communes:
            reviews[commune.path] = Review.objects.create(
                commune=commune, year=day.year, opens_on=date(day.year, 9, 1),
                closes_on=date(day.year, 12, 14), stage=Review.Stage.RECOGNISED,
                decision_number=BENCH_DECISION, decision_on=day,
            )  # fmt: skip
        rows = [
            Status(household_id=hid, status=status, start=day, review=reviews[commune_of[hid]])
            for hid, status in standing.items()
            if commune_of[hid] in reviews
        ]
        Status.objects.bulk_create(rows, batch_size=2000)
        counts = {}
        for row in rows:
            counts[row.review.commune_id] = counts.get(row.review.commune_id, 0) + (
                row.status == Result.POOR
            )
        Target.objects.bulk_create(
            [
                Target(unit=c, year=today.year, poor=int(counts.get(c.pk, 0) * 0.85))
                for c in communes
            ],
            ignore_conflicts=True,
        )
    print(f"{'classified households':<50} {len(rows):,}")
    return True


def province_page(province):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from langso.accounts.models import RoleAssignment, User
    from langso.accounts.roles import Role
    from langso.poverty.models import HouseholdCount

    user, _created = User.objects.get_or_create(username="bench-province-leader")
    RoleAssignment.objects.get_or_create(user=user, role=Role.COMMUNE_LEADER, unit=province)
    client = Client()
    client.force_login(user)
    url = reverse("poverty:unit", args=[province.pk])
    kept = HouseholdCount.objects.filter(unit=province).count()
    wall, cpu, response = measured(client.get, url)
    assert response.status_code == 200, response.status_code
    line(
        "province page, first request" + (" (counts past years' households)" if not kept else ""),
        wall,
        cpu,
    )
    walls, cpus = [], []
    for _ in range(RUNS):
        wall, cpu, response = measured(client.get, url)
        walls.append(wall)
        cpus.append(cpu)
    percentiles(f"province poverty page [{connection.vendor}] (p95 ≤ 300 ms)", walls, cpus)


def scoring(province, rng):
    from django.db import connection, transaction
    from django.utils import timezone

    from langso.lib.bulk import insert_rows
    from langso.poverty import actions
    from langso.poverty.models import Standard, Survey
    from langso.registry.models import Household

    standard = Standard.objects.valid_on(date(2026, 10, 1))
    households = list(
        Household.objects.filter(unit__path__startswith=province.path + "/").values_list(
            "pk", flat=True
        )[:10_000]
    )
    codes = list(standard.indicators.values_list("code", flat=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        Survey.objects.filter(note="bench").delete()
    rows = [
        (hid, "B2", date(2026, 10, 1), standard.pk, False, rng.randint(1, 7),
         rng.randint(0, 4_000_000) * 3, json.dumps(rng.sample(codes, rng.randint(0, 5))), "",
         "[]", "bench", now, False, 0)
        for hid in households
    ]  # fmt: skip
    fields = ["household", "form", "on", "standard", "urban", "members", "income_total",
              "lacking", "result", "reasons", "note", "created_at", "is_demo",
              "income_per_person"]  # fmt: skip
    with transaction.atomic():
        insert_rows(Survey, fields, rows)
    ids = list(Survey.objects.filter(note="bench").values_list("pk", flat=True))
    wall, cpu, count = measured(actions.rescore, ids)
    line(f"score and write {count:,} surveys (≤ 2 s)", wall, cpu)
    with transaction.atomic():
        Survey.objects.filter(note="bench").delete()


def posting_pdf(province, rng):
    from django.db.models import Count

    from langso.poverty import outputs
    from langso.poverty.models import Entry, Result, Review

    review = (
        Review.objects.filter(decision_number=BENCH_DECISION)
        .annotate(n=Count("commune__children"))
        .order_by("-n")
        .first()
    )
    from langso.registry.models import Household

    hamlets = {u.path: u for u in review.commune.children.all()}
    households = list(
        Household.objects.filter(unit__path__startswith=review.commune.path + "/").select_related(
            "unit"
        )[:2000]
    )
    Entry.objects.filter(review=review).delete()
    results = [Result.POOR, Result.NEAR_POOR, Result.NOT_POOR]
    Entry.objects.bulk_create(
        Entry(
            review=review, household=h,
            hamlet=hamlets["/".join(h.unit.path.split("/")[:3])],
            source=Entry.Source.CURRENT, agreed=rng.choice(results),
        )
        for h in households
    )  # fmt: skip
    wall, cpu, table = measured(outputs.review_table, review, "posting")
    line("  its data (one query)", wall, cpu, f"{len(table.rows):,} rows")
    wall, cpu, document = measured(outputs.review_output, review, "posting", "pdf")
    line(
        "posting list of 2,000 households to PDF (≤ 3 s)",
        wall,
        cpu,
        f"{len(document.content) // 1024} KiB",
    )
    Entry.objects.filter(review=review).delete()


if __name__ == "__main__":
    main()
