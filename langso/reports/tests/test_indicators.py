"""Indicators of a unit and its children, by aggregate queries rolled up the tree."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from langso.registry import actions
from langso.registry.models import Person
from langso.reports.indicators import pyramid, refresh_summary, roll_up_summaries, unit_indicators

DAY = date(2026, 11, 21)


def test_the_commune_figures_add_up_its_hamlets(world):
    actions.register_person(
        world.other_household, acting_user=None, on=date(2010, 1, 1), relationship="Vợ",
        full_name="Lê Thị Hoa", sex="f", birth_date=date(1975, 1, 1),
        health_insurance_number="GD4141234567890", health_insurance_expiry=date(2027, 1, 1),
    )  # fmt: skip
    children = [world.hamlet, world.other_hamlet]

    figures = unit_indicators(world.commune, children, DAY)

    assert figures[world.hamlet.pk]["population"] == 3
    assert figures[world.other_hamlet.pk]["population"] == 2
    assert figures[world.commune.pk]["population"] == 5
    assert figures[world.commune.pk]["households"] == 2
    assert figures[world.commune.pk]["male"] == 3 and figures[world.commune.pk]["female"] == 2
    assert figures[world.other_hamlet.pk]["insured_percent"] == 50.0
    # Voters are 18 or more: Nguyễn Văn An (2009) is not yet.
    assert figures[world.hamlet.pk]["voters"] == 2


def test_the_age_pyramid_puts_everyone_in_a_five_year_group(world):
    figures = unit_indicators(world.hamlet, [], DAY)[world.hamlet.pk]

    groups = {label: (men, women) for label, men, women in pyramid(figures)}
    assert groups["55–59"] == (1, 0)  # Nguyễn Văn Phụng, born 17/05/1970: 56
    assert groups["50–54"] == (0, 1)  # Trần Thị Thuỷ, born 02/03/1972: 54
    assert groups["15–19"] == (1, 0)  # Nguyễn Văn An, 17
    assert sum(m + w for _label, m, w in pyramid(figures)) == 3


def test_figures_take_a_fixed_number_of_queries_however_many_hamlets(world):
    with CaptureQueriesContext(connection) as few:
        unit_indicators(world.commune, [world.hamlet, world.other_hamlet], DAY)
    for number in range(5):
        actions.create_household(
            world.other_hamlet,
            acting_user=None,
            on=date(2020, 1, 1),
            head_fields={
                "full_name": f"Người {number}",
                "sex": "m",
                "birth_date": date(1990, 1, 2),
            },
        )
    with CaptureQueriesContext(connection) as more:
        unit_indicators(world.commune, [world.hamlet, world.other_hamlet], DAY)

    assert len(more) == len(few)


def test_a_province_reads_its_communes_summaries(world):
    refresh_summary(world.commune, DAY)
    refresh_summary(world.other_commune, DAY)

    totals = roll_up_summaries(world.province, [world.commune, world.other_commune])

    assert totals[world.commune.pk]["population"] == 4
    assert totals[world.other_commune.pk]["population"] == 1
    assert totals[world.province.pk]["population"] == 5


def test_the_indicator_page_compares_hamlets_with_charts(client, world):
    client.force_login(world.official)

    page = client.get(reverse("reports:indicators", args=[world.commune.pk]))

    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and "Thôn Bình Chiến" in html
    assert [child.name for child, _values in page.context["rows"]] == ["Bình Chiến", "Đồng Tâm"]


def test_the_outsider_and_the_hamlet_head_are_kept_to_their_scope(client, world):
    client.force_login(world.outsider)
    assert client.get(reverse("reports:indicators", args=[world.commune.pk])).status_code == 404
    client.force_login(world.hamlet_head)
    assert client.get(reverse("reports:indicators", args=[world.commune.pk])).status_code == 404
    page = client.get(reverse("reports:indicators", args=[world.hamlet.pk]))
    assert page.status_code == 200
    assert page.context["unit"] == world.hamlet and "Bình Chiến" in page.content.decode()
    assert "Đồng Tâm" not in page.content.decode()


def test_stored_summaries_show_the_change_over_time(client, world):
    from langso.reports.indicators import history

    refresh_summary(world.commune, date(2026, 9, 30))
    actions.create_household(
        world.other_hamlet, acting_user=None, on=date(2026, 10, 5),
        head_fields={"full_name": "Người Mới", "sex": "m", "birth_date": date(1990, 1, 2)},
    )  # fmt: skip
    refresh_summary(world.commune, date(2026, 10, 31))
    client.force_login(world.official)

    page = client.get(reverse("reports:indicators", args=[world.commune.pk]))

    assert history(world.commune) == [("09/2026", 4), ("10/2026", 5)]
    assert "history_svg" in page.context


def test_a_change_in_the_registry_queues_a_refresh_of_the_communes_figures(
    world, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from langso.reports.indicators import stored
    from langso.reports.tasks import refresh_summaries

    refresh_summary(world.commune)
    with django_capture_on_commit_callbacks(execute=True):
        actions.register_birth(
            world.household, acting_user=world.hamlet_head, full_name="Nguyễn Bé Mới", sex="f",
            birth_date=date(2026, 11, 1),
        )  # fmt: skip

    queued = DBTaskResult.objects.get(task_path__endswith="refresh_summaries")
    assert queued.args_kwargs["args"] == [world.commune.path]
    refresh_summaries.call(world.commune.path)
    assert stored([world.commune])[world.commune.pk].figures["population"] == 5


def test_many_changes_queue_one_refresh_per_commune(world, django_capture_on_commit_callbacks):
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for household, name in ((world.household, "Bé Một"), (world.other_household, "Bé Hai")):
            actions.register_birth(
                household, acting_user=None, full_name=f"Nguyễn {name}", sex="f",
                birth_date=date(2026, 11, 1),
            )  # fmt: skip

    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_summaries")
    assert [task.args_kwargs["args"] for task in queued] == [[world.commune.path]]


def test_breakdowns_name_employment_in_the_users_language(client, world):
    head = world.household.head
    head.employment = "self_employed"
    head.save(update_fields=["employment"])
    client.force_login(world.official)

    page = client.get(reverse("reports:indicators", args=[world.commune.pk])).content.decode()

    assert "Tự kinh doanh hoặc làm nông" in page
    assert "self_employed" not in page


def test_the_voter_figure_links_to_the_voter_list_of_the_same_unit_and_day(client, world):
    """docs/reports.md, "One definition per figure": the list opened shows the number."""
    client.force_login(world.hamlet_head)
    from django.utils import timezone

    today = timezone.localdate()

    page = client.get(reverse("reports:indicators", args=[world.hamlet.pk]))

    voters = reverse("reports:list", args=["voters"])
    link = f"{voters}?unit={world.hamlet.pk}&amp;day={today:%d/%m/%Y}"
    assert f'<a href="{link}">{page.context["figures"]["voters"]}</a>' in page.content.decode()
    listed = client.get(link.replace("&amp;", "&"))
    assert len(listed.context["drawn"].rows) == page.context["figures"]["voters"] == 2


def test_a_provinces_refresh_keeps_each_communes_own_breakdowns(world):
    """The breakdowns of several communes come from one query by the start of the unit
    path; a unit whose path begins another's ("14/0400" and "14/04000/…") keeps its own."""
    from langso.places.models import Unit
    from langso.reports.indicators import breakdowns, refresh_summaries_of, stored
    from langso.test import make_household, make_unit

    short = make_unit(world.province, Unit.Kind.COMMUNE, "0400", "Xã Ngắn", "xã", "0400")
    make_household(make_unit(short, Unit.Kind.HAMLET, "h01", "Bản Ngắn", "bản"), "Lò Văn Ngắn")
    Person.objects.filter(full_name="Lò Văn Ngắn").update(ethnicity="Thái", religion="Phật giáo")
    communes = [world.commune, world.other_commune, short]

    refresh_summaries_of(communes, DAY)

    summaries = stored(communes)
    for commune in communes:
        assert summaries[commune.pk].details == json_like(breakdowns(commune))
    assert summaries[short.pk].details["ethnicity"] == [["Thái", 1]]
    assert summaries[world.commune.pk].details["ethnicity"] == [["Kinh", 4]]
    assert summaries[world.commune.pk].details["religion"] == [["—", 4]]


def json_like(details):
    """What a JSON field gives back: lists, not tuples."""
    return {field: [list(pair) for pair in ranked] for field, ranked in details.items()}
