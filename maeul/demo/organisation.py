"""Areas, hubs, hub teams, partner institutions and the human safety net of the demo district.

Staffing replays seed 003's "visiting personnel (privately employed)" before/after: before the
reform each dong has one welfare official (a few a privately employed case manager) and the gu
a small integrated-case team, about 16(4); each hub opening brings a welfare manager, more
welfare officials, a visiting nurse and a case manager, most of them privately employed,
about 50(30) once both waves have opened."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from maeul.accounts.models import Role, SafetyNetMember, User
from maeul.areas.models import Area, Hub
from maeul.demo import facts
from maeul.demo.population import NameMaker
from maeul.resources.models import PartnerInstitution


@dataclass
class Staff:
    user: User
    role: str
    hired_on: dt.date


@dataclass
class Organisation:
    sido: Area
    gu: Area
    dongs: list[Area]
    tongs: dict[int, list[tuple[Area, list[Area], float, float]]]
    staff: dict[int, list[Staff]]  # dong index → team
    gu_staff: list[Staff]
    partners: list[PartnerInstitution]
    partner_contacts: dict[int, User]  # partner pk → contact
    safety_net: dict[int, list[SafetyNetMember]]
    volunteer: User
    personas: dict[str, User] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def slug(dong: facts.DongFact) -> str:
    return dong.name_en.lower().replace("-dong", "").replace(" ", "")


def _offset(rng: random.Random, lat: float, lon: float, metres: float) -> tuple[float, float]:
    r = metres * math.sqrt(rng.random())
    theta = rng.random() * 2 * math.pi
    return (
        lat + r * math.sin(theta) / 111_320,
        lon + r * math.cos(theta) / (111_320 * math.cos(math.radians(lat))),
    )


def build_areas(rng: random.Random) -> tuple[Area, Area, list[Area], dict]:
    sido = Area.objects.create(level=Area.Level.SIDO, **facts.SIDO)
    gu = Area.objects.create(level=Area.Level.SIGUNGU, parent=sido, **facts.GU)
    dongs = Area.objects.bulk_create(
        [
            Area(
                code=d.code,
                name=d.name,
                name_en=d.name_en,
                level=Area.Level.DONG,
                parent=gu,
                lat=d.lat,
                lon=d.lon,
            )
            for d in facts.DONGS
        ]
    )
    tong_rows: list[tuple[int, Area, float, float]] = []
    for index, dong in enumerate(dongs):
        for number in range(1, rng.randint(20, 35) + 1):
            lat, lon = _offset(rng, dong.lat, dong.lon, 450)
            tong = Area(
                code=f"{dong.code}-T{number:02d}",
                name=f"{number}통",
                name_en=f"Tong {number}",
                level=Area.Level.TONG,
                parent=dong,
                lat=round(lat, 6),
                lon=round(lon, 6),
            )
            tong_rows.append((index, tong, lat, lon))
    Area.objects.bulk_create([row[1] for row in tong_rows], batch_size=500)
    bans: list[Area] = []
    tongs: dict[int, list] = {i: [] for i in range(len(dongs))}
    for index, tong, lat, lon in tong_rows:
        tong_bans = [
            Area(
                code=f"{tong.code}-B{number:02d}",
                name=f"{number}반",
                name_en=f"Ban {number}",
                level=Area.Level.BAN,
                parent=tong,
            )
            for number in range(1, rng.randint(5, 10) + 1)
        ]
        bans += tong_bans
        tongs[index].append((tong, tong_bans, lat, lon))
    Area.objects.bulk_create(bans, batch_size=500)
    hubs = Hub.objects.bulk_create(
        [
            Hub(dong=dong, opened_on=fact.opened_on, hub_type=fact.hub_type)
            for dong, fact in zip(dongs, facts.DONGS, strict=True)
        ]
    )
    by_code = {hub.dong.code: hub for hub in hubs}
    for fact in facts.DONGS:
        if fact.central:
            hub = by_code[fact.code]
            hub.central_hub = by_code[fact.central]
            hub.save(update_fields=["central_hub"])
    return sido, gu, dongs, tongs


def build_organisation(
    *, rng: random.Random, scale: float, demo_accounts: bool, today: dt.date
) -> Organisation:
    names = NameMaker(rng)
    sido, gu, dongs, tongs = build_areas(rng)
    demo_hash = make_password(facts.DEMO_PASSWORD) if demo_accounts else None
    personas: dict[str, User] = {}
    users: list[User] = []

    def person_name(sex: str | None = None) -> str:
        sex = sex or rng.choice("FFM")
        birth = dt.date(rng.randint(1966, 1998), rng.randint(1, 12), 1)
        return names.full(birth, sex)

    def user(username: str, role: str, *, area: Area | None, persona: str = "", **extra) -> User:
        if persona and demo_accounts:
            spec = facts.DEMO_PERSONAS[persona]
            obj = User(
                username=persona,
                role=role,
                home_area=area,
                full_name=spec["full_name"],
                password=demo_hash,
                **extra,
            )
            personas[persona] = obj
        else:
            full_name = facts.DEMO_PERSONAS[persona]["full_name"] if persona else person_name()
            obj = User(
                username=username,
                role=role,
                home_area=area,
                full_name=full_name,
                password=make_password(None),
                **extra,
            )
            if persona:
                personas[persona] = obj
        users.append(obj)
        return obj

    def old_hire() -> dt.date:
        return dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(2900))

    staff: dict[int, list[Staff]] = {i: [] for i in range(len(dongs))}
    for index, (dong, fact) in enumerate(zip(dongs, facts.DONGS, strict=True)):
        base = slug(fact)
        team = staff[index]
        persona = {facts.MANGMI1: "mangmi1", facts.SUYEONG: "suyeong"}.get(fact.code, "")
        hired = old_hire()
        team.append(
            Staff(
                user(
                    f"{base}-official-1",
                    Role.WELFARE_OFFICIAL,
                    area=dong,
                    persona=persona,
                    hired_on=hired,
                ),
                Role.WELFARE_OFFICIAL,
                hired,
            )
        )
        if fact.pre_case_manager:
            hired = dt.date(2023, 3, 2) + dt.timedelta(days=rng.randrange(300))
            team.append(
                Staff(
                    user(
                        f"{base}-case-1",
                        Role.CASE_MANAGER,
                        area=dong,
                        hired_on=hired,
                        privately_employed=True,
                    ),
                    Role.CASE_MANAGER,
                    hired,
                )
            )
        opened = fact.opened_on
        team.append(
            Staff(
                user(f"{base}-manager", Role.WELFARE_MANAGER, area=dong, hired_on=opened),
                Role.WELFARE_MANAGER,
                opened,
            )
        )
        for n in range(rng.choice((0, 1, 1, 2))):
            team.append(
                Staff(
                    user(
                        f"{base}-official-{n + 2}",
                        Role.WELFARE_OFFICIAL,
                        area=dong,
                        hired_on=opened,
                        privately_employed=True,
                    ),
                    Role.WELFARE_OFFICIAL,
                    opened,
                )
            )
        nurse_persona = "nurse1" if fact.code == facts.MANGMI1 else ""
        team.append(
            Staff(
                user(
                    f"{base}-nurse",
                    Role.VISITING_NURSE,
                    area=dong,
                    persona=nurse_persona,
                    hired_on=opened,
                    privately_employed=True,
                ),
                Role.VISITING_NURSE,
                opened,
            )
        )
        if not fact.pre_case_manager:
            team.append(
                Staff(
                    user(
                        f"{base}-case-1",
                        Role.CASE_MANAGER,
                        area=dong,
                        hired_on=opened,
                        privately_employed=True,
                    ),
                    Role.CASE_MANAGER,
                    opened,
                )
            )
    gu_staff = [
        Staff(
            user("gu-team-1", Role.GU_TEAM, area=gu, persona="gu", hired_on=dt.date(2020, 3, 2)),
            Role.GU_TEAM,
            dt.date(2020, 3, 2),
        ),
        Staff(
            user("gu-team-2", Role.GU_TEAM, area=gu, hired_on=dt.date(2019, 7, 1)),
            Role.GU_TEAM,
            dt.date(2019, 7, 1),
        ),
        Staff(
            user(
                "gu-team-3",
                Role.GU_TEAM,
                area=gu,
                hired_on=dt.date(2023, 9, 1),
                privately_employed=True,
            ),
            Role.GU_TEAM,
            dt.date(2023, 9, 1),
        ),
    ]
    dong_by_code = {d.code: d for d in dongs}
    partners = PartnerInstitution.objects.bulk_create(
        [
            PartnerInstitution(
                name=name,
                kind=kind,
                area=dong_by_code[code],
                mou_signed_on=signed,
                services=facts.PARTNER_SERVICES[kind],
            )
            for name, kind, code, signed in facts.PARTNERS
        ]
    )
    partner_contacts: dict[int, User] = {}
    for n, partner in enumerate(partners, start=1):
        partner_contacts[n] = user(
            f"partner-{n:02d}",
            Role.PARTNER,
            area=partner.area,
            persona="partner1" if n == 1 else "",
            partner=partner,
        )
    mangmi1 = dong_by_code[facts.MANGMI1]
    # The gu's personal-information administrator, who reads the audit trail (issue 4).
    user("gu-admin-1", Role.ADMINISTRATOR, area=gu, persona="auditor", hired_on=dt.date(2021, 1, 4))
    volunteer = user("mangmi1-volunteer-1", Role.VOLUNTEER, area=mangmi1, persona="volunteer1")
    User.objects.bulk_create(users, batch_size=500)
    partner_contacts = {partners[n - 1].pk: u for n, u in partner_contacts.items()}

    # the human safety net (seed 003: 1,160 residents in three teams)
    total = max(3 * len(dongs), round(facts.FULL_SAFETY_NET * scale))
    weights = [d.weight for d in facts.DONGS]
    per_dong = [max(3, round(total * w / sum(weights))) for w in weights]
    members: list[SafetyNetMember] = []
    safety_net: dict[int, list[SafetyNetMember]] = {i: [] for i in range(len(dongs))}
    teams = [
        SafetyNetMember.Team.DISCOVERY,
        SafetyNetMember.Team.RESOURCE,
        SafetyNetMember.Team.CARE,
    ]
    K = SafetyNetMember.Kind
    for index, n in enumerate(per_dong):
        dong, fact = dongs[index], facts.DONGS[index]
        dong_tongs = tongs[index]
        for k in range(n):
            tong, bans, _, _ = dong_tongs[k % len(dong_tongs)]
            if k < len(dong_tongs):
                kind, ban = K.TONG_JANG, None
            else:
                kind = rng.choices(
                    [K.BAN_JANG, K.VOLUNTEER, K.SHOP_OWNER, K.INSTITUTION, K.DELIVERY],
                    [35, 38, 13, 7, 7],
                )[0]
                ban = rng.choice(bans)
            team = teams[k % 3] if k < 3 else rng.choices(teams, [40, 20, 40])[0]
            if kind == K.TONG_JANG or rng.random() < 0.3:
                joined = dt.date(2018, 1, 2) + dt.timedelta(days=rng.randrange(2400))
            else:
                joined = fact.opened_on + dt.timedelta(days=rng.randrange(150))
            member = SafetyNetMember(
                name=person_name("F" if rng.random() < 0.8 else "M"),
                dong=dong,
                tong=tong,
                ban=ban,
                team=team,
                kind=kind,
                joined_on=min(joined, today),
            )
            members.append(member)
            safety_net[index].append(member)
    volunteer_tong, volunteer_bans, _, _ = tongs[3][0]
    members.append(
        SafetyNetMember(
            user=volunteer,
            name=volunteer.full_name,
            dong=mangmi1,
            tong=volunteer_tong,
            ban=volunteer_bans[0],
            team=SafetyNetMember.Team.CARE,
            kind=K.VOLUNTEER,
            joined_on=facts.FIRST_WAVE,
        )
    )
    SafetyNetMember.objects.bulk_create(members, batch_size=500)
    return Organisation(
        sido=sido,
        gu=gu,
        dongs=dongs,
        tongs=tongs,
        staff=staff,
        gu_staff=gu_staff,
        partners=partners,
        partner_contacts=partner_contacts,
        safety_net=safety_net,
        volunteer=volunteer,
        personas=personas,
        counts={
            "areas": 2
            + len(dongs)
            + sum(1 + len(row[1]) for rows in tongs.values() for row in rows),
            "staff": sum(len(t) for t in staff.values()) + len(gu_staff),
            "partners": len(partners),
            "members": len(members),
        },
    )
