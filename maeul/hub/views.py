"""Pages that combine several apps: the hub dashboard (each app's selectors), the household
page (each app provides its section: people the registry and the notes form, cases the
visits, assessments, cases and linkages, benefits the entitlements) and the administrators'
audit viewer (accounts' audit search with the alerts of `audit_alerts`)."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maeul.accounts.audit import audit_read
from maeul.accounts.selectors import audit_search
from maeul.benefits.sections import household_section as benefits_section
from maeul.cases.selectors import household_work
from maeul.errors import PermissionDenied
from maeul.hub.audit_alerts import audit_alerts
from maeul.hub.dashboard import dashboard_context
from maeul.pagination import page_without_total
from maeul.people.models import Household
from maeul.people.sections import household_section, notes_submit
from maeul.people.selectors import household_get, household_timeline
from maeul.web import parse_date, parse_id


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff land on the hub dashboard; volunteers and partners on their own pages."""
    user = request.user
    if user.is_volunteer or user.is_partner:
        return redirect("people:household_list")
    return render(request, "hub/dashboard.html", dashboard_context(request))


def _audit_filters(request: HttpRequest) -> dict:
    household = request.GET.get("household", "").strip()
    return {
        "household_id": int(household) if household.isdigit() else None,
        "username": request.GET.get("user", "").strip()[:150],
        "start": parse_date(request.GET.get("start")),
        "end": parse_date(request.GET.get("end")),
        "purpose": request.GET.get("purpose", "").strip()[:32],
    }


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    """Administrators' audit viewer: who read which record, when, from where, why."""
    try:
        records = audit_search(user=request.user, **_audit_filters(request))
    except PermissionDenied as exc:
        raise Http404 from exc
    if request.GET.get("format") == "csv":
        return _audit_csv(records)
    # no total: counting the whole trail (1.4 M reads at 1,000,000 residents) cost more than
    # the page itself; the pager goes back and forth from the newest end
    page = page_without_total(records, page=request.GET.get("page"), page_size=100)
    return render(
        request,
        "hub/audit.html",
        {
            "page": page,
            "filters": request.GET,
            "alerts": audit_alerts(user=request.user, limit=50),
        },
    )


def _audit_csv(records) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="maeul-audit.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        ["at", "user", "action", "household", "households_listed", "purpose", "ip", "path"]
    )
    for r in records.iterator(chunk_size=2000):
        writer.writerow(
            [
                r.at.isoformat(),
                r.username,
                r.action,
                r.household_id or "",
                " ".join(map(str, r.household_ids)),
                r.purpose,
                r.ip or "",
                r.path,
            ]
        )
    return response


@login_required
def household_detail_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household record, with each kind of data shown only where the policy lets the
    user's role read it (maeul.people.policy). `?member=<id>` chooses the member whose
    sensitive notes the notes form edits."""
    household = household_get(user=request.user, household_id=household_id)
    audit_read(request=request, household_id=household.pk, action="view")
    member_id = parse_id(request.GET.get("member"))
    return render(request, *_household_page(request, household, member_id=member_id))


@login_required
def household_notes_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """Save the sensitive notes of the member chosen (and of the household); refused notes are
    shown in place on the household page."""
    if request.method != "POST":
        return redirect("hub:household_detail", household_id=household_id)
    household = household_get(user=request.user, household_id=household_id)
    form, member, saved = notes_submit(request, household)
    if saved:
        messages.success(request, _("Notes saved."))
        url = reverse("hub:household_detail", args=[household.pk])
        if member is not None:
            url += "?" + urlencode({"member": member.pk})
        return redirect(url + "#notes")
    audit_read(request=request, household_id=household.pk, action="view")
    template, context = _household_page(request, household, notes_form=form)
    return render(request, template, context, status=400)


def _household_page(
    request: HttpRequest, household: Household, *, member_id: int | None = None, notes_form=None
) -> tuple[str, dict]:
    user = request.user
    context = household_section(request, household, member_id=member_id, notes_form=notes_form)
    if not user.is_hub_staff:
        return "hub/household_minimal.html", context
    can = context["can"]
    if can["case_notes"]:
        context["timeline"] = list(household_timeline(user=user, household=household))
        context.update(household_work(user=user, household=household))
    if can["income_assets"]:
        # The means forms (a closed details) are rendered only when asked: `?means=1` is the
        # link a browser without JavaScript follows; with it, opening the details fetches them.
        context.update(
            benefits_section(
                request,
                household,
                means_open=request.GET.get("means") == "1",
                receipts=context["benefits"],
                # every linkage of the household, when the page lists them (staff see all)
                linkages=context.get("household_linkages"),
            )
        )
    return "hub/household_detail.html", context
