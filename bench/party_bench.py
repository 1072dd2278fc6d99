"""The party handbook at province scale: the monthly usage report and a cell's member list.

    .venv/bin/python bench/party_bench.py --var-dir DIR [--database-url URL]

Against the million-person demo (`bench/demo_build.py --keep DIR`), it first adds (once;
a second run reuses it) a provincial party organisation: one province committee, 100
commune committees of 50 cells each, 100,000 members drawn from the adults living in
the province (a commune with more people holds two committees when the province has
fewer than 100 communes with people), and one month of activity: a regular meeting
per cell with its invitations, answers and attendance, five documents for the whole
province with study questions, and the members' readings and answers. Then it prints:

- the province's monthly usage report (`usage_report`), p50 / p95 over 10 runs;
  goal ≤ 1 s;
- a cell's member list, as a party-committee user fetching the organisation page
  through Django's test client, p95 over 30 requests (the equivalent query listed
  into memory while that page does not exist); goal p95 ≤ 50 ms;
- `manage.py party_usage` for the month, when the command exists.
"""

import argparse
import random
import time
from io import StringIO

from common import print_cursor_plan, setup, summary, timed

BENCH_COMMITTEE = "Tỉnh ủy Sơn La (benchmark)"
COMMITTEES = 100
CELLS_PER_COMMITTEE = 50
MEMBERS_PER_CELL = 20
DOCUMENTS = 5
QUESTIONS = 2  # on each of the first three documents


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=2025)
    options = parser.parse_args()
    setup(options.var_dir, options.database_url)

    from django.core.management import call_command
    from django.utils import timezone

    from langso.lib.dates import add_months, month_start
    from langso.party.models import Activity, Member, Organisation
    from langso.places.models import Unit

    # The benchmark database may predate the party tables.
    call_command("migrate", verbosity=0)
    province = Unit.objects.get(kind=Unit.Kind.PROVINCE, code="14")
    month = add_months(month_start(timezone.localdate()), -1)
    top = Organisation.objects.filter(name=BENCH_COMMITTEE).first()
    if top is None:
        started = time.perf_counter()
        top = build(province, month, random.Random(options.seed))
        print(f"{'build the party organisation (once)':<44} {time.perf_counter() - started:7.2f} s")
    elif not Activity.objects.filter(organisation__path__within=top.path).exists():
        # Built before monthly activity was kept: count it from the month's rows.
        Activity.rebuild(Member.objects.filter(organisation__path__within=top.path))
    report(province, month, top)


# --- The organisation and its month -------------------------------------------------------


def build(province, month, rng):
    from datetime import date, datetime, timedelta
    from datetime import time as clock

    from django.db import connection, transaction
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from langso.accounts.models import User
    from langso.lib.bulk import insert_rows, reserve_ids, sqlite_page_cache
    from langso.party.models import (
        Activity,
        Answer,
        Document,
        Invitation,
        Meeting,
        Member,
        Organisation,
        Question,
        Reading,
    )
    from langso.places.models import Unit
    from langso.registry.models import Person

    ops = connection.ops
    day = ops.adapt_datefield_value

    def moment(on, hour=0, minute=0):
        aware = timezone.make_aware(datetime.combine(on, clock(hour, minute)))
        return ops.adapt_datetimefield_value(aware)

    started = time.perf_counter()
    cutoff = date(month.year - 19, 1, 1)
    # "Not a member" as NOT EXISTS: Django's `party_member__isnull=True` is a LEFT JOIN
    # that PostgreSQL estimated at one row, and under the cursor's fast-start plan it then
    # scanned every unit for each person, for over ten minutes (hardening, item 16).
    people = (
        Person.objects.within(province)
        .filter(died_on=None, birth_date__lte=cutoff)
        .filter(~Exists(Member.objects.filter(person=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "household__unit__path")
    )
    if connection.vendor == "postgresql":
        print_cursor_plan("  plan of the adults' cursor", people)
    by_commune = {}
    for pk, path in people.iterator(chunk_size=20_000):
        parts = path.split("/")
        by_commune.setdefault("/".join(parts[:2]), []).append((pk, "/".join(parts[:3])))
    print(
        f"{'  adults of the province read':<44} {time.perf_counter() - started:7.2f} s   "
        f"({sum(map(len, by_commune.values())):,} in {len(by_commune)} communes)"
    )
    per_committee = CELLS_PER_COMMITTEE * MEMBERS_PER_CELL
    units = dict(Unit.objects.filter(path__within=province.path).values_list("path", "pk"))
    communes = sorted(
        (path for path, pool in by_commune.items() if len(pool) >= per_committee),
        key=lambda path: -len(by_commune[path]),
    )
    # Fewer populated communes than committees: the biggest hold a second one.
    capacity = {path: len(by_commune[path]) // per_committee for path in communes}
    seats, round_ = [], 0
    while len(seats) < COMMITTEES and any(room > round_ for room in capacity.values()):
        seats += [path for path in communes if capacity[path] > round_]
        round_ += 1
    seats = seats[:COMMITTEES]
    if len(seats) < COMMITTEES:
        raise SystemExit(f"Only {len(seats)} committees of {per_committee} members fit.")
    for path in set(seats):
        rng.shuffle(by_commune[path])

    with transaction.atomic(), sqlite_page_cache(512 * 1024):
        org_ids = iter(reserve_ids(Organisation, 1 + COMMITTEES * (1 + CELLS_PER_COMMITTEE)))
        top = Organisation(
            pk=next(org_ids), name=BENCH_COMMITTEE, kind="committee", unit=province, path=""
        )
        top.path = str(top.pk)
        organisations, cells = [top], []
        members, users = [], []
        member_ids = iter(reserve_ids(Member, COMMITTEES * per_committee))
        user_ids = iter(reserve_ids(User, COMMITTEES * per_committee))
        joined = moment(month - timedelta(days=400))
        for number, path in enumerate(seats, 1):
            commune = Organisation(
                pk=next(org_ids),
                name=f"Đảng bộ xã {number} (benchmark)",
                kind="committee",
                unit_id=units[path],
                parent=top,
                path="",
            )
            commune.path = f"{top.path}/{commune.pk}"
            organisations.append(commune)
            pool = by_commune[path]
            for seat in range(1, CELLS_PER_COMMITTEE + 1):
                chosen = [pool.pop() for _ in range(MEMBERS_PER_CELL)]
                cell = Organisation(
                    pk=next(org_ids),
                    name=f"Chi bộ {seat} của đảng bộ {number}",
                    kind="cell",
                    unit_id=units.get(chosen[0][1], units[path]),
                    parent=commune,
                    path="",
                )
                cell.path = f"{commune.path}/{cell.pk}"
                organisations.append(cell)
                cells.append(cell)
                for index, (person_id, _hamlet) in enumerate(chosen):
                    member_id, user_id = next(member_ids), None
                    if rng.random() < 0.65:
                        user_id = next(user_ids)
                        users.append(
                            (
                                user_id,
                                f"bench-dv-{member_id}",
                                "!",
                                joined,
                                False,
                                False,
                                True,
                                False,
                                False,
                            )
                        )
                    admitted = day(date(rng.randint(1975, 2023), rng.randint(1, 12), 1))
                    members.append(
                        (
                            member_id, person_id, user_id, cell.pk, f"14.{member_id:07d}",
                            admitted, admitted, "full", "secretary" if index == 0 else "",
                            "other", 0, "", 0, False,
                        )
                    )  # fmt: skip
        Organisation.objects.bulk_create(organisations, batch_size=1000)
        insert_rows(
            User,
            (
                "id", "username", "password", "date_joined", "is_superuser", "is_staff",
                "is_active", "is_demo", "must_change_password",
            ),
            users,
            blanks=[
                field.name
                for field in User._meta.concrete_fields
                if field.get_internal_type() == "CharField"
                and field.name not in ("username", "password")
            ],
        )  # fmt: skip
        insert_rows(
            Member,
            (
                "id", "person", "user", "organisation", "card_number", "admitted_on",
                "full_member_on", "status", "position", "fee_basis",
                "fee_base", "exemption", "hardship_cut", "is_demo",
            ),
            members,
            blanks=["age_approval_number", "age_approval_by"],
        )  # fmt: skip
        print(
            f"{'  organisations, members, accounts written':<44} "
            f"{time.perf_counter() - started:7.2f} s   ({len(organisations):,} organisations, "
            f"{len(members):,} members, {len(users):,} accounts)"
        )

        # One month: a meeting per cell (a few not held), its invitations and answers.
        by_cell = {}
        for row in members:
            by_cell.setdefault(row[3], []).append(row)
        meeting_ids = iter(reserve_ids(Meeting, len(cells)))
        meetings, invitations = [], []
        for cell in cells:
            meeting_id = next(meeting_ids)
            held_day = month.replace(day=rng.randint(3, 15))
            held = rng.random() < 0.93
            starts = moment(held_day, 19, 30)
            meetings.append(
                (
                    meeting_id, cell.pk, "regular", f"Sinh hoạt tháng {month.month}/{month.year}",
                    day(month), starts, "Nhà văn hóa", "held" if held else "cancelled",
                    day(held_day) if held else None, moment(held_day - timedelta(days=6)), False,
                )
            )  # fmt: skip
            for row in by_cell[cell.pk]:
                responded, response, attendance = None, "", ""
                if row[2] is not None and rng.random() < 0.75:
                    responded = moment(held_day - timedelta(days=rng.randint(1, 4)), 20)
                    response = "confirmed" if rng.random() < 0.9 else "excused"
                if held:
                    attendance = "present" if rng.random() < 0.85 else "excused"
                invitations.append((meeting_id, row[0], response, responded, attendance))
        insert_rows(
            Meeting,
            (
                "id", "organisation", "kind", "title", "for_month", "starts_at", "place",
                "status", "held_on", "created_at", "is_demo",
            ),
            meetings,
            blanks=("agenda", "minutes", "minutes_file"),
        )  # fmt: skip
        insert_rows(
            Invitation,
            ("meeting", "member", "response", "responded_at", "attendance"),
            invitations,
            blanks=("excuse",),
        )

        documents, questions = [], []
        for number in range(1, DOCUMENTS + 1):
            document = Document.objects.create(
                kind="resolution",
                number=f"{number:02d}-NQ/TU",
                title=f"Nghị quyết số {number} (benchmark)",
                issuing_body=BENCH_COMMITTEE,
                issued_on=month,
                file="party/documents/benchmark.pdf",
            )
            document.organisations.set([top])
            documents.append(document)
            if number <= 3:
                questions += [
                    Question.objects.create(
                        document=document, text=f"Câu hỏi {q}", choices=["A", "B", "C"], correct=1
                    )
                    for q in range(1, QUESTIONS + 1)
                ]
        readings, answers = [], []
        for row in members:
            if row[2] is None:
                continue
            for document in documents:
                if rng.random() < 0.4:
                    read_at = moment(month.replace(day=rng.randint(1, 28)), rng.randint(6, 21))
                    readings.append((document.pk, row[0], read_at))
                    for question in questions:
                        if question.document_id == document.pk and rng.random() < 0.6:
                            right = rng.random() < 0.8
                            choice = 1 if right else 2
                            answers.append(
                                (question.pk, row[0], choice, right, 10 if right else 0, read_at)
                            )
        insert_rows(Reading, ("document", "member", "read_at"), readings)
        insert_rows(
            Answer, ("question", "member", "choice", "is_correct", "points", "answered_at"), answers
        )
    activity = Activity.rebuild(Member.objects.filter(organisation__path__within=top.path))
    print(f"{'  monthly activity rows':<44} {activity:>10,}")
    # Fresh statistics, as a province's database would have, for the planner.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"{'  a month of activity written':<44} {time.perf_counter() - started:7.2f} s   "
        f"({len(meetings):,} meetings, {len(invitations):,} invitations, "
        f"{len(readings):,} readings, {len(answers):,} answers)"
    )
    return top


# --- The measurements ---------------------------------------------------------------------


def report(province, month, top):
    from django.core.management import call_command, get_commands
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from langso.accounts.models import RoleAssignment, User
    from langso.accounts.roles import Role
    from langso.party.models import Member, Organisation
    from langso.party.statistics import usage_report

    usage_report(province, month)  # warm up
    timings, rows = [], []
    for _ in range(10):
        ms, rows = timed(usage_report, province, month)
        timings.append(ms)
    # Every top organisation of the province: the benchmark's and the demo commune's.
    members = sum(figures["members"] for _org, depth, figures in rows if depth == 0)
    summary(f"usage report of the province ({members:,} members)", timings)

    cell = (
        Organisation.objects.cells()
        .filter(path__within=top.path)
        .select_related("parent__unit")
        .order_by("pk")
        .first()
    )
    count = cell.current_members().count()
    try:
        url = reverse("party:organisation-detail", args=[cell.pk])
    except NoReverseMatch:
        url = None
    timings = []
    if url:
        user, _created = User.objects.get_or_create(username="bench-danguy")
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.PARTY_COMMITTEE, unit=cell.parent.unit
        )
        client = Client()
        client.force_login(user)
        client.get(url)  # warm up
        for _ in range(30):
            ms, response = timed(client.get, url)
            assert response.status_code == 200, response.status_code
            timings.append(ms)
        summary(f"member list of a cell, page ({count} members)", timings)
    else:
        for _ in range(30):
            ms, _listed = timed(lambda: list(cell.current_members().order_by("person__sort_key")))
            timings.append(ms)
        summary(f"member list of a cell, query ({count} members)", timings)
        print(f"{'  (party:organisation-detail does not resolve yet)':<44}")

    if "party_usage" in get_commands():
        started = time.perf_counter()
        try:
            call_command(
                "party_usage",
                "--unit",
                province.code,
                "--month",
                f"{month:%Y-%m}",
                stdout=StringIO(),
            )
        except Exception as error:  # being written alongside; report rather than stop
            print(f"{'manage.py party_usage':<44} failed: {error}")
        else:
            print(f"{'manage.py party_usage':<44} {time.perf_counter() - started:7.2f} s")
    else:
        print(f"{'manage.py party_usage':<44} (no such command yet)")
    total = Member.objects.in_tree(top).count()
    print(f"{'members in the benchmark organisation':<44} {total:>10,}")


if __name__ == "__main__":
    main()
