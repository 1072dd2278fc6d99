from datetime import date

import pytest
from django.core.cache import cache

from langso.campaigns import actions
from langso.test import make_user


@pytest.fixture(autouse=True)
def fresh_figures():
    """The ledger's figures are memoised by its newest line; a rolled-back test database
    may hand the same ids to the next test, so each test starts with an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bridge(world):
    """The bridge of Bình Chiến (issue 15): 170 million đồng, labour and land targets,
    an Agribank account, and a resident treasurer who holds no other role."""
    campaign = actions.create_campaign(
        world.hamlet,
        acting_user=world.hamlet_head,
        name="Xây cầu qua suối Nậm Pàn",
        purpose="Cầu bê tông dài 24 m thay cầu tre",
        starts_on=date(2026, 1, 5),
        target_money=170_000_000,
        target_labour_days=300,
        target_land_m2=120,
        suggested_amount=500_000,
        bank_bin="970405",
        bank_account="3600205123456",
        account_name="BAN VAN DONG XAY CAU BINH CHIEN",
    )
    return campaign


@pytest.fixture
def treasurer(world, bridge):
    person = world.other_household.head  # a resident of Đồng Tâm, on the committee
    user = make_user("thuquy", person.full_name)
    user.person = person
    user.save(update_fields=["person"])
    actions.add_committee_member(
        bridge, acting_user=world.hamlet_head, person=person, role="treasurer", user=user
    )
    return user


@pytest.fixture
def resident(world):
    """Trần Thị Thuỷ, of Nguyễn Văn Phụng's household, signed in with her own account."""

    from langso.registry.models import Person

    person = Person.objects.get(full_name="Trần Thị Thuỷ")
    user = make_user("thuy", person.full_name)
    user.person = person
    user.save(update_fields=["person"])
    return user
