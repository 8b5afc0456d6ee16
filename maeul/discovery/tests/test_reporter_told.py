"""People who reported are told (issue 9): a volunteer's report is acknowledged once it is
saved, and its closing is announced without the reason or anything about the household."""

from __future__ import annotations

import pytest

from maeul.discovery.models import OutboxMessage
from maeul.discovery.services import lead_close, lead_register

pytestmark = pytest.mark.django_db


def test_a_volunteers_report_is_acknowledged_and_its_closing_announced(
    django_capture_on_commit_callbacks, volunteer, official, dong_a
):
    volunteer.phone = "010-1234-5678"
    volunteer.save(update_fields=["phone"])
    with django_capture_on_commit_callbacks(execute=True):
        lead = lead_register(
            actor=volunteer,
            source="volunteer",
            dong=dong_a,
            address="부산광역시 수영구 망미번영로 99",
            subject_name="박순례",
            description="혼자 지내시며 식사를 거르심",
        )
    ack = OutboxMessage.objects.get(purpose="lead_ack")
    assert ack.recipient == "010-1234-5678" and str(lead.pk) in ack.body
    with django_capture_on_commit_callbacks(execute=True):
        lead_close(actor=official, lead=lead, reason="요양병원 입원으로 연락 두절")
    closed = OutboxMessage.objects.get(purpose="lead_closed")
    for message in (ack, closed):
        text = message.subject + message.body
        assert "박순례" not in text and "망미번영로" not in text and "요양병원" not in text


def test_nothing_is_sent_before_the_report_is_saved(volunteer, dong_a):
    volunteer.phone = "010-1234-5678"
    volunteer.save(update_fields=["phone"])
    lead_register(
        actor=volunteer, source="volunteer", dong=dong_a, address="망미로 1", subject_name="김갑"
    )
    # The test's transaction never commits: a report rolled back is never acknowledged.
    assert not OutboxMessage.objects.exists()


def test_staff_leads_tell_no_one(django_capture_on_commit_callbacks, official, dong_a):
    with django_capture_on_commit_callbacks(execute=True):
        lead_register(
            actor=official, source="staff", dong=dong_a, address="망미로 2", subject_name="이을"
        )
    assert not OutboxMessage.objects.exists()
