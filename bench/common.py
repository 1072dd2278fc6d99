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
