"""Pages that combine several apps: the hub dashboard (each app's selectors) and the
administrators' audit viewer (accounts' audit search with the alerts of `audit_alerts`)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from maeul.accounts.selectors import audit_search
from maeul.errors import PermissionDenied
from maeul.hub.audit_alerts import audit_alerts
from maeul.hub.dashboard import dashboard_context
from maeul.web import parse_date


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
    page = Paginator(records, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "hub/audit.html",
        {
            "page": page,
            "filters": request.GET,
            "alerts": audit_alerts(user=request.user)[:50],
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
