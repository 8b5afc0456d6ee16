"""The indicators read from the tallies (maeul/tally) equal the live recount of the timeline and
the benefits received (`indicators.recount`, the counting used before issue 14), after every
writer: receipts started and ended (personal and household-level), members added and moved,
records merged and the merge undone, erasure, events recorded one by one and in bulk, deleted
with their household, and at times either side of local midnight. `check_integrity` passes on
such a world, catches a tampered tally, and `tally_rebuild` repairs it."""

from __future__ import annotations

import datetime as dt
import random
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from maeul.indicators.recount import MEASURED, live_values, tallied_values
from maeul.indicators.selectors import indicator_values_of
from maeul.people.bulk import NewEvent, events_bulk_record
from maeul.people.coverage import tallies_problems, tallies_rebuild
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.people.registry import households_merge, merge_undo, resident_add, resident_move
from maeul.people.services import benefit_end, benefit_start, event_record, household_anonymise
from maeul.tally.models import CaseSpan, EventDay, TargetDelta, TargetSpan
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

KST = ZoneInfo("Asia/Seoul")
K = TimelineEvent.Kind
PROGRAMMES = [
    "basic_pension",
    "nbls_livelihood",
    "near_poor",
    "child_allowance",
    "emergency_welfare",
]
EVENT_KINDS = [
    K.VISIT_COMPLETED,
    K.BLIND_SPOT_DISCOVERED,
    K.LINKAGE_PROVIDED,
    K.LINKAGE_PROPOSED,
    K.RESOURCE_DISCOVERED,
    K.CASE_OPENED,
    K.CASE_OPENED,
    K.CASE_CLOSED,
    K.CASE_CLOSED,
    K.CASE_REOPENED,
]
FIRST = dt.date(2024, 1, 1)
DAYS = 3 * 365


def day(rng: random.Random) -> dt.date:
    return FIRST + dt.timedelta(days=rng.randrange(DAYS))


def moment(rng: random.Random) -> dt.datetime:
    d = day(rng)
    # a third of the events within an hour of local midnight, either side
    if rng.random() < 0.33:
        return dt.datetime(d.year, d.month, d.day, tzinfo=KST) + dt.timedelta(
            minutes=rng.randint(-60, 60)
        )
    return dt.datetime(d.year, d.month, d.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=KST)


def periods(rng: random.Random) -> list[tuple[dt.date, dt.date]]:
    found = [(FIRST, FIRST + dt.timedelta(days=DAYS)), (FIRST, FIRST)]
    for _ in range(6):
        a, b = sorted((day(rng), day(rng)))
        found.append((a, b))
    return found


def assert_exact(gu, rng: random.Random) -> None:
    chosen = periods(rng)
    together = indicator_values_of(gu=gu, periods=chosen)  # as the comparison page reads them
    for (start, end), values in zip(chosen, together, strict=True):
        live = live_values(gu=gu, start=start, end=end)
        assert tallied_values(gu=gu, start=start, end=end) == live, (start, end)
        assert {k: {m: row[m] for m in MEASURED} for k, row in values.items()} == live
    assert tallies_problems() == []


def build_world(rng: random.Random, *, dongs, actor) -> list[Household]:
    households = []
    for i in range(10):
        dong = rng.choice(dongs)
        # pairs of records at one address, so that some can be merged
        household = HouseholdFactory(dong=dong, address=f"부산광역시 수영구 시험로 {i // 2}")
        for _ in range(rng.randint(0, 2)):
            resident_add(actor=actor, household=household, name="김하늘", relation="child")
        households.append(household)
    for _ in range(25):
        household = rng.choice(households)
        members = list(household.members.all())
        personal = rng.random() < 0.6
        receipt = benefit_start(
            actor=actor,
            household=household,
            resident=rng.choice(members) if personal else None,
            programme=rng.choice(PROGRAMMES),
            started_on=day(rng),
        )
        if rng.random() < 0.5:
            benefit_end(
                actor=actor,
                receipt=receipt,
                ended_on=receipt.started_on + dt.timedelta(days=rng.randrange(400)),
            )
    for _ in range(60):
        household = rng.choice(households)
        kind = rng.choice(EVENT_KINDS)
        event_record(
            kind=kind,
            dong_id=rng.choice(dongs).pk if rng.random() < 0.1 else household.dong_id,
            household=None if kind == K.RESOURCE_DISCOVERED and rng.random() < 0.5 else household,
            amount=rng.randrange(1, 10) * 10_000 if kind == K.RESOURCE_DISCOVERED else None,
            occurred_at=moment(rng),
        )
    events_bulk_record(
        [
            NewEvent(
                kind=rng.choice(EVENT_KINDS),
                dong_id=h.dong_id,
                household_id=h.pk,
                actor_id=None,
                subject_type="",
                subject_id=None,
                summary="",
                occurred_at=moment(rng),
                amount=5_000,
            )
            for h in rng.sample(households, 5)
        ]
    )
    return households


@pytest.mark.parametrize("seed", range(4))
def test_every_writer_keeps_the_indicators_exact(seed, gu, dong_a, dong_b, gu_user):
    rng = random.Random(seed)
    households = build_world(rng, dongs=[dong_a, dong_b], actor=gu_user)
    assert_exact(gu, rng)

    # a member moves (with their own benefits) to another household, maybe in another dong
    movers = [h for h in households if h.members.count() > 1]
    source = rng.choice(movers)
    target = rng.choice([h for h in households if h.pk != source.pk])
    resident_move(actor=gu_user, resident=source.members.last(), to=target)
    assert_exact(gu, rng)

    # two records of one household (same address) merged, then the merge undone
    pair = 2 * rng.randrange(5)
    keep = Household.objects.get(pk=households[pair].pk)
    merge = Household.objects.get(pk=households[pair + 1].pk)
    record = households_merge(actor=gu_user, keep=keep, merge=merge)
    assert_exact(gu, rng)
    merge_undo(actor=gu_user, merge=record)
    assert_exact(gu, rng)

    # erasure keeps every counted row; events deleted or moved (past any service) are followed
    # by the database's triggers
    household_anonymise(household=households[3])
    assert_exact(gu, rng)
    TimelineEvent.objects.filter(household_id=households[pair].pk).delete()
    assert_exact(gu, rng)
    TimelineEvent.objects.filter(household_id=households[5].pk).update(
        household_id=households[6].pk, dong_id=households[6].dong_id
    )
    assert_exact(gu, rng)


def test_rebuild_gives_the_tallies_the_writers_kept(gu, dong_a, dong_b, gu_user):
    rng = random.Random(7)
    build_world(rng, dongs=[dong_a, dong_b], actor=gu_user)

    def tables():
        return (
            {
                (r["dong_id"], r["kind"], r["day"], r["n"], r["amount"])
                for r in EventDay.objects.exclude(n=0, amount=0).values()
            },
            set(CaseSpan.objects.values_list("dong_id", "household_id", "opened_at", "closed_at")),
            set(
                TargetSpan.objects.values_list(
                    "resident_id", "household_id", "dong_id", "start", "stop"
                )
            ),
            set(TargetDelta.objects.exclude(delta=0).values_list("dong_id", "day", "delta")),
        )

    kept = tables()
    assert all(kept)
    tallies_rebuild()
    assert tables() == kept


def test_an_event_is_counted_on_its_local_day(gu, dong_a, household_a):
    late = dt.datetime(2026, 3, 1, 23, 59, tzinfo=KST)
    for when in (late, late + dt.timedelta(minutes=2)):
        event_record(
            kind=K.VISIT_COMPLETED, dong_id=dong_a.pk, household=household_a, occurred_at=when
        )
    days = dict(EventDay.objects.filter(kind=K.VISIT_COMPLETED).values_list("day", "n"))
    assert days == {dt.date(2026, 3, 1): 1, dt.date(2026, 3, 2): 1}


def test_a_case_reopened_and_closed_gives_its_open_spans(gu, dong_a, household_a):
    def at(d, h):
        return dt.datetime(2026, 1, d, h, tzinfo=KST)

    for kind, when in (
        (K.CASE_OPENED, at(1, 9)),
        (K.CASE_OPENED, at(2, 9)),  # a second opening before the closing: one span
        (K.CASE_CLOSED, at(5, 9)),
        (K.CASE_REOPENED, at(10, 9)),
    ):
        event_record(kind=kind, dong_id=dong_a.pk, household=household_a, occurred_at=when)
    spans = sorted(CaseSpan.objects.values_list("opened_at", "closed_at"))
    assert spans == [(at(1, 9), at(5, 9)), (at(10, 9), None)]


def test_a_member_added_to_a_household_on_a_household_benefit_is_a_target(
    gu, dong_a, household_a, gu_user
):
    benefit_start(
        actor=gu_user,
        household=household_a,
        programme="nbls_livelihood",
        started_on=dt.date(2025, 1, 1),
    )
    resident_add(actor=gu_user, household=household_a, name="박바다", relation="child")
    today = dt.date(2026, 1, 1)
    assert tallied_values(gu=gu, start=today, end=today)[dong_a.pk]["targets"] == 2
    assert tallies_problems() == []


def run_check() -> str:
    out = StringIO()
    try:
        call_command("check_integrity", stdout=out)
    except CommandError:
        pass
    return out.getvalue()


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda: EventDay.objects.update(n=99), "event tally rows differ"),
        (lambda: CaseSpan.objects.all().delete(), "case spans differ"),
        (lambda: TargetSpan.objects.update(stop=dt.date(2025, 2, 1)), "target spans differ"),
        (lambda: TargetDelta.objects.update(delta=5), "target day deltas differ"),
        (
            lambda: Resident.objects.create(
                household=Household.objects.first(), name="몰래", name_key="몰래"
            ),  # a member written past people's services: their household benefit is not counted
            "target spans differ",
        ),
    ],
)
def test_check_integrity_catches_a_tampered_tally_and_rebuild_repairs_it(
    tamper, message, gu, dong_a, household_a, gu_user
):
    benefit_start(
        actor=gu_user,
        household=household_a,
        programme="nbls_livelihood",
        started_on=dt.date(2025, 1, 1),
    )
    for kind in (K.CASE_OPENED, K.VISIT_COMPLETED):
        event_record(kind=kind, dong_id=dong_a.pk, household=household_a)
    assert "The database is consistent." in run_check()
    tamper()
    with pytest.raises(CommandError):
        call_command("check_integrity", stdout=StringIO())
    assert message in run_check()
    out = StringIO()
    call_command("tally_rebuild", stdout=out)
    assert "They equal a recount." in out.getvalue()
    assert "The database is consistent." in run_check()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers")
def test_a_missing_trigger_fails_the_check(gu, dong_a):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER tally_timeline_insert ON people_timelineevent")
    assert "tally triggers on the timeline are missing" in run_check()
