"""One truth per figure (house style; issue 14, item 5): the tallies the actions keep agree
with a direct count of the reports, and the public page, the dashboard, the lists they
link to and the monthly summary all show what `figures.feedback_figures` gives."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.urls import reverse

from langso.feedback import actions, tallies
from langso.feedback.figures import feedback_figures, overdue_reports
from langso.feedback.models import Category, Report, Tally
from langso.feedback.summary import month_figures
from langso.test import vietnam_time

pytestmark = pytest.mark.django_db


def submit(world, hamlet, code, text="Phản ánh.", **extra):
    return actions.submit_report(
        acting_user=None,
        hamlet=hamlet,
        category=Category.objects.get(code=code),
        text=text,
        channel=Report.Channel.WEB,
        **extra,
    )


@pytest.fixture
def history(world):
    """Reports over two months, in two hamlets and three categories, taken through every
    action: answered on time and late, rated, reopened by the resident and by a handler,
    declined, merged, closed, and some left open past their deadline."""
    official, head = world.official, world.hamlet_head
    with time_machine.travel(vietnam_time(date(2026, 4, 6)), tick=False):  # a Monday
        april = [submit(world, world.hamlet, "roads", f"Đường {n}.") for n in range(4)]
        april.append(submit(world, world.other_hamlet, "water", "Cống tắc."))
        late = submit(world, world.other_hamlet, "security", "Mất trộm.")
        actions.assign_report(april[0], acting_user=official, user=head)
        actions.start_work(april[0], acting_user=head)
    with time_machine.travel(vietnam_time(date(2026, 4, 8)), tick=False):
        actions.answer_report(april[0], acting_user=head, text="Đã vá đường.")
        actions.rate_report(april[0], acting_user=None, rating="satisfied")
        actions.answer_report(april[1], acting_user=official, text="Đã san lấp.")
        actions.decline_report(
            april[2], acting_user=official, reason="duplicate", duplicate_of=april[1]
        )
        actions.decline_report(
            april[4], acting_user=official, reason="out_of_scope", note="Việc của công ty nước."
        )
    with time_machine.travel(vietnam_time(date(2026, 4, 10)), tick=False):
        actions.reopen_report(april[1], acting_user=None, reason="Vẫn còn ổ gà.")
    with time_machine.travel(vietnam_time(date(2026, 4, 20)), tick=False):
        actions.answer_report(late, acting_user=official, text="Công an xã đã xác minh.")
        actions.close_report(late, acting_user=official)
        actions.reopen_by_handler(late, acting_user=official, reason="Người dân báo tái diễn.")
    with time_machine.travel(vietnam_time(date(2026, 5, 4)), tick=False):
        may = [submit(world, world.hamlet, "electricity", f"Đèn {n}.") for n in range(3)]
        actions.answer_report(may[0], acting_user=head, text="Đã thay bóng.")
        actions.rate_report(may[0], acting_user=None, rating="not_satisfied")
        actions.answer_report(april[1], acting_user=official, text="Đã rải đá dăm lại.")
        actions.reopen_by_handler(april[4], acting_user=official, reason="Công ty nước trả lại.")
    return [*april, late, *may]


def direct(reports, today):
    """The figures counted straight from the reports, with nothing shared with the code."""
    return {
        "received": reports.count(),
        "answered": reports.filter(answered_at__isnull=False).count(),
        "on_time": reports.filter(answered_on_time=True).count(),
        "days": reports.aggregate(d=Sum("days_to_answer"))["d"] or 0,
        "rated": reports.exclude(rating="").count(),
        "satisfied": reports.filter(rating="satisfied").count(),
        "open": reports.filter(state__in=["received", "assigned", "in_progress"]).count(),
        "published": reports.filter(state__in=["answered", "closed"], is_public=True)
        .exclude(answer="")
        .count(),
        "overdue": reports.filter(
            state__in=["received", "assigned", "in_progress"], due_on__lt=today
        ).count(),
    }


def shown(figure):
    return {name: getattr(figure, name) for name in direct(Report.objects.none(), date.today())}


def test_the_tallies_agree_with_a_direct_count_of_the_reports(world, history):
    today = date(2026, 5, 20)
    counted = tallies.counted_from_reports(Report.objects.all())
    kept = {
        (t.hamlet_id, t.category_id, t.month): {n: getattr(t, n) for n in tallies.COUNTERS}
        for t in Tally.objects.all()
    }
    assert kept == {key: {n: row[n] for n in tallies.COUNTERS} for key, row in counted.items()}, (
        "the actions kept the tallies as a recount makes them"
    )
    assert {month for _h, _c, month in kept} == {date(2026, 4, 1), date(2026, 5, 1)}

    figures = feedback_figures(world.commune, today=today)
    assert shown(figures.total) == direct(Report.objects.all(), today)
    assert shown(figures.total)["received"] == 9 and shown(figures.total)["overdue"] > 0
    for row in figures.by_hamlet:
        assert shown(row) == direct(Report.objects.filter(hamlet_id=row.key), today), row.label
    for row in figures.by_category:
        assert shown(row) == direct(Report.objects.filter(category_id=row.key), today), row.label
    # A hamlet's and the province's figures are the same reports seen from elsewhere.
    hamlet = feedback_figures(world.hamlet, today=today)
    assert shown(hamlet.total) == direct(Report.objects.filter(hamlet=world.hamlet), today)
    assert shown(feedback_figures(world.province, today=today).total) == shown(figures.total)

    # The monthly summary: the reports received in April only.
    with time_machine.travel(vietnam_time(today)):
        april = month_figures(world.commune, 2026, 4)
    in_april = Report.objects.filter(
        received_at__gte=vietnam_time(date(2026, 4, 1), hour=0),
        received_at__lt=vietnam_time(date(2026, 5, 1), hour=0),
    )
    with time_machine.travel(vietnam_time(today)):
        assert shown(april.total) == direct(in_april, today)


def test_a_recount_gives_the_same_tallies_and_the_command_says_so(world, history):
    before = sorted(Tally.objects.values_list("hamlet", "category", "month", *tallies.COUNTERS))
    Tally.objects.update(received=0, open=99)
    out = io.StringIO()
    call_command("feedback_recount", stdout=out)
    assert out.getvalue().startswith(f"{len(before)} tally row(s)")
    after = sorted(Tally.objects.values_list("hamlet", "category", "month", *tallies.COUNTERS))
    assert after == before


def test_the_pages_show_the_figures_and_their_lists_are_as_long(client, world, history):
    today = date(2026, 5, 20)
    with time_machine.travel(vietnam_time(today)):
        figures = feedback_figures(world.commune)
        hamlet = next(f for f in figures.by_hamlet if f.key == world.hamlet.pk)
        assert hamlet.published > 0
        url = reverse("public:feedback-answers", args=["04000"])
        public = client.get(url).content.decode()
        assert f'href="?hamlet={world.hamlet.pk}#answers">{hamlet.published}</a>' in public
        listed = client.get(url, {"hamlet": world.hamlet.pk})
        assert listed.context["page"].paginator.count == hamlet.published
        assert client.get(url).context["page"].paginator.count == figures.total.published
        assert client.get(url, {"hamlet": world.province.pk}).status_code == 404
        # The commune's public home page shows the same totals, from the same tallies.
        home = client.get(reverse("portal:home", args=["04000"])).content.decode()
        for label, value in (
            ("Đã tiếp nhận", figures.total.received),
            ("Đã trả lời", figures.total.answered),
            ("Đang xử lý", figures.total.open),
        ):
            assert f"<dt>{label}</dt><dd>{value}</dd>" in home, label

        client.force_login(world.official)
        dashboard = client.get(reverse("feedback:dashboard", args=[world.commune.pk]))
        assert dashboard.context["figures"].total == figures.total
        overdue_url = reverse("feedback:dashboard-overdue", args=[world.commune.pk])
        assert f'href="{overdue_url}">{figures.total.overdue}</a>' in dashboard.content.decode()
        page = client.get(overdue_url)
        assert page.context["page"].paginator.count == figures.total.overdue
        codes = {r.code for r in overdue_reports(world.commune)}
        assert codes == {
            r.code for r in Report.objects.filter(Q(state__in=Report.OPEN), due_on__lt=today)
        }
        for report in page.context["page"]:
            assert report.tracking_display in page.content.decode()
        by_hamlet = client.get(overdue_url, {"unit": world.other_hamlet.pk})
        other = next(f for f in figures.by_hamlet if f.key == world.other_hamlet.pk)
        assert by_hamlet.context["page"].paginator.count == other.overdue
        # Out of scope: an official of another commune does not find the list.
        client.force_login(world.outsider)
        assert client.get(overdue_url).status_code == 404


# sqlite_stat1 rows as ANALYZE writes them for the benchmark's 200,000 reports over the
# 2,667 communes of a province (bench/feedback_bench.py): under these, and with no
# statistics at all, SQLite would start the province's overdue count from the commune
# index and read every report of the province.
PROVINCE_STATISTICS = [
    ("places_unit", "sqlite_autoindex_places_unit_1", "3730 1"),
    ("places_unit", "places_unit_parent_id_3429c170", "3730 34"),
    ("feedback_report", "feedback_commune_open_idx", "200000 2667 1334 6 2 2 1"),
    ("feedback_report", "feedback_commune_recent_idx", "200000 2667 1"),
    ("feedback_report", "feedback_path_category_idx", "200000 534 60"),
    ("feedback_report", "feedback_report_commune_id_6435ea9c", "200000 2667"),
    ("feedback_report", "feedback_report_hamlet_id_54a65215", "200000 534"),
    ("feedback_report", "feedback_report_unit_path_88d6c67a", "200000 534"),
]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query planner")
@pytest.mark.parametrize("statistics", [False, True], ids=["no statistics", "a province's"])
def test_the_overdue_count_reads_the_open_reports_index_alone(world, history, statistics):
    """The province dashboard's overdue count and its longest-overdue list are read from
    the covering index that leads with the commune (docs/feedback.md, Figures), never by
    walking a commune's reports one by one."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("DELETE FROM sqlite_stat1")
        if statistics:
            cursor.executemany("INSERT INTO sqlite_stat1 VALUES (%s, %s, %s)", PROVINCE_STATISTICS)
        cursor.execute("ANALYZE sqlite_schema")  # the planner reads the statistics again
    today = date(2026, 6, 10)
    for unit in (world.province, world.commune):
        counted = overdue_reports(unit, today).values_list("commune_id", "category_id")
        listed = overdue_reports(unit, today).order_by("due_on", "pk").values_list("pk")
        for query in (counted.annotate(Count("pk")).order_by(), listed[:10]):
            sql, params = query.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                steps = [row[3] for row in cursor.fetchall()]
            reads = [step for step in steps if "feedback_report" in step]
            assert reads == [
                "SEARCH feedback_report USING COVERING INDEX feedback_commune_open_idx "
                "(commune_id=? AND state=? AND due_on<?)"
            ], steps


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's operator classes")
def test_a_units_tallies_and_reports_are_found_by_path_prefix_in_an_index(world, history):
    """On PostgreSQL an ordinary index does not serve `LIKE 'path/%'` (lib/paths.py): the
    tallies' and the reports' path indexes use the pattern operator class, so a commune's
    figures read its own rows, not the whole table."""
    for query in (Tally.objects.within(world.commune), Report.objects.within(world.hamlet)):
        sql, params = query.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "~>=~" in plan and "Seq Scan" not in plan, plan
