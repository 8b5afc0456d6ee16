"""Matching needs to services of the directory.

- `rank`: for one need, the eligible services ranked by need domain (the service meets it),
  eligibility (ages), capacity left and distance.
- `assign`: for a batch of needs (after an outreach campaign), the assignment under capacity
  that meets the most needs and, among those, travels least: a min-cost max-flow on OR-Tools
  (source → need (1) → eligible service (1, cost = distance) → sink (places left)). The needs
  left without a service are what the resource-support team goes looking for.
- `assign_greedy`: first come, first served (each need takes the nearest eligible service with
  a place left), the comparison bench/matching.py prints.

The functions take plain records (`Need`, `Offer`), so the page, the batch and the bench share
them; `household_needs`/`offers_in_reach` read them from the database for a user."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from maeul.accounts.models import User
from maeul.cases.selectors import assessments_visible_to
from maeul.people.models import Household
from maeul.resources.models import Service
from maeul.resources.selectors import services_in_reach

#: A need counts from this assessed level (0 none – 3 severe).
NEED_LEVEL = 2


@dataclass(frozen=True)
class Need:
    key: object  # e.g. (household id, domain)
    domain: str
    level: int = 2
    age: int | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Offer:
    key: object  # the service id
    domains: frozenset[str]
    places: int | None  # None: no stated limit
    min_age: int | None = None
    max_age: int | None = None
    lat: float | None = None
    lon: float | None = None
    name: str = ""


@dataclass
class Assignment:
    assigned: dict[object, object] = field(default_factory=dict)  # need key → offer key
    unmet: list[Need] = field(default_factory=list)

    @property
    def met(self) -> int:
        return len(self.assigned)


def km(a_lat, a_lon, b_lat, b_lon) -> float:
    """Great-circle distance; 0 when either side has no coordinates (unknown, not far)."""
    if None in (a_lat, a_lon, b_lat, b_lon):
        return 0.0
    p1, p2 = math.radians(a_lat), math.radians(b_lat)
    dp, dl = p2 - p1, math.radians(b_lon - a_lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def eligible(need: Need, offer: Offer) -> bool:
    if need.domain not in offer.domains:
        return False
    if offer.places is not None and offer.places <= 0:
        return False
    if need.age is not None:
        if offer.min_age is not None and need.age < offer.min_age:
            return False
        if offer.max_age is not None and need.age > offer.max_age:
            return False
    return True


def rank(need: Need, offers: Iterable[Offer]) -> list[tuple[Offer, float]]:
    """Eligible offers for the need, nearest first, then most places left; with distance."""
    found = [(o, km(need.lat, need.lon, o.lat, o.lon)) for o in offers if eligible(need, o)]
    return sorted(
        found,
        key=lambda od: (round(od[1], 1), -(od[0].places if od[0].places is not None else 10**6)),
    )


def _capacity(offer: Offer, n_needs: int) -> int:
    return n_needs if offer.places is None else max(0, offer.places)


#: Each need is offered its nearest eligible services only: enough choice for the flow to
#: route around full services, few enough arcs to solve thousands of needs in seconds.
CANDIDATES = 40


class _Domain:
    """The offers of one need domain as arrays, for vectorised eligibility and distance."""

    def __init__(self, offers: Sequence[Offer], index: list[int]) -> None:
        self.index = np.array(index, dtype=np.int64)
        chosen = [offers[j] for j in index]
        self.lat = np.array([o.lat if o.lat is not None else np.nan for o in chosen])
        self.lon = np.array([o.lon if o.lon is not None else np.nan for o in chosen])
        self.min_age = np.array([o.min_age if o.min_age is not None else -1 for o in chosen])
        self.max_age = np.array([o.max_age if o.max_age is not None else 10**4 for o in chosen])
        self.open = np.array([o.places is None or o.places > 0 for o in chosen])

    def candidates(self, need: Need, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(offer indices, km) of the nearest eligible offers."""
        ok = self.open.copy()
        if need.age is not None:
            ok &= (self.min_age <= need.age) & (need.age <= self.max_age)
        if need.lat is None or need.lon is None:
            dist = np.zeros(len(self.index))
        else:
            p1, p2 = math.radians(need.lat), np.radians(self.lat)
            dp, dl = p2 - p1, np.radians(self.lon - need.lon)
            h = np.sin(dp / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
            dist = np.nan_to_num(2 * 6371.0 * np.arcsin(np.sqrt(h)), nan=0.0)
        idx = np.flatnonzero(ok)
        if len(idx) > limit:
            idx = idx[np.argpartition(dist[idx], limit)[:limit]]
        return self.index[idx], dist[idx]


def assign(
    needs: Sequence[Need], offers: Sequence[Offer], *, candidates: int = CANDIDATES
) -> Assignment:
    """Meet as many needs as capacity allows, then travel least (min-cost max-flow); more
    severe needs are cheaper to meet, so they win a contested place."""
    n, m = len(needs), len(offers)
    if n == 0:
        return Assignment()
    source, sink = n + m, n + m + 1
    by_domain: dict[str, list[int]] = {}
    for j, offer in enumerate(offers):
        for d in offer.domains:
            by_domain.setdefault(d, []).append(j)
    domains = {d: _Domain(offers, index) for d, index in by_domain.items()}
    tails, heads, costs = [], [], []
    for i, need in enumerate(needs):
        group = domains.get(need.domain)
        if group is None:
            continue
        js, dist = group.candidates(need, candidates)
        tails.append(np.full(len(js), i))
        heads.append(js + n)
        costs.append((dist * 10).astype(np.int64) + 10 * (3 - need.level))
    need_tails = np.concatenate(tails) if tails else np.array([], dtype=np.int64)
    tails_all = np.concatenate(
        [np.full(n, source), need_tails, np.arange(n, n + m), np.array([source])]
    )
    heads_all = np.concatenate(
        [
            np.arange(n),
            np.concatenate(heads) if heads else np.array([], dtype=np.int64),
            np.full(m, sink),
            np.array([sink]),
        ]
    )
    caps_all = np.concatenate(
        [
            np.ones(n, dtype=np.int64),
            np.ones(len(need_tails), dtype=np.int64),
            np.array([_capacity(o, n) for o in offers], dtype=np.int64),
            np.array([n]),  # unmet needs' supply reaches the sink at a prohibitive cost
        ]
    )
    costs_all = np.concatenate(
        [
            np.zeros(n, dtype=np.int64),
            np.concatenate(costs) if costs else np.array([], dtype=np.int64),
            np.zeros(m, dtype=np.int64),
            np.array([10**9]),
        ]
    )
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(
        tails_all.astype(np.int32), heads_all.astype(np.int32), caps_all, costs_all
    )
    smcf.set_node_supply(source, n)
    smcf.set_node_supply(sink, -n)
    status = smcf.solve()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    flows = smcf.flows(np.arange(n, n + len(need_tails)))
    result = Assignment()
    for arc in np.flatnonzero(flows > 0):
        result.assigned[needs[int(need_tails[arc])].key] = offers[int(heads_all[n + arc]) - n].key
    result.unmet = [need for need in needs if need.key not in result.assigned]
    return result


def assign_greedy(needs: Sequence[Need], offers: Sequence[Offer]) -> Assignment:
    """First come, first served: each need in turn takes its best-ranked offer with a place."""
    left = {id(o): _capacity(o, len(needs)) for o in offers}
    result = Assignment()
    for need in needs:
        for offer, _distance in rank(need, offers):
            if left[id(offer)] > 0:
                left[id(offer)] -= 1
                result.assigned[need.key] = offer.key
                break
        else:
            result.unmet.append(need)
    return result


# From the database ----------------------------------------------------------------------


def age_on(birth: dt.date | None, today: dt.date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def household_needs(*, user: User, household: Household, today: dt.date) -> list[Need]:
    """The needs of the household's latest assessment the user may see (level 2 and above)."""
    assessment = (
        assessments_visible_to(user).filter(household=household).order_by("-assessed_at").first()
    )
    if assessment is None:
        return []
    head = household.head
    age = age_on(head.birth_date, today) if head is not None else None
    return [
        Need(
            key=(household.pk, domain),
            domain=domain,
            level=int(level),
            age=age,
            lat=household.lat,
            lon=household.lon,
        )
        for domain, level in sorted(assessment.needs.items(), key=lambda kv: -int(kv[1]))
        if int(level) >= NEED_LEVEL
    ]


def offer_of(service: Service) -> Offer:
    location = next(iter(service.locations.all()), None)
    lat = location.latitude if location is not None else service.area.lat
    lon = location.longitude if location is not None else service.area.lon
    return Offer(
        key=service.pk,
        domains=frozenset(service.domains),
        places=service.places_per_month,
        min_age=service.minimum_age,
        max_age=service.maximum_age,
        lat=lat,
        lon=lon,
        name=service.name,
    )


def offers_in_reach(*, user: User) -> list[Offer]:
    services = (
        services_in_reach(user)
        .filter(status=Service.Status.ACTIVE)
        .select_related("area")
        .prefetch_related("locations")
    )
    return [offer_of(s) for s in services]


def recent_needs(*, user: User, since: dt.date, today: dt.date) -> list[Need]:
    """The needs of each household's latest assessment since `since`, the user's scope."""
    latest: dict[int, object] = {}
    assessments = (
        assessments_visible_to(user)
        .filter(assessed_at__date__gte=since)
        .select_related("household")
        .prefetch_related("household__members")
        .order_by("household_id", "-assessed_at")
    )
    needs: list[Need] = []
    for a in assessments:
        if a.household_id in latest:
            continue
        latest[a.household_id] = a
        head = a.household.head
        age = age_on(head.birth_date, today) if head is not None else None
        needs += [
            Need(
                key=(a.household_id, domain),
                domain=domain,
                level=int(level),
                age=age,
                lat=a.household.lat,
                lon=a.household.lon,
            )
            for domain, level in a.needs.items()
            if int(level) >= NEED_LEVEL
        ]
    return needs
