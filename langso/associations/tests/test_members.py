"""Members: the organisations' rules warn at their age edges and never refuse (domain.md
§8, docs/associations.md); a death recorded in the registry ends memberships that day;
lists and rates as of a day."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from langso.associations import actions, figures, rules
from langso.associations.models import Member, MemberEvent
from langso.registry import actions as registry
from langso.registry.models import Person


def person(world, name, born, sex=Person.Sex.FEMALE):
    """Someone born on `born`, living in the Nguyễn household of Bình Chiến."""
    return registry.register_person(
        world.household,
        acting_user=None,
        on=max(date(2010, 1, 1), born),
        relationship="Cháu",
        full_name=name,
        sex=sex,
        birth_date=born,
    )


@pytest.fixture
def youth(assoc):
    return actions.create_organisation(
        acting_user=None, name="Đoàn xã Tân Lập", kind=rules.YOUTH, unit=assoc.world.commune
    )


def test_youth_union_admits_from_sixteen_with_no_warning_on_the_birthday(assoc, youth):
    # Điều lệ Đoàn: from 16 to 30 years old.
    lan = person(assoc.world, "Nguyễn Thị Lan", date(2009, 6, 15))
    member = actions.add_member(youth, lan, acting_user=None, joined_on=date(2025, 6, 15))
    assert member.warnings == []


def test_youth_union_warns_the_day_before_sixteen_but_admits(assoc, youth):
    lan = person(assoc.world, "Nguyễn Thị Lan", date(2009, 6, 15))
    member = actions.add_member(youth, lan, acting_user=None, joined_on=date(2025, 6, 14))
    assert [str(w) for w in member.warnings] == ["15 tuổi: dưới tuổi tối thiểu 16."]
    assert Member.objects.filter(person=lan, organisation=youth).exists()
    event = member.events.get()
    assert (event.kind, event.note) == (MemberEvent.Kind.JOINED, "15 tuổi: dưới tuổi tối thiểu 16.")


def test_youth_union_warns_at_thirty_one_not_at_thirty(assoc, youth):
    minh = person(assoc.world, "Lê Văn Minh", date(1994, 9, 2), Person.Sex.MALE)
    assert youth.rule_warnings(minh, date(2025, 9, 1)) == []  # 30 the day before 31
    assert [str(w) for w in youth.rule_warnings(minh, date(2025, 9, 2))] == [
        "31 tuổi: quá tuổi tối đa 30."
    ]


def test_womens_union_warns_for_a_man_and_for_a_girl_of_seventeen(assoc):
    women = assoc.women
    an = Person.objects.get(full_name="Nguyễn Văn An")  # born 30 August 2009
    warnings = [str(w) for w in women.rule_warnings(an, date(2026, 8, 29))]
    assert warnings == [
        "Hội LHPN xã Tân Lập chỉ kết nạp phụ nữ.",
        "16 tuổi: dưới tuổi tối thiểu 18.",
    ]
    girl = person(assoc.world, "Nguyễn Thị Mai", date(2008, 2, 29))
    # Born on 29 February: 18 on 28 February of a common year (Civil Code art. 148).
    assert women.rule_warnings(girl, date(2026, 2, 27)) != []
    assert women.rule_warnings(girl, date(2026, 2, 28)) == []


def test_elderly_association_warns_at_fifty_nine(assoc):
    elderly = actions.create_organisation(
        acting_user=None, name="Hội NCT xã Tân Lập", kind=rules.ELDERLY, unit=assoc.world.commune
    )
    phung = Person.objects.get(full_name="Nguyễn Văn Phụng")  # born 17 May 1970
    assert [str(w) for w in elderly.rule_warnings(phung, date(2030, 5, 16))] == [
        "59 tuổi: dưới tuổi tối thiểu 60."
    ]
    assert elderly.rule_warnings(phung, date(2030, 5, 17)) == []


def test_a_person_cannot_hold_two_current_memberships_of_one_organisation(assoc):
    with pytest.raises(ValidationError, match="đã là hội viên"):
        actions.add_member(
            assoc.women, assoc.thuy_person, acting_user=None, joined_on=date(2020, 1, 1)
        )


def test_a_death_in_the_registry_ends_memberships_that_day(
    assoc, django_capture_on_commit_callbacks
):
    farmers_member = actions.add_member(
        assoc.farmers,
        assoc.thuy_person,
        acting_user=None,
        joined_on=date(2018, 1, 1),
        branch=assoc.farmers_branch,
    )
    with django_capture_on_commit_callbacks(execute=True):
        registry.record_death(
            assoc.thuy_person, acting_user=assoc.world.official, on=date(2025, 10, 3)
        )
    for member in (assoc.thuy, farmers_member):
        member.refresh_from_db()
        assert (member.left_on, member.ending) == (date(2025, 10, 3), Member.Ending.DIED)
        assert member.events.last().kind == MemberEvent.Kind.DIED
    # On the list of the day before, not on the day's.
    assert assoc.thuy in figures.branch_members(assoc.branch, date(2025, 10, 2))
    assert assoc.thuy not in figures.branch_members(assoc.branch, date(2025, 10, 3))


def test_a_member_moves_branch_with_a_dated_event(assoc):
    actions.move_member(
        assoc.thuy, acting_user=assoc.leader, to_branch=assoc.other_branch, on=date(2024, 1, 1)
    )
    event = assoc.thuy.events.get(kind=MemberEvent.Kind.MOVED)
    assert (event.from_branch, event.to_branch) == (assoc.branch, assoc.other_branch)
    assert list(figures.branch_members(assoc.other_branch, date(2024, 6, 1))) == [assoc.thuy]


def test_the_rate_counts_members_against_women_of_eighteen_and_over(assoc):
    day = date(2025, 12, 1)
    actions.set_target(assoc.women, acting_user=None, year=2025, rate=70, unit=assoc.world.hamlet)
    result = figures.commune_figures(assoc.world.commune, day)
    women = next(f for f in result.organisations if f.organisation == assoc.women)
    binh_chien = dict(women.hamlets)[assoc.world.hamlet]
    # Bình Chiến's only woman of 18+ is Thuỷ (the group's household counts in its hamlet).
    assert (binh_chien.members, binh_chien.eligible, binh_chien.percent) == (1, 1, 100.0)
    assert binh_chien.target == 70 and not binh_chien.below_target
    person(assoc.world, "Hà Thị Nga", date(1990, 1, 1))
    result = figures.commune_figures(assoc.world.commune, day)
    women = next(f for f in result.organisations if f.organisation == assoc.women)
    binh_chien = dict(women.hamlets)[assoc.world.hamlet]
    assert (binh_chien.members, binh_chien.eligible, binh_chien.percent) == (1, 2, 50.0)
    assert binh_chien.below_target


def test_the_province_rates_agree_with_the_commune_figures(assoc):
    day = date(2025, 12, 1)
    person(assoc.world, "Hà Thị Nga", date(1990, 1, 1))
    rates = figures.province_rates(assoc.world.province, day)
    commune = figures.commune_figures(assoc.world.commune, day)
    for org_figures in commune.organisations:
        rate = rates[assoc.world.commune.pk][org_figures.organisation.pk]
        assert (rate.members, rate.eligible) == (
            org_figures.total.members,
            org_figures.total.eligible,
        )
    women = rates[assoc.world.commune.pk][assoc.women.pk]
    assert (women.members, women.eligible) == (1, 2)
