"""The demo district: deterministic from its seed, demo accounts only in demo mode, and a
history whose records and timeline events agree with each other."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from maeul.accounts.models import SafetyNetMember, User
from maeul.areas.models import Area, Hub
from maeul.cases.models import Case, Linkage
from maeul.demo.district import build_demo_district, facts
from maeul.discovery.models import Lead
from maeul.people.identity import decrypt
from maeul.people.models import Household, Resident, TimelineEvent
from maeul.visits.models import Visit

pytestmark = pytest.mark.django_db

SMALL = 300


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_demo", households=SMALL, stdout=out, **options)
    return out.getvalue()


def snapshot() -> dict:
    first = Household.objects.order_by("pk").first()
    return {
        "counts": [
            m.objects.count() for m in (Area, Household, Resident, Lead, Visit, Case, TimelineEvent)
        ],
        "first_head": first.members.order_by("pk").first().name,
        "first_address": first.address,
        "indexes": list(Resident.objects.order_by("pk").values_list("rrn_index", flat=True)[:20]),
        "events": list(
            TimelineEvent.objects.order_by("pk").values_list("kind", "occurred_at", "summary")[:200]
        ),
    }


def build_and_roll_back(seed_value: int) -> dict:
    with transaction.atomic():
        build_demo_district(seed=seed_value, households=SMALL)
        result = snapshot()
        transaction.set_rollback(True)
    return result


def test_same_seed_gives_the_same_district(settings):
    settings.DEMO_MODE = False
    first = build_and_roll_back(2026)
    assert not Area.objects.exists()
    second = build_and_roll_back(2026)
    assert first == second
    assert build_and_roll_back(7)["indexes"] != first["indexes"]


def test_district_has_the_real_dongs_hubs_and_waves(settings):
    settings.DEMO_MODE = False
    output = seed()
    assert "Demo district built in" in output and "no sign-in accounts" in output
    gu = Area.objects.get(code="2650000000")
    assert (gu.name, gu.name_en, gu.parent.code) == ("수영구", "Suyeong-gu", "2600000000")
    dongs = Area.objects.filter(parent=gu, level=Area.Level.DONG)
    assert dongs.count() == 10
    mangmi = dongs.get(code="2650074000")
    assert (mangmi.name, mangmi.name_en) == ("망미제1동", "Mangmi 1-dong")
    assert 35.1 < mangmi.lat < 35.2 and 129.08 < mangmi.lon < 129.13
    openings = sorted(Hub.objects.values_list("opened_on", flat=True))
    assert openings.count(facts.FIRST_WAVE) == 7 and openings.count(facts.SECOND_WAVE) == 3
    assert 20 <= Area.objects.filter(parent=mangmi, level=Area.Level.TONG).count() <= 35
    assert Household.objects.count() == SMALL
    assert not User.objects.filter(username__in=list(facts.DEMO_PERSONAS)).exists()
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_residents_have_registration_numbers_matching_birth_and_sex(settings):
    settings.DEMO_MODE = False
    seed()
    for resident in Resident.objects.order_by("pk")[:200]:
        rrn = decrypt(resident.rrn_encrypted)
        assert rrn[:6] == resident.birth_date.strftime("%y%m%d")
        gender = int(rrn[7])
        assert gender in ((1, 2) if resident.birth_date.year < 2000 else (3, 4))
        assert (gender % 2 == 1) == (resident.sex == "M")
        assert resident.rrn_index and resident.name_key == resident.name.replace(" ", "")
    assert Household.objects.exclude(address_key="").count() == SMALL


def test_demo_mode_creates_the_demo_accounts(settings):
    settings.DEMO_MODE = True
    seed()
    users = {u.username: u for u in User.objects.filter(username__in=list(facts.DEMO_PERSONAS))}
    assert set(users) == set(facts.DEMO_PERSONAS)
    for username, spec in facts.DEMO_PERSONAS.items():
        user = users[username]
        assert user.check_password(facts.DEMO_PASSWORD)
        assert user.role == spec["role"] and user.full_name == spec["full_name"]
    assert users["gu"].home_area.code == "2650000000"
    assert users["mangmi1"].home_area.code == "2650074000"
    assert users["suyeong"].home_area.code == "2650073000"
    volunteer = users["volunteer1"]
    assert volunteer.safety_net.team == SafetyNetMember.Team.CARE
    assert volunteer.care_households.count() == 10
    assert set(volunteer.care_households.values_list("dong__code", flat=True)) == {"2650074000"}
    assert Linkage.objects.filter(
        partner=users["partner1"].partner, kind="partner_referral", dong__code="2650074000"
    ).exists()
    today = facts.ANCHOR_TODAY
    assert Visit.objects.filter(
        members=users["mangmi1"], planned_on=today, status="planned"
    ).exists()
    assert Lead.objects.filter(dong__code="2650074000", urgency="emergency", status="new").exists()

    out = StringIO()
    call_command("demo_accounts", stdout=out)
    table = out.getvalue()
    assert "mangmi1" in table and facts.DEMO_PASSWORD in table and "망미제1동" in table


def test_demo_accounts_command_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_accounts", stdout=StringIO())


def test_if_empty_does_nothing_the_second_time(settings):
    settings.DEMO_MODE = False
    seed(if_empty=True)
    events = TimelineEvent.objects.count()
    assert "nothing to do" in seed(if_empty=True)
    assert TimelineEvent.objects.count() == events
    with pytest.raises(CommandError, match="already exists"):
        seed()


def test_bad_options_are_clear_errors():
    with pytest.raises(CommandError, match="--today"):
        call_command("seed_demo", households=SMALL, today="yesterday", stdout=StringIO())
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", households=3, stdout=StringIO())
    assert not Area.objects.exists()


def test_history_records_and_events_agree(settings):
    settings.DEMO_MODE = False
    seed()
    K = TimelineEvent.Kind
    cutoff = dt.datetime(2026, 11, 23, 9, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    done = Visit.objects.filter(status="done")
    assert done.count() == TimelineEvent.objects.filter(kind=K.VISIT_COMPLETED).count()
    assert set(
        TimelineEvent.objects.filter(kind=K.VISIT_COMPLETED).values_list("subject_id", flat=True)
    ) == set(done.values_list("pk", flat=True))
    provided = Linkage.objects.filter(status="provided")
    assert provided.count() == TimelineEvent.objects.filter(kind=K.LINKAGE_PROVIDED).count()
    assert Case.objects.count() == TimelineEvent.objects.filter(kind=K.CASE_OPENED).count()
    assert Case.objects.filter(status="closed").count() == (
        TimelineEvent.objects.filter(kind=K.CASE_CLOSED).count()
    )
    assert Household.objects.count() == (
        TimelineEvent.objects.filter(kind=K.HOUSEHOLD_REGISTERED).count()
    )
    assert not TimelineEvent.objects.filter(occurred_at__gte=cutoff).exists()
    assert not Visit.objects.filter(status="done", planned_on__gte=facts.ANCHOR_TODAY).exists()
    blind = TimelineEvent.objects.filter(kind=K.BLIND_SPOT_DISCOVERED)
    assert blind.values("household").distinct().count() == blind.count()
    assert TimelineEvent.objects.filter(
        kind=K.RESOURCE_DISCOVERED, household__isnull=True, amount__gt=0
    ).exists()
    # more site visits after the first wave opened than in the same months before
    before = TimelineEvent.objects.filter(
        kind=K.VISIT_COMPLETED, occurred_at__date__range=(dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    ).count()
    after = TimelineEvent.objects.filter(
        kind=K.VISIT_COMPLETED, occurred_at__date__range=(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    ).count()
    assert after > 2 * before
