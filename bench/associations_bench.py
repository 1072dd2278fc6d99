"""The associations at province scale: a commune's association page and the membership
rates of every commune.

    .venv/bin/python bench/associations_bench.py --var-dir DIR [--database-url URL]

Against the million-person demo (`bench/demo_build.py --keep DIR`), it first adds (once;
a second run reuses it) the six member organisations in every commune of the province
with a branch per hamlet, and 300,000 members drawn from the registered people the
organisations' rules admit (women of 18+ to the Women's Union, the young to the Youth
Union, …). Then it prints:

- the first count of the day (`counts.refresh_all`: the registered people by unit, sex
  and age, and the members per branch), which the first reader of a day would otherwise
  pay — run it each night (`manage.py count_associations`);
- a commune's Women's Union page (members and rates per hamlet, funds) fetched by a
  commune official through Django's test client, p50 / p95 over 30 requests; goal
  p95 ≤ 100 ms;
- the same page after a registry change in one of its hamlets (the hamlet is counted
  again on reading);
- the membership rates of every commune of the province (`figures.province_rates`),
  p50 / p95 over 10 runs; goal ≤ 300 ms.

Each figure is printed with the process's CPU time (meaningful on SQLite, which runs in
the process) and the load average, to judge figures measured on a busy machine.
"""

import argparse
import os
import random
import time

from common import official, setup, summary, timed

MEMBERS = 300_000
KINDS = ["women", "farmers", "youth", "veterans", "elderly", "red_cross"]
MARK = "(benchmark)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command

    from langso.associations.models import Organisation
    from langso.places.models import Unit

    call_command("migrate", verbosity=0)
    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14")
    if not Organisation.objects.filter(name__endswith=MARK).exists():
        started = time.perf_counter()
        count = build(province, random.Random(options.seed))
        print(
            f"{'build 300,000 association members (once)':<44} "
            f"{time.perf_counter() - started:7.2f} s ({count:,} members)"
        )
    report(province)


def build(province, rng):
    from datetime import date, timedelta

    from django.db import transaction
    from django.utils import timezone

    from langso.associations import rules
    from langso.associations.models import Branch, Member, Organisation
    from langso.places.models import Unit
    from langso.registry.models import Person

    today = timezone.localdate()
    communes = list(Unit.objects.within(province).filter(kind=Unit.Kind.COMMUNE).order_by("path"))
    with transaction.atomic():
        organisations = {}
        for commune in communes:
            for kind in KINDS:
                rule = rules.RULES[kind]
                organisations[commune.pk, kind] = Organisation(
                    name=f"{dict(rules.KIND_CHOICES)[kind]} {commune.name} {MARK}",
                    kind=kind,
                    unit=commune,
                    min_age=rule.min_age,
                    max_age=rule.max_age,
                    sex=rule.sex,
                )
        Organisation.objects.bulk_create(organisations.values(), batch_size=2000)
        hamlets = list(Unit.objects.within(province).filter(kind=Unit.Kind.HAMLET))
        branches = {}
        for hamlet in hamlets:
            for kind in KINDS:
                organisation = organisations.get((hamlet.parent_id, kind))
                if organisation is not None:
                    branches[hamlet.pk, kind] = Branch(
                        organisation=organisation, name=f"Chi hội {hamlet.name}", unit=hamlet
                    )
        Branch.objects.bulk_create(branches.values(), batch_size=2000)
        paths = {u.path: u.pk for u in hamlets}
        unit_paths = dict(Unit.objects.within(province).values_list("pk", "path"))

        def hamlet_of(unit_id):
            parts = unit_paths.get(unit_id, "").split("/")
            for n in range(len(parts), 0, -1):
                if "/".join(parts[:n]) in paths:
                    return paths["/".join(parts[:n])]
            return None

        adult = today - timedelta(days=18 * 366)
        people = (
            Person.objects.registered()
            .within(province)
            .filter(birth_date__lte=adult)
            .values_list("pk", "sex", "birth_date", "household__unit_id")
            .order_by("?")
            .iterator(chunk_size=20_000)
        )
        members, made = [], 0
        for pk, sex, born, unit_id in people:
            hamlet_id = hamlet_of(unit_id)
            if hamlet_id is None:
                continue
            age = (today - born).days // 365
            kind = (
                "women"
                if sex == "f" and rng.random() < 0.65
                else "youth"
                if age <= 30 and rng.random() < 0.5
                else "elderly"
                if age >= 60
                else "farmers"
                if rng.random() < 0.4
                else None
            )
            branch = branches.get((hamlet_id, kind)) if kind else None
            if branch is None:
                continue
            members.append(
                Member(
                    organisation_id=branch.organisation_id,
                    branch=branch,
                    person_id=pk,
                    joined_on=date(2015, 1, 1) + timedelta(days=rng.randrange(3000)),
                )
            )
            if len(members) == 10_000:
                Member.objects.bulk_create(members)
                made += len(members)
                members = []
            if made + len(members) >= MEMBERS:
                break
        Member.objects.bulk_create(members)
        made += len(members)
    return made


def load():
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def measured(label, function, *args, runs):
    """Time `runs` calls; print wall p50/p95 and the CPU time per call, with the load."""
    cpu = time.process_time()
    timings = [timed(function, *args)[0] for _ in range(runs)]
    cpu_ms = (time.process_time() - cpu) * 1000 / runs
    summary(label, timings)
    print(f"{'':<44} CPU {cpu_ms:7.1f} ms per call   {load()}")


def report(province):
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from langso.associations import counts, figures
    from langso.associations.models import Organisation
    from langso.registry.signals import registry_changed

    today = timezone.localdate()
    started, cpu = time.perf_counter(), time.process_time()
    counts.refresh_all(province, today)
    print(
        f"{'first count of the day (refresh_all)':<44} "
        f"{time.perf_counter() - started:7.2f} s   CPU {time.process_time() - cpu:6.2f} s   "
        f"{load()}"
    )
    women = (
        Organisation.objects.filter(name__endswith=MARK, kind="women")
        .annotate(n=Count("members"))
        .order_by("-n")
        .first()
    )
    client = Client()
    client.force_login(official("bench-hoi", women.unit))
    url = reverse("associations:organisation-detail", args=[women.pk])
    assert client.get(url).status_code == 200
    measured(f"commune association page ({women.n:,} members)", client.get, url, runs=30)
    hamlet = women.branches.first().unit

    def after_a_change():
        registry_changed.send(sender=None, unit=hamlet)
        return client.get(url)

    measured("  the same, after a registry change", after_a_change, runs=10)
    measured("membership rates of every commune", figures.province_rates, province, today,
             runs=10)  # fmt: skip


if __name__ == "__main__":
    main()
