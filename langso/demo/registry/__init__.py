"""The demo commune, and a province-scale population for benchmarks.

`build()` lays out hamlets and self-managed groups (`writer.py`), lets `Population`
(`population.py`) invent households and people for them from the tables of
`data.py`, and writes the rows with `_Writer`. The same code path serves the demo
commune of 2,000 households and a benchmark of a million people: rows are plain
tuples inserted many to a statement, primary keys are assigned here (so a
household's head is known without reading anything back), and nothing builds a
model instance per person.

Everything is drawn from one `random.Random(seed)`, never from the database, so
the same seed on the same day (`as_of`) gives the same people, names, birth
dates and ID numbers, and the same work, schooling, health insurance cards,
immunisations and policy benefits: enough for the labour, health insurance,
immunisation, elderly, beneficiary and military-service lists to have something
believable to draw.
"""

import math
import random
import time
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from langso.accounts.actions import create_user, grant_role
from langso.accounts.models import User
from langso.accounts.roles import Role
from langso.demo.builders import build_all
from langso.demo.party import build_party
from langso.lib.bulk import sqlite_page_cache
from langso.lib.paths import SEPARATOR
from langso.places.models import Unit
from langso.registry.models import Household, Person

from .data import DEMO_HAMLETS, KINH_FAMILY, MOUNTAIN_PROVINCES, THAI_FAMILY
from .population import Population
from .writer import _lay_out_demo_commune, _lay_out_more_communes, _split, _Writer

__all__ = [
    "DEFAULT_HOUSEHOLDS",
    "DEFAULT_SEED",
    "DEMO_COMMUNE_CODE",
    "DEMO_PASSWORD",
    "DROP_INDEXES_PAST",
    "HOUSEHOLDS_PER_COMMUNE",
    "KINH_FAMILY",
    "THAI_FAMILY",
    "BuildResult",
    "DemoError",
    "build",
    "demo_exists",
    "demo_logins",
]

# Xã Mai Sơn, Sơn La: Kinh villages along the national road and Thái bản around them.
DEMO_COMMUNE_CODE = "04105"
DEMO_PASSWORD = "langso-demo-2025"
DEFAULT_HOUSEHOLDS = 2000
DEFAULT_SEED = 2025
# Past this a commune would be implausibly big; the households spread over more communes.
HOUSEHOLDS_PER_COMMUNE = 5000
# Past this many households the plain indexes of the tables the demo fills are dropped
# for the build and made again at the end: one sort each, instead of B-trees kept up to
# date through millions of inserts in random key order. Smaller builds keep them.
DROP_INDEXES_PAST = 20_000
# SQLite's page cache during a build, in KiB (see `_page_cache`).
BUILD_CACHE_KIB = 512 * 1024

DEMO_USERS = [
    # (username, full name, role, where: the demo commune or Bình Chiến)
    ("quantri", "Đỗ Minh Tuấn", Role.COMMUNE_ADMIN, "commune"),
    ("canbo", "Nguyễn Thị Thu Hà", Role.COMMUNE_OFFICIAL, "commune"),
    ("danguy", "Lê Văn Thắng", Role.PARTY_COMMITTEE, "commune"),
    ("hoi", "Phạm Thị Hòa", Role.ASSOCIATION_LEADER, "commune"),
    ("xem", "Trần Đức Anh", Role.VIEWER, "commune"),
    ("truongthon", "Nguyễn Văn Bình", Role.HAMLET_HEAD, "hamlet"),
    ("bithu", "Hoàng Văn Sơn", Role.CELL_SECRETARY, "hamlet"),
    ("dangvien", "Vũ Thị Lan", Role.PARTY_MEMBER, "hamlet"),
    ("chutich", "Lò Văn Hùng", Role.COMMUNE_LEADER, "commune"),
    ("laodong", "Cầm Thị Mai", Role.LABOUR_OFFICER, "commune"),
    ("chihoi", "Quàng Thị Xuân", Role.BRANCH_HEAD, "hamlet"),
    ("bientap", "Đinh Quang Huy", Role.EDITOR, "commune"),
]
SUPERUSER = ("admin", "Quản trị hệ thống")


# --- The build ----------------------------------------------------------------------------


class DemoError(Exception):
    """The demo cannot be built on this database; the message says why."""


@dataclass(frozen=True)
class BuildResult:
    communes: int
    hamlets: int
    groups: int
    households: int
    people: int
    users: int
    seconds: float


def demo_exists():
    return any(
        model.objects.filter(is_demo=True).exists() for model in (Unit, Household, Person, User)
    )


def build(*, households=DEFAULT_HOUSEHOLDS, seed=DEFAULT_SEED, as_of=None, log=None):
    """Create the demo commune, its people and logins; more communes for big builds.

    Refuses (DemoError) when demo data already exists, when the official units are
    not loaded, or when a demo username is taken. All or nothing: one transaction.
    """
    log = log or (lambda message: None)
    as_of = as_of or timezone.localdate()
    started = time.perf_counter()
    if households < 1:
        raise DemoError("The demo needs at least one household.")
    if demo_exists():
        raise DemoError("Demo data already exists in this database.")
    usernames = [username for username, *_ in DEMO_USERS] + [SUPERUSER[0]]
    if taken := sorted(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ):
        raise DemoError(f"These usernames are already taken: {', '.join(taken)}.")
    try:
        demo_commune = Unit.objects.get(kind=Unit.Kind.COMMUNE, code=DEMO_COMMUNE_CODE)
    except Unit.DoesNotExist:
        raise DemoError(
            f"The commune {DEMO_COMMUNE_CODE} is not in the database. Run load_units first."
        ) from None
    validate_password(DEMO_PASSWORD)

    rng = random.Random(seed)
    with transaction.atomic():
        communes = _communes(demo_commune, households)
        counts = _split(households, [1] * len(communes))
        slots, units = _lay_out_demo_commune(demo_commune, counts[0], rng)
        if len(communes) > 1:
            more_slots, more_units = _lay_out_more_communes(communes[1:], counts[1:], rng)
            slots += more_slots
            units += more_units
        hamlets = sum(unit.kind == Unit.Kind.HAMLET for unit in units)
        log(
            f"Laid out {len(communes):,} commune(s) with {hamlets:,} hamlets and "
            f"{len(units) - hamlets:,} groups ({time.perf_counter() - started:.1f} s)."
        )

        taken_ids = Person.objects.exclude(id_number=None).values_list("id_number", flat=True)
        population = Population(
            rng,
            as_of=as_of,
            taken_id_numbers=taken_ids,
            created_at=connection.ops.adapt_datetimefield_value(timezone.now()),
        )
        writer = _Writer(population, households, log)
        with sqlite_page_cache(BUILD_CACHE_KIB):
            writer.write(slots, drop_indexes=households > DROP_INDEXES_PAST)
        _reset_sequences()
        # The other apps' builders read the registry just written: the planner must
        # know its size first.
        _analyze()

        binh_chien = Unit.objects.get(parent=demo_commune, name=DEMO_HAMLETS[0][0])
        users = _create_users(demo_commune, binh_chien)
        build_party(demo_commune, as_of=as_of, seed=seed, log=log)
        build_all(demo_commune, as_of=as_of, seed=seed, log=log)
        _analyze()
    return BuildResult(
        communes=len(communes),
        hamlets=hamlets,
        groups=len(units) - hamlets,
        households=writer.household_count,
        people=writer.person_count,
        users=users,
        seconds=time.perf_counter() - started,
    )


def _analyze():
    """Give PostgreSQL's planner the new row counts at once.

    Autovacuum analyses a table only some time after a bulk load; until then the
    planner may take a freshly filled table for an empty one and join it by nested
    loops over full scans, which turns a list of a commune into minutes.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _communes(demo_commune, households):
    """The demo commune, then as many more as `households` needs: its province's first."""
    needed = max(1, math.ceil(households / HOUSEHOLDS_PER_COMMUNE))
    if needed == 1:
        return [demo_commune]
    rank = {code: i for i, code in enumerate(MOUNTAIN_PROVINCES)}
    others = sorted(
        Unit.objects.current()
        .filter(kind=Unit.Kind.COMMUNE)
        .exclude(pk=demo_commune.pk)
        .only("pk", "path", "code", "name", "type_name", "kind"),
        key=lambda unit: (rank.get(unit.path.split(SEPARATOR)[0], len(rank)), unit.path),
    )
    if len(others) + 1 < needed:
        raise DemoError(
            f"{households:,} households would need {needed:,} communes of at most "
            f"{HOUSEHOLDS_PER_COMMUNE:,} households, but the database has "
            f"{len(others) + 1:,}. Load the units or ask for fewer households."
        )
    return [demo_commune, *others[: needed - 1]]


def _reset_sequences():
    # Rows inserted with explicit keys leave PostgreSQL's sequences behind; SQLite
    # needs nothing (the statement list is empty there).
    statements = connection.ops.sequence_reset_sql(no_style(), [Unit, Household, Person])
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _create_users(commune, hamlet):
    places = {"commune": commune, "hamlet": hamlet}
    for username, full_name, role, where in DEMO_USERS:
        user = create_user(
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            acting_user=None,
            is_demo=True,
        )
        grant_role(user, role=role, unit=places[where], acting_user=None)
    username, full_name = SUPERUSER
    admin = create_user(
        username=username,
        password=DEMO_PASSWORD,
        full_name=full_name,
        acting_user=None,
        is_demo=True,
    )
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])
    return len(DEMO_USERS) + 1


def demo_logins():
    """(username, role, unit, password) for each demo login, in the order they were made."""
    rows = []
    users = (
        User.objects.filter(is_demo=True).prefetch_related("role_assignments__unit").order_by("pk")
    )
    for user in users:
        if user.is_superuser:
            rows.append((user.username, "Superuser (Django admin)", "–", DEMO_PASSWORD))
        for assignment in user.role_assignments.all():
            rows.append(
                (
                    user.username,
                    str(Role(assignment.role).label),
                    assignment.unit.display_name,
                    DEMO_PASSWORD,
                )
            )
    return rows
