"""The demo district: a synthetic Suyeong-gu (Busan) with two years of welfare-hub history.

`build_demo_district` builds, in one transaction and deterministically from a seed, the gu and
its ten dongs (with tongs and bans), hubs and their teams, partner institutions, the human
safety net, ~14,500 vulnerable households and the history that the indicators count
(DOMAIN.md; seed 003 gives the scales and the before/after story). Only synthetic data.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import random
import time
from collections import Counter

from django.db import connection, transaction

from maeul.areas.models import Area
from maeul.benefits.models import MeansRecord
from maeul.cases.models import Assessment, Case, Conference, FollowUp, Goal, Linkage
from maeul.demo import facts
from maeul.demo.history import History
from maeul.demo.means import means_for_demo
from maeul.demo.organisation import build_organisation
from maeul.demo.population import PopulationBuilder, seal_identities
from maeul.discovery.models import Lead
from maeul.people.coverage import coverage_refresh
from maeul.people.models import BenefitReceipt, Consent, Household, Resident, TimelineEvent
from maeul.resources.models import Resource
from maeul.visits.models import Visit

__all__ = ["build_demo_district", "demo_district_exists", "facts"]

BATCH = 2000


def extra_builders() -> list:
    """The demo's further parts, one module each (`maeul/demo/extra_<app>.py`), run in name
    order after the core district and its history are saved. Each has
    `build(*, seed, today, org, scale) -> dict[str, int]` (counts for the command's summary)
    and builds its rows through its app's services or bulk builders."""
    import maeul.demo

    names = sorted(
        m.name for m in pkgutil.iter_modules(maeul.demo.__path__) if m.name.startswith("extra_")
    )
    return [importlib.import_module(f"maeul.demo.{name}") for name in names]


def demo_district_exists() -> bool:
    return Area.objects.filter(code=facts.GU["code"]).exists()


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Plain multi-row INSERTs for the two largest tables (timeline events, visit members): the
    values are already in database form, so the ORM's per-value preparation is skipped, and a
    statement of 1,000 rows fires the timeline's tally trigger once on PostgreSQL (maeul/tally),
    not once per row."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1_000):
            batch = rows[start : start + 1_000]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([row_marks] * len(batch))}",
                [value for row in batch for value in row],
            )


def _save(model, objects: list, batch_size: int = BATCH) -> list:
    return model.objects.bulk_create(objects, batch_size=batch_size)


@transaction.atomic
def build_demo_district(
    *,
    seed: int = 2026,
    households: int = facts.FULL_HOUSEHOLDS,
    today: dt.date = facts.ANCHOR_TODAY,
    demo_accounts: bool = False,
) -> dict[str, int | float]:
    """Build the district; returns counts and the elapsed seconds. The caller checks that the
    district does not exist yet (`demo_district_exists`)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    scale = households / facts.FULL_HOUSEHOLDS
    org = build_organisation(rng=rng, scale=scale, demo_accounts=demo_accounts, today=today)

    population = PopulationBuilder(rng=rng, today=today, dongs=org.dongs, tongs=org.tongs)
    plans = population.build(households)
    history = History(rng=rng, today=today, org=org, population=population, scale=scale)
    history.run()

    # households, with the creation time of their registration (auto_now_add is overridden)
    _save(Household, [p.obj for p in plans])
    registered = []
    for plan in plans:
        stamp = connection.ops.adapt_datetimefield_value(plan.registered_at)
        registered.append((stamp, stamp, plan.obj.pk))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {Household._meta.db_table} SET created_at = %s, updated_at = %s WHERE id = %s",
            registered,
        )
    population.events.extend(
        (
            p.registered_at,
            "household_registered",
            p.obj.dong_id,
            p.obj,
            None,
            p.obj,
            None,
            str(p.obj),
        )
        for p in plans
        if not p.via_lead  # a lead that found a new household registered it (and its event)
    )
    residents = [m for p in plans for m in p.members]
    seal_identities(residents)
    _save(Resident, residents)
    receipts = [r for p in plans for r in p.receipts]
    _save(BenefitReceipt, receipts)
    coverage_refresh(household_ids=[p.obj.pk for p in plans])  # the indicators' target tally
    # Income and assets of every resident, consistent with what the household receives today,
    # so that the benefit rules (issue 3) have something true-to-life to screen.
    current: dict[int, set[str]] = {}
    for r in receipts:
        if r.started_on <= today and (r.ended_on is None or r.ended_on >= today):
            current.setdefault(r.household_id, set()).add(r.programme)
    means = means_for_demo(rng, residents, receipts=current, today=today)
    _save(MeansRecord, means)
    Through = Household.care_volunteers.through
    Through.objects.bulk_create(
        [Through(household_id=p.obj.pk, user_id=org.volunteer.pk) for p in history.care_households]
    )

    _save(Resource, history.resources)
    _save(Lead, history.leads)
    _save(Visit, history.visits)
    _save(Consent, history.consents)
    _save(Assessment, history.assessments)
    _save(Case, history.cases)
    _save(Visit, history.case_visits)
    _save(FollowUp, history.follow_ups)
    _save(Goal, history.goals)
    _save(Conference, history.conferences)
    _save(Linkage, history.linkages)
    Members = Visit.members.through
    _insert_rows(Members, ["visit_id", "user_id"], [(v.pk, u) for v, u in history.members])

    population.events.sort(key=lambda e: e[0])
    adapt = connection.ops.adapt_datetimefield_value
    _insert_rows(
        TimelineEvent,
        [
            "household_id",
            "dong_id",
            "kind",
            "occurred_at",
            "actor_id",
            "subject_type",
            "subject_id",
            "amount",
            "summary",
        ],
        [
            (
                household.pk if household is not None else None,
                dong_id,
                kind,
                adapt(when),
                actor_id,
                type(subject).__name__.lower() if subject is not None else "",
                subject.pk if subject is not None else None,
                amount,
                summary,
            )
            for when, kind, dong_id, household, actor_id, subject, amount, summary in population.events
        ],
    )
    kinds = Counter(e[1] for e in population.events)
    extra = {}
    for module in extra_builders():
        extra.update(module.build(seed=seed, today=today, org=org, scale=scale) or {})
    return {
        **org.counts,
        "households": len(plans),
        "residents": len(residents),
        "means_records": len(means),
        "benefits": sum(len(p.receipts) for p in plans),
        "leads": len(history.leads),
        "visits": len(history.visits) + len(history.case_visits),
        "assessments": len(history.assessments),
        "cases": len(history.cases),
        "linkages": len(history.linkages),
        "resources": len(history.resources),
        "events": len(population.events),
        "blind_spots": kinds["blind_spot_discovered"],
        "demo_accounts": len(org.personas) if demo_accounts else 0,
        **extra,
        "seconds": round(time.perf_counter() - started, 1),
    }
