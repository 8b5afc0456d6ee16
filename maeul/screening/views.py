"""The gu's screening page: the last lists per dong with their reasons, the button that runs
a new screening in the background, its progress, and the figures that say how far to trust
the lists (hold-out, calibration, groups, signal yield). Thin: parse, call, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from maeul.accounts.audit import audit_read
from maeul.errors import DomainError
from maeul.screening.forms import RunForm
from maeul.screening.models import ScreeningRun
from maeul.screening.report import calibration_svg_points
from maeul.screening.selectors import (
    can_run_screening,
    screening_run_latest,
    screening_run_shown,
)
from maeul.screening.services import screening_run_abandoned, screening_start
from maeul.web import add_domain_error, staff_required


def _status_context(request: HttpRequest) -> dict:
    run = screening_run_shown(user=request.user)
    if run is None:
        return {"srun": None, "active": False}
    abandoned = screening_run_abandoned(run)
    return {
        "srun": run,
        "active": run.is_active and not abandoned,
        "failed": run.status == ScreeningRun.Status.FAILED or bool(abandoned),
        "error": run.error or abandoned,
        "percent": (100 * run.done // run.total) if run.total else 0,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def run_page(request: HttpRequest) -> HttpResponse:
    can_run = can_run_screening(request.user)
    form = RunForm(request.POST if request.method == "POST" and can_run else None)
    if request.method == "POST":
        if not can_run:
            return HttpResponse(status=403)
        if form.is_valid():
            try:
                screening_start(
                    actor=request.user,
                    as_of=form.cleaned_data["as_of"],
                    visits_per_staff=form.cleaned_data["visits_per_staff"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("screening:run")
    latest = screening_run_latest(user=request.user)
    if latest is not None and latest["household_ids"]:
        audit_read(
            request=request,
            household_ids=latest["household_ids"],
            action="list",
            purpose="blind-spot screening",
        )
    holdout = (latest or {}).get("holdout") or {}
    chart = calibration_svg_points(holdout["calibration"]) if holdout.get("calibration") else None
    status = _status_context(request)
    run = status["srun"]
    status["just_done"] = (
        run is not None
        and run.status == ScreeningRun.Status.DONE
        and request.GET.get("finished") == str(run.pk)
    )
    return render(
        request,
        "screening/run.html",
        {
            "form": form,
            "can_run": can_run,
            "latest": latest,
            "holdout": holdout,
            "chart": chart,
            **status,
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_GET
def run_status(request: HttpRequest) -> HttpResponse:
    """The progress fragment the page polls every 2 s while a run waits or runs; when the
    polled run has ended the page is loaded again (``HX-Redirect``)."""
    context = _status_context(request)
    response = render(request, "screening/_status.html", context)
    polled = request.GET.get("run", "")
    run = context["srun"]
    if polled.isdigit() and (run is None or run.pk != int(polled) or not context["active"]):
        response["HX-Redirect"] = f"{reverse('screening:run')}?finished={polled}"
    return response
