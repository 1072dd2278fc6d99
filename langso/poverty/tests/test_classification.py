"""Classification at its edges (Decree 07/2021, art. 3; Decree 351/2025; domain.md §6)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from langso.poverty import actions
from langso.poverty.models import Result, Standard, Survey

ON = date(2026, 10, 1)
THREE = ["health_insurance", "water", "latrine"]


def test_shipped_standards_hold_the_decrees_figures(db):
    first = Standard.objects.valid_on(date(2026, 12, 31))
    second = Standard.objects.valid_on(date(2027, 1, 1))
    assert (first.rural_line, first.urban_line) == (1_500_000, 2_000_000)
    assert (second.rural_line, second.urban_line) == (2_200_000, 2_800_000)
    assert first.indicators.count() == 12
    assert len(set(first.indicators.values_list("dimension", flat=True))) == 6
    assert second.indicators_provisional and not first.indicators_provisional
    assert Standard.objects.valid_on(date(2021, 6, 1)) is None


@pytest.mark.parametrize(
    ("per_person", "lacking", "expected"),
    [
        (1_500_000, THREE, Result.POOR),  # exactly at the rural line, 3 lacking
        (1_500_000, THREE[:2], Result.NEAR_POOR),  # at the line, 2 lacking
        (1_500_001, THREE, Result.NOT_POOR),  # 1 đ above the line
        (0, [], Result.NEAR_POOR),
    ],
)
def test_rural_edges(poverty, per_person, lacking, expected):
    survey = poverty.survey(poverty.world.household, on=ON, per_person=per_person, lacking=lacking)
    assert survey.result == expected
    assert survey.income_per_person == per_person
    assert survey.urban is False
    assert survey.lacking_count == len(lacking)


def test_urban_line_for_a_ward_and_the_editable_area(poverty):
    world = poverty.world
    survey = poverty.survey(world.household, on=ON, per_person=1_800_000, lacking=THREE)
    assert survey.result == Result.NOT_POOR  # rural: above 1,500,000
    world.commune.type_name = "phường"
    world.commune.save()
    survey = poverty.survey(world.household, on=ON, per_person=1_800_000, lacking=THREE)
    assert survey.urban and survey.result == Result.POOR  # urban: at or below 2,000,000
    actions.set_area(world.commune, acting_user=poverty.officer, urban=False)
    survey = poverty.survey(world.household, on=ON, per_person=1_800_000, lacking=THREE)
    assert not survey.urban and survey.result == Result.NOT_POOR


def test_a_survey_is_judged_by_the_standard_of_its_day(poverty):
    household = poverty.world.household
    december = poverty.survey(household, on=date(2026, 12, 31), per_person=2_000_000)
    january = poverty.survey(household, on=date(2027, 1, 1), per_person=2_000_000)
    assert december.result == Result.NOT_POOR
    assert december.standard.rural_line == 1_500_000
    assert january.result == Result.NEAR_POOR
    assert january.standard.rural_line == 2_200_000


def test_income_split_across_members_is_per_person(poverty):
    household = poverty.world.household
    stays = actions.members_on(household, ON)
    assert len(stays) == 3
    incomes = {stays[0].person_id: 2_000_000, stays[1].person_id: 2_500_000}
    survey = actions.record_survey(
        household, acting_user=poverty.officer, on=ON, incomes=incomes, lacking=THREE
    )
    assert survey.income_total == 4_500_000
    assert survey.income_per_person == 1_500_000
    assert survey.result == Result.POOR
    assert survey.people.count() == 3


def test_bad_input_is_refused_on_its_field_in_vietnamese(poverty):
    world = poverty.world
    stays = actions.members_on(world.household, ON)
    stranger = world.other_household.head
    with pytest.raises(ValidationError) as refused:
        actions.record_survey(
            world.household,
            acting_user=poverty.officer,
            on=ON,
            incomes={stays[0].person_id: -1, stranger.pk: 100},
            floor_area=Decimal(0),
        )
    errors = refused.value.message_dict
    assert errors[f"income_{stays[0].person_id}"] == ["Thu nhập không được âm."]
    assert "không phải thành viên của hộ" in errors[f"income_{stranger.pk}"][0]
    assert "lớn hơn 0" in errors["floor_area"][0]
    assert not Survey.objects.exists()


def test_a_member_who_moved_out_before_the_day_is_refused(poverty):
    from langso.registry import actions as registry

    household = poverty.world.household
    son = next(s for s in actions.members_on(household, ON) if s.relationship == "Con").person
    registry.move_out(son, acting_user=poverty.officer, on=date(2026, 6, 1), place="Hà Nội")
    with pytest.raises(ValidationError) as refused:
        actions.record_survey(household, acting_user=poverty.officer, on=ON, incomes={son.pk: 0})
    assert refused.value.message_dict[f"income_{son.pk}"] == [
        "Người này không phải thành viên của hộ vào ngày 01/10/2026."
    ]
    with pytest.raises(ValidationError) as refused:
        actions.record_survey(household, acting_user=poverty.officer, on=date(2009, 1, 1))
    assert refused.value.message_dict["on"] == ["Không có chuẩn nghèo áp dụng vào ngày 01/01/2009."]


def test_prefill_reads_the_registry_on_the_day(poverty):
    from langso.registry import actions as registry

    household = poverty.world.household
    head = household.head
    registry.correct_person(
        head,
        acting_user=None,
        health_insurance_number="GD4141234567890",
        health_insurance_expiry=date(2026, 12, 31),
    )
    rows = actions.prefill(household, ON)
    assert rows[0]["person"].full_name == "Nguyễn Văn Phụng"
    assert rows[0]["insured"] and rows[0]["age"] == 56
    assert not rows[1]["insured"]
    assert actions.suggested_lacking(rows) == ["health_insurance"]
    assert not actions.prefill(household, date(2027, 1, 1))[0]["insured"]  # card expired


def test_rescore_writes_results_in_bulk(poverty):
    household = poverty.world.household
    surveys = [poverty.survey(household, on=ON, per_person=1_500_000, lacking=THREE)]
    Survey.objects.filter(pk=surveys[0].pk).update(result=Result.NOT_POOR, income_per_person=0)
    standard = surveys[0].standard
    standard.rural_line = 1_400_000  # a corrected figure
    standard.save()
    assert actions.rescore([surveys[0].pk]) == 1
    assert Survey.objects.get().result == Result.NOT_POOR
    standard.rural_line = 1_500_000
    standard.save()
    actions.rescore([surveys[0].pk])
    assert Survey.objects.get().result == Result.POOR
    assert Survey.objects.get().income_per_person == 1_500_000
