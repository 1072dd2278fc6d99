"""A commune's notices to its 10,000 people, directly and relayed through its hamlets.

    .venv/bin/python bench/notices_bench.py --var-dir DIR [--database-url URL] [--profile]

Against the benchmark database (`bench/demo_build.py --keep DIR`), it first adds (once;
a second run reuses it) a benchmark commune under province 14 with 6 hamlets, 10,000
living residents in households, each with an active account, a commune official and a
hamlet head per hamlet. Then, with the fan-out run in this process as the worker would
run it (`fan_out.call`), it prints:

- a notice to the whole commune: written, sent, fanned out until each of the 10,000
  residents has an in-app delivery, then one resident's inbox and unread badge;
  p50 / max over 5 notices; goal ≤ 5 s;
- the same notice relayed through the 6 hamlets: sent to the hamlets, relayed by each
  head and fanned out to the hamlet's residents, with the time of each step;
  goal ≤ 10 s end to end.

The benchmark's notices are deleted at the start and at the end, with the queued
fan-out tasks that `send_notice` enqueued (no worker runs them here) and their audit
rows, so that repeated runs do not grow the database. With `--profile`, one more
commune notice runs under cProfile and the functions that took the most time print.
"""

import argparse
import random
import statistics
import time

from common import load, setup

COMMUNE_PATH = "14/tb-bench"  # not an official code: it cannot meet a real commune's
COMMUNE_NAME = "Thông Báo (benchmark)"
HAMLETS = 6
RESIDENTS = 10_000
RUNS = 5
GOAL_COMMUNE = 5.0
GOAL_RELAY = 10.0

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Lò", "Cầm", "Quàng", "Hà")
MIDDLE = {"m": ("Văn", "Đức", "Minh", "Quang"), "f": ("Thị", "Thu", "Ngọc", "Thanh")}
GIVEN = {
    "m": ("An", "Bình", "Chiến", "Dũng", "Hùng", "Nam", "Phúc", "Quân", "Sơn", "Tuấn"),
    "f": ("Hà", "Hương", "Lan", "Mai", "Nga", "Oanh", "Thảo", "Trang", "Xuân", "Yến"),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--profile", action="store_true", help="profile one commune notice")
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command

    from langso.places.models import Unit

    # The benchmark database may predate the notices tables.
    call_command("migrate", verbosity=0)
    commune = Unit.objects.filter(path=COMMUNE_PATH).first()
    if commune is None:
        started = time.perf_counter()
        commune = build(Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14"), options.seed)
        print(f"{'build the benchmark commune (once)':<44} {time.perf_counter() - started:7.2f} s")
    removed = clear_notices(commune)
    if removed:
        print(f"{'  notices of an earlier run deleted':<44} {removed:>10,}")
    try:
        report(commune, profile=options.profile)
    finally:
        clear_notices(commune)


# --- The commune ---------------------------------------------------------------------------


def _blanks(model, fields):
    """Text columns not written, NOT NULL without a database default: written as ''."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.get_internal_type() in ("CharField", "TextField")
        and not field.null
        and field.name not in fields
    ]


def build(province, seed):
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from langso.accounts.models import RoleAssignment, User
    from langso.accounts.roles import Role
    from langso.lib.bulk import insert_rows, reserve_ids
    from langso.lib.vietnamese import fold, name_sort_key
    from langso.places.models import Unit
    from langso.registry.models import Household, Membership, Person, SearchKey

    rng = random.Random(seed)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    today = timezone.localdate()
    with transaction.atomic():
        commune = Unit.objects.create(
            kind=Unit.Kind.COMMUNE,
            type_name="xã",
            name=COMMUNE_NAME,
            parent=province,
            path=COMMUNE_PATH,
            valid_from=province.valid_from,
        )
        hamlets = [
            Unit.objects.create(
                kind=Unit.Kind.HAMLET,
                type_name="thôn",
                name=f"Thôn {number} (benchmark)",
                parent=commune,
                path=f"{commune.path}/h{number:02d}",
                valid_from=province.valid_from,
            )
            for number in range(1, HAMLETS + 1)
        ]

        # Households of 1 to 7 people until there are RESIDENTS, spread over the hamlets.
        sizes, left = [], RESIDENTS
        while left:
            sizes.append(min(rng.choice((1, 2, 3, 3, 4, 4, 4, 5, 5, 6, 7)), left))
            left -= sizes[-1]
        household_ids = iter(reserve_ids(Household, len(sizes)))
        person_ids = iter(reserve_ids(Person, RESIDENTS))
        user_ids = iter(reserve_ids(User, RESIDENTS))
        households, heads, people, memberships, keys, users = [], [], [], [], [], []
        for index, size in enumerate(sizes):
            household_id = next(household_ids)
            hamlet = hamlets[index * HAMLETS // len(sizes)]
            address = f"{hamlet.display_name}, {commune.display_name}"
            households.append(
                (household_id, hamlet.pk, str(index + 1), address, fold(f"{index + 1} {address}"),
                 now, False)
            )  # fmt: skip
            family = rng.choice(FAMILY)
            for seat in range(size):
                person_id = next(person_ids)
                sex = rng.choice("mf")
                # The head, a spouse with their own family name, then children.
                own_family = rng.choice(FAMILY) if seat == 1 else family
                middle, given = rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])
                full_name = f"{own_family} {middle} {given}"
                folded = fold(full_name)
                years = rng.randint(20, 80) if seat < 2 else rng.randint(0, 40)
                born = today - timedelta(days=years * 365 + rng.randint(0, 364))
                relationship = ("Chủ hộ", "Vợ" if sex == "f" else "Chồng", "Con")[min(seat, 2)]
                people.append(
                    (
                        person_id, full_name, own_family, middle, given, folded,
                        name_sort_key(full_name, (own_family, middle, given)),
                        ops.adapt_datefield_value(born), Person.BirthPrecision.DAY, sex, "Kinh",
                        household_id, relationship, Person.Residence.PERMANENT, now, False,
                    )
                )  # fmt: skip
                if seat == 0:
                    heads.append((person_id, household_id))
                memberships.append(
                    (person_id, household_id, relationship, Person.Residence.PERMANENT,
                     ops.adapt_datefield_value(born))
                )  # fmt: skip
                keys += SearchKey.plain_rows(person_id, folded)
                users.append(
                    (next(user_ids), f"bench-tb-{person_id}", "!", now, False, False, True,
                     False, False, person_id, full_name)
                )  # fmt: skip

        household_fields = (
            "id", "unit", "house_number", "address", "folded_address", "created_at", "is_demo",
        )  # fmt: skip
        insert_rows(
            Household, household_fields, households, blanks=_blanks(Household, household_fields)
        )
        person_fields = (
            "id", "full_name", "family_name", "middle_name", "given_name", "folded_name",
            "sort_key", "birth_date", "birth_precision", "sex", "ethnicity", "household",
            "relationship", "residence_status", "created_at", "is_demo",
        )  # fmt: skip
        insert_rows(Person, person_fields, people, blanks=_blanks(Person, person_fields))
        quote = ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {quote(Household._meta.db_table)} SET "
                f"{quote(Household._meta.get_field('head').column)} = %s WHERE id = %s",
                heads,
            )
        insert_rows(
            Membership,
            ("person", "household", "relationship", "residence_status", "start"),
            memberships,
        )
        SearchKey.insert_plain(keys)
        user_fields = (
            "id", "username", "password", "date_joined", "is_superuser", "is_staff",
            "is_active", "is_demo", "must_change_password", "person", "full_name",
        )  # fmt: skip
        insert_rows(User, user_fields, users, blanks=_blanks(User, user_fields))

        official = User.objects.create(username="bench-tb-official", password="!")
        RoleAssignment.objects.create(user=official, role=Role.COMMUNE_OFFICIAL, unit=commune)
        for number, hamlet in enumerate(hamlets, 1):
            head = User.objects.create(username=f"bench-tb-head-{number}", password="!")
            RoleAssignment.objects.create(user=head, role=Role.HAMLET_HEAD, unit=hamlet)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{'  commune written':<44} {len(hamlets)} hamlets, {len(households):,} households, "
        f"{len(people):,} residents, {len(users):,} accounts"
    )
    return commune


def clear_notices(commune):
    """Delete the benchmark's notices and their queued fan-out tasks.

    Their audit rows stay: the audit log is append-only.
    """
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from langso.notices.models import Delivery, Notice, Recipient, Relay

    ids = list(Notice.objects.filter(unit__path__within=commune.path).values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        Delivery.objects.filter(notice_id__in=ids).delete()
        Recipient.objects.filter(notice_id__in=ids).delete()
        Relay.objects.filter(notice_id__in=ids).delete()
        # Relayed notices first: a notice cannot go while its relays point at it.
        Notice.objects.filter(pk__in=ids, parent__isnull=False).delete()
        Notice.objects.filter(pk__in=ids).delete()
        DBTaskResult.objects.filter(
            task_path__startswith="langso.notices.tasks.", args_kwargs__args__0__in=ids
        ).delete()
    return len(ids)


# --- The measurements ----------------------------------------------------------------------


class Clock:
    """Seconds since the start, and of each named step; `cpu`: the process's CPU seconds."""

    def __init__(self):
        self.started = self.last = time.perf_counter()
        self.cpu_started = time.process_time()
        self.cpu = 0.0
        self.steps = {}

    def step(self, name):
        now = time.perf_counter()
        self.steps[name] = self.steps.get(name, 0) + now - self.last
        self.last = now
        self.cpu = time.process_time() - self.cpu_started

    @property
    def total(self):
        return self.last - self.started


def _sees(user, notice):
    """One resident's inbox (as the inbox page lists it) holds the notice, unread."""
    from langso.notices import access

    received = list(access.inbox_for_user(user).order_by("-notice__sent_at")[:100])
    unread = access.unread_count(user)
    return any(r.notice_id == notice.pk for r in received) and unread >= 1


def _app_deliveries(notices):
    from langso.notices.models import Channel, Delivery, Recipient

    recipients = Recipient.objects.filter(notice__in=notices).count()
    deliveries = Delivery.objects.filter(
        notice__in=notices, channel=Channel.APP, status=Delivery.Status.DELIVERED
    ).count()
    return recipients, deliveries


def commune_notice(commune, official, resident, number):
    from langso.notices import actions
    from langso.notices.models import Audience
    from langso.notices.tasks import fan_out

    clock = Clock()
    notice = actions.create_notice(
        acting_user=official,
        unit=commune,
        title=f"Lịch tiêm phòng cho trẻ em (lần {number})",
        body="Mời các gia đình đưa trẻ dưới 5 tuổi đến trạm y tế xã vào sáng thứ Bảy.",
        audiences=[Audience(kind=Audience.Kind.UNIT, unit=commune)],
    )
    clock.step("write")
    actions.send_notice(notice, acting_user=official)
    clock.step("send")
    fan_out.call(notice.pk)
    clock.step("fan out")
    seen = _sees(resident, notice)
    clock.step("inbox")
    return notice, clock, seen


def relayed_notice(commune, official, heads, resident):
    from langso.notices import access, actions
    from langso.notices.models import Audience
    from langso.notices.tasks import fan_out

    clock = Clock()
    parent = actions.create_notice(
        acting_user=official,
        unit=commune,
        title="Họp dân bàn việc làm đường liên thôn",
        body="Mời đại diện mỗi hộ dự họp tại nhà văn hóa thôn lúc 19 giờ 30 thứ Sáu.",
        audiences=[Audience(kind=Audience.Kind.RELAY, unit=hamlet) for hamlet, _head in heads],
    )
    actions.send_notice(parent, acting_user=official)
    fan_out.call(parent.pk)
    clock.step("commune: write, send, fan out")
    children = []
    for hamlet, head in heads:
        relay = access.relays_for_user(head).get(notice=parent, unit=hamlet)
        child = actions.relay_notice(
            relay, acting_user=head, local_note=f"{hamlet.display_name}: họp ở nhà văn hóa."
        )
        clock.step("relay (6 heads)")
        fan_out.call(child.pk)
        clock.step("fan out (6 hamlets)")
        children.append(child)
    mine = next(c for c in children if c.unit_id == resident.person.household.unit_id)
    seen = _sees(resident, mine)
    clock.step("inbox")
    return children, clock, seen


def report(commune, profile=False):
    from langso.accounts.models import RoleAssignment, User
    from langso.accounts.roles import Role
    from langso.places.models import Unit

    official = User.objects.get(
        role_assignments__role=Role.COMMUNE_OFFICIAL, role_assignments__unit=commune
    )
    # Only the benchmark's own hamlets: other benchmarks may add units to this commune.
    paths = [f"{commune.path}/h{number:02d}" for number in range(1, HAMLETS + 1)]
    hamlets = list(Unit.objects.filter(parent=commune, path__in=paths).order_by("path"))
    heads = [
        (
            hamlet,
            RoleAssignment.objects.select_related("user")
            .get(role=Role.HAMLET_HEAD, unit=hamlet)
            .user,
        )
        for hamlet in hamlets
    ]
    resident = (
        User.objects.filter(person__household__unit__parent=commune)
        .select_related("person__household")
        .order_by("pk")
        .first()
    )

    totals, cpus = [], []
    for number in range(1, RUNS + 1):
        notice, clock, seen = commune_notice(commune, official, resident, number)
        recipients, deliveries = _app_deliveries([notice])
        totals.append(clock.total)
        cpus.append(clock.cpu)
        steps = "  ".join(f"{name} {seconds:5.2f}" for name, seconds in clock.steps.items())
        print(
            f"{f'commune notice {number}':<44} {clock.total:7.2f} s   ({steps} s; "
            f"{recipients:,} recipients, {deliveries:,} in-app, seen: {'yes' if seen else 'NO'}; "
            f"cpu {clock.cpu:.2f} s, {load()})"
        )
    print(
        f"{'commune notice to the residents, end to end':<44} p50 {statistics.median(totals):5.2f}"
        f" s   max {max(totals):5.2f} s   (n={len(totals)}; goal ≤ {GOAL_COMMUNE:.0f} s; "
        f"cpu p50 {statistics.median(cpus):.2f} s, {load()})"
    )

    children, clock, seen = relayed_notice(commune, official, heads, resident)
    recipients, deliveries = _app_deliveries(children)
    for name, seconds in clock.steps.items():
        print(f"{'  ' + name:<44} {seconds:7.2f} s")
    print(
        f"{'relay through 6 hamlets, end to end':<44} {clock.total:7.2f} s   "
        f"(goal ≤ {GOAL_RELAY:.0f} s; {recipients:,} recipients, {deliveries:,} in-app, "
        f"seen: {'yes' if seen else 'NO'}; cpu {clock.cpu:.2f} s, {load()})"
    )

    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        commune_notice(commune, official, resident, RUNS + 1)
        profiler.disable()
        print("\nOne commune notice under cProfile, by cumulative time:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
