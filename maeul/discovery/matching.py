"""Matching a lead to a household the hub already knows, so that a report never creates a
duplicate household (DOMAIN.md, core loop step 1).

Rules, in order, within the lead's gu:
1. the resident registration number, compared through its keyed blind index (the number itself
   is never queried in clear, PIPA art. 24-2);
2. the normalised name of a member, the normalised address of the household, and the birth
   date — which must agree when both the report and the record know it. A match on name and
   address alone is accepted only when it designates one household.

`household_match` serves one report; `HouseholdIndex` serves an upload of thousands of rows with
a few queries (the index dictionaries are loaded once for the keys present in the file).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from maeul.areas.models import Area
from maeul.discovery.models import Lead
from maeul.people.identity import blind_index, normalise_rrn
from maeul.people.models import Household, Resident
from maeul.text import normalise_address, normalise_name

BY_RRN = Lead.Match.RRN.value
BY_NAME_BIRTH_ADDRESS = Lead.Match.NAME_BIRTH_ADDRESS.value
NEW = Lead.Match.NEW.value

#: Keys per IN (...) query: far below SQLite's and PostgreSQL's parameter limits.
CHUNK = 5000


def gu_id_of(dong: Area) -> int | None:
    """The gu (si/gun/gu) a dong belongs to."""
    return dong.parent_id


@dataclass(frozen=True)
class MatchKeys:
    """The normalised look-up keys of one report."""

    rrn_index: str
    name_key: str
    address_key: str
    birth_date: dt.date | None

    @classmethod
    def of(
        cls, *, name: str, address: str, rrn: str | None = None, birth_date: dt.date | None = None
    ) -> MatchKeys:
        normal = normalise_rrn(rrn) if rrn else None
        return cls(
            rrn_index=blind_index(normal) if normal else "",
            name_key=normalise_name(name or ""),
            address_key=normalise_address(address or ""),
            birth_date=birth_date,
        )


def _pick(
    candidates: Iterable[tuple[int, dt.date | None]], birth_date: dt.date | None
) -> int | None:
    """The one household among (household_id, member birth date) candidates whose birth date
    agrees with the report's (or is unknown on either side)."""
    households = {
        household_id
        for household_id, member_birth in candidates
        if birth_date is None or member_birth is None or member_birth == birth_date
    }
    if len(households) == 1:
        return households.pop()
    if birth_date is not None:
        # Several households share name and address: only an exact birth date decides.
        exact = {h for h, member_birth in candidates if member_birth == birth_date}
        if len(exact) == 1:
            return exact.pop()
    return None


def household_match(
    *,
    dong: Area,
    rrn: str | None = None,
    name: str,
    birth_date: dt.date | None = None,
    address: str,
) -> tuple[Household | None, str]:
    """The known household of the gu this report is about, and how it was found
    (`Lead.Match.RRN` / `NAME_BIRTH_ADDRESS`), or `(None, Lead.Match.NEW)`."""
    keys = MatchKeys.of(name=name, address=address, rrn=rrn, birth_date=birth_date)
    in_gu = Resident.objects.filter(household__dong__parent_id=gu_id_of(dong))
    if keys.rrn_index:
        household_id = (
            in_gu.filter(rrn_index=keys.rrn_index).values_list("household_id", flat=True).first()
        )
        if household_id is not None:
            return Household.objects.select_related("dong").get(pk=household_id), Lead.Match.RRN
    if keys.name_key and keys.address_key:
        candidates = list(
            in_gu.filter(
                name_key=keys.name_key, household__address_key=keys.address_key
            ).values_list("household_id", "birth_date")
        )
        household_id = _pick(candidates, keys.birth_date)
        if household_id is not None:
            return (
                Household.objects.select_related("dong").get(pk=household_id),
                Lead.Match.NAME_BIRTH_ADDRESS,
            )
    return None, Lead.Match.NEW


@dataclass(frozen=True)
class Known:
    """A matched household: its id and dong (for the timeline event)."""

    household_id: int
    dong_id: int


class HouseholdIndex:
    """The gu's residents, indexed by blind index and by (name key, address key), loaded once
    for the keys of a batch of reports: two to four queries for a 10,000-row upload."""

    def __init__(self, *, gu_id: int | None, keys: Iterable[MatchKeys]) -> None:
        keys = list(keys)
        self.by_rrn: dict[str, Known] = {}
        self.by_name_address: dict[tuple[str, str], list[tuple[int, dt.date | None]]] = defaultdict(
            list
        )
        self.dong_of: dict[int, int] = {}
        residents = Resident.objects.filter(household__dong__parent_id=gu_id)
        rrn_indexes = sorted({k.rrn_index for k in keys if k.rrn_index})
        for start in range(0, len(rrn_indexes), CHUNK):
            rows = residents.filter(rrn_index__in=rrn_indexes[start : start + CHUNK]).values_list(
                "rrn_index", "household_id", "household__dong_id"
            )
            for rrn_index, household_id, dong_id in rows:
                self.by_rrn.setdefault(rrn_index, Known(household_id, dong_id))
        name_keys = sorted({k.name_key for k in keys if k.name_key and k.address_key})
        wanted = {(k.name_key, k.address_key) for k in keys}
        for start in range(0, len(name_keys), CHUNK):
            rows = residents.filter(name_key__in=name_keys[start : start + CHUNK]).values_list(
                "name_key",
                "household__address_key",
                "household_id",
                "birth_date",
                "household__dong_id",
            )
            for name_key, address_key, household_id, birth_date, dong_id in rows:
                if (name_key, address_key) in wanted:
                    self.by_name_address[(name_key, address_key)].append((household_id, birth_date))
                    self.dong_of[household_id] = dong_id

    def match(self, keys: MatchKeys) -> tuple[Known | None, str]:
        if keys.rrn_index and keys.rrn_index in self.by_rrn:
            return self.by_rrn[keys.rrn_index], BY_RRN
        candidates = self.by_name_address.get((keys.name_key, keys.address_key))
        if candidates:
            household_id = _pick(candidates, keys.birth_date)
            if household_id is not None:
                return Known(household_id, self.dong_of[household_id]), BY_NAME_BIRTH_ADDRESS
        return None, NEW
