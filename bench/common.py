"""What the benchmarks share: pointing Django at the benchmark database, and timing.

Every figure is the wall time and, next to it, the process's CPU time
(`time.process_time()`: on SQLite, which runs in the process, the steadier figure on a
shared machine) and the one-minute load average when it was taken.
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(var_dir, database_url):
    os.environ["LANGSO_VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{var_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "langso.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # The benchmarks sign officials in with force_login and measure pages, not the second
    # factor of a login, which would send every page to the code form.
    os.environ.setdefault("LANGSO_TWO_FACTOR_ROLES", "none")
    import django

    django.setup()


class Ms(float):
    """Milliseconds of wall time; `cpu`: the process's CPU milliseconds in the same span."""

    cpu = 0.0


def timed(function, *args, **kwargs):
    """(milliseconds, result) of one call; the milliseconds carry `.cpu`."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    ms = Ms((time.perf_counter() - started) * 1000)
    ms.cpu = (time.process_time() - cpu) * 1000
    return ms, result


def load():
    """The one-minute load average, as printed beside a figure."""
    return f"load {os.getloadavg()[0]:.1f}"


def cpu_note(ms):
    """ "cpu 1.23 s, load 2.0" for a figure `timed` gave."""
    return f"cpu {getattr(ms, 'cpu', 0.0) / 1000:.2f} s, {load()}"


def _p95(values):
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)]


def summary(label, timings):
    timings = list(timings)
    ordered = sorted(timings)
    p95 = _p95(timings)
    cpu = [getattr(ms, "cpu", 0.0) for ms in timings]
    print(
        f"{label:<44} p50 {statistics.median(ordered):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {ordered[-1]:7.1f} ms   (n={len(timings)})   cpu p50 {statistics.median(cpu):.1f} "
        f"p95 {_p95(cpu):.1f} total {sum(cpu) / 1000:.2f} s, {load()}"
    )
    return p95


def official(username, unit):
    """A commune official's account at `unit`, made once."""
    from langso.accounts.models import RoleAssignment, User
    from langso.accounts.roles import Role

    user, _created = User.objects.get_or_create(username=username)
    RoleAssignment.objects.get_or_create(user=user, role=Role.COMMUNE_OFFICIAL, unit=unit)
    return User.objects.get(pk=user.pk)


def cursor_plan(queryset):
    """PostgreSQL's plan for `queryset` read through a server-side cursor, as `.iterator()`
    reads it: a cursor is planned for its first rows (cursor_tuple_fraction), which is
    where a wrong estimate turns into a nested loop over a whole table."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN DECLARE plan_check NO SCROLL CURSOR FOR {sql}", params)
        return [line for (line,) in cursor.fetchall()]


def print_cursor_plan(label, queryset, lines=12):
    plan = cursor_plan(queryset)
    print(f"{label}:")
    for line in plan[:lines]:
        print(f"      {line}")
    if len(plan) > lines:
        print(f"      … ({len(plan) - lines} more lines)")


def free_port():
    """A free TCP port on the loopback interface, for a server a benchmark starts."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, seconds=60):
    """Return once `url` answers 200 (a server a benchmark started is up), or raise."""
    import urllib.request

    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {url}")
