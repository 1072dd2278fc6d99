"""Listing, assigning, ad-hoc reviews, support and targets through the pages; a viewer's
POST changes nothing."""

from datetime import date

import time_machine
from django.urls import reverse

from langso.poverty import actions
from langso.poverty.models import Entry, Review, Support, Target
from langso.test import vietnam_time


def login(client, user):
    client.force_login(user)


def test_list_assign_and_adhoc_from_the_pages(client, poverty):
    world = poverty.world
    review = actions.open_review(world.commune, acting_user=poverty.officer, year=2026)
    login(client, world.hamlet_head)
    page = client.get(reverse("poverty:household", args=[world.household.pk])).content.decode()
    assert "Bổ sung vào danh sách rà soát" in page
    client.post(
        reverse("poverty:entry-add", args=[review.pk]),
        {"household": world.household.pk, "source": "applied", "applied_on": "05/09/2026"},
    )
    entry = Entry.objects.get(review=review)
    assert entry.applied_on == date(2026, 9, 5) and entry.hamlet == world.hamlet
    # The hamlet head cannot list a household of another hamlet.
    response = client.post(
        reverse("poverty:entry-add", args=[review.pk]),
        {"household": world.other_household.pk, "source": "proposed"},
    )
    assert response.status_code == 404
    login(client, poverty.officer)
    page = client.get(reverse("poverty:review", args=[review.pk])).content.decode()
    assert "Đặng Văn Bình" in page  # the hamlet head is offered as a surveyor
    client.post(
        reverse("poverty:surveyor-assign", args=[review.pk, world.hamlet.pk]),
        {"surveyor": world.hamlet_head.pk},
    )
    assert Entry.objects.get(pk=entry.pk).surveyor == world.hamlet_head
    with time_machine.travel(vietnam_time(date(2026, 3, 2)), tick=False):
        response = client.post(
            reverse("poverty:adhoc-open", args=[world.other_household.pk]),
            {"source": "applied", "applied_on": "01/03/2026"},
        )
    adhoc = Review.objects.get(kind=Review.Kind.ADHOC)
    assert response.url == reverse("poverty:review", args=[adhoc.pk])
    assert adhoc.entries.get().household == world.other_household


def test_support_and_targets(client, poverty):
    world = poverty.world
    login(client, poverty.officer)
    response = client.post(
        reverse("poverty:support-add", args=[world.household.pk]),
        {"programme": "livestock", "description": "Bò sinh sản", "given_on": "10/03/2026",
         "amount": "18000000", "overdue": "0", "state_share": "60", "family_share": "30"},
        follow=True,
    )  # fmt: skip
    assert "100 %" in response.content.decode() and not Support.objects.exists()
    client.post(
        reverse("poverty:support-add", args=[world.household.pk]),
        {"programme": "loan", "description": "Cho vay hộ nghèo", "given_on": "10/03/2026",
         "amount": "50000000", "term_months": "60", "balance": "45000000", "overdue": "0"},
    )  # fmt: skip
    page = client.get(
        reverse("poverty:support-list", args=[world.commune.pk]), {"year": "2026"}
    ).content.decode()
    assert "Cho vay hộ nghèo" in page and "45000000" in page
    client.post(
        reverse("poverty:target-set", args=[world.commune.pk]),
        {"year": "2026", "poor": "8", "near_poor": "32"},
    )
    target = Target.objects.get(unit=world.commune, year=2026)
    assert (target.poor, target.near_poor) == (8, 32)
    login(client, world.viewer)
    for name, args in (("poverty:target-set", [world.commune.pk]),
                       ("poverty:support-add", [world.household.pk])):  # fmt: skip
        assert (
            client.post(reverse(name, args=args), {"year": "2026", "poor": "1"}).status_code == 404
        )
    assert Target.objects.get().poor == 8
