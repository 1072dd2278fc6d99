"""Party fees (Regulation 01-QĐ/TW, domain.md §7): rates, exemptions, cuts, months, arrears."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from langso.accounts.models import AuditEntry
from langso.accounts.roles import Role
from langso.lib.dates import add_months, month_start
from langso.party import actions
from langso.party.models import (
    FeeMonth,
    FeeSchedule,
    Member,
    fee_reason_label,
)
from langso.party.statistics import unpaid_warnings
from langso.test import vietnam_time

Basis = Member.FeeBasis
MARCH = date(2026, 3, 1)


@pytest.fixture
def schedule(db):
    """The committee's schedule, with 20,000 đ for members outside the fixed rates."""
    return FeeSchedule.objects.create(valid_from=date(2026, 2, 1), other_amount=20_000)


def paying(party, name, basis, base=0, **kwargs):
    member = party.member(name, **kwargs)
    actions.update_member(member, acting_user=None, fee_basis=basis, fee_base=base)
    return member


# What a member owes --------------------------------------------------------------------


def test_a_salaried_member_pays_1_percent_of_the_insured_salary(party, schedule):
    """domain.md §7: 1 % of insured salary under compulsory social insurance."""
    member = paying(party, "Lò Văn Thành", Basis.SALARIED, 6_240_000)

    amount, reason = member.fee_for(MARCH, schedule)

    assert amount == 62_400
    assert "1 %" in fee_reason_label(reason)


def test_a_pensioner_pays_half_a_percent_of_the_pension(party, schedule):
    """domain.md §7: 0.5 % of pension."""
    member = paying(party, "Lò Văn Thành", Basis.PENSIONER, 4_800_000)

    amount, reason = member.fee_for(MARCH, schedule)

    assert amount == 24_000
    assert "0,5 %" in fee_reason_label(reason)


def test_a_student_pays_5000_dong_a_month(party, schedule):
    """domain.md §7: students 5,000 đ/month."""
    member = paying(party, "Lò Thị Ngọc", Basis.STUDENT)

    assert member.fee_for(MARCH, schedule)[0] == 5_000


def test_other_members_pay_the_amount_the_committee_set(party, schedule):
    """domain.md §7: rates for other members unconfirmed, kept configurable."""
    member = paying(party, "Lò Thị Ngọc", Basis.OTHER)

    assert member.fee_for(MARCH, schedule)[0] == 20_000
    schedule.other_amount = 12_000
    assert member.fee_for(MARCH, schedule)[0] == 12_000


@pytest.mark.parametrize(
    "basis, base, amount",
    [
        pytest.param(Basis.SALARIED, 1_234_550, 12_346, id="salary_half_rounded_up"),
        pytest.param(Basis.SALARIED, 1_234_540, 12_345, id="salary_under_half_rounded_down"),
        pytest.param(Basis.PENSIONER, 1_000_100, 5_001, id="pension_half_rounded_up"),
        pytest.param(Basis.PENSIONER, 1_000_090, 5_000, id="pension_under_half_rounded_down"),
    ],
)
def test_fees_are_whole_dong(party, schedule, basis, base, amount):
    member = paying(party, "Lò Văn Thành", basis, base)

    assert member.fee_for(MARCH, schedule)[0] == amount


@pytest.mark.parametrize(
    "admitted_on, last_month_due, first_month_exempt",
    [
        pytest.param(date(1976, 4, 1), date(2026, 3, 1), date(2026, 4, 1), id="on_the_1st"),
        pytest.param(date(1976, 3, 15), date(2026, 3, 1), date(2026, 4, 1), id="mid_month"),
    ],
)
def test_fifty_years_of_membership_exempt_from_the_first_full_month(
    party, schedule, admitted_on, last_month_due, first_month_exempt
):
    """domain.md §7: exemption at ≥ 50 years of membership, counted to the month's first day."""
    member = paying(
        party,
        "Mè Văn Lả",
        Basis.PENSIONER,
        3_000_000,
        born=date(1950, 1, 1),
        admitted_on=admitted_on,
    )

    assert member.fee_for(last_month_due, schedule)[0] == 15_000
    amount, reason = member.fee_for(first_month_exempt, schedule)
    assert amount == 0
    assert "50" in fee_reason_label(reason)


@pytest.mark.parametrize("exemption", [e for e in Member.Exemption if e])
def test_a_recorded_exemption_means_nothing_is_due(party, schedule, exemption):
    """domain.md §7: exemptions for poor households, serious illness, social pensions."""
    member = paying(party, "Lò Văn Thành", Basis.SALARIED, 6_000_000)
    actions.update_member(member, acting_user=None, exemption=exemption)

    amount, reason = member.fee_for(MARCH, schedule)

    assert amount == 0
    assert str(exemption.label) in fee_reason_label(reason)


def test_a_hardship_cut_applies_until_its_end_month_and_not_after(party, schedule):
    """domain.md §7: hardship cuts of 30/50/70 % for a limited time."""
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    this_month = month_start(timezone.localdate())
    end_month = add_months(this_month, 2)
    actions.update_member(
        member, acting_user=None, hardship_cut=30, hardship_until=end_month + timedelta(days=14)
    )

    assert member.fee_for(this_month, schedule)[0] == 14_000
    amount, reason = member.fee_for(end_month, schedule)
    assert amount == 14_000
    assert "30 %" in fee_reason_label(reason)
    assert member.fee_for(add_months(end_month, 1), schedule)[0] == 20_000


def test_a_hardship_cut_is_taken_off_the_rounded_fee_and_rounded_again(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.SALARIED, 1_234_550)
    until = add_months(timezone.localdate(), 1)
    actions.update_member(member, acting_user=None, hardship_cut=30, hardship_until=until)

    # 1 % of 1,234,550 is 12,345.5 → 12,346; less 30 % is 8,642.2 → 8,642.
    assert member.fee_for(timezone.localdate(), schedule)[0] == 8_642


@pytest.mark.parametrize("today", [date(2026, 5, 20), date(2026, 12, 31), date(2028, 2, 29)])
def test_the_longest_hardship_cut_allowed_covers_exactly_twelve_monthly_fees(
    party, schedule, time_machine, today
):
    """domain.md §7: hardship cuts for up to 12 months.

    The longest end date `update_member` accepts (the last day of the eleventh month
    after this one) halves this month's fee and the next eleven, and not a thirteenth.
    """
    time_machine.move_to(vietnam_time(today), tick=False)
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    this_month = month_start(today)
    longest = add_months(this_month, 12) - timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.update_member(
            member, acting_user=None, hardship_cut=50, hardship_until=longest + timedelta(days=1)
        )
    actions.update_member(member, acting_user=None, hardship_cut=50, hardship_until=longest)

    fees = {
        f"{month:%m/%Y}": member.fee_for(month, schedule)[0]
        for month in (add_months(this_month, n) for n in range(15))
    }
    reduced = [month for month, amount in fees.items() if amount == 10_000]
    assert len(reduced) == 12, fees
    assert reduced[0] == f"{today:%m/%Y}"
    assert reduced[-1] == f"{add_months(this_month, 11):%m/%Y}"
    assert [amount for month, amount in fees.items() if month not in reduced] == [20_000] * 3


def test_an_exemption_outweighs_a_hardship_cut(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    actions.update_member(
        member,
        acting_user=None,
        exemption=Member.Exemption.SERIOUS_ILLNESS,
        hardship_cut=70,
        hardship_until=add_months(timezone.localdate(), 3),
    )

    assert member.fee_for(timezone.localdate(), schedule)[0] == 0


# Schedules -----------------------------------------------------------------------------


def test_the_schedule_in_force_on_the_months_first_day_applies(db):
    first = FeeSchedule.objects.create(valid_from=date(2026, 3, 1), other_amount=10_000)
    later = FeeSchedule.objects.create(valid_from=date(2027, 1, 1), other_amount=15_000)

    assert FeeSchedule.for_month(date(2026, 3, 20)) == first
    assert FeeSchedule.for_month(date(2026, 12, 31)) == first
    assert FeeSchedule.for_month(date(2027, 1, 5)) == later


def test_before_any_schedule_the_regulations_rates_apply(db):
    """Regulation 01-QĐ/TW: 1 % (10 ‰), 0.5 % (5 ‰), students 5,000 đ."""
    FeeSchedule.objects.create(valid_from=date(2026, 3, 2), other_amount=10_000)

    schedule = FeeSchedule.for_month(date(2026, 3, 1))

    assert schedule.pk is None
    assert (schedule.salaried_per_mille, schedule.pension_per_mille) == (10, 5)
    assert (schedule.student_amount, schedule.other_amount) == (5_000, 5_000)


# Opening a month -----------------------------------------------------------------------


def test_opening_a_month_works_out_each_current_members_fee(party, schedule):
    salaried = paying(party, "Lò Văn Thành", Basis.SALARIED, 6_240_000)
    student = paying(party, "Lò Thị Ngọc", Basis.STUDENT)
    other = paying(party, "Lò Văn Toàn", Basis.OTHER)
    gone = paying(party, "Lò Văn Bun", Basis.OTHER)
    actions.transfer_member(gone, acting_user=None, on=date(2026, 1, 10), elsewhere="Hà Nội")
    paying(party, "Quàng Văn Nọi", Basis.OTHER, cell=party.other_cell)

    opened = actions.open_fee_month(party.cell, acting_user=None, month=date(2026, 3, 17))

    assert opened == 3
    dues = dict(FeeMonth.objects.filter(month=MARCH).values_list("member", "due"))
    assert dues == {salaried.pk: 62_400, student.pk: 5_000, other.pk: 20_000}
    assert FeeMonth.objects.get(member=student).reason
    assert AuditEntry.objects.filter(verb="party.fee_month_opened").exists()


def test_opening_a_month_twice_creates_nothing_the_second_time(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.SALARIED, 6_240_000)
    actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    actions.update_member(member, acting_user=None, fee_base=8_000_000)

    opened = actions.open_fee_month(party.cell, acting_user=None, month=MARCH)

    assert opened == 0
    assert FeeMonth.objects.get(member=member, month=MARCH).due == 62_400


def test_reopening_a_month_adds_only_members_who_were_missing(party, schedule):
    paying(party, "Lò Văn Thành", Basis.OTHER)
    actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    newcomer = actions.receive_member(
        party.person("Hoàng Thị Dung", date(1990, 4, 4)),
        acting_user=None,
        organisation=party.cell,
        on=date(2026, 3, 20),
        came_from="Chi bộ bản Sẳng",
        admitted_on=date(2019, 5, 19),
        full_member_on=date(2020, 5, 19),
    )

    assert actions.open_fee_month(party.cell, acting_user=None, month=MARCH) == 1
    assert FeeMonth.objects.filter(month=MARCH).count() == 2
    assert FeeMonth.objects.filter(member=newcomer, month=MARCH).exists()


def test_a_member_admitted_after_the_month_owes_nothing_for_it(party, schedule):
    paying(party, "Lò Văn Thành", Basis.OTHER, admitted_on=date(2025, 1, 1))
    late = paying(party, "Lò Thị Ngọc", Basis.OTHER, admitted_on=date(2026, 4, 2))

    assert actions.open_fee_month(party.cell, acting_user=None, month=MARCH) == 1
    assert not FeeMonth.objects.filter(member=late).exists()


# Payments ------------------------------------------------------------------------------


def test_recording_a_payment_settles_the_month(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    treasurer = party.user("thuquy", "Lò Thị Én")
    actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    fee = FeeMonth.objects.get(member=member)

    actions.record_payment(fee, acting_user=treasurer, amount=20_000, paid_on=date(2026, 3, 25))

    fee.refresh_from_db()
    assert (fee.paid, fee.paid_on, fee.outstanding) == (20_000, date(2026, 3, 25), 0)
    assert fee.recorded_by == treasurer
    entry = AuditEntry.objects.get(verb="party.fee_paid")
    assert entry.changes == {"paid": [0, 20_000]}


def test_a_part_payment_leaves_the_rest_outstanding(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    fee = FeeMonth.objects.get(member=member)

    actions.record_payment(fee, acting_user=None, amount=5_000, paid_on=date(2026, 3, 25))

    fee.refresh_from_db()
    assert fee.outstanding == 15_000


@pytest.mark.parametrize(
    "amount, paid_on",
    [
        pytest.param(-1, date(2026, 3, 25), id="negative"),
        pytest.param(20_000, None, id="in_the_future"),
    ],
)
def test_a_negative_or_future_payment_is_refused(party, schedule, amount, paid_on):
    member = paying(party, "Lò Văn Thành", Basis.OTHER)
    actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    fee = FeeMonth.objects.get(member=member)

    with pytest.raises(ValidationError):
        actions.record_payment(
            fee,
            acting_user=None,
            amount=amount,
            paid_on=paid_on or timezone.localdate() + timedelta(days=1),
        )

    fee.refresh_from_db()
    assert (fee.paid, fee.paid_on) == (0, None)


# Arrears -------------------------------------------------------------------------------


@pytest.fixture
def debtor(party):
    return paying(party, "Lò Văn Nợ", Basis.OTHER)


def owe(member, *months, paid=0, due=20_000):
    return [
        FeeMonth.objects.create(member=member, month=month, due=due, paid=paid) for month in months
    ]


def warnings(party, today=date(2026, 5, 20)):
    return unpaid_warnings(Member.objects.filter(organisation=party.cell), 2026, today)


def test_three_unpaid_months_in_the_year_bring_a_warning(party, debtor):
    """domain.md §7: 3 months unpaid in a year without reason → the cell proposes removal."""
    owe(debtor, date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    owe(debtor, date(2026, 4, 1), paid=20_000)

    assert warnings(party) == {debtor.pk: 3}


def test_two_unpaid_months_bring_no_warning(party, debtor):
    owe(debtor, date(2026, 1, 1), date(2026, 3, 1))
    owe(debtor, date(2026, 2, 1), date(2026, 4, 1), paid=20_000)

    assert warnings(party) == {}


def test_a_part_paid_month_counts_as_unpaid(party, debtor):
    owe(debtor, date(2026, 1, 1), date(2026, 2, 1))
    owe(debtor, date(2026, 3, 1), paid=19_000)

    assert warnings(party) == {debtor.pk: 3}


def test_months_the_cell_excused_do_not_count(party, debtor):
    """domain.md §7: only months unpaid *without reason* count towards removal."""
    _jan, february, _mar = owe(debtor, date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1))
    actions.excuse_fee_month(february, acting_user=None)

    assert warnings(party) == {}


def test_the_current_month_does_not_count_yet(party, debtor):
    owe(debtor, date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1))

    assert warnings(party, today=date(2026, 5, 20)) == {}
    assert warnings(party, today=date(2026, 6, 1)) == {debtor.pk: 3}


def test_months_of_another_year_do_not_count(party, debtor):
    owe(debtor, date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1))

    assert warnings(party) == {}


def test_exempt_months_with_nothing_due_do_not_count(party, debtor):
    owe(debtor, date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), due=0)

    assert warnings(party) == {}


# Reasons: stored as codes, worded in the reader's language ----------------------------


def test_the_fees_page_words_the_reason_in_vietnamese_whoever_opened_the_month(
    client, party, schedule
):
    """The month opened in English is read in Vietnamese: "Mức chung", not "Standard rate"."""
    member = paying(party, "Lò Văn Toàn", Basis.OTHER)
    with translation.override("en"):
        actions.open_fee_month(party.cell, acting_user=None, month=MARCH)
    assert FeeMonth.objects.get(member=member).reason == "standard"
    client.force_login(party.user("bithu", "Đinh Văn Hải", Role.CELL_SECRETARY, party.world.hamlet))

    page = client.get(reverse("party:fees", args=[party.cell.pk]), {"month": "03/2026"})

    text = page.content.decode()
    assert "Mức chung" in text
    assert "Standard rate" not in text


def test_a_cut_reason_reads_in_both_languages(party, schedule):
    member = paying(party, "Lò Văn Thành", Basis.PENSIONER, 4_800_000)
    member.hardship_cut, member.hardship_until = 50, MARCH

    _amount, code = member.fee_for(MARCH, schedule)

    assert code == "pension:5;cut:50"
    with translation.override("vi"):
        assert fee_reason_label(code) == "0,5 % lương hưu, giảm 50 % do khó khăn"
    with translation.override("en"):
        assert fee_reason_label(code) == "0,5 % of the pension, cut by 50 % for hardship"
