"""The week's rounds: plan a dong's Monday to Friday as a whole (`routing.week.week_plan`) and
see each day's rounds, member by member."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maeul.errors import DomainError
from maeul.routing import selectors
from maeul.routing.models import Stop
from maeul.routing.views import _clock, _dong
from maeul.routing.week import week_of, week_plan, week_plans
from maeul.web import parse_date, parse_id, staff_required


def _week_url(dong_id: int, day: dt.date) -> str:
    return reverse("routing:week") + f"?dong={dong_id}&day={day.isoformat()}"


@staff_required
@require_GET
def week_view(request: HttpRequest) -> HttpResponse:
    """The dong's week: per member and day the round (visits, travel, back at the centre),
    each day's totals and what did not fit; the button that plans the week as a whole."""
    user = request.user
    dong = _dong(request, request.GET.get("dong"))
    days = week_of(parse_date(request.GET.get("day")) or timezone.localdate())
    plans = {p.day: p for p in week_plans(user=user, dong=dong, day=days[0])}
    team = selectors.visiting_members(user=user, dong=dong)
    cells: dict[tuple[int, dt.date], dict] = {}
    totals = {day: {"visits": 0, "travel": 0} for day in days}
    dropped = []
    for day, plan in plans.items():
        for round_ in selectors.plan_rounds(user=user, plan=plan):
            visits = sum(1 for s in round_.stops.all() if s.kind != Stop.Kind.LUNCH)
            cells[(round_.member_id, day)] = {
                "round": round_,
                "visits": visits,
                "travel_min": round(round_.travel_s / 60),
                "back_at": _clock(round_.back_at_s) if visits and round_.back_at_s else "",
            }
            totals[day]["visits"] += visits
            totals[day]["travel"] += round(round_.travel_s / 60)
        dropped += [{**d, "day": day} for d in plan.dropped if d["reason"] == "full"]
    members = [m for m in team if any((m.pk, d) in cells for d in days)] or team
    return render(
        request,
        "routing/week.html",
        {
            "dong": dong,
            "dongs": selectors.dongs_of(user),
            "days": days,
            "day": days[0],
            "prev_week": days[0] - dt.timedelta(days=7),
            "next_week": days[0] + dt.timedelta(days=7),
            "planned": bool(plans),
            "team": team,
            "rows": [{"member": m, "cells": [cells.get((m.pk, d)) for d in days]} for m in members],
            "totals": [totals[d] if d in plans else None for d in days],
            "dropped": dropped,
        },
    )


@staff_required
@require_POST
def week_run(request: HttpRequest) -> HttpResponse:
    """Plan the dong's week as a whole."""
    user = request.user
    dong = selectors.dong_for(user=user, dong_id=parse_id(request.POST.get("dong")) or 0)
    day = parse_date(request.POST.get("day"))
    try:
        plans = week_plan(actor=user, dong=dong, day=day)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_week_url(dong.pk, day or timezone.localdate()))
    visits = sum(
        1 for p in plans for r in p.rounds.all() for s in r.stops.all() if s.kind != Stop.Kind.LUNCH
    )
    full = sum(1 for p in plans for d in p.dropped if d["reason"] == "full")
    messages.success(
        request,
        _("The week is planned: %(visits)s visits over %(days)s days; %(n)s did not fit.")
        % {"visits": visits, "days": len(plans), "n": full},
    )
    assert day is not None
    return redirect(_week_url(dong.pk, day))
