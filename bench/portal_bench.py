"""The commune's public home page: rendered uncached, and served cached to many phones.

    .venv/bin/python bench/portal_bench.py --var-dir DIR [--database-url URL]
        [--requests 300] [--users 50] [--seconds 20] [--workers 1] [--client both]

Against the benchmark database (`bench/demo_build.py --keep DIR`; a database without the
demo commune gets a small demo first), it makes sure the demo commune has its public site
(the portal's demo builder, once) and a few public notices, then prints:

- the home page rendered in this process through the whole middleware stack, uncached:
  as after an article is saved (the kept page and its news are forgotten before each
  request, the other sections are kept), as after a notice is sent (the same for the
  notices), with every part built again (the apps' own memos stay, e.g. a campaign's
  ledger figures, valid until its next ledger line), and with every cache emptied before
  each request (the coldest case). p50 / p95 / max of
  the wall time and of this process's CPU time (on SQLite the queries run in this
  process too); goal p95 ≤ 50 ms, on SQLite and on PostgreSQL (pass --database-url;
  the connections are kept as the environment's CONN_MAX_AGE says, 0 unless set: a
  PostgreSQL deployment sets 60, see .env.example);
- the same page from gunicorn (started and stopped here) read by 50 concurrent clients
  from the cache: requests per second, p95 and errors (a status other than 200 or a page
  without the commune's name); goal ≥ 500 req/s with 0 errors. The load generator runs
  on the same two cores as gunicorn and takes a good share of them, so two are used:
  locust (FastHttpUser, the issue's tool, heavy: its own CPU time is printed) and a light
  one (asyncio, keeping its connections open). gunicorn runs with threads as
  `scripts/serve` does, one worker by default (the other core is the client's). Next
  to each, the CPU time gunicorn's workers spent per request (read from /proc), which
  does not depend on the client: 1000 / that figure is what one core serves.

Wall time, CPU time and the load average are printed next to each figure, so that
figures measured on a busy machine can be judged. Timings are printed, never asserted.
"""

import argparse
import asyncio
import csv
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, free_port, setup, summary, wait_for

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
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="gunicorn workers; one leaves a core to the load generator",
    )
    parser.add_argument("--client", choices=["locust", "light", "both"], default="both")
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

    from langso.portal import caching

    client = Client()
    client.get(path)  # warm the templates and the connection
    from django.db import connection

    print(
        f"{'database connections kept (CONN_MAX_AGE)':<44} "
        f"{connection.settings_dict['CONN_MAX_AGE']} s"
    )
    for label, forget in (
        ("home after an article saved (sections kept)", lambda: caching.forget_pages(["portal"])),
        ("home after a notice sent (others kept)", lambda: caching.forget_pages(["notices"])),
        ("home, every part built again", caching.forget_pages),
        ("home, every cache emptied", cache.clear),
    ):
        walls, cpus = [], []
        for _ in range(requests):
            forget()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(path)
            walls.append((time.perf_counter() - wall) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, response.status_code
        load = load_average()
        p95 = summary(f"{label}, wall", walls)
        summary("  CPU time of this process", cpus)
        print(f"{'  load average (1, 5, 15 min)':<44} {load}")
        print(f"{'  goal p95 ≤ 50 ms (wall)':<44} {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")
    print(f"{'  page size':<44} {len(response.content):>10,} bytes")


def load_average():
    return " ".join(f"{figure:.2f}" for figure in os.getloadavg())


def cpu_seconds(pids):
    """User + system CPU time of these processes, from /proc (0 where unreadable)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def workers_of(master):
    children = Path(f"/proc/{master}/task/{master}/children")
    try:
        return [int(pid) for pid in children.read_text().split()]
    except OSError:
        return []


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
            # Threads, as scripts/serve runs it: connections are kept open between requests.
            "--threads",
            "4",
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
        workers = workers_of(server.pid)
        for _ in range(20 * options.workers):  # every worker fills its cache
            wait_for(url + path)
        clients = ["locust", "light"] if options.client == "both" else [options.client]
        for client in clients:
            server_cpu = cpu_seconds(workers)
            wall = time.perf_counter()
            if client == "locust":
                result = with_locust(options, url, path, commune.name, bin_dir)
            else:
                result = with_light_client(options, f"127.0.0.1:{port}", path, commune.name)
            wall = time.perf_counter() - wall
            server_cpu = cpu_seconds(workers) - server_cpu
            load = load_average()
            rps, p95, count, errors, client_cpu = result
            label = f"cached home, {options.users} clients, {client}"
            print(
                f"{label:<44} {rps:7.0f} req/s   p95 {p95:5.0f} ms   "
                f"requests {count:,}   errors {errors}"
            )
            per_request = server_cpu * 1000 / count if count else 0
            print(
                f"{'  gunicorn CPU per request':<44} {per_request:7.2f} ms   "
                f"({options.workers} worker(s) × 4 threads, "
                f"{server_cpu:.1f} s CPU in {wall:.1f} s)"
            )
            if client_cpu is not None:
                print(f"{'  load generator CPU':<44} {client_cpu:7.1f} s")
            print(f"{'  load average (1, 5, 15 min)':<44} {load}")
            print(
                f"{'  goal ≥ 500 req/s, 0 errors':<44} "
                f"{'met' if rps >= GOAL_RPS and errors == 0 else 'NOT met'}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def with_locust(options, url, path, marker, bin_dir):
    """(req/s, p95 ms, requests, errors, CPU seconds of locust) from a locust run."""
    with tempfile.TemporaryDirectory() as work:
        locustfile = Path(work) / "locustfile.py"
        locustfile.write_text(LOCUSTFILE.format(path=path, marker=marker))
        prefix = Path(work) / "stats"
        locust = subprocess.Popen(
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
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _pid, _status, usage = os.wait4(locust.pid, 0)
        locust.returncode = 0
        with open(f"{prefix}_stats.csv", newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    return (
        float(total["Requests/s"]),
        float(total["95%"]),
        int(total["Request Count"]),
        int(total["Failure Count"]),
        usage.ru_utime + usage.ru_stime,
    )


def with_light_client(options, address, path, marker):
    """(req/s, p95 ms, requests, errors, CPU seconds of this process) from `users`
    asyncio clients, each keeping its connection open between requests (as a phone's
    browser does, and locust) and opening a new one when the server closes it."""
    host, port = address.split(":")
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {address}\r\nUser-Agent: langso-bench\r\n\r\n"
    ).encode()
    expected = marker.encode()
    timings = []
    errors = 0

    async def one_client(deadline):
        nonlocal errors
        reader = writer = None
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, int(port))
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                body = await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                errors += 1
                writer = None
                continue
            if not head.startswith(b"HTTP/1.1 200") or expected not in body:
                errors += 1
            timings.append((time.perf_counter() - started) * 1000)
            if b"connection: close" in head.lower():
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    async def run():
        deadline = time.perf_counter() + options.seconds
        await asyncio.gather(*(one_client(deadline) for _ in range(options.users)))

    cpu, wall = time.process_time(), time.perf_counter()
    asyncio.run(run())
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)] if timings else 0
    return len(timings) / wall, p95, len(timings), errors, cpu


if __name__ == "__main__":
    main()
