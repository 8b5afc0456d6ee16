"""Sensitive fields (health, disability details, violence notes): encrypted at rest, readable
after key rotation, and shown only to the roles `maeul.people.policy` allows."""

from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection

from maeul.accounts.models import Role
from maeul.people import policy
from maeul.people.identity import decrypt
from maeul.people.models import Consent, Household, Resident
from maeul.people.policy import DataKind, may_read, may_write, visible_fields
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEALTH = "고혈압, 당뇨 - 인슐린 투약 중"
DISABILITY = "지체장애 (하지), 휠체어 사용"
VIOLENCE = "배우자 폭력 신고 이력 2025-03, 접근금지 명령"


@pytest.fixture
def sensitive(household_a) -> Household:
    household_a.violence_notes = VIOLENCE
    household_a.save()
    head = household_a.members.get()
    head.health_notes = HEALTH
    head.disability_detail = DISABILITY
    head.disability = Resident.Disability.SEVERE
    head.save()
    return household_a


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_raw_columns_hold_no_plaintext(sensitive):
    head = sensitive.members.get()
    for table, column, pk, plain in (
        ("people_household", "violence_notes", sensitive.pk, VIOLENCE),
        ("people_resident", "health_notes", head.pk, HEALTH),
        ("people_resident", "disability_detail", head.pk, DISABILITY),
    ):
        stored = raw(table, column, pk)
        assert stored and plain not in stored and plain.split()[0] not in stored
        assert decrypt(stored) == plain  # authenticated ciphertext of exactly that text
    fresh = Resident.objects.get(pk=head.pk)
    assert fresh.health_notes == HEALTH and fresh.disability_detail == DISABILITY
    assert Household.objects.get(pk=sensitive.pk).violence_notes == VIOLENCE


def test_empty_sensitive_fields_stay_empty(household_a):
    assert raw("people_household", "violence_notes", household_a.pk) == ""
    assert Household.objects.get(pk=household_a.pk).violence_notes == ""


def test_tampered_ciphertext_is_refused(sensitive):
    stored = raw("people_household", "violence_notes", sensitive.pk)
    tampered = stored[:-6] + ("A" if stored[-6] != "A" else "B") + stored[-5:]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE people_household SET violence_notes = %s WHERE id = %s",
            [tampered, sensitive.pk],
        )
    with pytest.raises(InvalidToken):
        Household.objects.get(pk=sensitive.pk)


def test_sensitive_fields_still_read_after_key_rotation(settings, sensitive, official, dong_a):
    from maeul.people.services import household_register

    with_rrn = household_register(
        actor=official,
        dong=dong_a,
        address="망미번영로 3",
        head_name="최",
        head_rrn="500101-1234567",
    )
    old_key = settings.MAEUL_FIELD_KEYS[0]
    head = sensitive.members.get()
    before = raw("people_resident", "health_notes", head.pk)
    new_key = Fernet.generate_key().decode()
    settings.MAEUL_FIELD_KEYS = [new_key, old_key]
    call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    settings.MAEUL_FIELD_KEYS = [new_key]  # the old key is gone
    assert raw("people_resident", "health_notes", head.pk) != before
    head = Resident.objects.get(pk=head.pk)
    assert head.health_notes == HEALTH and head.disability_detail == DISABILITY
    assert Household.objects.get(pk=sensitive.pk).violence_notes == VIOLENCE
    assert with_rrn.members.get().rrn == "500101-1234567"
    settings.MAEUL_FIELD_KEYS = [old_key]
    for table, column, pk in (
        ("people_household", "violence_notes", sensitive.pk),
        ("people_resident", "health_notes", head.pk),
        ("people_resident", "disability_detail", head.pk),
    ):
        with pytest.raises(InvalidToken):
            decrypt(raw(table, column, pk))


def detail(client, api_token, user, household):
    response = client.get(f"/api/households/{household.pk}", **api_token(user))
    assert response.status_code == 200, response.content
    return response.json()


def test_nurse_reads_health_but_not_violence_notes(client, api_token, nurse, sensitive):
    body = detail(client, api_token, nurse, sensitive)
    member = body["member_list"][0]
    assert member["health_notes"] == HEALTH and member["disability_detail"] == DISABILITY
    assert body["violence_notes"] is None


def test_official_reads_violence_notes_but_not_health(client, api_token, official, sensitive):
    body = detail(client, api_token, official, sensitive)
    assert body["violence_notes"] == VIOLENCE
    assert body["member_list"][0]["health_notes"] is None
    assert body["member_list"][0]["disability"] == "severe"
    assert body["timeline"] is not None and body["benefits"] is not None


def test_gu_team_reads_health_and_violence_notes(client, api_token, gu_user, sensitive):
    body = detail(client, api_token, gu_user, sensitive)
    assert body["violence_notes"] == VIOLENCE
    assert body["member_list"][0]["health_notes"] == HEALTH


def test_administrator_reads_no_sensitive_field(client, api_token, admin_user, sensitive):
    body = detail(client, api_token, admin_user, sensitive)
    assert body["violence_notes"] is None and body["timeline"] is None
    assert body["member_list"][0]["health_notes"] is None
    assert body["member_list"][0]["disability_detail"] is None


def test_volunteer_reads_name_address_and_care_notes_only(client, api_token, volunteer, sensitive):
    sensitive.care_volunteers.add(volunteer)
    body = detail(client, api_token, volunteer, sensitive)
    assert body["head_name"] == "김영희" and body["address"] == sensitive.address
    assert body["care_notes"] == sensitive.care_notes
    shown = {k for k, v in body.items() if v not in (None, [], "")}
    assert shown == {"id", "dong_code", "dong", "address", "head_name", "care_notes"}
    assert VIOLENCE not in str(body) and HEALTH not in str(body)


def test_partner_reads_the_referral_only(
    client, api_token, official, partner_user, partner_org, sensitive
):
    from maeul.cases.services import linkage_propose

    Consent.objects.create(
        household=sensitive, purpose="x", scopes=["referral"], given_on="2026-01-01"
    )
    linkage_propose(
        actor=official, household=sensitive, kind="partner_referral", partner=partner_org
    )
    body = detail(client, api_token, partner_user, sensitive)
    shown = {k for k, v in body.items() if v not in (None, [], "")}
    assert shown == {"id", "dong_code", "dong", "address", "head_name"}


def test_list_rows_are_minimised_too(client, api_token, volunteer, official, sensitive):
    sensitive.care_volunteers.add(volunteer)
    row = client.get("/api/households/", **api_token(volunteer)).json()["results"][0]
    assert row["members"] is None and row["care_notes"]
    row = client.get("/api/households/", **api_token(official)).json()["results"][0]
    assert row["members"] == 1


def test_cssc_member_sees_nothing_personal_without_council_consent(official, household_a):
    member = UserFactory(username="cssc_1", role=Role.WELFARE_OFFICIAL)
    member.role = policy.CSSC_MEMBER  # the role arrives with the councils app
    assert not may_read(member, DataKind.IDENTITY, household_a)
    assert visible_fields(member, household_a) == set()
    Consent.objects.create(
        household=household_a, purpose="council review", scopes=["council"], given_on="2026-11-01"
    )
    assert may_read(member, DataKind.IDENTITY, household_a)
    assert visible_fields(member, household_a) == {
        "id",
        "dong_code",
        "dong",
        "head_name",
        "members",
        "housing",
        "groups",
        "timeline",
    }
    assert not may_read(member, DataKind.HEALTH, household_a)
    assert not may_read(member, DataKind.CONTACT, household_a)


def test_reach_follows_the_dong(official, official_b, gu_user, nurse, household_a, household_b):
    assert may_read(official, DataKind.VIOLENCE_NOTES, household_a)
    assert not may_read(official, DataKind.VIOLENCE_NOTES, household_b)
    assert may_read(gu_user, DataKind.HEALTH, household_b)
    assert not may_write(gu_user, DataKind.HEALTH, household_b)
    assert may_write(nurse, DataKind.HEALTH, household_a)
    assert not may_read(nurse, DataKind.VIOLENCE_NOTES)


def test_every_role_has_a_row_in_the_matrix():
    assert set(Role.values) <= set(policy.MATRIX)


def test_security_doc_holds_the_matrix():
    doc = (Path(django_settings.BASE_DIR) / "docs" / "security.md").read_text()
    assert policy.matrix_markdown() in doc
