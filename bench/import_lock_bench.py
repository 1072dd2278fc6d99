"""Writes while a big import commits: what the other users of the site see meanwhile.

    .venv/bin/python bench/import_lock_bench.py --var-dir DIR [--database-url URL]
        [--rows 100000] [--writers 4]

Runs against a database with the demo (build one with `bench/demo_build.py --keep DIR`,
or `manage.py migrate`, `load_units` and `demo` in a var dir). It makes a workbook of
`--rows` people for a new hamlet, checks it (`plan_import`), then commits it the way the
worker does (`import_residents` in one transaction) while `--writers` other processes
each open a resident's page as a commune official again and again, through the whole
Django stack; each such view writes an audit row (the ID numbers were shown), so it needs
the write lock that SQLite gives to one writer at a time. It prints:

- the commit's wall time and CPU time (the time the write lock is held on SQLite);
- the page-with-a-write latencies before and during the commit: p50 / p95 / p99 / max,
  and how many answered 200, 503 ("busy, try again") and anything else.

Hardening issue, item 8: "measure and report writes' p99 during a 100,000-row commit".
On SQLite a write waits for the lock at most `LANGSO_DB_WAIT_SECONDS` (20 s), then the
page says the site is busy; on PostgreSQL writes do not wait for an import at all.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import official, setup

WRITER_PAUSE = 0.05  # seconds between a writer's requests, as a busy office clicks


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(len(values) * share + 0.5) - 1))]


def writer(options):
    """One writer process: opens pages until the stop file appears; prints its samples."""
    setup(options.var_dir, options.database_url)
    from django.test import Client
    from django.urls import reverse

    from langso.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=options.user))
    urls = [reverse("registry:person-detail", args=[pk]) for pk in options.people]
    rng = random.Random(os.getpid())
    client.get(urls[0])  # warm, then say so
    Path(f"{options.stop}.{os.getpid()}.ready").touch()
    samples = []
    while not Path(options.stop).exists():
        started = time.time()
        response = client.get(rng.choice(urls))
        samples.append((started, (time.time() - started) * 1000, response.status_code))
        time.sleep(WRITER_PAUSE)
    print(json.dumps(samples))


def figures(label, samples):
    if not samples:
        print(f"{label:<36} no requests")
        return
    timings = [ms for _at, ms, _status in samples]
    statuses = [status for _at, _ms, status in samples]
    other = sum(status not in (200, 503) for status in statuses)
    print(
        f"{label:<36} p50 {percentile(timings, 0.5):8.1f} ms   p95 {percentile(timings, 0.95):8.1f}"
        f" ms   p99 {percentile(timings, 0.99):8.1f} ms   max {max(timings):8.1f} ms   "
        f"(n={len(timings)}: {statuses.count(200)} ok, {statuses.count(503)} busy, {other} other)"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True, help="Where the demo database was kept.")
    parser.add_argument("--database-url", help="The database, if not SQLite in --var-dir.")
    parser.add_argument("--rows", type=int, default=100_000, help="Rows of the import workbook.")
    parser.add_argument("--writers", type=int, default=4, help="Processes writing meanwhile.")
    parser.add_argument("--writer", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stop", help=argparse.SUPPRESS)
    parser.add_argument("--user", help=argparse.SUPPRESS)
    parser.add_argument("--people", type=int, nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.writer:
        return writer(options)
    setup(options.var_dir, options.database_url)
    from django.db import connection, transaction
    from registry_bench import unused_birth_code, workbook

    from langso.registry import import_writer
    from langso.registry import units as places
    from langso.registry.importing import plan_import
    from langso.registry.models import Person

    # People with an ID number: the page shows it unmasked and writes an audit row.
    person = Person.objects.filter(id_number__gt="").select_related("household__unit").first()
    commune = person.household.unit.commune()
    people = list(
        Person.objects.filter(household__unit__path__startswith=commune.path)
        .filter(id_number__gt="")
        .values_list("pk", flat=True)[:200]
    )
    user = official("bench-import-lock", commune)
    print(f"{connection.vendor}: {Person.objects.count():,} people; {options.writers} writers")
    hamlet = places.create_unit(
        commune, name=f"Thôn Nhập {time.time_ns()}", type_name="thôn", acting_user=None
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nhan-khau.xlsx"
        workbook(path, options.rows, random.Random(Person.objects.count()), unused_birth_code())
        plan = plan_import(path.read_bytes(), filename="nhan-khau.xlsx", unit=hamlet)
        if plan.problems:
            sys.exit(f"the benchmark workbook has errors: {plan.problems[:3]}")
        stop = Path(folder) / "stop"
        command = [
            sys.executable, __file__, "--writer", "--var-dir", options.var_dir,
            "--stop", str(stop), "--user", user.username, "--people", *map(str, people),
        ]  # fmt: skip
        if options.database_url:
            command += ["--database-url", options.database_url]
        writers = [
            subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
            for _ in range(options.writers)
        ]
        while len(list(Path(folder).glob("stop.*.ready"))) < options.writers:
            time.sleep(0.2)
        time.sleep(5)  # the writers alone for a while
        started, cpu = time.time(), time.process_time()
        load = os.getloadavg()
        with transaction.atomic():
            counts = import_writer.import_residents(plan, acting_user=None, source="bench")
        ended, cpu = time.time(), time.process_time() - cpu
        time.sleep(3)
        stop.touch()
        samples = [sample for process in writers for sample in json.loads(process.communicate()[0])]
    print(
        f"{'commit of ' + format(options.rows, ',') + ' rows':<36} {ended - started:8.2f} s wall"
        f"   {cpu:6.2f} s CPU   ({counts['created']:,} people; load {load[0]:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after)"
    )
    figures("page with a write, before", [s for s in samples if s[0] < started - 1])
    # A request that started during the commit, or waited through its end.
    figures("page with a write, during commit", [s for s in samples if started <= s[0] < ended])


if __name__ == "__main__":
    main()
