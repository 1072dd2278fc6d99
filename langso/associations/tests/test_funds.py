"""Revolving funds: a schedule's instalments sum exactly to the loan; a loan never exceeds
what the fund holds, not even when two are made at the same moment (PostgreSQL, threads);
repaid money is lent again; the ledger and the overdue loans as of a day."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from langso.associations import actions, figures
from langso.associations.models import Fund, Loan
from langso.lib.dates import add_months
from langso.registry.models import Person

MILLION = 1_000_000


@given(
    amount=st.integers(min_value=1, max_value=10**10),
    term=st.integers(min_value=1, max_value=120),
    parts=st.integers(min_value=1, max_value=120),
    rate=st.decimals(min_value=0, max_value=24, places=2),
)
# A pure function: only a busy machine makes drawing the inputs "too slow".
@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_a_schedule_sums_exactly_to_the_amount(amount, term, parts, rate):
    parts = min(parts, term)
    rows = actions.repayment_schedule(
        amount, lent_on=date(2025, 1, 31), term_months=term, interest_rate=rate, instalments=parts
    )
    assert sum(principal for _due, principal, _i in rows) == amount
    assert len(rows) == parts
    assert rows[-1][0] == add_months(date(2025, 1, 31), term)
    assert [due for due, _p, _i in rows] == sorted(due for due, _p, _i in rows)
    if rate == 0:
        assert all(interest == 0 for _d, _p, interest in rows)


def test_a_schedule_with_interest_charges_the_outstanding_balance():
    rows = actions.repayment_schedule(
        12 * MILLION,
        lent_on=date(2025, 3, 1),
        term_months=12,
        interest_rate=Decimal(6),
        instalments=4,
    )
    assert rows == [
        (date(2025, 6, 1), 3 * MILLION, 180_000),
        (date(2025, 9, 1), 3 * MILLION, 135_000),
        (date(2025, 12, 1), 3 * MILLION, 90_000),
        (date(2026, 3, 1), 3 * MILLION, 45_000),
    ]


@pytest.fixture
def fund(assoc):
    cattle = actions.create_organisation(
        acting_user=None,
        name="Tổ hợp tác chăn nuôi bò",
        kind="local",
        unit=assoc.world.commune,
        parent=assoc.farmers,
    )
    return actions.create_fund(
        cattle,
        acting_user=None,
        name="Quỹ chăn nuôi bò",
        source="Quỹ Hỗ trợ nông dân tỉnh",
        amount=30 * MILLION,
        received_on=date(2025, 1, 10),
    )


def lend(fund, person, amount, on, **kwargs):
    return actions.make_loan(
        fund,
        person,
        acting_user=None,
        amount=amount,
        purpose="Mua bò giống",
        lent_on=on,
        term_months=kwargs.pop("term_months", 12),
        **kwargs,
    )


def test_a_loan_beyond_the_balance_is_refused_and_repaid_money_is_lent_again(assoc, fund):
    phung = Person.objects.get(full_name="Nguyễn Văn Phụng")
    hung = Person.objects.get(full_name="Lê Văn Hùng")
    first = lend(fund, phung, 20 * MILLION, date(2025, 2, 1), instalments=2)
    with pytest.raises(ValidationError, match=r"chỉ còn 10\.000\.000 đ"):
        lend(fund, hung, 15 * MILLION, date(2025, 3, 1))
    actions.record_repayment(
        first, acting_user=None, paid_on=date(2025, 8, 1), principal=10 * MILLION
    )
    # Before the repayment the money is not there; after it, it is lent again.
    with pytest.raises(ValidationError):
        lend(fund, hung, 15 * MILLION, date(2025, 7, 1))
    lend(fund, hung, 15 * MILLION, date(2025, 8, 2))
    assert fund.balance_on(date(2025, 8, 2)) == 5 * MILLION
    ledger = fund.ledger(date(2025, 12, 31))
    assert [(row["in"], row["out"], row["balance"]) for row in ledger] == [
        (30 * MILLION, 0, 30 * MILLION),
        (0, 20 * MILLION, 10 * MILLION),
        (10 * MILLION, 0, 20 * MILLION),
        (0, 15 * MILLION, 5 * MILLION),
    ]


def test_a_loan_dated_earlier_may_not_empty_the_fund_below_a_later_loan(assoc, fund):
    phung = Person.objects.get(full_name="Nguyễn Văn Phụng")
    lend(fund, phung, 25 * MILLION, date(2025, 6, 1))
    # On 1 March there are 30 million, but 25 of them go out on 1 June.
    with pytest.raises(ValidationError, match=r"5\.000\.000"):
        lend(fund, phung, 6 * MILLION, date(2025, 3, 1))


def test_overdue_loans_and_the_dashboard_money(assoc, fund):
    phung = Person.objects.get(full_name="Nguyễn Văn Phụng")
    hung = Person.objects.get(full_name="Lê Văn Hùng")
    late = lend(fund, phung, 12 * MILLION, date(2025, 2, 1), instalments=4)
    on_time = lend(fund, hung, 6 * MILLION, date(2025, 2, 1), instalments=2)
    actions.record_repayment(
        on_time, acting_user=None, paid_on=date(2025, 8, 1), principal=3 * MILLION
    )
    actions.record_repayment(
        late, acting_user=None, paid_on=date(2025, 5, 1), principal=3 * MILLION
    )
    day = date(2025, 9, 15)
    assert late.overdue_on(day) == 3 * MILLION  # the August instalment is unpaid
    assert on_time.overdue_on(day) == 0
    assert figures.overdue_loans(Fund.objects.all(), day) == [late]
    result = figures.commune_figures(assoc.world.commune, day, organisations=None)
    assert result.fund_balance == 30 * MILLION - 18 * MILLION + 6 * MILLION
    assert (result.overdue_loans, result.overdue_amount) == (1, 3 * MILLION)
    assert result.loans_outstanding == 12 * MILLION


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_loans_at_once_never_take_the_fund_below_zero(world):
    from langso.associations.tests.worlds import AssociationWorld

    assoc = AssociationWorld(world)
    cattle = actions.create_organisation(
        acting_user=None, name="Tổ chăn nuôi", kind="local", unit=world.commune
    )
    fund = actions.create_fund(
        cattle,
        acting_user=None,
        name="Quỹ",
        source="Tỉnh",
        amount=30 * MILLION,
        received_on=date(2025, 1, 10),
    )
    people = [
        Person.objects.get(full_name="Nguyễn Văn Phụng"),
        Person.objects.get(full_name="Lê Văn Hùng"),
    ]
    barrier = threading.Barrier(2)
    outcomes = []

    def borrow(person):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            lend(fund, person, 20 * MILLION, date(2025, 2, 1))
            outcomes.append("lent")
        except ValidationError:
            outcomes.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=borrow, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["lent", "refused"]
    assert Loan.objects.count() == 1
    assert fund.balance_on(date(2025, 2, 1)) == 10 * MILLION
    assert assoc.women.pk
