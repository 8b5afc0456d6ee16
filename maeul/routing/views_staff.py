"""Pages of the planner's tables: each visiting member's availability per day (shift, day off,
mode of travel) and the regular visits (the head of the dong's rounds), both read by the
planner instead of its defaults."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from maeul.errors import DomainError
from maeul.people.selectors import households_visible_to
from maeul.routing import selectors, services
from maeul.routing.models import Availability, Mode
from maeul.routing.views import _dong
from maeul.web import parse_date, parse_id, staff_required

WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
]


def _monday(value: str | None) -> dt.date:
    day = parse_date(value) or timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


@staff_required
def availability(request: HttpRequest) -> HttpResponse:
    """The week's availability table of the dong's visiting staff; saving it re-sets every
    cell that changed (a full day in the role's mode is the default)."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    dong = _dong(request, params.get("dong"))
    monday = _monday(params.get("week"))
    table = selectors.availability_week(user=user, dong=dong, monday=monday)
    if request.method == "POST":
        changed = 0
        errors = []
        for row in table:
            member = row["member"]
            for cell in row["cells"]:
                tag = f"{member.pk}-{cell['day'].isoformat()}"
                shift = request.POST.get(f"shift-{tag}", cell["shift"])
                mode = request.POST.get(f"mode-{tag}", cell["mode"])
                if shift == cell["shift"] and mode == cell["mode"]:
                    continue
                try:
                    services.availability_set(
                        actor=user,
                        dong=dong,
                        member=member,
                        day=cell["day"],
                        shift=shift,
                        mode=mode,
                    )
                    changed += 1
                except DomainError as error:
                    errors.append(f"{member.label} {cell['day']}: {error.message}")
        for text in errors:
            messages.error(request, text)
        messages.success(request, _("Availability saved (%(n)s days changed).") % {"n": changed})
        return redirect(
            reverse("routing:availability") + f"?dong={dong.pk}&week={monday.isoformat()}"
        )
    return render(
        request,
        "routing/availability.html",
        {
            "dong": dong,
            "dongs": selectors.dongs_of(user),
            "monday": monday,
            "days": [monday + dt.timedelta(days=i) for i in range(5)],
            "prev_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "table": table,
            "shifts": Availability.Shift.choices,
            "modes": Mode.choices,
        },
    )


@staff_required
def regular_list(request: HttpRequest) -> HttpResponse:
    """The dong's regular visits (the head of the dong's and anyone's), and a form to add one."""
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    dong = _dong(request, params.get("dong"))
    team = selectors.visiting_members(user=user, dong=dong)
    error = None
    if request.method == "POST":
        household_id = parse_id(request.POST.get("household"))
        household = (
            households_visible_to(user).filter(pk=household_id).first() if household_id else None
        )
        member = next((m for m in team if m.pk == parse_id(request.POST.get("member"))), None)
        try:
            if household is None:
                raise DomainError(
                    "invalid_household", _("No such household in this dong."), field="household"
                )
            if member is None:
                raise DomainError("invalid_member", _("Choose a member."), field="member")
            services.regular_visit_add(
                actor=user,
                dong=dong,
                household=household,
                member=member,
                weekday=parse_id(request.POST.get("weekday")) or 0,
                every_weeks=parse_id(request.POST.get("every_weeks")) or 1,
                starts_on=parse_date(request.POST.get("starts_on")) or timezone.localdate(),
                minutes=parse_id(request.POST.get("minutes")) or 30,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Regular visit added."))
            return redirect(reverse("routing:regular") + f"?dong={dong.pk}")
    regulars = list(selectors.regular_visits(user=user, dong=dong))
    return render(
        request,
        "routing/regular.html",
        {
            "dong": dong,
            "dongs": selectors.dongs_of(user),
            "team": team,
            "regulars": [
                {"r": r, "weekday": WEEKDAYS[r.weekday] if r.weekday < 5 else r.weekday}
                for r in regulars
            ],
            "weekdays": list(enumerate(WEEKDAYS)),
            "error": error,
            "form": request.POST if request.method == "POST" else {},
            "today": timezone.localdate(),
        },
        status=400 if error else 200,
    )


@staff_required
@require_POST
def regular_stop(request: HttpRequest, rounds_regular_id: int) -> HttpResponse:
    regular = services.regular_visit_stop(actor=request.user, regular_id=rounds_regular_id)
    messages.success(request, _("Regular visit stopped."))
    return redirect(reverse("routing:regular") + f"?dong={regular.dong_id}")
