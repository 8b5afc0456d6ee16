"""The directory as HSDS 3: every exported object validates against the Open Referral schemas
(read from ../shared/data/hsds/), and export → import into an empty directory → export gives
the same files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from maeul.accounts.models import SafetyNetMember
from maeul.resources.hsds import FILES, parse_schedule
from maeul.resources.models import (
    Agreement,
    Location,
    PartnerInstitution,
    RequiredDocument,
    RosterShift,
    Service,
)
from maeul.resources.services import roster_shift_add, service_save

SCHEMAS = Path(__file__).resolve().parents[4] / "shared" / "data" / "hsds" / "schema"
SCHEMA_OF = {
    "organizations.json": "organization.json",
    "locations.json": "location.json",
    "services.json": "service.json",
    "taxonomy_terms.json": "taxonomy_term.json",
}


def validators() -> dict[str, Draft202012Validator]:
    if not SCHEMAS.is_dir():
        pytest.skip(f"HSDS schemas not found at {SCHEMAS}")
    registry: Registry = Registry()
    contents = {}
    for path in SCHEMAS.glob("*.json"):
        if path.name == "openapi.json":
            continue
        contents[path.name] = json.loads(path.read_text())
        registry = registry.with_resource(
            path.name,
            Resource.from_contents(contents[path.name], default_specification=DRAFT202012),
        )
    return {
        name: Draft202012Validator(
            contents[schema], registry=registry, format_checker=FormatChecker()
        )
        for name, schema in SCHEMA_OF.items()
    }


@pytest.fixture
def directory(official, partner_org, dong_a, gu):
    partner_org.name_en = "Mangmi Community Welfare Centre"
    partner_org.phone = "051-000-1234"
    partner_org.services = "사례관리, 밑반찬 배달"
    partner_org.website = "https://example.org/mangmi"
    partner_org.save()
    location = Location.objects.create(
        organization=partner_org,
        name="망미종합사회복지관 본관",
        name_en="Main building",
        address_1="수영구 망미번영로 1",
        city="수영구",
        state_province="부산광역시",
        postal_code="48200",
        latitude=35.17,
        longitude=129.11,
    )
    meals = service_save(
        actor=official,
        organization=partner_org,
        area=dong_a,
        name="밑반찬 배달",
        name_en="Side-dish delivery",
        description="홀로 사는 어르신께 주 2회",
        domains=["daily_living", "health"],
        eligibility_description="65세 이상 홀몸 어르신",
        minimum_age=65,
        places_per_month=40,
        budget_left=1_200_000,
        documents=["신분증", "기초생활수급자 증명서"],
        locations=[location],
    )
    dure = service_save(
        actor=official,
        organization=partner_org,
        area=gu,
        name="무연고 사망자 장례 (두레)",
        kind=Service.Kind.VOLUNTEER,
        domains=["social"],
    )
    roster_shift_add(
        actor=official, service=dure, volunteer_name="두레 봉사단 1조", weekdays=[0, 2]
    )
    roster_shift_add(
        actor=official,
        service=dure,
        volunteer_name="두레 봉사단 2조",
        weekdays=[1, 3],
        starts_at=dt.time(9),
        ends_at=dt.time(13, 30),
    )
    member = SafetyNetMember.objects.create(
        name="김순이",
        phone="010-9999-0000",
        dong=dong_a,
        team="resource",
        joined_on=dt.date(2025, 1, 1),
    )
    roster_shift_add(
        actor=official,
        service=dure,
        member=member,
        phone="010-9999-0000",
        weekdays=[4],
        note="김순이 님 댁에서 출발",
    )
    roster_shift_add(actor=official, service=dure, member=member)  # on call as well
    return meals


def read_all(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


def test_every_exported_object_validates_against_hsds3(directory, tmp_path):
    call_command("hsds_export", str(tmp_path))
    checks = validators()
    counted = 0
    for name in FILES:
        objects = json.loads((tmp_path / name).read_text())
        assert isinstance(objects, list) and objects, name
        for obj in objects:
            errors = sorted(checks[name].iter_errors(obj), key=str)
            assert not errors, (name, obj.get("id"), [e.message for e in errors])
            counted += 1
    services = json.loads((tmp_path / "services.json").read_text())
    meals = next(s for s in services if s["name"] == "밑반찬 배달")
    assert meals["alternate_name"] == "Side-dish delivery"
    assert {d["document"] for d in meals["required_documents"]} == {
        "신분증",
        "기초생활수급자 증명서",
    }
    assert meals["minimum_age"] == 65
    assert len(meals["service_at_locations"]) == 1
    assert counted > 20


def test_round_trip_into_an_empty_directory_gives_the_same_files(directory, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    call_command("hsds_export", str(first))
    expected = {
        s.hsds_id: (s.domains, s.places_per_month, s.budget_left) for s in Service.objects.all()
    }
    when = ("weekdays", "starts_at", "ends_at")
    shifts = list(RosterShift.objects.order_by("id").values_list(*when))
    RequiredDocument.objects.all().delete()
    Service.objects.all().delete()
    Location.objects.all().delete()
    Agreement.objects.all().delete()
    PartnerInstitution.objects.all().delete()
    call_command("hsds_import", str(first))
    assert {
        s.hsds_id: (s.domains, s.places_per_month, s.budget_left) for s in Service.objects.all()
    } == expected
    # The roster travels as shifts — weekdays and hours — and the number of volunteers, who
    # come back unnamed: four shifts of three volunteers (one member gives two).
    assert list(RosterShift.objects.order_by("id").values_list(*when)) == shifts
    names = list(RosterShift.objects.order_by("id").values_list("volunteer_name", flat=True))
    assert names == ["자원봉사자 1", "자원봉사자 2", "자원봉사자 3", "자원봉사자 1"]
    assert not RosterShift.objects.exclude(note="").exists()
    call_command("hsds_export", str(second))
    assert read_all(first) == read_all(second)


def test_import_twice_updates_in_place(directory, tmp_path):
    call_command("hsds_export", str(tmp_path))
    call_command("hsds_import", str(tmp_path))
    assert Service.objects.count() == 2 and PartnerInstitution.objects.count() == 1


def test_a_broken_file_imports_nothing(directory, tmp_path):
    call_command("hsds_export", str(tmp_path))
    services = json.loads((tmp_path / "services.json").read_text())
    services[-1]["status"] = "open all hours"
    (tmp_path / "services.json").write_text(json.dumps(services))
    Service.objects.all().delete()
    with pytest.raises(CommandError, match="status"):
        call_command("hsds_import", str(tmp_path))
    assert Service.objects.count() == 0


def test_organisation_from_another_system_needs_an_area(tmp_path, gu):
    (tmp_path / "organizations.json").write_text(
        json.dumps([{"id": "0b6c4c3e-7a43-4c1e-9d0a-6d6165756c01", "name": "A", "description": ""}])
    )
    with pytest.raises(CommandError, match="area"):
        call_command("hsds_import", str(tmp_path))
    call_command("hsds_import", str(tmp_path), area=gu.code)
    assert PartnerInstitution.objects.get().area == gu


def test_no_volunteer_name_or_phone_leaves_in_the_export(directory, tmp_path):
    call_command("hsds_export", str(tmp_path))
    exported = "\n".join(
        json.dumps(json.loads((tmp_path / name).read_text()), ensure_ascii=False) for name in FILES
    )
    for shift in RosterShift.objects.select_related("member"):
        assert shift.who and shift.who not in exported
        assert not shift.phone or shift.phone not in exported
    assert "김순이" not in exported and "010-9999-0000" not in exported
    services = json.loads((tmp_path / "services.json").read_text())
    dure = next(s for s in services if s["name"].startswith("무연고"))
    facts = {a["value"] for a in dure["attributes"] if a.get("value")}
    # when, not who: weekdays and hours of each shift, on call, and how many volunteers
    assert "월·수 / 화·목 09:00–13:30 / 금 / 수시" in facts and "3" in facts


def test_rosters_read_back_unnamed_or_as_the_older_form(directory):
    shifts = parse_schedule("월·수 / 수시 / 화 10:00–12:00", 2)
    assert [s["volunteer_name"] for s in shifts] == ["자원봉사자 1", "자원봉사자 2", "자원봉사자 1"]
    assert [s["weekdays"] for s in shifts] == [[0, 2], [], [1]]
    assert shifts[2]["starts_at"] == dt.time(10) and shifts[2]["ends_at"] == dt.time(12)
    # no count given (or nonsense): one volunteer per shift; an empty roster: no shift
    assert [s["volunteer_name"] for s in parse_schedule("월 / 화", None)] == [
        "자원봉사자 1",
        "자원봉사자 2",
    ]
    assert parse_schedule("", 3) == [] and len(parse_schedule("월", -1)) == 1
    # an export of the older form (``who: when``) keeps its names
    (older,) = parse_schedule("두레 봉사단: 토 08:00–", None)
    assert older["volunteer_name"] == "두레 봉사단" and older["weekdays"] == [5]
