"""Council members edited and their term ended through the pages: scoped like the other
council pages, refusals with a field message and nothing written, an ended member kept but out
of new survey rounds and of attendance lists; consents and reviews dated in the past."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from maeul.accounts.models import Role
from maeul.councils.bulk import council_tree_build
from maeul.councils.models import Member
from maeul.councils.services import (
    case_review_record,
    meeting_record,
    member_term_end,
    member_update,
    survey_round_open,
)
from maeul.errors import DomainError, NotFound
from maeul.people.models import TimelineEvent
from maeul.people.services import consent_record
from tests.factories import HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def _member(council, name, **extra) -> Member:
    return Member.objects.create(
        council=council,
        name=name,
        participant_type=extra.pop("participant_type", "resident"),
        sex="f",
        age_band="50",
        term_start=dt.date(2025, 1, 1),
        term_end=dt.date(2027, 12, 31),
        **extra,
    )


@pytest.fixture
def councils(gu, dong_a, dong_b):
    gu_council, (council_a, council_b) = council_tree_build(
        gu=gu, dongs=[dong_a, dong_b], established=dt.date(2020, 1, 1)
    )
    return gu_council, council_a, council_b


def _post(member, **changes) -> dict:
    data = {
        "name": member.name,
        "participant_type": member.participant_type,
        "affiliations": member.affiliations or [member.participant_type],
        "position": member.position,
        "sex": member.sex,
        "age_band": member.age_band,
        "term_start": member.term_start.isoformat(),
        "term_end": member.term_end.isoformat(),
        "teams_led": "\n".join(member.teams_led),
        "user": "",
    }
    data.update(changes)
    return data


def test_staff_edit_a_member_and_link_her_account(client, official, council_member, councils):
    _gu, council_a, _b = councils
    member = _member(council_a, "김위원")
    client.force_login(official)
    url = reverse("councils:member_edit", args=[council_a.pk, member.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "김위원" in page.content.decode()
    response = client.post(
        url,
        _post(
            member,
            participant_type="worker",
            affiliations=["worker", "volunteer_group"],
            position="executive",
            sex="m",
            age_band="60",
            term_end="2028-06-30",
            teams_led="1통 안전망팀\n2통 안전망팀",
            user=str(council_member.pk),
        ),
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.participant_type == "worker"
    assert member.affiliations == ["worker", "volunteer_group"]
    assert (member.position, member.sex, member.age_band) == ("executive", "m", "60")
    assert member.term_end == dt.date(2028, 6, 30)
    assert member.teams_led == ["1통 안전망팀", "2통 안전망팀"]
    assert member.user == council_member
    # her account now opens her council's page
    client.force_login(council_member)
    assert client.get(reverse("councils:council_detail", args=[council_a.pk])).status_code == 200


def test_bad_edit_is_refused_on_its_field_and_writes_nothing(client, official, councils):
    _gu, council_a, _b = councils
    member = _member(council_a, "이위원")
    client.force_login(official)
    url = reverse("councils:member_edit", args=[council_a.pk, member.pk])
    response = client.post(url, _post(member, position="executive", term_end="2024-12-31"))
    assert response.status_code == 200
    assert "term_end" in response.context["form"].errors
    member.refresh_from_db()
    assert (member.position, member.term_end) == ("general", dt.date(2027, 12, 31))


def test_an_account_of_another_dong_or_role_cannot_be_linked(official, gu, dong_b, councils):
    _gu, council_a, _b = councils
    member = _member(council_a, "박위원")
    elsewhere = UserFactory(username="cssc_b", role=Role.CSSC_MEMBER, home_area=dong_b)
    for account in (elsewhere, official):
        with pytest.raises(DomainError) as exc:
            member_update(
                actor=official,
                member=member,
                name=member.name,
                participant_type="resident",
                sex="f",
                age_band="50",
                term_start=member.term_start,
                term_end=member.term_end,
                position="general",
                affiliations=["resident"],
                teams_led=[],
                user=account,
            )
        assert exc.value.field == "user"
    member.refresh_from_db()
    assert member.user is None


def test_another_councils_member_is_404_and_members_cannot_edit(
    client, official, council_member, councils
):
    _gu, council_a, council_b = councils
    other = _member(council_b, "최위원")
    own = _member(council_a, "정위원", user=council_member)
    client.force_login(official)
    assert (
        client.get(reverse("councils:member_edit", args=[council_b.pk, other.pk])).status_code
        == 404
    )
    # a member id under the wrong council is 404 too
    assert (
        client.get(reverse("councils:member_edit", args=[council_a.pk, other.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("councils:member_end", args=[council_b.pk, other.pk]), {"ended_on": "2026-01-31"}
    )
    assert response.status_code == 404
    with pytest.raises(NotFound):
        member_term_end(actor=official, member=other, ended_on=dt.date(2026, 1, 31))
    client.force_login(council_member)
    assert (
        client.get(reverse("councils:member_edit", args=[council_a.pk, own.pk])).status_code == 404
    )
    other.refresh_from_db()
    assert other.term_end == dt.date(2027, 12, 31)


def test_ending_a_term_keeps_the_record_and_drops_her_from_rounds_and_attendance(
    client, official, gu_user, gu, councils
):
    _gu, council_a, council_b = councils
    leaving = _member(council_a, "한위원")
    staying = _member(council_a, "윤위원")
    _member(council_b, "서위원")
    today = timezone.localdate()
    client.force_login(official)
    response = client.post(
        reverse("councils:member_end", args=[council_a.pk, leaving.pk]),
        {"ended_on": (today - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 302
    leaving.refresh_from_db()  # the record stays
    assert leaving.term_end == today - dt.timedelta(days=1)
    page = client.get(reverse("councils:meeting_new", args=[council_a.pk])).content.decode()
    assert "윤위원" in page and "한위원" not in page
    detail = client.get(reverse("councils:council_detail", args=[council_a.pk])).content.decode()
    assert "한위원" in detail  # still listed, marked as ended
    with pytest.raises(DomainError) as exc:
        meeting_record(
            actor=official,
            council=council_a,
            held_on=today,
            agenda="안건",
            attendee_ids=[leaving.pk, staying.pk],
        )
    assert exc.value.field == "attendees"
    # a meeting held while she sat still records her
    meeting = meeting_record(
        actor=official,
        council=council_a,
        held_on=today - dt.timedelta(days=2),
        agenda="안건",
        attendee_ids=[leaving.pk, staying.pk],
    )
    assert meeting.attendees.count() == 2
    survey = survey_round_open(
        actor=gu_user, title="조사", gus=[gu], opened_on=today, closes_on=today
    )
    assert survey.population == {"resident": 2}
    assert not survey.invites.filter(member=leaving).exists()


def test_ending_a_term_refuses_bad_days_and_writes_nothing(client, official, councils):
    _gu, council_a, _b = councils
    member = _member(council_a, "조위원")
    client.force_login(official)
    url = reverse("councils:member_end", args=[council_a.pk, member.pk])
    for day in ("2024-06-30", "2029-01-01", "not a date"):
        response = client.post(url, {"ended_on": day})
        assert response.status_code == 400
        assert "ended_on" in response.context["end_form"].errors
    member.refresh_from_db()
    assert member.term_end == dt.date(2027, 12, 31)


def test_consent_and_review_dated_in_the_past_stamp_their_events_then(official, councils, dong_a):
    _gu, council_a, _b = councils
    household = HouseholdFactory(dong=dong_a)
    when = timezone.now() - dt.timedelta(days=40)
    consent = consent_record(
        actor=official,
        household=household,
        purpose="협의체 사례 심의",
        scopes=["council"],
        given_on=when.date(),
        occurred_at=when,
    )
    event = TimelineEvent.objects.get(subject_type="consent", subject_id=consent.pk)
    assert event.occurred_at == when
    review = case_review_record(
        actor=official,
        council=council_a,
        household=household,
        decision="긴급지원",
        reviewed_on=when.date(),
        occurred_at=when + dt.timedelta(days=1),
    )
    event = TimelineEvent.objects.get(subject_type="casereview", subject_id=review.pk)
    assert event.occurred_at == when + dt.timedelta(days=1)
    before = TimelineEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        consent_record(
            actor=official,
            household=household,
            purpose="협의체",
            scopes=["council"],
            given_on=timezone.localdate(),
            occurred_at=timezone.now() + dt.timedelta(hours=2),
        )
    assert exc.value.code == "invalid_consent_date"
    assert household.consents.count() == 1
    assert TimelineEvent.objects.count() == before
