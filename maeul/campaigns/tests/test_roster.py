"""The safety-net roster: hand-over with consent, activity."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from maeul.accounts.models import Role, SafetyNetMember
from maeul.accounts.services import safety_net_member_update
from maeul.areas.models import Area
from maeul.campaigns.roster import care_hand_over, care_households_of, member_update, roster
from maeul.errors import DomainError, NotFound, PermissionDenied
from maeul.people.models import Consent
from tests.factories import AreaFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_hand_over_moves_households_with_consent(official, volunteer, dong_a, dong_b):
    newcomer = UserFactory(role=Role.VOLUNTEER, home_area=dong_a)
    mine = [HouseholdFactory(dong=dong_a) for _ in range(2)]
    elsewhere = HouseholdFactory(dong=dong_b)
    for h in (*mine, elsewhere):
        h.care_volunteers.add(volunteer)
    moved = care_hand_over(
        actor=official,
        leaving=volunteer,
        taking_over=newcomer,
        consent_given_on=dt.date(2026, 11, 1),
    )
    assert moved == 2
    assert set(care_households_of(user=newcomer)) == set(mine)
    assert set(care_households_of(user=volunteer)) == {elsewhere}  # not hers to hand over
    consents = Consent.objects.filter(household__in=mine)
    assert consents.count() == 2 and all(c.scopes == ["hub"] for c in consents)
    assert newcomer.label in consents.first().purpose


def test_hand_over_refuses_a_non_volunteer_and_writes_nothing(official, volunteer, dong_a):
    HouseholdFactory(dong=dong_a).care_volunteers.add(volunteer)
    with pytest.raises(DomainError):
        care_hand_over(
            actor=official,
            leaving=volunteer,
            taking_over=official,
            consent_given_on=dt.date(2026, 11, 1),
        )
    assert not Consent.objects.exists()
    assert care_households_of(user=volunteer).count() == 1


def test_roster_is_scoped_and_counts_activity(official, volunteer, dong_a, dong_b):
    SafetyNetMember.objects.create(
        user=volunteer, name="최순자", dong=dong_a, team="care", joined_on=dt.date(2025, 1, 1)
    )
    SafetyNetMember.objects.create(
        name="다른동", dong=dong_b, team="care", joined_on=dt.date(2025, 1, 1)
    )
    HouseholdFactory(dong=dong_a).care_volunteers.add(volunteer)
    rows = list(roster(user=official))
    assert [r.name for r in rows] == ["최순자"] and rows[0].households == 1
    assert list(roster(user=official, team="discovery")) == []
    assert list(roster(user=volunteer)) == []


def _tong_ban(dong, code):
    tong = AreaFactory(
        code=f"{dong.code}{code}", name=f"{code}통", level=Area.Level.TONG, parent=dong
    )
    ban = AreaFactory(code=f"{tong.code}1", name="1반", level=Area.Level.BAN, parent=tong)
    return tong, ban


def test_roster_filters_by_tong_ban_and_sex(official, dong_a):
    tong, ban = _tong_ban(dong_a, "01")
    other_tong, other_ban = _tong_ban(dong_a, "02")
    joined = dt.date(2025, 1, 1)
    woman = SafetyNetMember.objects.create(
        name="김영희", sex="F", dong=dong_a, tong=tong, ban=ban, team="care", joined_on=joined
    )
    man = SafetyNetMember.objects.create(
        name="박철수", sex="M", dong=dong_a, tong=tong, team="discovery", joined_on=joined
    )
    unknown = SafetyNetMember.objects.create(
        name="이모름", dong=dong_a, tong=other_tong, ban=other_ban, team="care", joined_on=joined
    )
    assert set(roster(user=official, sex="F")) == {woman}
    assert set(roster(user=official, sex="M")) == {man}
    assert set(roster(user=official, sex="?")) == {unknown}
    assert set(roster(user=official, tong_id=tong.pk)) == {woman, man}
    assert set(roster(user=official, ban_id=other_ban.pk)) == {unknown}
    assert set(roster(user=official, tong_id=tong.pk, sex="M", team="discovery")) == {man}


def test_roster_page_filters_and_ignores_foreign_areas(client, official, dong_a, dong_b):
    tong, ban = _tong_ban(dong_a, "01")
    foreign_tong, _ = _tong_ban(dong_b, "01")
    joined = dt.date(2025, 1, 1)
    SafetyNetMember.objects.create(
        name="김영희", sex="F", dong=dong_a, tong=tong, ban=ban, team="care", joined_on=joined
    )
    SafetyNetMember.objects.create(
        name="박철수", sex="M", dong=dong_a, team="care", joined_on=joined
    )
    client.force_login(official)
    page = client.get(reverse("campaigns:roster"), {"sex": "F", "tong": tong.pk, "ban": ban.pk})
    html = page.content.decode()
    assert page.status_code == 200 and "김영희" in html and "박철수" not in html
    # another dong's tong is not a filter of hers: it is ignored, not shown
    page = client.get(reverse("campaigns:roster"), {"tong": foreign_tong.pk, "sex": "x"})
    html = page.content.decode()
    assert "김영희" in html and "박철수" in html and f'value="{foreign_tong.pk}"' not in html


def test_member_edit_records_sex_and_checks_areas(client, official, dong_a, dong_b):
    tong, ban = _tong_ban(dong_a, "01")
    _, foreign_ban = _tong_ban(dong_b, "01")
    member = SafetyNetMember.objects.create(
        name="김영희", dong=dong_a, team="care", joined_on=dt.date(2025, 1, 1)
    )
    client.force_login(official)
    url = reverse("campaigns:member_edit", args=[member.pk])
    form = {"name": "김영희", "sex": "F", "phone": "010-1234-5678", "team": "discovery"}
    form |= {"kind": "ban_jang", "tong": tong.pk, "ban": ban.pk, "left_on": ""}
    assert client.post(url, form).status_code == 302
    member.refresh_from_db()
    assert (member.sex, member.team, member.ban_id) == ("F", "discovery", ban.pk)
    # a ban outside her tong, or leaving before joining: refused, nothing changes
    with pytest.raises(DomainError):
        member_update(
            actor=official,
            member=member,
            **{**form, "sex": "M", "tong": tong, "ban": foreign_ban, "left_on": None},
        )
    with pytest.raises(DomainError):
        member_update(
            actor=official,
            member=member,
            **{**form, "sex": "M", "tong": tong, "ban": ban, "left_on": dt.date(2024, 1, 1)},
        )
    member.refresh_from_db()
    assert member.sex == "F"
    page = client.post(url, {**form, "left_on": "2024-01-01"})
    assert page.status_code == 200 and "before she joined" in page.content.decode()


def test_member_edit_is_scoped(client, official, dong_b):
    member = SafetyNetMember.objects.create(
        name="다른동", dong=dong_b, team="care", joined_on=dt.date(2025, 1, 1)
    )
    client.force_login(official)
    assert client.get(reverse("campaigns:member_edit", args=[member.pk])).status_code == 404
    with pytest.raises(NotFound):
        member_update(
            actor=official,
            member=member,
            name="x",
            sex="F",
            phone="",
            team="care",
            kind="volunteer",
            tong=None,
            ban=None,
            left_on=None,
        )


def test_accounts_service_is_the_one_writer_of_members(
    official, volunteer, gu_user, dong_a, dong_b
):
    """`accounts.services.safety_net_member_update`: partial corrections, clear codes for
    bad input, scope by the actor's dongs; a refusal writes nothing."""
    tong, ban = _tong_ban(dong_a, "02")
    foreign_tong, _ = _tong_ban(dong_b, "02")
    member = SafetyNetMember.objects.create(
        name="이순자",
        phone="010-0000-0000",
        dong=dong_a,
        team="care",
        joined_on=dt.date(2025, 3, 1),
    )
    updated = safety_net_member_update(actor=official, member=member, tong=tong, ban=ban)
    assert (updated.tong_id, updated.ban_id, updated.name, updated.phone) == (
        tong.pk,
        ban.pk,
        "이순자",
        "010-0000-0000",
    )
    # the gu team reaches every dong of the gu
    safety_net_member_update(actor=gu_user, member=member, name="  이순자 ", sex="F")
    member.refresh_from_db()
    assert (member.name, member.sex) == ("이순자", "F")
    for fields, code in [
        ({"name": " "}, "name_required"),
        ({"sex": "X"}, "invalid_sex"),
        ({"team": "police"}, "invalid_team"),
        ({"kind": "mayor"}, "invalid_kind"),
        ({"tong": foreign_tong, "ban": None}, "invalid_tong"),
        ({"tong": None}, "invalid_ban"),  # her ban stays, but without a tong
        ({"left_on": dt.date(2025, 2, 28)}, "invalid_left_on"),
        ({"dong": dong_b}, "invalid_field"),
    ]:
        with pytest.raises(DomainError) as refused:
            safety_net_member_update(actor=official, member=member, phone="999", **fields)
        assert refused.value.code == code, fields
    member.refresh_from_db()
    assert (member.phone, member.dong_id, member.tong_id) == ("010-0000-0000", dong_a.pk, tong.pk)
    with pytest.raises(PermissionDenied):
        safety_net_member_update(actor=volunteer, member=member, phone="999")
    other = SafetyNetMember.objects.create(
        name="다른동", dong=dong_b, team="care", joined_on=dt.date(2025, 1, 1)
    )
    with pytest.raises(NotFound):
        safety_net_member_update(actor=official, member=other, phone="999")
    other.refresh_from_db()
    assert other.phone == ""
