"""Synthetic vulnerable households of the demo district: members, registration numbers and
the benefits they receive before the history starts (some receive nothing: the blind spots)."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from maeul.areas.models import Area
from maeul.demo import facts
from maeul.people.models import BenefitReceipt, Household, Programme, Resident
from maeul.people.services import resident_fill
from maeul.text import normalise_address

KST = dt.timezone(dt.timedelta(hours=9), "KST")

#: Household types of the vulnerable-group surveys (seed 003) and their shares (%).
TYPES = (
    ("senior_alone", 30),
    ("senior_couple", 15),
    ("single_parent", 11),
    ("grandparent", 6),
    ("disabled", 13),
    ("near_poor", 15),
    ("middle_aged_alone", 10),
)
#: Share of each type that receives nothing when the history starts (the blind spots).
NOTHING = {
    "senior_alone": 0.12,
    "senior_couple": 0.15,
    "single_parent": 0.2,
    "grandparent": 0.15,
    "disabled": 0.2,
    "near_poor": 0.35,
    "middle_aged_alone": 0.5,
}
#: Programmes that make a person a "target" of welfare services (DOMAIN.md indicators).
LIVELIHOOD_BASE = {1: 765_444, 2: 1_256_403, 3: 1_603_614, 4: 1_951_287, 5: 2_282_126}
BASIC_PENSION = 342_510
Event = tuple  # (occurred_at, kind, dong_id, household, actor_id, subject, amount, summary)


_PROGRAMME_LABELS: dict[str, str] = {}


def _programme_label(programme: str) -> str:
    if programme not in _PROGRAMME_LABELS:
        _PROGRAMME_LABELS[programme] = str(Programme(programme).label)
    return _PROGRAMME_LABELS[programme]


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=KST)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def month_start_after(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass
class HouseholdPlan:
    """A household with what the generator needs to remember about it."""

    obj: Household
    dong_index: int
    kind: str
    members: list[Resident]
    receipts: list[BenefitReceipt] = field(default_factory=list)
    registered_at: dt.datetime | None = None
    hidden: bool = False  # not known to the hub until a lead registers it
    via_lead: bool = False  # registered by a lead (match: new household)
    blind_counted: bool = False
    provided_at: dt.datetime | None = None  # first service provided
    visited: bool = False
    case_open_until: dt.datetime | None = None

    def receives_at(self, day: dt.date) -> bool:
        return any(
            r.started_on <= day and (r.ended_on is None or r.ended_on >= day) for r in self.receipts
        )

    def programmes(self) -> set[str]:
        return {r.programme for r in self.receipts if r.ended_on is None}


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [s for s, _ in facts.SURNAMES]
        self.weights = [w for _, w in facts.SURNAMES]

    def surname(self) -> str:
        return self.rng.choices(self.surnames, self.weights)[0]

    def given(self, birth: dt.date, sex: str) -> str:
        cohort = 0 if birth.year < 1960 else 1 if birth.year < 1990 else 2
        first, second = facts.GIVEN[(cohort, sex)]
        a, b = self.rng.choice(first), self.rng.choice(second)
        if a == b:
            b = second[(second.index(b) + 1) % len(second)]
        return a + b

    def full(self, birth: dt.date, sex: str, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given(birth, sex)


class PopulationBuilder:
    """Builds households, residents and their benefit receipts (unsaved) for the dongs."""

    def __init__(
        self,
        *,
        rng: random.Random,
        today: dt.date,
        dongs: list[Area],
        tongs: dict[int, list[tuple[Area, list[Area], float, float]]],
    ) -> None:
        self.rng = rng
        self.today = today
        self.dongs = dongs
        self.tongs = tongs
        self.names = NameMaker(rng)
        self.rrns: set[str] = set()
        self.events: list[Event] = []
        self.plans: list[HouseholdPlan] = []

    # --- people ----------------------------------------------------------------------

    def birth(self, age_min: int, age_max: int) -> dt.date:
        age = self.rng.randint(age_min, age_max)
        start = add_years(self.today, -(age + 1)) + dt.timedelta(days=1)
        return start + dt.timedelta(days=self.rng.randrange(365))

    def rrn(self, birth: dt.date, sex: str) -> str:
        """YYMMDD-GNNNNNN: G is 1/2 (men/women born 1900–1999) or 3/4 (born 2000 or later)."""
        century = 0 if birth.year < 2000 else 2
        gender = century + (1 if sex == "M" else 2)
        while True:
            value = f"{birth:%y%m%d}-{gender}{self.rng.randrange(1_000_000):06d}"
            if value not in self.rrns:
                self.rrns.add(value)
                return value

    def person(
        self,
        household: Household,
        *,
        age: tuple[int, int],
        sex: str,
        relation: str,
        surname: str | None = None,
        disability: str = "",
    ) -> Resident:
        birth = self.birth(*age)
        resident = Resident(
            household=household,
            name=self.names.full(birth, sex, surname),
            birth_date=birth,
            sex=sex,
            relation=relation,
            disability=disability,
        )
        resident._rrn = self.rrn(birth, sex)  # encrypted in bulk by `seal_identities`
        return resident

    def members_for(self, household: Household, kind: str) -> list[Resident]:
        rng, R = self.rng, Resident.Relation
        female = rng.random()
        members: list[Resident] = []
        if kind == "senior_alone":
            members.append(
                self.person(
                    household, age=(65, 96), sex="F" if female < 0.72 else "M", relation=R.HEAD
                )
            )
        elif kind == "senior_couple":
            head = self.person(household, age=(67, 92), sex="M", relation=R.HEAD)
            members += [head, self.person(household, age=(64, 88), sex="F", relation=R.SPOUSE)]
        elif kind == "single_parent":
            sex = "F" if female < 0.8 else "M"
            head = self.person(household, age=(27, 52), sex=sex, relation=R.HEAD)
            members.append(head)
            for _ in range(rng.choice((1, 1, 2, 2, 3))):
                members.append(
                    self.person(
                        household,
                        age=(0, 17),
                        sex=rng.choice("FM"),
                        relation=R.CHILD,
                        surname=head.name[0],
                    )
                )
        elif kind == "grandparent":
            head = self.person(
                household, age=(60, 84), sex="F" if female < 0.7 else "M", relation=R.HEAD
            )
            members.append(head)
            if rng.random() < 0.4:
                members.append(
                    self.person(
                        household,
                        age=(62, 86),
                        sex="M" if head.sex == "F" else "F",
                        relation=R.SPOUSE,
                    )
                )
            for _ in range(rng.choice((1, 1, 2))):
                members.append(
                    self.person(household, age=(3, 17), sex=rng.choice("FM"), relation=R.GRANDCHILD)
                )
        elif kind == "disabled":
            size = rng.choice((1, 1, 2, 2, 3, 4))
            severe = "severe" if rng.random() < 0.45 else "mild"
            head = self.person(
                household, age=(25, 80), sex=rng.choice("FM"), relation=R.HEAD, disability=severe
            )
            members.append(head)
            if size >= 2:
                members.append(
                    self.person(
                        household,
                        age=(25, 80),
                        sex="M" if head.sex == "F" else "F",
                        relation=R.SPOUSE,
                    )
                )
            for _ in range(size - 2):
                members.append(
                    self.person(
                        household,
                        age=(0, 30),
                        sex=rng.choice("FM"),
                        relation=R.CHILD,
                        surname=head.name[0] if head.sex == "M" else None,
                    )
                )
        elif kind == "near_poor":
            size = rng.choice((2, 3, 3, 4, 4, 5))
            head = self.person(
                household, age=(33, 64), sex="M" if female < 0.7 else "F", relation=R.HEAD
            )
            members.append(head)
            members.append(
                self.person(
                    household, age=(31, 62), sex="F" if head.sex == "M" else "M", relation=R.SPOUSE
                )
            )
            for _ in range(size - 2):
                members.append(
                    self.person(
                        household,
                        age=(0, 22),
                        sex=rng.choice("FM"),
                        relation=R.CHILD,
                        surname=head.name[0] if head.sex == "M" else None,
                    )
                )
        else:  # middle_aged_alone
            members.append(
                self.person(
                    household, age=(40, 64), sex="M" if female < 0.66 else "F", relation=R.HEAD
                )
            )
        return members

    # --- benefits --------------------------------------------------------------------

    def receipt(
        self,
        plan: HouseholdPlan,
        programme: str,
        started_on: dt.date,
        *,
        resident: Resident | None = None,
        amount: int | None = None,
        ended_on: dt.date | None = None,
        actor_id: int | None = None,
        occurred_at: dt.datetime | None = None,
    ) -> BenefitReceipt:
        receipt = BenefitReceipt(
            household=plan.obj,
            resident=resident,
            programme=programme,
            started_on=started_on,
            ended_on=ended_on,
            monthly_amount=amount,
        )
        plan.receipts.append(receipt)
        label = _programme_label(programme)
        dong_id = plan.obj.dong_id
        self.events.append(
            (
                occurred_at or at(started_on),
                "benefit_started",
                dong_id,
                plan.obj,
                actor_id,
                receipt,
                amount,
                label,
            )
        )
        if ended_on is not None and ended_on < self.today:
            self.events.append(
                (at(ended_on, 18), "benefit_ended", dong_id, plan.obj, None, receipt, None, label)
            )
        return receipt

    def _past_start(self, earliest: dt.date) -> dt.date:
        earliest = max(earliest, dt.date(2012, 1, 1))
        latest = facts.HISTORY_START - dt.timedelta(days=1)
        if earliest >= latest:
            return latest
        return earliest + dt.timedelta(days=self.rng.randrange((latest - earliest).days))

    def initial_benefits(self, plan: HouseholdPlan) -> None:
        rng, kind, members = self.rng, plan.kind, plan.members
        head = members[0]
        adult_since = add_years(head.birth_date, 20)
        nbls_p = {
            "senior_alone": 0.25,
            "senior_couple": 0.15,
            "single_parent": 0.3,
            "grandparent": 0.45,
            "disabled": 0.3,
            "near_poor": 0.0,
            "middle_aged_alone": 0.45,
        }[kind]
        nbls = rng.random() < nbls_p
        if nbls:
            start = self._past_start(adult_since)
            size = min(len(members), 5)
            amount = int(LIVELIHOOD_BASE[size] * rng.uniform(0.4, 1.0)) // 1000 * 1000
            self.receipt(plan, Programme.NBLS_LIVELIHOOD, start, amount=amount)
            for member in members:
                self.receipt(
                    plan, Programme.NBLS_MEDICAL, max(start, member.birth_date), resident=member
                )
            for member in members:
                age = age_on(member.birth_date, self.today)
                if member.relation in ("child", "grandchild") and 7 <= age <= 18:
                    self.receipt(
                        plan,
                        Programme.NBLS_EDUCATION,
                        max(start, add_years(member.birth_date, 7)),
                        resident=member,
                    )
        if (nbls or rng.random() < 0.15) and plan.obj.housing in (
            "monthly_rent",
            "jeonse",
            "other",
        ):
            self.receipt(
                plan,
                Programme.NBLS_HOUSING,
                self._past_start(adult_since),
                amount=rng.randrange(150, 360) * 1000,
            )
        if not nbls and (
            kind == "near_poor"
            and rng.random() < 0.75
            or kind in ("senior_couple", "disabled")
            and rng.random() < 0.15
        ):
            self.receipt(plan, Programme.NEAR_POOR, self._past_start(adult_since))
        if kind == "single_parent" and rng.random() < 0.7:
            children = sum(1 for m in members if m.relation == "child")
            self.receipt(
                plan,
                Programme.SINGLE_PARENT,
                self._past_start(members[-1].birth_date),
                amount=230_000 * children,
            )
        couple = sum(1 for m in members if age_on(m.birth_date, self.today) >= 65) >= 2
        for member in members:
            age = age_on(member.birth_date, self.today)
            if age >= 65 and rng.random() < 0.9:
                start = max(
                    month_start_after(add_years(member.birth_date, 65)), dt.date(2014, 7, 1)
                )
                amount = int(BASIC_PENSION * (0.8 if couple else 1.0))
                self.receipt(plan, Programme.BASIC_PENSION, start, resident=member, amount=amount)
            if member.disability == "severe" and age >= 18 and rng.random() < 0.85:
                start = self._past_start(add_years(member.birth_date, 18))
                self.receipt(
                    plan,
                    Programme.DISABILITY_PENSION,
                    start,
                    resident=member,
                    amount=BASIC_PENSION + rng.choice((0, 90_000, 330_000)),
                )
            # Child allowance: under 8 until 2025; from 2026 children who turn 8 keep it until
            # 9 (Child Allowance Act as amended for 2026; docs/benefits.md).
            eighth = add_years(member.birth_date, 8)
            last_birthday = (
                eighth if eighth < dt.date(2026, 1, 1) else add_years(member.birth_date, 9)
            )
            if last_birthday > facts.HISTORY_START and member.relation in ("child", "grandchild"):
                ended = last_birthday - dt.timedelta(days=1)
                self.receipt(
                    plan,
                    Programme.CHILD_ALLOWANCE,
                    max(month_start_after(member.birth_date), dt.date(2018, 9, 1)),
                    resident=member,
                    amount=100_000,
                    ended_on=ended if ended < self.today else None,
                )

    # --- households ------------------------------------------------------------------

    def _place(self, dong_index: int) -> tuple[Area, Area, float, float]:
        tong, bans, lat, lon = self.rng.choice(self.tongs[dong_index])
        ban = self.rng.choice(bans)
        # within ~150 m of the tong's centre, itself within ~450 m of the dong's centroid
        r = 150 * math.sqrt(self.rng.random())
        theta = self.rng.random() * 2 * math.pi
        return (
            tong,
            ban,
            round(lat + r * math.sin(theta) / 111_320, 6),
            round(lon + r * math.cos(theta) / (111_320 * math.cos(math.radians(lat))), 6),
        )

    def _address(self, dong_index: int, kind: str) -> tuple[str, str, str]:
        rng = self.rng
        road = rng.choice(facts.DONGS[dong_index].roads)
        number = f"{rng.randint(1, 260)}" + (
            f"-{rng.randint(1, 30)}" if rng.random() < 0.35 else ""
        )
        address = f"부산광역시 수영구 {road} {number}"
        roll = rng.random()
        if kind in ("senior_couple", "near_poor") and roll < 0.55 or roll < 0.3:
            detail = f"{rng.randint(101, 112)}동 {rng.randint(1, 15)}{rng.randint(1, 6):02d}호"
            housing = rng.choice(("owned", "jeonse", "public_rental", "monthly_rent"))
        elif roll < 0.75:
            detail = (
                f"{rng.randint(1, 4)}층"
                if rng.random() < 0.5
                else f"{rng.randint(1, 4)}0{rng.randint(1, 4)}호"
            )
            housing = rng.choice(("monthly_rent", "monthly_rent", "jeonse", "owned"))
        else:
            detail = ""
            housing = rng.choice(("owned", "monthly_rent", "other"))
        if kind == "middle_aged_alone" and rng.random() < 0.3:
            housing = "other"
            detail = f"고시원 {rng.randint(1, 40)}호"
        return address, detail, housing

    def build(self, count: int) -> list[HouseholdPlan]:
        weights = [d.weight for d in facts.DONGS]
        total = sum(weights)
        per_dong = [int(count * w / total) for w in weights]
        per_dong[3] += count - sum(per_dong)  # the remainder lives in Mangmi 1-dong
        kinds = [k for k, _ in TYPES]
        shares = [s for _, s in TYPES]
        groups_of = {
            "senior_alone": ["senior_alone"],
            "senior_couple": [],
            "single_parent": ["single_parent"],
            "grandparent": ["grandparent"],
            "disabled": ["disabled"],
            "near_poor": ["near_poor"],
            "middle_aged_alone": ["middle_aged_alone"],
        }
        registration_span = (facts.HISTORY_START - dt.date(2016, 1, 1)).days
        for dong_index, n in enumerate(per_dong):
            dong = self.dongs[dong_index]
            for _ in range(n):
                kind = self.rng.choices(kinds, shares)[0]
                tong, ban, lat, lon = self._place(dong_index)
                address, detail, housing = self._address(dong_index, kind)
                household = Household(
                    dong=dong,
                    tong=tong,
                    ban=ban,
                    address=address,
                    address_detail=detail,
                    address_key=normalise_address(f"{address} {detail}"),
                    lat=lat,
                    lon=lon,
                    housing=housing,
                    groups=list(groups_of[kind]),
                )
                members = self.members_for(household, kind)
                if any(m.disability for m in members) and "disabled" not in household.groups:
                    household.groups.append("disabled")
                plan = HouseholdPlan(
                    obj=household, dong_index=dong_index, kind=kind, members=members
                )
                if self.rng.random() < NOTHING[kind]:
                    plan.hidden = self.rng.random() < 0.45
                else:
                    self.initial_benefits(plan)
                    if (
                        plan.receipts
                        and any(r.programme.startswith("nbls") for r in plan.receipts)
                        and any(m.relation in ("child", "grandchild") for m in members)
                    ):
                        household.groups.append("poor_children")
                day = dt.date(2016, 1, 1) + dt.timedelta(days=self.rng.randrange(registration_span))
                plan.registered_at = at(day, self.rng.randint(9, 17), self.rng.randrange(60))
                self.plans.append(plan)
        return self.plans


def seal_identities(residents: list[Resident]) -> None:
    """Fill name_key, rrn_encrypted and rrn_index with `people.services.resident_fill`, the
    one place that knows how identifiers are stored."""
    for resident in residents:
        resident_fill(resident, rrn=getattr(resident, "_rrn", None))
