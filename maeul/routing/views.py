"""Pages of the rounds: the dong's day (plan, re-plan, dropped visits), one member's round
(ordered stops on a map, times, what to bring, the household's last visit; printable, phone
sized) and the area map of the hub."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maeul.accounts.audit import audit_read
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household
from maeul.routing import selectors, services
from maeul.routing.models import Round, Stop
from maeul.routing.week import week_of
from maeul.visits.selectors import visit_get
from maeul.visits.services import visit_merge
from maeul.web import parse_date, parse_id, staff_required


def _clock(seconds: int) -> str:
    seconds %= 86_400
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _dong(request: HttpRequest, value: str | None):
    user = request.user
    dong_id = parse_id(value)
    if dong_id is None:
        dongs = list(selectors.dongs_of(user))
        if not dongs:
            raise NotFound()
        home = next((d for d in dongs if d.pk == user.home_area_id), None)
        dong_id = (home or dongs[0]).pk
    return selectors.dong_for(user=user, dong_id=dong_id)


@staff_required
@require_GET
def plan_view(request: HttpRequest) -> HttpResponse:
    """The dong's day: each member's round (stops, travel, back at the centre) and the visits
    that did not fit."""
    user = request.user
    dong = _dong(request, request.GET.get("dong"))
    day = parse_date(request.GET.get("day")) or timezone.localdate()
    plan = selectors.plan_for(user=user, dong=dong, day=day)
    rounds = []
    unconfirmed = 0
    if plan is not None:
        for round_ in selectors.plan_rounds(user=user, plan=plan):
            stops = [s for s in round_.stops.all() if s.kind != Stop.Kind.LUNCH]
            to_confirm = sum(1 for s in stops if s.visit_id is None)
            unconfirmed += to_confirm
            rounds.append(
                {
                    "round": round_,
                    "stops": len(stops),
                    "to_confirm": to_confirm,
                    "joint": sum(1 for s in stops if s.joint_with),
                    "travel_min": round(round_.travel_s / 60),
                    "back_at": _clock(round_.back_at_s) if round_.back_at_s else "",
                }
            )
    team = selectors.visiting_members(user=user, dong=dong)
    return render(
        request,
        "routing/plan.html",
        {
            "dong": dong,
            "dongs": selectors.dongs_of(user),
            "day": day,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "plan": plan,
            "rounds": rounds,
            "nominal_h": f"{selectors.nominal_day_s() / 3600:g}",
            "unconfirmed": unconfirmed,
            "collisions": selectors.plan_collisions(user=user, dong=dong, day=day),
            "team": team,
            "dropped_full": [d for d in (plan.dropped if plan else []) if d["reason"] == "full"],
            "dropped_unplaced": [
                d for d in (plan.dropped if plan else []) if d["reason"] != "full"
            ],
        },
    )


@staff_required
@require_POST
def plan_run(request: HttpRequest) -> HttpResponse:
    """Plan (or re-plan) the dong's day."""
    user = request.user
    dong = selectors.dong_for(user=user, dong_id=parse_id(request.POST.get("dong")) or 0)
    day = parse_date(request.POST.get("day"))
    try:
        plan = services.day_plan(
            actor=user, dong=dong, day=day, fresh=request.POST.get("fresh") == "1"
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("routing:plan") + f"?dong={dong.pk}")
    full = sum(1 for d in plan.dropped if d["reason"] == "full")
    messages.success(
        request,
        _("Rounds planned (revision %(rev)s); %(n)s visits did not fit.")
        % {"rev": plan.revision, "n": full},
    )
    return redirect(reverse("routing:plan") + f"?dong={dong.pk}&day={plan.day.isoformat()}")


def _confirm_messages(request: HttpRequest, done: services.Confirmed) -> None:
    messages.success(
        request,
        _(
            "Planned visits: %(planned)s new, %(joined)s joined to a visit already planned "
            "(joint visit), %(existing)s already planned."
        )
        % {"planned": done.planned, "joined": done.joined, "existing": done.existing},
    )
    for text in done.flagged:
        messages.warning(request, _("Another team is also visiting: %(what)s") % {"what": text})
    for text in done.failed:
        messages.error(request, _("Not planned: %(what)s") % {"what": text})


@staff_required
@require_POST
def plan_confirm(request: HttpRequest) -> HttpResponse:
    """Turn every round of the dong's day into planned visits."""
    user = request.user
    dong = selectors.dong_for(user=user, dong_id=parse_id(request.POST.get("dong")) or 0)
    day = parse_date(request.POST.get("day"))
    plan = selectors.plan_for(user=user, dong=dong, day=day) if day else None
    if plan is None:
        raise NotFound()
    ids = [r.pk for r in selectors.plan_rounds(user=user, plan=plan)]
    if ids:
        _confirm_messages(request, services.round_confirm(actor=user, round_ids=ids))
    return redirect(reverse("routing:plan") + f"?dong={dong.pk}&day={plan.day.isoformat()}")


@staff_required
@require_POST
def round_confirm(request: HttpRequest, rounds_round_id: int) -> HttpResponse:
    """Turn one member's round into planned visits."""
    done = services.round_confirm(actor=request.user, round_ids=[rounds_round_id])
    _confirm_messages(request, done)
    return redirect("routing:round", rounds_round_id=rounds_round_id)


@staff_required
@require_POST
def collision_merge(request: HttpRequest) -> HttpResponse:
    """A flagged collision of the shared calendar made one joint visit (on `keep`'s date)."""
    user = request.user
    keep = visit_get(user=user, visit_id=parse_id(request.POST.get("keep")) or 0)
    other = visit_get(user=user, visit_id=parse_id(request.POST.get("other")) or 0)
    selectors.dong_for(user=user, dong_id=keep.dong_id)
    try:
        merged = visit_merge(actor=user, keep=keep, other=other)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The two visits are now one joint visit on %(date)s.")
            % {"date": merged.planned_on.isoformat()},
        )
    day = parse_date(request.POST.get("day")) or keep.planned_on
    return redirect(reverse("routing:plan") + f"?dong={keep.dong_id}&day={day.isoformat()}")


def _stop_rows(request: HttpRequest, round_: Round) -> list[dict]:
    user = request.user
    stops = selectors.round_stops(user=user, round_=round_)
    ids = [s.household_id for s in stops if s.household_id]
    last = selectors.last_visits(user=user, household_ids=ids, before=round_.plan.day)
    members = {m.pk: m for m in selectors.visiting_members(user=user, dong=round_.plan.dong)}
    rows = []
    number = 0
    for stop in stops:
        household: Household | None = stop.household
        if stop.kind != Stop.Kind.LUNCH:
            number += 1
        head = household.head if household is not None else None
        rows.append(
            {
                "stop": stop,
                "number": number if stop.kind != Stop.Kind.LUNCH else None,
                "household": household,
                "head": head.name if head else "",
                "arrive": _clock(stop.arrive_s),
                "start": _clock(stop.start_s),
                "end": _clock(stop.end_s),
                "travel_min": round(stop.travel_s / 60),
                "bring": selectors.what_to_bring(stop=stop, household=household),
                "last": last.get(stop.household_id) if stop.household_id else None,
                "joint": [members[pk].label for pk in stop.joint_with if pk in members],
            }
        )
    return rows


@staff_required
@require_GET
def round_view(request: HttpRequest, rounds_round_id: int) -> HttpResponse:
    """One member's round: the ordered stops on a map and as a list to print or to carry."""
    round_ = selectors.round_get(user=request.user, round_id=rounds_round_id)
    rows = _stop_rows(request, round_)
    ids = sorted({r["household"].pk for r in rows if r["household"] is not None})
    if ids:
        audit_read(request=request, household_ids=ids, action="round", purpose="visit")
    dong = round_.plan.dong
    map_data = {
        "centre": [dong.lat, dong.lon],
        "centre_label": _("Centre"),
        "tiles": getattr(settings, "ROUTING_TILE_URL", ""),
        "stops": [
            {"lunch": True}
            if r["stop"].kind == Stop.Kind.LUNCH
            else {
                "n": r["number"],
                "lat": r["household"].lat,
                "lon": r["household"].lon,
                "label": f"{r['number']}. {r['start']} {r['household']}",
                "emergency": r["stop"].priority == 0,
                "joint": bool(r["stop"].joint_with),
            }
            for r in rows
            if r["stop"].kind == Stop.Kind.LUNCH
            or (r["household"] is not None and r["household"].lat is not None)
        ],
    }
    others = selectors.plan_rounds(user=request.user, plan=round_.plan)
    days = week_of(round_.plan.day)
    mine = {
        r.plan.day: r
        for r in selectors.rounds_visible_to(request.user)
        .filter(plan__dong=dong, plan__day__in=days, member=round_.member)
        .select_related("plan")
    }
    return render(
        request,
        "routing/round.html",
        {
            "round": round_,
            "to_confirm": sum(1 for r in rows if r["number"] and r["stop"].visit_id is None),
            "plan": round_.plan,
            "rows": rows,
            "visits": sum(1 for r in rows if r["number"]),
            "travel_min": round(round_.travel_s / 60),
            "back_at": _clock(round_.back_at_s) if round_.back_at_s else "",
            "leave_at": _clock(rows[0]["stop"].arrive_s - rows[0]["stop"].travel_s) if rows else "",
            "map_data": map_data,
            "others": [o for o in others if o.pk != round_.pk],
            "week": [{"day": d, "round": mine.get(d)} for d in days],
        },
    )


@staff_required
@require_POST
def stop_skip(request: HttpRequest, rounds_stop_id: int) -> HttpResponse:
    """Take a stop off the day and re-plan the rest around it."""
    user = request.user
    stop_id = rounds_stop_id
    stop = Stop.objects.filter(pk=stop_id, round__in=selectors.rounds_visible_to(user)).first()
    if stop is None:
        raise NotFound()
    member_id = stop.round.member_id
    plan = services.stop_skip(actor=user, stop_id=stop_id)
    messages.success(request, _("The stop was taken off the day; the rounds were re-planned."))
    new_round = plan.rounds.filter(member_id=member_id).first()
    if new_round is None:
        return redirect(reverse("routing:plan") + f"?dong={plan.dong_id}&day={plan.day}")
    return redirect("routing:round", rounds_round_id=new_round.pk)


@staff_required
@require_GET
def area_map(request: HttpRequest) -> HttpResponse:
    """The hub's area map: households by vulnerable group, open leads, overdue follow-ups."""
    user = request.user
    dong = _dong(request, request.GET.get("dong"))
    points = selectors.map_points(user=user, dong=dong)
    coverage = selectors.target_coverage(user=user, dong=dong, day=timezone.localdate())
    points["targets"] = coverage["points"]
    ids = [p["id"] for p in points["households"]]
    if ids:
        audit_read(request=request, household_ids=ids, action="map")
    outline = selectors.dong_outline([(p["lat"], p["lon"]) for p in points["households"]])
    group_labels = {g.value: str(g.label) for g in Household.Group}
    counts: dict[str, int] = {}
    for p in points["households"]:
        for g in p["groups"]:
            counts[g] = counts.get(g, 0) + 1
    return render(
        request,
        "routing/area_map.html",
        {
            "dong": dong,
            "dongs": selectors.dongs_of(user),
            "points": points,
            "coverage": coverage,
            "counts": [(group_labels.get(g, g), n) for g, n in sorted(counts.items())],
            "map_data": {
                "centre": [dong.lat, dong.lon],
                "centre_label": _("Centre"),
                "tiles": getattr(settings, "ROUTING_TILE_URL", ""),
                "outline": outline,
                "groups": group_labels,
                "labels": {
                    "leads": _("Open leads"),
                    "overdue": _("Overdue follow-ups"),
                    "targets": _("Campaign targets not yet reached"),
                    "reached": _("Campaign targets reached"),
                    "other": _("No vulnerable group recorded"),
                    "household": _("Household"),
                },
                **points,
            },
        },
    )
