"""The commune's public home page: rendered uncached, and served cached to many phones.

    .venv/bin/python bench/portal_bench.py --var-dir DIR [--database-url URL]
        [--requests 300] [--users 50] [--seconds 20] [--workers 4]

Against the benchmark database (`bench/demo_build.py --keep DIR`; a database without the
demo commune gets a small demo first), it makes sure the demo commune has its public site
(the portal's demo builder, once) and a few public notices, then prints:

- the home page rendered in this process with the public-page cache emptied before each
  request (every registered section, the news, the contacts): p50 / p95 / max;
  goal p95 ≤ 50 ms, on SQLite and on PostgreSQL (pass --database-url);
- the same page from gunicorn (started and stopped here) under locust with 50
  concurrent clients reading the cached page: requests per second and errors;
  goal ≥ 500 req/s with 0 errors.

Timings are printed, never asserted.
"""

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, setup, summary, timed

GOAL_P95_MS = 50
GOAL_RPS = 500

LOCUSTFILE = """
from locust import FastHttpUser, constant, task


class Resident(FastHttpUser):
    wait_time = constant(0)

    @task
    def home(self):
        with self.client.get("{path}", catch_response=True) as response:
            if response.status_code != 200 or "{marker}" not in response.text:
                response.failure(f"status {{response.status_code}}")
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    os.makedirs(options.var_dir, exist_ok=True)
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command

    from langso.demo.registry import DEMO_COMMUNE_CODE
    from langso.places.models import Unit

    call_command("migrate", verbosity=0)
    commune = Unit.objects.current().filter(code=DEMO_COMMUNE_CODE).first()
    if commune is None:
        started = time.perf_counter()
        call_command("load_units", verbosity=0)
        call_command("demo", households=2000, verbosity=0)
        commune = Unit.objects.current().get(code=DEMO_COMMUNE_CODE)
        seconds = time.perf_counter() - started
        print(f"{'small demo built (no benchmark database)':<44} {seconds:7.2f} s")
    prepare(commune)
    path = f"/public/{commune.code}/"
    uncached(path, options.requests)
    cached(options, path, commune)


def prepare(commune):
    """The demo commune's site and five public notices, made once."""
    from django.db import transaction
    from django.utils import timezone

    from langso.demo.builders import portal as portal_demo
    from langso.notices.access import public_notices
    from langso.notices.models import Notice
    from langso.portal.models import Site

    with transaction.atomic():
        if not Site.objects.filter(commune=commune).exists():
            portal_demo.build(commune, as_of=timezone.localdate(), seed=2025, log=print)
        missing = 5 - public_notices(commune).count()
        for number in range(max(0, missing)):
            Notice.objects.create(
                title=f"Thông báo công khai số {number + 1}",
                body="Nội dung thông báo cho bà con.",
                unit=commune,
                is_public=True,
                status=Notice.Status.SENT,
                sent_at=timezone.now(),
            )


def uncached(path, requests):
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.get(path)  # warm the templates and the connection
    timings = []
    for _ in range(requests):
        cache.clear()
        ms, response = timed(client.get, path)
        assert response.status_code == 200, response.status_code
        timings.append(ms)
    p95 = summary("public home, uncached (in process)", timings)
    print(f"{'  goal p95 ≤ 50 ms':<44} {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")
    print(f"{'  page size':<44} {len(response.content):>10,} bytes")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=30):
    import urllib.request

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer {url}")


def cached(options, path, commune):
    port = free_port()
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONPATH": str(ROOT)}
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "langso.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(options.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(url + path)
        with tempfile.TemporaryDirectory() as work:
            locustfile = Path(work) / "locustfile.py"
            locustfile.write_text(LOCUSTFILE.format(path=path, marker=commune.name))
            prefix = Path(work) / "stats"
            subprocess.run(
                [
                    str(bin_dir / "locust"),
                    "-f",
                    str(locustfile),
                    "--headless",
                    "--users",
                    str(options.users),
                    "--spawn-rate",
                    str(options.users),
                    "--run-time",
                    f"{options.seconds}s",
                    "--host",
                    url,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=work,
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            with open(f"{prefix}_stats.csv", newline="") as stats:
                total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
        rps = float(total["Requests/s"])
        errors = int(total["Failure Count"])
        label = f"cached home, {options.users} clients, {options.workers} gunicorn workers"
        print(
            f"{label:<44} {rps:7.0f} req/s   p95 {total['95%']} ms   "
            f"requests {int(total['Request Count']):,}   errors {errors}"
        )
        print(
            f"{'  goal ≥ 500 req/s, 0 errors':<44} "
            f"{'met' if rps >= GOAL_RPS and errors == 0 else 'NOT met'}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
