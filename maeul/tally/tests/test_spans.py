"""A resident's target spans are the union of the intervals of the receipts that cover them:
touching and overlapping receipts give one run of days, a household-level receipt covers every
member, a receipt of another programme or one that ends before it starts covers no day, and
the day deltas follow the spans."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from maeul.people.models import BenefitReceipt
from maeul.people.services import benefit_end, benefit_start
from maeul.tally.models import TargetDelta, TargetSpan

pytestmark = pytest.mark.django_db

D = dt.date


def spans() -> list[tuple]:
    return sorted(TargetSpan.objects.values_list("resident_id", "start", "stop"))


def deltas() -> dict:
    return dict(TargetDelta.objects.exclude(delta=0).values_list("day", "delta"))


def test_touching_and_overlapping_receipts_give_one_run(household_a):
    head = household_a.members.get()
    first = benefit_start(
        actor=None,
        household=household_a,
        resident=head,
        programme="basic_pension",
        started_on=D(2024, 1, 1),
    )
    benefit_end(actor=None, receipt=first, ended_on=D(2024, 6, 30))
    second = benefit_start(  # starts the day after the first ends
        actor=None,
        household=household_a,
        resident=head,
        programme="near_poor",
        started_on=D(2024, 7, 1),
    )
    benefit_end(actor=None, receipt=second, ended_on=D(2024, 12, 31))
    benefit_start(  # inside the second
        actor=None, household=household_a, programme="nbls_housing", started_on=D(2024, 8, 1)
    )
    assert spans() == [(head.pk, D(2024, 1, 1), None)]
    assert deltas() == {D(2024, 1, 1): 1}


def test_a_gap_gives_two_runs_and_other_programmes_count_nothing(household_a):
    head = household_a.members.get()
    first = benefit_start(
        actor=None,
        household=household_a,
        resident=head,
        programme="basic_pension",
        started_on=D(2024, 1, 1),
    )
    benefit_end(actor=None, receipt=first, ended_on=D(2024, 1, 31))
    benefit_start(
        actor=None,
        household=household_a,
        resident=head,
        programme="basic_pension",
        started_on=D(2024, 3, 1),
    )
    benefit_start(
        actor=None, household=household_a, programme="emergency_welfare", started_on=D(2024, 2, 1)
    )
    assert spans() == [(head.pk, D(2024, 1, 1), D(2024, 2, 1)), (head.pk, D(2024, 3, 1), None)]
    assert deltas() == {D(2024, 1, 1): 1, D(2024, 2, 1): -1, D(2024, 3, 1): 1}


def test_a_receipt_ending_before_it_starts_covers_no_day(household_a):
    head = household_a.members.get()
    BenefitReceipt.objects.create(  # the service refuses it; the span query ignores it too
        household=household_a,
        resident=head,
        programme="basic_pension",
        started_on=D(2024, 5, 1),
        ended_on=D(2024, 4, 1),
    )
    benefit_start(
        actor=None, household=household_a, programme="emergency_welfare", started_on=D(2024, 2, 1)
    )
    assert spans() == []
    assert deltas() == {}


def test_the_triggers_are_installed():
    from maeul.tally import sql

    with connection.cursor() as cursor:
        cursor.execute(sql.installed(connection.vendor))
        assert cursor.fetchone()[0] == len(sql.triggers(connection.vendor))
