"""Who reaches a campaign and its pledges (issue 15, item 8; langso/campaigns/access.py)."""

import pytest
from django.http import Http404

from langso.campaigns import access, actions


def fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_managers_are_those_with_the_capability_over_the_unit_and_the_committee(
    world, bridge, treasurer
):
    assert access.get_campaign_for_user(fresh(world.hamlet_head), bridge.pk, manage=True)
    assert access.get_campaign_for_user(fresh(world.official), bridge.pk, manage=True)
    # The treasurer lives in another hamlet and holds no role: the committee seat suffices.
    assert access.get_campaign_for_user(fresh(treasurer), bridge.pk, manage=True)
    assert list(access.managed_campaigns(fresh(treasurer))) == [bridge]


def test_a_viewer_reads_but_does_not_manage(world, bridge):
    viewer = fresh(world.viewer)
    assert access.get_campaign_for_user(viewer, bridge.pk) == bridge
    with pytest.raises(Http404):
        access.get_campaign_for_user(viewer, bridge.pk, manage=True)


@pytest.mark.parametrize("who", ["outsider", "party_member"])
def test_others_get_404_like_a_missing_campaign(world, bridge, who):
    user = fresh(getattr(world, who))
    with pytest.raises(Http404):
        access.get_campaign_for_user(user, bridge.pk)
    with pytest.raises(Http404):
        access.get_campaign_for_user(user, 999_999)
    assert not access.campaigns_for_user(user).exists()


def test_a_resident_sees_their_households_pledges_and_no_other(world, bridge, resident):
    own = actions.pledge(bridge, acting_user=None, household=world.household, amount=200_000)
    group_hamlet_household = world.household  # Tổ 1 of Bình Chiến
    assert own.household == group_hamlet_household
    from langso.test import make_household

    neighbour = make_household(world.hamlet, "Lò Thị Mai")
    other = actions.pledge(bridge, acting_user=None, household=neighbour, amount=300_000)
    user = fresh(resident)
    assert access.get_pledge_for_user(user, own.pk) == own
    with pytest.raises(Http404):
        access.get_pledge_for_user(user, other.pk)
    with pytest.raises(Http404):
        access.get_pledge_for_user(user, own.pk, manage=True)
    with pytest.raises(Http404):
        access.get_campaign_for_user(user, bridge.pk)
