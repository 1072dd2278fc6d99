"""What the benchmarks share: pointing Django at the benchmark database, and timing."""

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
    import django

    django.setup()


def timed(function, *args, **kwargs):
    """(milliseconds, result) of one call."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, result


def summary(label, timings):
    timings = sorted(timings)
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(
        f"{label:<44} p50 {statistics.median(timings):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {timings[-1]:7.1f} ms   (n={len(timings)})"
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
