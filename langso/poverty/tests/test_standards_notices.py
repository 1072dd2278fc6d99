"""What the commune administrator sets (the standards' figures, indicators, a commune's
area), the notice telling residents about the posting, and the rate of past years
counted against each year's households (issue 13, items 1, 3 (d) and 6)."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from langso.accounts.models import AuditEntry
from langso.notices import audiences
from langso.notices.models import Audience, Notice
from langso.places.models import Unit
from langso.poverty import actions, status
from langso.poverty.models import HouseholdCount, Indicator, Result, Standard, Survey
from langso.registry.models import Membership
from langso.reports.models import UnitSummary
from langso.test import make_household, vietnam_time

pytestmark = pytest.mark.usefixtures("fixed_day")


def login(client, user):
    client.force_login(user)


def standard_2022():
    return Standard.objects.valid_on(date(2026, 6, 1))


def standard_data(standard, **changes):
    data = {
        "name": standard.name,
        "legal_basis": standard.legal_basis,
        "valid_from": standard.valid_from.strftime("%d/%m/%Y"),
        "valid_to": standard.valid_to.strftime("%d/%m/%Y") if standard.valid_to else "",
        "rural_line": str(standard.rural_line),
        "urban_line": str(standard.urban_line),
        "rural_middle_line": str(standard.rural_middle_line or ""),
        "urban_middle_line": str(standard.urban_middle_line or ""),
        "poor_min_lacking": str(standard.poor_min_lacking),
        "source": standard.source,
    }
    if standard.indicators_provisional:
        data["indicators_provisional"] = "on"
    data.update(changes)
    return data


def test_admin_corrects_a_line_and_open_surveys_are_scored_again(client, poverty):
    world = poverty.world
    standard = standard_2022()
    # 1,600,000 đ per person: above the 1,500,000 đ rural line, so not poor.
    survey = poverty.survey(
        world.household, on=date(2026, 5, 4), per_person=1_600_000, lacking=["water"]
    )
    assert survey.result == Result.NOT_POOR
    login(client, world.admin)
    url = reverse("poverty:standard", args=[standard.pk])
    assert "1500000" in client.get(url).content.decode()
    response = client.post(url, standard_data(standard, rural_line="1.700.000"), follow=True)
    page = response.content.decode()
    assert "Đã lưu chuẩn nghèo." in page
    assert "1 phiếu khảo sát chưa được công nhận đã được chấm lại" in page
    survey.refresh_from_db()
    assert survey.result == Result.NEAR_POOR  # now at or below the corrected line
    standard.refresh_from_db()
    assert standard.rural_line == 1_700_000
    entry = AuditEntry.objects.get(verb="poverty.update_standard")
    assert entry.actor == world.admin and entry.changes["rural_line"] == ["1500000", "1700000"]


def test_standard_refusals_are_shown_on_their_fields(client, poverty):
    world = poverty.world
    standard = standard_2022()
    login(client, world.admin)
    url = reverse("poverty:standard", args=[standard.pk])
    page = client.post(url, standard_data(standard, valid_to="01/01/2028")).content.decode()
    assert "Thời gian hiệu lực trùng với chuẩn" in page  # the 2027–2030 standard
    page = client.post(
        url, standard_data(standard, valid_to="01/01/2021", rural_middle_line="1000000")
    ).content.decode()
    assert "Chuẩn nghèo phải hết hiệu lực sau ngày bắt đầu." in page
    assert "Chuẩn mức sống trung bình phải cao hơn chuẩn nghèo." in page
    page = client.post(url, standard_data(standard, poor_min_lacking="13")).content.decode()
    assert "Từ 1 đến số chỉ số của chuẩn (12)." in page
    standard.refresh_from_db()
    assert standard.valid_to == date(2027, 1, 1) and standard.poor_min_lacking == 3
    assert not AuditEntry.objects.filter(verb="poverty.update_standard").exists()


def test_admin_edits_and_adds_indicators(client, poverty):
    world = poverty.world
    standard = Standard.objects.valid_on(date(2027, 6, 1))
    assert standard.indicators_provisional
    water = standard.indicators.get(code="water")
    login(client, world.admin)
    client.post(
        reverse("poverty:indicator-edit", args=[water.pk]),
        {
            f"i{water.pk}-name": "Nguồn nước sinh hoạt",
            f"i{water.pk}-dimension": "water",
            f"i{water.pk}-definition": "Hộ không tiếp cận được nguồn nước sạch.",
        },
    )
    water.refresh_from_db()
    assert water.definition == "Hộ không tiếp cận được nguồn nước sạch."
    url = reverse("poverty:indicator-add", args=[standard.pk])
    response = client.post(
        url,
        {"new-code": "Bad code!", "new-name": "Internet", "new-dimension": "information"},
        follow=True,
    )
    assert "Mã gồm 2 đến 30 chữ cái a–z" in response.content.decode()
    client.post(
        url,
        {"new-code": "internet", "new-name": "Sử dụng Internet", "new-dimension": "information"},
    )
    assert standard.indicators.filter(code="internet", name="Sử dụng Internet").exists()
    response = client.post(
        url,
        {"new-code": "internet", "new-name": "Lần nữa", "new-dimension": "information"},
        follow=True,
    )
    assert "Chuẩn đã có chỉ số mang mã này." in response.content.decode()
    assert AuditEntry.objects.filter(verb="poverty.add_indicator").count() == 1
    # The confirmed list: the provisional mark is taken off.
    client.post(
        reverse("poverty:standard", args=[standard.pk]),
        {**standard_data(standard), "indicators_provisional": ""},
    )
    standard.refresh_from_db()
    assert not standard.indicators_provisional


def test_only_the_administrator_sets_standards_and_areas(client, poverty):
    world = poverty.world
    standard = standard_2022()
    indicator = standard.indicators.first()
    posts = [
        (reverse("poverty:standard", args=[standard.pk]), standard_data(standard, rural_line="1")),
        (
            reverse("poverty:indicator-edit", args=[indicator.pk]),
            {f"i{indicator.pk}-name": "X", f"i{indicator.pk}-dimension": "water"},
        ),
        (
            reverse("poverty:indicator-add", args=[standard.pk]),
            {"new-code": "xx", "new-name": "X", "new-dimension": "water"},
        ),
        (reverse("poverty:area-set", args=[world.commune.pk]), {"urban": "1"}),
    ]
    for user in (world.viewer, world.outsider, poverty.officer, poverty.leader, world.hamlet_head):
        login(client, user)
        for url, data in posts:
            assert client.post(url, data).status_code == 404, (user, url)
    standard.refresh_from_db()
    indicator.refresh_from_db()
    assert standard.rural_line == 1_500_000 and indicator.name != "X"
    assert not actions.is_urban(world.commune)
    # The officer reads the standards, the viewer does not.
    login(client, poverty.officer)
    page = client.get(reverse("poverty:standards")).content.decode()
    assert "1500000" in page and "Sửa số liệu" not in page
    login(client, world.viewer)
    assert client.get(reverse("poverty:standards")).status_code == 404


def test_admin_sets_a_commune_urban_and_the_next_survey_uses_the_urban_line(client, poverty):
    world = poverty.world
    login(client, world.admin)
    page = client.get(reverse("poverty:standards")).content.decode()
    assert "Xã Tân Lập" in page and "Sửa số liệu" in page
    assert "Xã Mường Bú" not in page  # another commune is not theirs
    response = client.post(
        reverse("poverty:area-set", args=[world.commune.pk]), {"urban": "1"}, follow=True
    )
    assert "Xã Tân Lập nay tính là thành thị" in response.content.decode()
    assert (
        client.post(
            reverse("poverty:area-set", args=[world.other_commune.pk]), {"urban": "1"}
        ).status_code
        == 404
    )
    # 1,800,000 đ per person: above the rural line, at or below the urban 2,000,000 đ.
    survey = poverty.survey(world.household, on=date(2026, 5, 4), per_person=1_800_000)
    assert survey.urban and survey.result == Result.NEAR_POOR
    assert AuditEntry.objects.filter(verb="poverty.set_area", actor=world.admin).exists()


def test_officer_tells_residents_of_the_posting_through_notices(client, poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2026, result=Result.POOR)
    url = reverse("poverty:announce", args=[review.pk])
    with time_machine.travel(vietnam_time(date(2026, 12, 1)), tick=False):
        login(client, world.viewer)
        assert client.get(url).status_code == 404
        assert client.post(url, {"title": "x", "body": "y"}).status_code == 404
        login(client, world.hamlet_head)  # a hamlet, not the commune's review
        assert client.post(url, {"title": "x", "body": "y"}).status_code == 404
        assert not Notice.objects.exists()
        login(client, poverty.officer)
        page = client.get(reverse("poverty:review", args=[review.pk])).content.decode()
        assert "Thông báo cho người dân" in page
        form = client.get(url).content.decode()
        assert "từ 01/12/2026 đến 03/12/2026" in form
        assert "/public/04000/poverty/" in form
        response = client.post(
            url,
            {
                "title": "Niêm yết danh sách hộ nghèo, hộ cận nghèo năm 2026",
                "body": "Niêm yết từ 01/12/2026 đến 03/12/2026. Khiếu nại gửi UBND xã.",
                "hamlets_relay": "on",
            },
            follow=True,
        )
    assert "Đã gửi thông báo cho người dân." in response.content.decode()
    notice = Notice.objects.get()
    assert notice.unit == world.commune and notice.is_public
    assert notice.status != Notice.Status.DRAFT
    assert notice.expires_at.date() == date(2026, 12, 3)  # 04/12 00:00 in Vietnam
    kinds = sorted(notice.audiences.values_list("kind", "unit__name"))
    assert kinds == [("relay", "Bình Chiến"), ("relay", "Đồng Tâm"), ("unit", "Xã Tân Lập")]
    review.refresh_from_db()
    assert review.notice == notice
    assert AuditEntry.objects.filter(verb="poverty.announce", actor=poverty.officer).exists()


def test_notice_to_the_listed_households_and_refusals(poverty):
    world = poverty.world
    review = actions.open_review(world.commune, acting_user=poverty.officer, year=2026)
    with pytest.raises(ValidationError, match="đã được niêm yết"):
        actions.announce_review(review, acting_user=poverty.officer, title="T", body="B")
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    with time_machine.travel(vietnam_time(date(2025, 12, 2)), tick=False):
        notice = actions.announce_review(
            review,
            acting_user=poverty.officer,
            title="Mời dự họp",
            body="Hộ gia đình có tên trong danh sách rà soát.",
            listed_only=True,
        )
    assert not notice.is_public
    audience = notice.audiences.get(kind="poverty_review")
    people = audiences.get("poverty_review").people(audience.target_id)
    names = set(people.values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn Phụng", "Trần Thị Thuỷ", "Nguyễn Văn An"}
    relays = notice.audiences.filter(kind=Audience.Kind.RELAY).values_list("unit", flat=True)
    assert list(relays) == [world.hamlet.pk]  # only the hamlet with a listed household
    # The officer of the commune manages the target; the viewer does not.
    kind = audiences.get("poverty_review")
    assert kind.manages(poverty.officer, review.pk) and not kind.manages(world.viewer, review.pk)
    with (
        time_machine.travel(vietnam_time(date(2025, 12, 5)), tick=False),
        pytest.raises(ValidationError, match="hết thời gian niêm yết"),
    ):
        actions.announce_review(review, acting_user=poverty.officer, title="T", body="B")


def test_past_years_rates_use_that_year_s_households(client, poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    children = list(world.commune.children.order_by("path"))
    paths = status.unit_paths(world.commune)
    today = date(2026, 6, 10)
    before = status.figures(world.commune, date(2025, 12, 31), children, paths, today=today)
    assert before[world.commune.pk]["poor"] == 0  # kept, then changed by a recognition:
    actions.recognise(review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2025, 12, 10))
    assert HouseholdCount.objects.get(unit=world.commune, day=date(2025, 12, 31)).poor is None
    # Two households more from March 2026: 2025 had 2 households, 2026 has 4.
    for name in ("Hà Văn Mạnh", "Lò Thị Én"):
        newcomer = make_household(world.hamlet, name)
        Membership.objects.filter(household=newcomer).update(start=date(2026, 3, 1))
    last_year = status.figures(world.commune, date(2025, 12, 31), children, paths, today=today)
    now = status.figures(world.commune, today, children, paths, today=today)
    commune = last_year[world.commune.pk]
    assert (commune["households"], commune["poor"], commune["poor_rate"]) == (2, 1, 50.0)
    assert (now[world.commune.pk]["households"], now[world.commune.pk]["poor_rate"]) == (4, 25.0)
    kept = {
        unit: (households, poor)
        for unit, households, poor in HouseholdCount.objects.filter(
            day=date(2025, 12, 31)
        ).values_list("unit", "households", "poor")
    }
    assert kept == {
        world.commune.pk: (2, 1),
        world.hamlet.pk: (1, 1),
        world.other_hamlet.pk: (1, 0),
    }
    assert not HouseholdCount.objects.filter(day=today).exists()  # today is counted live
    login(client, poverty.officer)
    page = client.get(reverse("poverty:unit", args=[world.commune.pk])).content.decode()
    assert "2025: 50 %; 2026: 25 %" in page  # the chart, each year against its households
    assert "<strong>1</strong> hộ nghèo (25,00 %)" in page


def test_province_counts_by_reviewing_commune_and_latest_summary(poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2025, 12, 10))
    province = world.province
    UnitSummary.objects.create(unit=world.commune, day=date(2026, 6, 1), figures={"households": 9})
    UnitSummary.objects.create(unit=world.commune, day=date(2026, 6, 9), figures={"households": 10})
    assert status.stored_households(province) == {world.commune.pk: {"households": 10}}
    children = list(province.children.filter(kind=Unit.Kind.COMMUNE).order_by("path"))
    paths = status.unit_paths(province)
    today = date(2026, 6, 10)
    now = status.figures(province, today, children, paths, today=today)
    assert now[world.commune.pk] == {
        "households": 10, "poor": 1, "near_poor": 0, "poor_rate": 10.0, "near_poor_rate": 0.0,
    }  # fmt: skip
    assert now[world.other_commune.pk]["poor"] == 0
    # A past year: the registry's count that year, kept for the next page.
    past = status.figures(province, date(2025, 12, 31), children, paths, today=today)
    assert past[province.pk]["households"] == 3 and past[world.commune.pk]["poor_rate"] == 50.0
    assert HouseholdCount.objects.filter(unit=province, day=date(2025, 12, 31)).exists()


def test_rescore_keeps_recognised_reviews(poverty):
    world = poverty.world
    review = poverty.review_to_posting(world.household, year=2025, result=Result.POOR)
    actions.recognise(review, acting_user=poverty.leader, number="1/QĐ-UBND", on=date(2025, 12, 10))
    recognised = Survey.objects.filter(entry__review=review).count()
    assert recognised
    rescored = actions.update_standard(standard_2022(), acting_user=world.admin, poor_min_lacking=2)
    assert rescored == 0
    assert Indicator.objects.filter(standard=standard_2022()).count() == 12
