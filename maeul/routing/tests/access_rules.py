"""Access rules of the rounds' pages: hub staff of the dong (or the gu) only; a round or a
stop of another gu is not found."""

from __future__ import annotations

import datetime as dt

from maeul.people.models import Household
from maeul.routing import services
from maeul.routing.models import Stop
from tests.access import STAFF, STAFF_PAGE, rule

RULES = {
    "routing:plan": STAFF_PAGE,
    "routing:plan_run": rule(method="POST"),
    "routing:round": rule("rounds_round", STAFF),
    "routing:stop_skip": rule("rounds_stop", method="POST"),
    "routing:area_map": STAFF_PAGE,
    "routing:week": STAFF_PAGE,
    "routing:week_run": rule(method="POST"),
    "routing:plan_confirm": rule(method="POST"),
    "routing:round_confirm": rule("rounds_round", method="POST"),
    "routing:collision_merge": rule(method="POST"),
    "routing:availability": STAFF_PAGE,
    "routing:regular": STAFF_PAGE,
    "routing:regular_stop": rule("rounds_regular", method="POST"),
}
PARAMS = {
    "rounds_round_id": "rounds_round",
    "rounds_stop_id": "rounds_stop",
    "rounds_regular_id": "rounds_regular",
}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    plan = services.day_plan(actor=actor, dong=dong, day=dt.date(2026, 11, 23), time_limit=0.2)
    round_ = plan.rounds.order_by("pk").first()
    scope["rounds_round"] = round_.pk
    scope["rounds_stop"] = Stop.objects.filter(round=round_).order_by("seq").first().pk
    household = Household.objects.filter(dong=dong).order_by("pk").first()
    scope["rounds_regular"] = services.regular_visit_add(
        actor=actor,
        dong=dong,
        household=household,
        member=round_.member,
        weekday=0,
        starts_on=dt.date(2026, 11, 23),
        note=marker,
    ).pk
