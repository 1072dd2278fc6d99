"""How long a fresh database takes to build: migrate, load_units, then the demo.

    .venv/bin/python bench/demo_build.py [--households 330000] [--database-url URL] [--keep DIR]

Each step runs as `manage.py` in a subprocess, in a new temporary directory that
holds the SQLite file and the secret key (LANGSO_VAR_DIR). With --database-url the
steps run against that database instead; it must be empty (the demo refuses to run
twice). The goal for 330,000 households (over a million people) on SQLite is under
three minutes for the demo step on a 2-core machine.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run inside `manage.py shell`: counts and the size of the database, as JSON.
REPORT = """
import json, os
from django.db import connection
from langso.registry.models import Household, Person
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
else:
    name = connection.settings_dict["NAME"]
    size = sum(os.path.getsize(p) for p in (name, name + "-wal") if os.path.exists(p))
print(json.dumps({
    "households": Household.objects.count(),
    "people": Person.objects.count(),
    "size": size,
    "vendor": connection.vendor,
}))
"""


def run(step, args, env):
    """Run `manage.py args`, echoing its output indented; return the wall time in seconds."""
    print(f"== {step}", flush=True)
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    for line in process.stdout:
        print(f"   | {line.rstrip()}", flush=True)
    if process.wait() != 0:
        sys.exit(f"{step} failed with exit code {process.returncode}.")
    return time.perf_counter() - started


def report(env):
    output = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", REPORT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=330_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--database-url", help="An empty database to use instead of a new SQLite file."
    )
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="Build in DIR (emptied first) and keep the database there for other benchmarks.",
    )
    options = parser.parse_args()

    if options.keep:
        shutil.rmtree(options.keep, ignore_errors=True)
        Path(options.keep).mkdir(parents=True)
    place = (
        contextlib.nullcontext(options.keep)
        if options.keep
        else tempfile.TemporaryDirectory(prefix="langso-bench-")
    )
    with place as var_dir:
        env = dict(os.environ)
        env["LANGSO_VAR_DIR"] = var_dir
        env["DATABASE_URL"] = options.database_url or f"sqlite:///{var_dir}/bench.sqlite3"
        # Checks are not what is measured, and they would run once per step.
        steps = [
            ("migrate", ["migrate", "--no-input", "--skip-checks"]),
            ("load_units", ["load_units", "--skip-checks"]),
            (
                "demo",
                [
                    "demo",
                    "--skip-checks",
                    "--households",
                    str(options.households),
                    "--seed",
                    str(options.seed),
                ],
            ),
        ]
        timings = [(step, run(step, args, env)) for step, args in steps]
        figures = report(env)

    print()
    print(f"{'step':<12}{'seconds':>10}")
    for step, seconds in timings:
        print(f"{step:<12}{seconds:>10.1f}")
    print(f"{'total':<12}{sum(seconds for _, seconds in timings):>10.1f}")
    print()
    print(f"households  {figures['households']:>12,}")
    print(f"people      {figures['people']:>12,}")
    print(f"database    {figures['size'] / 1_000_000:>12,.1f} MB ({figures['vendor']})")


if __name__ == "__main__":
    main()
