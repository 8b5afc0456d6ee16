"""A screening run in the hub: who is listed and who never is, the leads it registers with
their reasons, the model when there are outcomes to learn from, the page and its scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.discovery.models import Lead
from maeul.screening.models import ScreeningEntry, ScreeningRun
from maeul.screening.services import (
    NewOutcome,
    NewSignal,
    outcomes_import,
    screening_run_execute,
    screening_run_open,
    signals_bulk_record,
)
from maeul.screening.synth import generate
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan, visit_record
from tests.factories import HouseholdFactory

TODAY = timezone.localdate()


def _signal(household, code, days_ago, value=None):
    return NewSignal(
        household_id=household.pk,
        dong_id=household.dong_id,
        signal=code,
        observed_on=TODAY - dt.timedelta(days=days_ago),
        value=value,
    )


def _run(actor, **kwargs):
    run = screening_run_open(actor=actor, **kwargs)
    return screening_run_execute(run_id=run.pk)


@pytest.fixture
def district(dong_a, official, gu_user):
    h = {
        name: HouseholdFactory(dong=dong_a)
        for name in ("recent", "duplicate", "stale", "refused", "visited", "quiet")
    }
    signals_bulk_record(
        [
            _signal(h["recent"], "electricity_arrears", 20, 4),
            _signal(h["recent"], "health_insurance_arrears", 40, 6),
            _signal(h["duplicate"], "rent_arrears", 30, 2),
            _signal(h["duplicate"], "rent_arrears", 30, 2),  # the same from a second source
            _signal(h["stale"], "electricity_cut", 900),
            _signal(h["stale"], "job_loss", 1000),
            _signal(h["stale"], "rent_arrears", 1200, 9),
            _signal(h["refused"], "gas_arrears", 10, 3),
            _signal(h["visited"], "water_cut", 15),
        ]
    )
    refused, _ = visit_plan(
        actor=official, household=h["refused"], planned_on=TODAY - dt.timedelta(days=30)
    )
    visit_record(actor=official, visit=refused, outcome=Visit.Outcome.REFUSED)
    visited, _ = visit_plan(
        actor=official, household=h["visited"], planned_on=TODAY - dt.timedelta(days=20)
    )
    visit_record(actor=official, visit=visited, outcome=Visit.Outcome.MET)
    return h


def test_run_lists_recent_signals_only_and_registers_screening_leads(district, gu_user):
    run = _run(gu_user, visits_per_staff=10)
    assert run.status == ScreeningRun.Status.DONE
    assert run.scorer == "rule"  # no outcomes to learn from yet
    listed = {e.household_id: e for e in ScreeningEntry.objects.filter(run=run)}
    assert set(listed) == {district["recent"].pk, district["duplicate"].pk}
    recent = listed[district["recent"].pk]
    assert recent.rank == 1 and recent.active_signals == 2
    lead = Lead.objects.get(pk=recent.lead_id)
    assert lead.source == Lead.Source.SCREENING
    assert lead.household_id == district["recent"].pk
    assert "전기요금 체납 4개월" in lead.description
    assert "건강보험료 체납 6개월" in lead.description
    assert set(lead.crisis_signals) == {"utility_arrears", "health_insurance_arrears"}
    assert listed[district["duplicate"].pk].active_signals == 1
    assert run.leads_created == 2


def test_a_second_run_does_not_list_households_with_an_open_lead(district, gu_user):
    _run(gu_user, visits_per_staff=10)
    again = _run(gu_user, visits_per_staff=10)
    assert again.listed == 0
    assert Lead.objects.filter(source=Lead.Source.SCREENING).count() == 2


def test_a_hub_lists_no_more_than_its_capacity(district, gu_user):
    run = _run(gu_user, visits_per_staff=1)  # one official in dong A: one visit
    assert list(ScreeningEntry.objects.filter(run=run).values_list("household_id", flat=True)) == [
        district["recent"].pk
    ]


def test_dong_staff_cannot_run_and_bad_input_is_refused(district, official, gu_user):
    from maeul.errors import DomainError, PermissionDenied

    with pytest.raises(PermissionDenied):
        screening_run_open(actor=official)
    with pytest.raises(DomainError, match="future"):
        screening_run_open(actor=gu_user, as_of=TODAY + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="between 1 and 200"):
        screening_run_open(actor=gu_user, visits_per_staff=0)
    assert not ScreeningRun.objects.exists()


def test_with_past_outcomes_the_model_ranks_and_the_hold_out_is_shown(dong_a, official, gu_user):
    syn = generate(households=400, today=TODAY, seed=4, capacity_share=0.1, years=3)
    households = [HouseholdFactory(dong=dong_a) for _ in range(400)]
    s = syn.signals
    signals_bulk_record(
        [
            NewSignal(
                household_id=households[r].pk,
                dong_id=dong_a.pk,
                signal=str(code),
                observed_on=day,
                value=value,
            )
            for r, code, day, value in zip(
                s["household"].to_list(),
                s["signal"].cast(str).to_list(),
                s["observed_on"].to_list(),
                s["value"].to_list(),
                strict=True,
            )
        ]
    )
    o = syn.outcomes
    outcomes_import(
        [
            NewOutcome(
                household_id=households[r].pk, dong_id=dong_a.pk, observed_on=d, in_need=bool(y)
            )
            for r, d, y in zip(
                o["household"].to_list(),
                o["observed_on"].to_list(),
                o["in_need"].to_list(),
                strict=True,
            )
        ]
    )
    run = _run(gu_user, visits_per_staff=15)
    assert run.scorer == "model"
    assert run.listed == 15
    entries = list(ScreeningEntry.objects.filter(run=run))
    assert [e.rank for e in entries] == list(range(1, 16))
    assert all(a.score >= b.score for a, b in zip(entries, entries[1:], strict=False))
    assert all(e.reasons and e.active_signals > 0 for e in entries)
    holdout = run.metrics["holdout"]
    assert set(holdout["model"]) == {"precision_at_k", "recall_at_k", "auc"}
    assert {g["grouping"] for g in holdout["fairness"]} == {"age_band", "sex", "disability", "dong"}
    assert holdout["calibration"]
    assert run.metrics["yield"]


def test_with_few_outcomes_what_paid_off_orders_the_next_list(dong_a, official, gu_user):
    """Too few outcomes for a model: the yields measured so far order the list, not the raw
    count — one gas arrears (found in need each time) before two signals that never were."""
    paid, unpaid = HouseholdFactory(dong=dong_a), HouseholdFactory(dong=dong_a)
    past = [HouseholdFactory(dong=dong_a) for _ in range(8)]
    signals_bulk_record(
        [_signal(paid, "gas_arrears", 10, 2)]
        + [_signal(unpaid, "telecom_arrears", 10, 2), _signal(unpaid, "pension_arrears", 12, 3)]
        + [_signal(h, "gas_arrears", 300, 2) for h in past[:4]]
        + [_signal(h, "telecom_arrears", 300, 2) for h in past[4:]]
        + [_signal(h, "pension_arrears", 305, 2) for h in past[4:]]
    )
    outcomes_import(
        [
            NewOutcome(
                household_id=h.pk,
                dong_id=dong_a.pk,
                observed_on=TODAY - dt.timedelta(days=250),
                in_need=i < 4,
            )
            for i, h in enumerate(past)
        ]
    )
    run = _run(gu_user, visits_per_staff=10)
    assert run.scorer == "yield"
    entries = list(ScreeningEntry.objects.filter(run=run).order_by("rank"))
    assert [e.household_id for e in entries] == [paid.pk, unpaid.pk]
    assert [e.active_signals for e in entries] == [1, 2]  # the rule would have put them 2, 1
    assert entries[0].score > entries[1].score > 0
    assert {r["signal"] for r in run.metrics["yield"]} >= {"gas_arrears", "telecom_arrears"}
    # a person still decides: each is a lead with its reasons, nothing more
    assert all(Lead.objects.get(pk=e.lead_id).status == Lead.Status.NEW for e in entries)


def test_page_shows_the_lists_in_scope_and_starts_a_run(
    client, district, gu_user, official, official_b, password
):
    _run(gu_user, visits_per_staff=10)
    client.force_login(official)
    page = client.get(reverse("screening:run"))
    assert page.status_code == 200
    assert f"#{district['recent'].pk}" in page.content.decode()
    assert client.post(reverse("screening:run"), {"visits_per_staff": 3}).status_code == 403
    client.force_login(official_b)
    other = client.get(reverse("screening:run")).content.decode()
    assert f"#{district['recent'].pk}<" not in other
    client.force_login(gu_user)
    bad = client.post(
        reverse("screening:run"),
        {"visits_per_staff": 3, "as_of": (TODAY + dt.timedelta(days=3)).isoformat()},
    )
    assert bad.status_code == 400
    started = client.post(reverse("screening:run"), {"visits_per_staff": 3})
    assert started.status_code == 302
    assert ScreeningRun.objects.filter(status=ScreeningRun.Status.DONE).count() == 2
    status = client.get(reverse("screening:run_status"))
    assert status.status_code == 200


def test_screen_command_runs_every_dong(district, capsys):
    import json

    from django.core.management import call_command

    call_command("screen", "--visits-per-staff", "10", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["listed"] == 2 and out["leads_created"] == 2 and out["scorer"] == "rule"
    assert ScreeningRun.objects.get(pk=out["run"]).actor is None
