"""Referrals that close: the partner's state machine, the deadline's reminder and escalation
(with a frozen clock), the portal's scoping to consented fields, and a public benefit provided
starting the household's benefit record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from maeul.cases.models import Linkage
from maeul.cases.services import linkage_propose, linkage_update, referrals_chase
from maeul.discovery.models import OutboxMessage
from maeul.errors import DomainError, NotFound
from maeul.people.models import BenefitReceipt, Consent, TimelineEvent
from maeul.people.services import consent_withdraw
from tests.factories import PartnerFactory, UserFactory

S = Linkage.Status
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(monkeypatch):
    """A frozen clock: `clock.now` is what timezone.now() returns; move it by assigning."""

    class Clock:
        now = START

    c = Clock()
    monkeypatch.setattr(timezone, "now", lambda: c.now)
    return c


@pytest.fixture
def referral(official, partner_org, household_a, referral_consent):
    referral_consent(household_a)

    def make(**kwargs):
        return linkage_propose(
            actor=official,
            household=household_a,
            kind="partner_referral",
            partner=partner_org,
            description="밑반찬 지원",
            **kwargs,
        )

    return make


def test_the_partner_accepts_then_serves(referral, partner_user, household_a):
    linkage = referral()
    assert linkage.status == S.PROPOSED and linkage.status_label == "received"
    linkage = linkage_update(actor=partner_user, linkage=linkage, status="accepted")
    linkage = linkage_update(
        actor=partner_user,
        linkage=linkage,
        status="provided",
        note="밑반찬 4주",
        served_on=timezone.localdate(),
    )
    assert linkage.status_label == "served" and linkage.outcome_note == "밑반찬 4주"
    assert TimelineEvent.objects.filter(kind="linkage_provided", household=household_a).count() == 1


@pytest.mark.parametrize(
    "path,illegal",
    [
        ([], "provided"),
        ([], "returned"),
        ([], "requested"),
        (["accepted"], "accepted"),
        (["accepted"], "declined"),
        (["accepted", "provided"], "returned"),
        (["accepted", "returned"], "provided"),
        (["declined"], "accepted"),
    ],
)
def test_illegal_transitions_are_refused(referral, partner_user, path, illegal):
    linkage = referral()
    extra = {"reason": "no_capacity", "note": "사유"}
    for status in path:
        linkage = linkage_update(actor=partner_user, linkage=linkage, status=status, **extra)
    with pytest.raises(DomainError) as exc:
        linkage_update(actor=partner_user, linkage=linkage, status=illegal, **extra)
    assert exc.value.code == "invalid_transition"
    assert Linkage.objects.get(pk=linkage.pk).status == linkage.status


def test_decline_needs_a_reason_and_other_needs_text(referral, partner_user):
    linkage = referral()
    for kwargs, code in [({}, "reason_required"), ({"reason": "other"}, "note_required")]:
        with pytest.raises(DomainError) as exc:
            linkage_update(actor=partner_user, linkage=linkage, status="declined", **kwargs)
        assert exc.value.code == code
    assert Linkage.objects.get(pk=linkage.pk).status == S.PROPOSED
    assert not TimelineEvent.objects.filter(kind="linkage_declined").exists()
    linkage = linkage_update(
        actor=partner_user, linkage=linkage, status="declined", reason="out_of_area", note="관외"
    )
    assert linkage.decline_reason == "out_of_area" and linkage.outcome_note == "관외"


def test_served_needs_what_and_a_sensible_date(referral, partner_user):
    linkage = linkage_update(actor=partner_user, linkage=referral(), status="accepted")
    with pytest.raises(DomainError) as exc:
        linkage_update(actor=partner_user, linkage=linkage, status="provided")
    assert exc.value.code == "note_required"
    for day in (timezone.localdate() + dt.timedelta(days=1), dt.date(2020, 1, 1)):
        with pytest.raises(DomainError) as exc:
            linkage_update(
                actor=partner_user, linkage=linkage, status="provided", note="x", served_on=day
            )
        assert exc.value.code == "invalid_served_on"
    with pytest.raises(DomainError) as exc:
        linkage_update(actor=partner_user, linkage=linkage, status="returned")
    assert exc.value.code == "note_required"


def test_the_hub_only_withdraws_and_the_partner_cannot(referral, official, partner_user):
    linkage = referral()
    for status in ("accepted", "provided", "declined"):
        with pytest.raises(DomainError):
            linkage_update(actor=official, linkage=linkage, status=status, reason="other", note="x")
    with pytest.raises(DomainError):
        linkage_update(actor=partner_user, linkage=linkage, status="withdrawn")
    linkage = linkage_update(actor=official, linkage=linkage, status="withdrawn")
    with pytest.raises(DomainError):
        linkage_update(actor=partner_user, linkage=linkage, status="accepted")


def test_another_partner_cannot_touch_it(referral, dong_a):
    linkage = referral()
    stranger = UserFactory(role="partner", partner=PartnerFactory(area=dong_a))
    with pytest.raises(NotFound):
        linkage_update(actor=stranger, linkage=linkage, status="accepted")


def test_unanswered_referral_reminds_then_escalates(clock, referral, partner_user, official):
    partner_user.email = "partner@example.org"
    partner_user.save()
    official.email = "official@example.org"
    official.save()
    linkage = referral()
    assert linkage.due_at == START + dt.timedelta(days=3)
    clock.now = START + dt.timedelta(days=2)
    assert referrals_chase() == {"reminded": 0, "escalated": 0}
    clock.now = START + dt.timedelta(days=3, hours=1)
    assert referrals_chase() == {"reminded": 1, "escalated": 0}
    assert referrals_chase() == {"reminded": 0, "escalated": 0}  # not twice
    assert [m.to for m in mail.outbox] == [["partner@example.org"]]
    clock.now = START + dt.timedelta(days=4, hours=2)
    call_command("referrals_chase")
    assert [m.to for m in mail.outbox][-1] == ["official@example.org"]
    linkage.refresh_from_db()
    assert linkage.reminded_at and linkage.escalated_at == clock.now
    purposes = list(OutboxMessage.objects.order_by("id").values_list("purpose", flat=True))
    assert purposes == ["referral_reminder", "referral_escalation"]
    clock.now = START + dt.timedelta(days=9)
    assert referrals_chase() == {"reminded": 0, "escalated": 0}


def test_an_answered_referral_is_not_chased(clock, referral, partner_user):
    linkage = referral(due_on=START.date() + dt.timedelta(days=1))
    linkage_update(actor=partner_user, linkage=linkage, status="accepted")
    clock.now = START + dt.timedelta(days=10)
    assert referrals_chase() == {"reminded": 0, "escalated": 0}


def test_chase_messages_never_carry_the_household(clock, referral, partner_user, household_a):
    partner_user.phone = "010-1234-5678"
    partner_user.save()
    referral()
    clock.now = START + dt.timedelta(days=5)
    referrals_chase()
    message = OutboxMessage.objects.get()
    assert message.channel == "sms" and message.status == "queued"
    assert household_a.head.name not in message.body and household_a.address not in message.body
    assert message.body.index("의뢰") < message.body.index("Referral")  # Korean first


def test_due_date_in_the_past_is_refused(referral):
    with pytest.raises(DomainError) as exc:
        referral(due_on=dt.date(2020, 1, 1))
    assert exc.value.code == "invalid_due"


def test_portal_shows_consented_fields_only_while_consent_stands(
    client, referral, partner_user, household_a, official
):
    linkage = referral()
    client.force_login(partner_user)
    url = reverse("cases:referral_detail", args=[linkage.pk])
    page = client.get(url).content.decode()
    assert household_a.head.name in page and household_a.address in page
    assert "Accept the referral" in page and "Decline the referral" in page
    client.post(
        reverse("cases:linkage_status", args=[linkage.pk]), {"status": "accepted", "next": "detail"}
    )
    page = client.get(url).content.decode()
    assert "Record as served" in page and "Accept the referral" not in page
    consent = Consent.objects.get(household=household_a)
    consent_withdraw(actor=official, consent=consent)
    assert client.get(url).status_code == 404
    assert client.get(reverse("cases:referral_list")).context["referrals"] == []


def test_portal_decline_form_keeps_the_reason(client, referral, partner_user):
    linkage = referral()
    client.force_login(partner_user)
    response = client.post(
        reverse("cases:linkage_status", args=[linkage.pk]),
        {"status": "declined", "reason": "no_capacity", "note": "이번 달 마감", "next": "detail"},
    )
    assert response.status_code == 302
    linkage.refresh_from_db()
    assert (linkage.status, linkage.decline_reason) == ("declined", "no_capacity")


def test_household_page_shows_the_referral_status(client, referral, official, household_a):
    referral()
    client.force_login(official)
    page = client.get(reverse("hub:household_detail", args=[household_a.pk])).content.decode()
    assert "received" in page and "answer due" in page and "Withdraw" in page


def test_public_benefit_provided_starts_the_benefit_record(official, household_a):
    linkage = linkage_propose(
        actor=official,
        household=household_a,
        kind="public_benefit",
        programme="basic_pension",
        amount=334_000,
    )
    linkage_update(actor=official, linkage=linkage, status="requested")
    assert not BenefitReceipt.objects.exists()
    linkage_update(actor=official, linkage=linkage, status="provided")
    receipt = BenefitReceipt.objects.get(household=household_a)
    assert receipt.programme == "basic_pension" and receipt.monthly_amount == 334_000
    assert TimelineEvent.objects.filter(kind="benefit_started", household=household_a).exists()
