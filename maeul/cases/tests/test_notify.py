"""Reporters told: acknowledgement and closing status, Korean first, by e-mail or SMS (the
demo provider leaves it in the outbox), never a household's name or address."""

from __future__ import annotations

import pytest
from django.core import mail

from maeul.discovery.models import OutboxMessage
from maeul.discovery.notify import lead_acknowledge, lead_closed_notice, message_send
from maeul.discovery.services import lead_register
from maeul.errors import DomainError


def test_volunteer_gets_ack_and_closing_by_email(volunteer, dong_a):
    volunteer.email = "volunteer@example.org"
    volunteer.save()
    lead = lead_register(
        actor=volunteer,
        source="volunteer",
        dong=dong_a,
        address="부산광역시 수영구 망미로 12",
        subject_name="최말순",
        description="며칠째 인기척이 없음",
    )
    ack = lead_acknowledge(lead)
    closed = lead_closed_notice(lead)
    assert [m.purpose for m in (ack, closed)] == ["lead_ack", "lead_closed"]
    assert [m.to for m in mail.outbox] == [["volunteer@example.org"]] * 2
    for message in OutboxMessage.objects.all():
        text = message.subject + message.body
        assert "최말순" not in text and "망미로" not in text and "인기척" not in text
        assert message.body.index("신고") < message.body.index("report")  # Korean first


def test_resident_request_gets_sms_in_the_outbox(official, dong_a):
    lead = lead_register(
        actor=official,
        source="resident",
        dong=dong_a,
        address="부산광역시 수영구 망미로 3",
        subject_name="박영자",
        reporter_phone="010-2222-3333",
    )
    message = lead_acknowledge(lead)
    assert message.channel == "sms" and message.status == "queued"
    assert message.recipient == "010-2222-3333"


def test_staff_reports_are_not_acknowledged(official, dong_a):
    lead = lead_register(
        actor=official, source="staff", dong=dong_a, address="망미로 1", subject_name="김씨"
    )
    assert lead_acknowledge(lead) is None and not OutboxMessage.objects.exists()


def test_a_message_with_personal_details_is_refused(db):
    with pytest.raises(DomainError) as exc:
        message_send(
            channel="sms",
            recipient="010-0000-0000",
            purpose="test",
            subject="",
            body="김영희 님 댁 방문",
            withhold=["김영희"],
        )
    assert exc.value.code == "personal_details" and not OutboxMessage.objects.exists()
