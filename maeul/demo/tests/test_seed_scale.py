"""`manage.py seed_scale`: a registry of N residents in the demo's proportions that passes the
app's own consistency checks, on SQLite (multi-row INSERTs) and PostgreSQL (COPY)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from maeul.accounts.models import AuditRecord
from maeul.cases.models import Assessment, Case, Linkage
from maeul.discovery.models import Lead
from maeul.people.identity import decrypt
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.visits.models import Visit
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

RESIDENTS = 800


def test_builds_a_registry_in_the_demos_proportions():
    out = StringIO()
    call_command("seed_scale", residents=RESIDENTS, stdout=out)
    assert "Registry built in" in out.getvalue()
    residents = Resident.objects.count()
    households = Household.objects.count()
    assert abs(residents - RESIDENTS) < RESIDENTS * 0.1
    # the demo district's proportions per household (seed_demo --households 2000), loosely
    assert 1.7 < residents / households < 2.3
    for model, low, high in (
        (Lead, 0.45, 0.85),
        (Visit, 1.6, 3.0),
        (Assessment, 0.6, 1.1),
        (Linkage, 0.9, 2.0),
        (Case, 0.02, 0.2),
        (TimelineEvent, 10, 22),
        (AuditRecord, 1.5, 4.5),
    ):
        assert low < model.objects.count() / households < high, model.__name__
    # every household has its head, the timeline names only households that exist
    check = StringIO()
    call_command("check_integrity", stdout=check)
    assert "The database is consistent." in check.getvalue()
    # registration numbers are stored only encrypted, with their blind index
    sample = Resident.objects.exclude(rrn_encrypted="").first()
    assert sample.rrn_index and "-" in decrypt(sample.rrn_encrypted)
    # the ids were chosen by the builder: the database's sequences continue after them
    top = Household.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert HouseholdFactory().pk > top
    assert Visit.objects.filter(lead__isnull=False).exists()
    assert Linkage.objects.filter(kind="partner_referral", partner__isnull=False).exists()


def test_refuses_a_database_that_has_the_gu_already():
    call_command("seed_scale", residents=150, stdout=StringIO())
    with pytest.raises(CommandError, match="fresh database"):
        call_command("seed_scale", residents=150, stdout=StringIO())


def test_refuses_too_few_residents():
    with pytest.raises(CommandError, match="at least 100"):
        call_command("seed_scale", residents=10, stdout=StringIO())
