"""The registry sweep: blind spots and unqualified receipts per dong, leads once, SweepRun,
the gu page and its scope."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import call_command

from maeul.benefits.models import MeansRecord, SweepRun
from maeul.benefits.services import registry_sweep
from maeul.benefits.tests.helpers import means_for
from maeul.demo.means import means_for_demo
from maeul.discovery.models import Lead
from maeul.errors import NotFound
from maeul.people.models import BenefitReceipt, Resident, TimelineEvent

pytestmark = pytest.mark.django_db
PERIOD = "2026-11"


@pytest.fixture
def planted(household_a, household_b):
    """household_a: aged, no income, receives nothing → blind spot. household_b: receives the
    livelihood benefit with ₩3,000,000 a month → unqualified receipt."""
    means_for(household_a)
    means_for(household_b, other_income=3_000_000)
    BenefitReceipt.objects.create(
        household=household_b, programme="nbls_livelihood", started_on=dt.date(2020, 1, 1)
    )
    BenefitReceipt.objects.create(
        household=household_b, programme="basic_pension", started_on=dt.date(2020, 1, 1)
    )
    return household_a, household_b


def test_sweep_finds_the_planted_blind_spot_and_unqualified_receipt(planted, dong_a, dong_b):
    household_a, household_b = planted
    run = registry_sweep(period=PERIOD)
    a = run.results[str(dong_a.pk)]
    b = run.results[str(dong_b.pk)]
    blind = dict((h, set(p)) for h, p in a["blind_spots"])
    assert {"nbls_livelihood", "basic_pension"} <= blind[household_a.pk]
    assert dict((h, set(p)) for h, p in b["unqualified"]) == {
        household_b.pk: {"nbls_livelihood", "basic_pension"}
    }
    assert not b["blind_spots"] and not a["unqualified"]
    assert (run.households, run.blind_spots, run.unqualified, run.incomplete) == (2, 1, 1, 0)
    assert SweepRun.objects.count() == 1 and run.seconds >= 0


def test_households_with_unknown_means_are_not_judged_on_means(household_a, dong_a):
    Resident.objects.create(
        household=household_a,
        name="김아이",
        name_key="김아이",
        relation="child",
        birth_date=dt.date(2021, 1, 1),
    )
    run = registry_sweep(period=PERIOD)
    entry = run.results[str(dong_a.pk)]
    assert entry["incomplete"] == 1
    assert entry["blind_spots"] == [[household_a.pk, ["child_allowance"]]]


def test_create_leads_makes_one_lead_per_blind_spot_once(planted, official, dong_a):
    household_a, _ = planted
    run = registry_sweep(actor=official, period=PERIOD, create_leads=True)
    assert run.leads_created == 1
    lead = Lead.objects.get()
    assert lead.household == household_a and lead.source == Lead.Source.HIGH_RISK_LIST
    assert lead.urgency == Lead.Urgency.NORMAL and "Rules sweep" in lead.description
    assert TimelineEvent.objects.filter(
        household=household_a, kind=TimelineEvent.Kind.LEAD_REGISTERED, subject_id=lead.pk
    ).exists()
    again = registry_sweep(actor=official, period=PERIOD, create_leads=True)
    assert again.leads_created == 0 and Lead.objects.count() == 1


def test_dong_staff_sweep_only_their_dong(planted, official, dong_a, dong_b):
    run = registry_sweep(actor=official, period=PERIOD)
    assert set(run.results) == {str(dong_a.pk)}
    with pytest.raises(NotFound):
        registry_sweep(actor=official, period=PERIOD, dong_ids=[dong_b.pk])


def test_gu_page_shows_the_last_run_and_dong_staff_see_their_dong(
    client, planted, gu_user, official, dong_a, dong_b, django_assert_max_num_queries
):
    household_a, household_b = planted
    registry_sweep(period=PERIOD)
    client.force_login(gu_user)
    with django_assert_max_num_queries(12):
        html = client.get("/benefits/sweep/").content.decode()
    assert f"/households/{household_a.pk}/" in html and f"/households/{household_b.pk}/" in html
    client.force_login(official)
    html = client.get("/benefits/sweep/").content.decode()
    assert f"/households/{household_a.pk}/" in html
    assert f"/households/{household_b.pk}/" not in html and dong_b.name not in html


def test_page_button_sweeps_and_creates_leads(client, planted, gu_user):
    client.force_login(gu_user)
    response = client.post("/benefits/sweep/", {"period": PERIOD, "create_leads": "1"})
    assert response.status_code == 302
    assert SweepRun.objects.get().leads_created == 1 and Lead.objects.count() == 1


def test_page_refuses_a_bad_month_and_volunteers(client, planted, gu_user, volunteer):
    client.force_login(gu_user)
    assert client.post("/benefits/sweep/", {"period": "2024-01"}).status_code == 400
    assert not SweepRun.objects.exists()
    client.force_login(volunteer)
    assert client.get("/benefits/sweep/").status_code == 404


def test_command_prints_counts_per_dong_and_timing(planted, capsys):
    call_command("benefits_sweep", "--period", PERIOD, "--create-leads")
    out = capsys.readouterr().out
    assert "blind spots" in out and "leads created: 1" in out and "sweep (database" in out


def test_demo_means_are_deterministic_and_follow_receipts(household_a, household_b):
    BenefitReceipt.objects.create(
        household=household_b, programme="nbls_livelihood", started_on=dt.date(2020, 1, 1)
    )
    residents = list(Resident.objects.order_by("id"))
    receipts = {household_b.pk: {"nbls_livelihood"}}
    first = means_for_demo(
        random.Random(1), residents, receipts=receipts, today=dt.date(2026, 11, 1)
    )
    second = means_for_demo(
        random.Random(1), residents, receipts=receipts, today=dt.date(2026, 11, 1)
    )
    assert [r.other_income for r in first] == [r.other_income for r in second]
    assert all(r.complete for r in first)
    call_command("seed_demo_means")
    assert MeansRecord.objects.count() == 2
    call_command("seed_demo_means", "--if-empty")
    assert MeansRecord.objects.count() == 2
