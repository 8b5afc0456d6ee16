"""The fund ledger's checks in `manage.py check_integrity`: quiet on a sound ledger, and each
deliberately broken row is named."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from maeul.cases.services import linkage_propose
from maeul.funds import integrity
from maeul.funds.models import Donation, LedgerEntry
from maeul.funds.services import disbursement_record, donation_record, fund_create
from maeul.hub.integrity import all_checks

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 2)


@pytest.fixture
def ledger(official, household_a):
    general = fund_create(actor=official, name="민간복지기금")
    education = fund_create(
        actor=official, name="교육 지정기금", restriction="교육비", purpose_domain="education"
    )
    for fund in (general, education):
        donation_record(
            actor=official,
            fund=fund,
            kind="cash",
            donor_name="상인회",
            amount=100_000,
            received_on=DAY,
            dong=official.home_area,
        )
    linkage = linkage_propose(
        actor=official,
        household=household_a,
        kind="emergency_aid",
        description="교육비",
        domain="education",
    )
    disbursement_record(actor=official, fund=education, linkage=linkage, amount=60_000, on=DAY)
    return general, education, linkage


def test_a_sound_ledger_passes_and_the_command_runs_the_funds_checks(ledger):
    assert integrity.checks() == []
    assert integrity.checks in all_checks()
    out = StringIO()
    try:
        call_command("check_integrity", stdout=out)
    except CommandError:
        pass  # another app's check may fail on the test data; ours must say ok
    assert "ok    maeul.funds.checks" in out.getvalue()


def test_an_entry_that_does_not_match_its_donation_is_named(ledger):
    general, _education, _linkage = ledger
    entry = LedgerEntry.objects.get(fund=general, kind="donation")
    LedgerEntry.objects.filter(pk=entry.pk).update(amount=90_000)
    problems = integrity.checks()
    assert any(f"ledger entry {entry.pk}" in p for p in problems)


def test_a_cash_donation_without_its_entry_is_named(ledger):
    general, _education, _linkage = ledger
    LedgerEntry.objects.filter(fund=general, kind="donation").delete()
    assert "1 cash donations have no ledger entry" in integrity.checks()


def test_a_restricted_fund_below_zero_is_named(ledger):
    _general, education, linkage = ledger
    LedgerEntry.objects.create(  # written past the service, as a bad restore would
        fund=education,
        kind="disbursement",
        amount=-50_000,
        on=DAY,
        linkage=linkage,
        recorded_by=Donation.objects.first().recorded_by,
    )
    problems = integrity.checks()
    assert any(p.startswith(f"restricted fund {education.pk}") for p in problems)
    assert any("-10,000" in p for p in problems)


def test_a_disbursement_tied_to_no_linkage_is_named(ledger, official):
    """The table's check constraint forbids it; a restored database may lack it. The test
    turns the constraint off for its own transaction to write the broken row."""
    _general, education, _linkage = ledger
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred foreign-key checks of the fixture's rows would block the ALTER.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE funds_ledgerentry DROP CONSTRAINT ledger_entry_sign_and_source"
            )
        else:
            cursor.execute("PRAGMA ignore_check_constraints = ON")
    try:
        LedgerEntry.objects.create(
            fund=education, kind="disbursement", amount=-1_000, on=DAY, recorded_by=official
        )
    finally:
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA ignore_check_constraints = OFF")
    assert "1 disbursements are tied to no linkage" in integrity.checks()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=StringIO())
