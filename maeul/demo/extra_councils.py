"""The demo's councils (seed 000): Suyeong-gu's council and one CSSC per dong, with members,
two years of meetings and decisions, projects, budget, education, the gu's annual plans and a
perception-survey round with answers; the areas' subtypes (the gu, its dongs); and, with the
demo accounts, one council member who signs in (`cssc_member`)."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password

from maeul.accounts.models import Role, User
from maeul.areas.models import Area
from maeul.councils.bulk import demo_build
from maeul.councils.models import Member
from maeul.demo import facts
from maeul.demo.organisation import Organisation
from maeul.demo.population import NameMaker

PERSONA = "cssc_member"


def build(*, seed: int, today: dt.date, org: Organisation, scale: float) -> dict[str, int]:
    Area.objects.filter(pk=org.gu.pk, subtype="").update(subtype=Area.Subtype.GU)
    Area.objects.filter(parent=org.gu, level=Area.Level.DONG, subtype="").update(
        subtype=Area.Subtype.DONG
    )
    rng = random.Random(seed * 31 + 8)
    names = NameMaker(rng)

    def name(sex: str) -> str:
        return names.full(dt.date(rng.randint(1950, 1990), rng.randint(1, 12), 1), sex)

    counts = demo_build(
        gu=org.gu, dongs=list(org.dongs), seed=seed, today=today, scale=scale, name=name
    )
    demo_accounts = any(u.has_usable_password() for u in org.personas.values())
    if demo_accounts:  # the personas sign in: so does one council member
        member = (
            Member.objects.filter(council__area=org.dongs[0], position=Member.Position.EXECUTIVE)
            .order_by("pk")
            .first()
        )
        if member is not None:
            user = User.objects.create(
                username=PERSONA,
                role=Role.CSSC_MEMBER,
                full_name=member.name,
                home_area=org.dongs[0],
                password=make_password(facts.DEMO_PASSWORD),
            )
            Member.objects.filter(pk=member.pk).update(user=user)
    return counts
