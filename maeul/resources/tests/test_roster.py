"""Rosters of talent donations and volunteer services: who (a safety-net member of the dong,
or a named volunteer), which weekdays and hours, from when until when; the pages that keep
them; the free text of the first directory read into shifts."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from maeul.accounts.models import SafetyNetMember
from maeul.errors import DomainError, NotFound
from maeul.resources.models import RosterShift, Service
from maeul.resources.roster import parse_roster, roster_text
from maeul.resources.services import roster_shift_add, roster_shift_remove, service_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def haircuts(official, partner_org, dong_a):
    return service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="이미용 재능기부",
        kind=Service.Kind.TALENT,
        domains=["daily_living"],
    )


def member(dong, name="김통장", **kw):
    return SafetyNetMember.objects.create(
        name=name, dong=dong, team="resource", joined_on=dt.date(2025, 1, 1), **kw
    )


def test_members_and_named_volunteers_go_on_the_roster(official, haircuts, dong_a):
    mine = member(dong_a)
    roster_shift_add(
        actor=official,
        service=haircuts,
        member=mine,
        weekdays=[2, 0, 2],
        starts_at=dt.time(10),
        ends_at=dt.time(12),
        from_on=dt.date(2026, 11, 1),
    )
    roster_shift_add(actor=official, service=haircuts, volunteer_name="망미 미용실", note="첫째 주")
    first, second = haircuts.shifts.order_by("id")
    assert first.who == "김통장" and first.weekdays == [0, 2] and first.days_label == "월·수"
    assert first.hours_label == "10:00–12:00" and first.volunteer_name == ""
    assert second.who == "망미 미용실" and second.days_label == ""  # on call
    assert roster_text(haircuts.shifts.order_by("id")) == "김통장: 월·수 10:00–12:00 / 망미 미용실"
    roster_shift_remove(actor=official, shift=second)
    assert list(haircuts.shifts.all()) == [first]


def test_bad_shifts_are_refused_and_nothing_written(
    official, official_b, haircuts, partner_org, dong_a, dong_b
):
    plain = service_save(actor=official, organization=partner_org, area=dong_a, name="상담")
    gone = member(dong_a, name="떠난 위원", left_on=dt.date(2026, 1, 1))
    for kwargs, error, code in [
        ({}, DomainError, "who_required"),
        ({"volunteer_name": "  "}, DomainError, "who_required"),
        ({"volunteer_name": "x", "weekdays": [7]}, DomainError, "invalid_weekday"),
        (
            {"volunteer_name": "x", "starts_at": dt.time(12), "ends_at": dt.time(9)},
            DomainError,
            "invalid_hours",
        ),
        ({"volunteer_name": "x", "ends_at": dt.time(9)}, DomainError, "invalid_hours"),
        (
            {
                "volunteer_name": "x",
                "from_on": dt.date(2026, 12, 1),
                "until_on": dt.date(2026, 11, 1),
            },
            DomainError,
            "invalid_dates",
        ),
        ({"member": member(dong_b, name="옆동네")}, NotFound, "not_found"),
        ({"member": gone}, NotFound, "not_found"),
    ]:
        with pytest.raises(error) as exc:
            roster_shift_add(actor=official, service=haircuts, **kwargs)
        assert exc.value.code == code
    with pytest.raises(DomainError) as exc:
        roster_shift_add(actor=official, service=plain, volunteer_name="x")
    assert exc.value.code == "no_roster"
    with pytest.raises(NotFound):  # a service outside her reach
        roster_shift_add(actor=official_b, service=haircuts, volunteer_name="x")
    assert not RosterShift.objects.exists()


def test_roster_text_is_read_into_shifts():
    shifts = parse_roster("두레 봉사단 1조: 월·수 / 2조: 화·목 09:00–13:30\n김 원장: 토 격주")
    assert [(s["volunteer_name"], s["weekdays"]) for s in shifts] == [
        ("두레 봉사단 1조", [0, 2]),
        ("2조", [1, 3]),
        ("김 원장", [5]),
    ]
    assert shifts[1]["starts_at"] == dt.time(9) and shifts[1]["ends_at"] == dt.time(13, 30)
    assert shifts[2]["note"] == "격주"  # what is not a day or an hour is kept
    assert parse_roster("아무 형식 없는 메모") == [
        {
            "volunteer_name": "아무 형식 없는 메모",
            "weekdays": [],
            "starts_at": None,
            "ends_at": None,
            "note": "",
        }
    ]


def test_the_migration_turns_the_text_into_shifts(haircuts):
    """The data step of 0003 on the current models (the same fields it reads and writes)."""
    migration = importlib.import_module("maeul.resources.migrations.0003_roster_shifts")

    class WithText:
        def __init__(self, service):
            self.service = service
            self.roster = "두레 1조: 월·수 / 2조: 화 10:00-12:00"
            self.pk = service.pk

    class Manager:
        @staticmethod
        def exclude(**kwargs):
            return [WithText(haircuts)]

    class Services:
        objects = Manager

    class Registry:
        def get_model(self, app, name):
            return Services if name == "Service" else django_apps.get_model(app, name)

    real_create = RosterShift.objects.create

    def create(service, **kw):
        return real_create(service=service.service, **kw)

    RosterShift.objects.create = create  # type: ignore[method-assign]
    try:
        migration.text_to_shifts(Registry(), None)
    finally:
        del RosterShift.objects.create
    names = list(haircuts.shifts.order_by("id").values_list("volunteer_name", "weekdays"))
    assert names == [("두레 1조", [0, 2]), ("2조", [1])]
    assert haircuts.shifts.order_by("id").last().starts_at == dt.time(10)


def test_the_roster_pages(client, official, haircuts, dong_a):
    mine = member(dong_a)
    client.force_login(official)
    url = reverse("funds:service_roster", args=[haircuts.pk])
    page = client.get(url)
    assert page.status_code == 200 and "김통장" in page.content.decode()  # offered
    response = client.post(url, {"volunteer_name": "", "member": ""})
    assert response.status_code == 400 and response.context["form"].errors
    response = client.post(
        url,
        {"member": mine.pk, "weekdays": ["0", "3"], "starts_at": "10:00", "ends_at": "12:00"},
    )
    assert response.status_code == 302
    shift = haircuts.shifts.get()
    detail = client.get(reverse("funds:service_detail", args=[haircuts.pk])).content.decode()
    assert 'id="roster"' in detail and "월·목" in detail and "10:00–12:00" in detail
    client.post(reverse("funds:roster_shift_remove", args=[haircuts.pk]), {"shift": shift.pk})
    assert not haircuts.shifts.exists()
