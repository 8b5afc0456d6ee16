"""Visit pages: the day's rounds, planning (with the live overlap warning), recording."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maeul.accounts.audit import audit_read
from maeul.discovery.models import Lead
from maeul.errors import DomainError
from maeul.people.selectors import household_get
from maeul.visits.forms import VisitPlanForm, VisitRecordForm
from maeul.visits.models import Visit
from maeul.visits.selectors import visit_get, visit_overlaps, visiting_staff, visits_for_day
from maeul.visits.services import (
    team_of,
    visit_cancel,
    visit_case_for,
    visit_record,
    visit_schedule,
)
from maeul.web import add_domain_error, parse_date, parse_id


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    """The day's plan per staff member (default: today, me). A joint visit shows under each
    of its members, with all of them listed."""
    user = request.user
    day = parse_date(request.GET.get("day")) or timezone.localdate()
    member_param = request.GET.get("member", "me")
    staff = list(visiting_staff(user=user)) if user.is_hub_staff else [user]
    member = None
    if member_param == "me" or not user.is_hub_staff:
        member = user
    elif member_param != "all":
        member = next((s for s in staff if s.pk == parse_id(member_param)), user)
    visits = list(visits_for_day(user=user, day=day, member=member))
    rounds: dict[int, dict] = {}
    for visit in visits:
        for person in visit.members.all():
            if member is not None and person.pk != member.pk:
                continue
            rounds.setdefault(person.pk, {"member": person, "visits": []})["visits"].append(visit)
    audit_read(
        request=request, household_ids=sorted({v.household_id for v in visits}), action="list"
    )
    return render(
        request,
        "visits/visit_list.html",
        {
            "day": day,
            "prev_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "staff": staff,
            "member_param": "me" if member is user else (str(member.pk) if member else "all"),
            "rounds": sorted(rounds.values(), key=lambda r: r["member"].label),
            "visit_count": len(visits),
        },
    )


@login_required
def visit_plan_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    params = request.POST if request.method == "POST" else request.GET
    household_id = parse_id(params.get("household"))
    if household_id is None:
        raise Http404
    household = household_get(user=user, household_id=household_id)
    lead_id = parse_id(params.get("lead"))
    lead = Lead.objects.filter(pk=lead_id, household=household).first() if lead_id else None
    case_id = parse_id(params.get("case"))
    case = visit_case_for(user=user, case_id=case_id, household=household)
    staff = visiting_staff(user=user, household=household)
    initial = {
        "planned_on": timezone.localdate(),
        "members": [user.pk],
        "kind": Visit.Kind.FOLLOW_UP
        if case
        else (Visit.Kind.CARE if user.is_volunteer else Visit.Kind.INITIAL),
        "merge": True,
    }
    form = VisitPlanForm(
        request.POST if request.method == "POST" else None, staff=staff, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            done = visit_schedule(
                actor=user,
                household=household,
                planned_on=form.cleaned_data["planned_on"],
                members=form.cleaned_data["members"],
                kind=form.cleaned_data["kind"],
                lead=lead,
                case=case,
                merge=form.cleaned_data["merge"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            visit = done.visit
            if done.action == "planned":
                messages.success(request, _("Visit planned."))
            elif done.action == "joined":
                messages.success(
                    request,
                    _("Joined the %(team)s visit of %(date)s: a joint visit.")
                    % {"team": visit.get_team_display(), "date": visit.planned_on.isoformat()},
                )
            else:
                messages.info(request, _("This visit was already planned."))
            for warning in done.warnings:
                messages.warning(
                    request,
                    _("Another team is also visiting this household: %(warning)s")
                    % {"warning": warning.message},
                )
            return redirect(
                f"{reverse('visits:visit_list')}?day={visit.planned_on.isoformat()}&member=me"
            )
    audit_read(request=request, household_id=household.pk)
    planned_on = parse_date(params.get("planned_on")) or initial["planned_on"]
    return render(
        request,
        "visits/visit_plan.html",
        {
            "form": form,
            "household": household,
            "lead": lead,
            "case": case,
            "warnings": visit_overlaps(
                household=household, planned_on=planned_on, team=team_of(user)
            ),
        },
    )


@login_required
@require_GET
def visit_overlap(request: HttpRequest) -> HttpResponse:
    """htmx partial: other teams' visits near the chosen date."""
    household_id = parse_id(request.GET.get("household"))
    planned_on = parse_date(request.GET.get("planned_on"))
    if household_id is None:
        raise Http404
    household = household_get(user=request.user, household_id=household_id)
    warnings = (
        visit_overlaps(household=household, planned_on=planned_on, team=team_of(request.user))
        if planned_on
        else []
    )
    return render(request, "visits/_overlap.html", {"warnings": warnings})


@login_required
def visit_record_view(request: HttpRequest, visit_id: int) -> HttpResponse:
    user = request.user
    visit = visit_get(user=user, visit_id=visit_id)
    form = VisitRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            visit_record(
                actor=user,
                visit=visit,
                outcome=form.cleaned_data["outcome"],
                notes=form.cleaned_data["notes"],
                observed_needs=form.cleaned_data["observed_needs"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Visit recorded."))
            if form.cleaned_data["outcome"] == Visit.Outcome.MET and user.is_hub_staff:
                url = reverse("cases:assessment_create", args=[visit.household_id])
                return redirect(f"{url}?visit={visit.pk}")
            return redirect(f"{reverse('visits:visit_list')}?day={visit.planned_on.isoformat()}")
    audit_read(request=request, household_id=visit.household_id)
    return render(request, "visits/visit_record.html", {"form": form, "visit": visit})


@login_required
@require_POST
def visit_cancel_view(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visit_get(user=request.user, visit_id=visit_id)
    try:
        visit_cancel(actor=request.user, visit=visit)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Visit cancelled."))
    return redirect(f"{reverse('visits:visit_list')}?day={visit.planned_on.isoformat()}")
