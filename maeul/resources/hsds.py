"""The directory as Open Referral HSDS 3 JSON, out and in.

A directory folder holds four files, each a JSON array of HSDS objects sorted by `id`:

- `organizations.json`: HSDS organization objects (partner institutions) with their phone,
  their maeul area code (`organization_identifiers`, scheme `maeul`, type `area_code`) and
  their kind and MOU date as attributes;
- `locations.json`: HSDS location objects, each with one physical address;
- `services.json`: HSDS service objects with their required documents, the locations they are
  given at (`service_at_locations`), the area they serve (`service_areas`, extent = maeul area
  code) and attributes for the need domains, the kind, capacity (places per month, budget
  left in KRW) and the roster — when, never who: the shifts' weekdays and hours and how many
  volunteers give them (names of volunteers do not leave the instance; an imported shift is
  named "자원봉사자 N");
- `taxonomy_terms.json`: the terms those attributes point to (taxonomy `maeul-*`).

Korean names are HSDS `name`, English names `alternate_name`. Identifiers of the objects maeul
stores are kept (`hsds_id`); identifiers of the parts maeul does not store on their own
(phones, addresses, attributes, service-at-location links) are UUID v5 of their parent's, so
export → import → export writes the same bytes. Attributes of other taxonomies are ignored on
import."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_noop

from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.people.models import Domain
from maeul.resources.models import (
    Location,
    PartnerInstitution,
    RequiredDocument,
    RosterShift,
    Service,
)
from maeul.resources.roster import SEPARATOR, parse_roster

FILES = ("organizations.json", "locations.json", "services.json", "taxonomy_terms.json")
NAMESPACE = uuid.UUID("6f1c1c3e-6a43-4c1e-9d0a-6d6165756c00")  # maeul's own UUID v5 space

DOMAIN_TAXONOMY = "maeul-need-domain"
KIND_TAXONOMY = "maeul-service-kind"
PARTNER_KIND_TAXONOMY = "maeul-partner-kind"
FACT_TAXONOMY = "maeul-fact"
#: Facts carried as an attribute's value: (term code, English description).
FACTS = {
    "places_per_month": gettext_noop("Places per month"),
    "budget_left_krw": gettext_noop("Budget left (KRW)"),
    "roster": gettext_noop("Roster"),
    "volunteers": gettext_noop("Volunteers on the roster"),
    "mou_signed_on": gettext_noop("MOU signed on"),
}


#: A shift on no set weekday or hour (on call, by arrangement), in the exported roster.
ON_CALL = "수시"
#: The name an imported shift is given, the export naming nobody (n: 1 … the volunteers).
PLACEHOLDER = "자원봉사자 {n}"


def roster_schedule(shifts: Iterable[RosterShift]) -> tuple[str, int | None]:
    """A roster as it leaves the instance: each shift's weekdays and hours (``월·수
    09:00–12:00``, ``수시`` when on call) joined by `` / ``, and how many volunteers give
    them — no name, phone or free-text note (which may name someone). `(“”, None)` for no
    shift."""
    lines, people = [], set()
    for shift in shifts:
        when = " ".join(p for p in (shift.days_label, shift.hours_label) if p)
        lines.append(when or ON_CALL)
        people.add(("member", shift.member_id) if shift.member_id else ("name", shift.who))
    return SEPARATOR.join(lines), (len(people) or None)


def parse_schedule(text: str, volunteers: int | None) -> list[dict[str, Any]]:
    """Shifts read back from an exported roster, named "자원봉사자 1" … "자원봉사자 N" in
    turn (N: the volunteers given, else one per shift), so that exporting them again writes
    the same roster. A line of the older form ``who: 월·수`` keeps its name."""
    lines = [line.strip() for line in re.split(r"\n|\s/\s", text or "")]
    lines = [line for line in lines if line]
    count = volunteers if volunteers and volunteers > 0 else len(lines)
    shifts = []
    for i, line in enumerate(lines):
        if ": " in line:
            shifts += parse_roster(line)
            continue
        (shift,) = parse_roster(f"_: {line}")
        shift["volunteer_name"] = PLACEHOLDER.format(n=i % count + 1)
        shift["note"] = ""
        shifts.append(shift)
    return shifts


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts)))


def term_id(taxonomy: str, code: str) -> str:
    return derived_id("term", taxonomy, code)


def _term(taxonomy: str, code: str, name: str, description: str) -> dict[str, Any]:
    return {
        "id": term_id(taxonomy, code),
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": taxonomy,
        "language": "ko",
    }


def taxonomy_terms() -> list[dict[str, Any]]:
    """Every term maeul's attributes use: Korean name, English description."""
    terms = []
    for taxonomy, choices in (
        (DOMAIN_TAXONOMY, Domain),
        (KIND_TAXONOMY, Service.Kind),
        (PARTNER_KIND_TAXONOMY, PartnerInstitution.Kind),
    ):
        for value in choices.values:
            member = choices(value)
            with translation.override("ko"):
                name = str(member.label)
            with translation.override("en"):
                english = str(member.label)
            terms.append(_term(taxonomy, value, name, english))
    for code, english in FACTS.items():
        with translation.override("ko"):
            name = str(translation.gettext(english))
        terms.append(_term(FACT_TAXONOMY, code, name, english))
    return sorted(terms, key=lambda t: t["id"])


def _attribute(link_id: str, entity: str, taxonomy: str, code: str, value: str = "") -> dict:
    attribute = {
        "id": derived_id("attribute", link_id, taxonomy, code),
        "link_id": link_id,
        "link_type": taxonomy,
        "link_entity": entity,
        "taxonomy_term_id": term_id(taxonomy, code),
    }
    if value:
        attribute["value"] = value
    return attribute


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty optional fields (HSDS types them as strings or numbers, not null)."""
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != []}


def organization_object(partner: PartnerInstitution) -> dict[str, Any]:
    oid = str(partner.hsds_id)
    attributes = [_attribute(oid, "organization", PARTNER_KIND_TAXONOMY, partner.kind)]
    if partner.mou_signed_on:
        attributes.append(
            _attribute(
                oid,
                "organization",
                FACT_TAXONOMY,
                "mou_signed_on",
                partner.mou_signed_on.isoformat(),
            )
        )
    phones = (
        [{"id": derived_id("phone", oid), "organization_id": oid, "number": partner.phone}]
        if partner.phone
        else []
    )
    obj = _clean(
        {
            "id": oid,
            "name": partner.name,
            "alternate_name": partner.name_en,
            "email": partner.email,
            "website": partner.website,
            "phones": phones,
            "organization_identifiers": [
                {
                    "id": derived_id("identifier", oid),
                    "organization_id": oid,
                    "identifier_scheme": "maeul",
                    "identifier_type": "area_code",
                    "identifier": partner.area.code,
                }
            ],
            "attributes": sorted(attributes, key=lambda a: a["id"]),
        }
    )
    obj["description"] = partner.services  # required, may be empty
    return obj


def location_object(location: Location) -> dict[str, Any]:
    lid = str(location.hsds_id)
    return _clean(
        {
            "id": lid,
            "location_type": "physical",
            "organization_id": str(location.organization.hsds_id),
            "name": location.name,
            "alternate_name": location.name_en,
            "latitude": location.latitude,
            "longitude": location.longitude,
            "addresses": [
                {
                    "id": derived_id("address", lid),
                    "location_id": lid,
                    "address_1": location.address_1,
                    "city": location.city,
                    "state_province": location.state_province,
                    "postal_code": location.postal_code,
                    "country": "KR",
                    "address_type": "physical",
                }
            ],
        }
    )


def service_object(service: Service) -> dict[str, Any]:
    sid = str(service.hsds_id)
    attributes = [_attribute(sid, "service", KIND_TAXONOMY, service.kind)]
    attributes += [
        _attribute(sid, "service", DOMAIN_TAXONOMY, d)
        for d in service.domains
        if d in Domain.values
    ]
    roster, volunteers = roster_schedule(service.shifts.all())
    facts = {
        "places_per_month": service.places_per_month,
        "budget_left_krw": service.budget_left,
        "roster": roster,
        "volunteers": volunteers,
    }
    attributes += [
        _attribute(sid, "service", FACT_TAXONOMY, code, str(value))
        for code, value in facts.items()
        if value is not None and value != ""
    ]
    documents = [
        {"id": str(d.hsds_id), "service_id": sid, "document": d.document}
        for d in service.documents.all()
    ]
    at_locations = [
        {
            "id": derived_id("service_at_location", sid, loc.hsds_id),
            "service_id": sid,
            "location_id": str(loc.hsds_id),
        }
        for loc in service.locations.all()
    ]
    return _clean(
        {
            "id": sid,
            "organization_id": str(service.organization.hsds_id),
            "name": service.name,
            "alternate_name": service.name_en,
            "description": service.description,
            "status": service.status,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "application_process": service.application_process,
            "required_documents": sorted(documents, key=lambda d: d["id"]),
            "service_at_locations": sorted(at_locations, key=lambda s: s["id"]),
            "service_areas": [
                {
                    "id": derived_id("service_area", sid),
                    "service_id": sid,
                    "name": service.area.name,
                    "extent": service.area.code,
                    "extent_type": "maeul_area_code",
                }
            ],
            "attributes": sorted(attributes, key=lambda a: a["id"]),
        }
    )


def directory_objects() -> dict[str, list[dict[str, Any]]]:
    """The whole directory as HSDS objects, one list per file, each sorted by id."""
    organizations = [
        organization_object(p) for p in PartnerInstitution.objects.select_related("area")
    ]
    locations = [location_object(loc) for loc in Location.objects.select_related("organization")]
    services = [
        service_object(s)
        for s in Service.objects.select_related("organization", "area").prefetch_related(
            "documents", "locations", "shifts__member"
        )
    ]
    by_id = {
        "organizations.json": organizations,
        "locations.json": locations,
        "services.json": services,
        "taxonomy_terms.json": taxonomy_terms(),
    }
    return {name: sorted(objs, key=lambda o: o["id"]) for name, objs in by_id.items()}


def dumps(objects: list[dict[str, Any]]) -> str:
    return json.dumps(objects, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def export_directory(directory: Path) -> dict[str, int]:
    """Write the four files into `directory` (created if missing); counts per file."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, objects in directory_objects().items():
        (directory / name).write_text(dumps(objects), encoding="utf-8")
        counts[name] = len(objects)
    return counts


# Import ---------------------------------------------------------------------------------


def _read(directory: Path, name: str) -> list[dict[str, Any]]:
    path = directory / name
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DomainError("hsds_unreadable", f"{name}: {exc}") from exc
    if not isinstance(data, list):
        raise DomainError("hsds_unreadable", f"{name}: a JSON array of objects is expected")
    return data


def _uuid(value: Any, where: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise DomainError("hsds_invalid_id", f"{where}: {value!r} is not a UUID") from exc


def _all_codes(taxonomy: str) -> list[str]:
    return {
        DOMAIN_TAXONOMY: list(Domain.values),
        KIND_TAXONOMY: list(Service.Kind.values),
        PARTNER_KIND_TAXONOMY: list(PartnerInstitution.Kind.values),
        FACT_TAXONOMY: list(FACTS),
    }[taxonomy]


def _codes(attributes: Any, taxonomy: str, terms: dict[str, dict]) -> list[tuple[str, str]]:
    """(code, value) of the attributes that point to a known term of `taxonomy`, by the term's
    id or by the term itself (nested, or in taxonomy_terms.json)."""
    known = {term_id(taxonomy, code): code for code in _all_codes(taxonomy)}
    found = []
    for attribute in attributes or []:
        nested = attribute.get("taxonomy_term") or {}
        tid = attribute.get("taxonomy_term_id") or nested.get("id", "")
        term = nested or terms.get(tid, {})
        code = known.get(tid)
        if code is None and term.get("taxonomy") == taxonomy and term.get("code") in known.values():
            code = term["code"]
        if code is not None:
            found.append((code, str(attribute.get("value") or "")))
    return found


def _area(code: str | None, default: Area | None, where: str) -> Area:
    if code:
        area = Area.objects.filter(code=code).first()
        if area is not None:
            return area
    if default is not None:
        return default
    raise DomainError(
        "hsds_unknown_area",
        f"{where}: no maeul area code{f' {code}' if code else ''} is known here "
        "(give --area for objects from other systems)",
    )


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


@transaction.atomic
def import_directory(directory: Path, *, default_area: Area | None = None) -> dict[str, int]:
    """Read the four files and create or update the organisations, locations and services they
    describe (matched by HSDS id). All or nothing: an error leaves the directory as it was."""
    terms = {t.get("id", ""): t for t in _read(directory, "taxonomy_terms.json")}
    partners: dict[str, PartnerInstitution] = {}
    for obj in _read(directory, "organizations.json"):
        oid = _uuid(obj.get("id"), "organization")
        area_code = next(
            (
                i.get("identifier")
                for i in obj.get("organization_identifiers") or []
                if i.get("identifier_scheme") == "maeul" and i.get("identifier_type") == "area_code"
            ),
            None,
        )
        kinds = [c for c, _v in _codes(obj.get("attributes"), PARTNER_KIND_TAXONOMY, terms)]
        facts = dict(_codes(obj.get("attributes"), FACT_TAXONOMY, terms))
        phones = obj.get("phones") or []
        partner, _created = PartnerInstitution.objects.update_or_create(
            hsds_id=oid,
            defaults={
                "name": str(obj.get("name") or "")[:120],
                "name_en": str(obj.get("alternate_name") or "")[:120],
                "services": str(obj.get("description") or ""),
                "email": str(obj.get("email") or ""),
                "website": str(obj.get("website") or ""),
                "phone": str(phones[0].get("number") or "")[:20] if phones else "",
                "kind": kinds[0] if kinds else PartnerInstitution.Kind.OTHER,
                "mou_signed_on": facts.get("mou_signed_on") or None,
                "area": _area(area_code, default_area, f"organization {oid}"),
            },
        )
        if not partner.name:
            raise DomainError("hsds_missing_name", f"organization {oid}: no name")
        partners[str(oid)] = partner

    def organisation(value: Any, where: str) -> PartnerInstitution:
        key = str(_uuid(value, where))
        if key not in partners:
            found = PartnerInstitution.objects.filter(hsds_id=key).first()
            if found is None:
                raise DomainError("hsds_unknown_organization", f"{where}: unknown organization")
            partners[key] = found
        return partners[key]

    locations: dict[str, Location] = {}
    for obj in _read(directory, "locations.json"):
        lid = _uuid(obj.get("id"), "location")
        address = next(iter(obj.get("addresses") or []), {})
        location, _created = Location.objects.update_or_create(
            hsds_id=lid,
            defaults={
                "organization": organisation(obj.get("organization_id"), f"location {lid}"),
                "name": str(obj.get("name") or "")[:160],
                "name_en": str(obj.get("alternate_name") or "")[:160],
                "address_1": str(address.get("address_1") or "")[:200],
                "city": str(address.get("city") or "")[:80],
                "state_province": str(address.get("state_province") or "")[:80],
                "postal_code": str(address.get("postal_code") or "")[:10],
                "latitude": obj.get("latitude"),
                "longitude": obj.get("longitude"),
            },
        )
        locations[str(lid)] = location

    services = 0
    for obj in _read(directory, "services.json"):
        sid = _uuid(obj.get("id"), "service")
        org = organisation(obj.get("organization_id"), f"service {sid}")
        area_code = next(
            (
                a.get("extent")
                for a in obj.get("service_areas") or []
                if a.get("extent_type") == "maeul_area_code"
            ),
            None,
        )
        attributes = obj.get("attributes")
        kinds = [c for c, _v in _codes(attributes, KIND_TAXONOMY, terms)]
        facts = dict(_codes(attributes, FACT_TAXONOMY, terms))
        status = obj.get("status")
        if status not in Service.Status.values:
            raise DomainError("hsds_invalid_status", f"service {sid}: status {status!r}")
        if not obj.get("name"):
            raise DomainError("hsds_missing_name", f"service {sid}: no name")
        service, _created = Service.objects.update_or_create(
            hsds_id=sid,
            defaults={
                "organization": org,
                "area": _area(area_code, org.area, f"service {sid}"),
                "name": str(obj["name"])[:160],
                "name_en": str(obj.get("alternate_name") or "")[:160],
                "description": str(obj.get("description") or ""),
                "status": status,
                "kind": kinds[0] if kinds else Service.Kind.SERVICE,
                "domains": sorted(
                    {c for c, _v in _codes(attributes, DOMAIN_TAXONOMY, terms)},
                    key=list(Domain.values).index,
                ),
                "eligibility_description": str(obj.get("eligibility_description") or ""),
                "minimum_age": _int(obj.get("minimum_age")),
                "maximum_age": _int(obj.get("maximum_age")),
                "application_process": str(obj.get("application_process") or ""),
                "places_per_month": _int(facts.get("places_per_month")),
                "budget_left": _int(facts.get("budget_left_krw")),
            },
        )
        service.shifts.all().delete()
        RosterShift.objects.bulk_create(
            RosterShift(service=service, **shift)
            for shift in parse_schedule(
                str(facts.get("roster") or ""), _int(facts.get("volunteers"))
            )
            if shift["volunteer_name"]
        )
        service.documents.all().delete()
        RequiredDocument.objects.bulk_create(
            RequiredDocument(
                hsds_id=_uuid(d.get("id"), f"service {sid} document"),
                service=service,
                document=str(d.get("document") or "")[:200],
            )
            for d in obj.get("required_documents") or []
        )
        linked = []
        for link in obj.get("service_at_locations") or []:
            key = str(_uuid(link.get("location_id"), f"service {sid} location"))
            location = locations.get(key) or Location.objects.filter(hsds_id=key).first()
            if location is None:
                raise DomainError("hsds_unknown_location", f"service {sid}: unknown location")
            linked.append(location)
        service.locations.set(linked)
        services += 1
    return {"organizations": len(partners), "locations": len(locations), "services": services}
