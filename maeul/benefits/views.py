"""Benefit pages: the household section (entitlements, means forms, one-click linkage), the
public benefit finder, the gu's registry sweep. Thin: parse, call a service or selector,
render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from maeul.accounts.audit import audit_read
from maeul.benefits import forms as f
from maeul.benefits.models import SupportObligor, SweepRun
from maeul.benefits.rules.evaluate import evaluate
from maeul.benefits.sections import household_section as household_section_context
from maeul.benefits.sections import means_section as means_section_context
from maeul.benefits.selectors import (
    current_period,
    local_rules_overview,
    reason_text,
    sweep_dongs_for,
    sweep_run_latest,
)
from maeul.benefits.services import (
    entitlement_link,
    household_situation_record,
    local_rule_set,
    means_record,
    support_obligor_add,
    support_obligor_remove,
    sweep_run_abandoned,
    sweep_start,
)
from maeul.discovery.models import Lead
from maeul.discovery.selectors import gu_dongs_for
from maeul.discovery.services import lead_register
from maeul.errors import DomainError, NotFound
from maeul.people.models import Household, Programme
from maeul.people.selectors import household_get
from maeul.web import staff_required

# The household section -----------------------------------------------------------------------


def _household_or_404(request: HttpRequest, household_id: int) -> Household:
    try:
        return household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc


def _section(request: HttpRequest, household: Household, *, bound=None, ok=True) -> HttpResponse:
    if not request.htmx:
        if ok:
            return redirect(reverse("hub:household_detail", args=[household.pk]) + "#benefits")
    context = {"household": household, **household_section_context(request, household, bound=bound)}
    status = 200 if ok or request.htmx else 400
    return render(request, "benefits/_household_entitlements.html", context, status=status)


@staff_required
def household_section(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(request, household_id)
    audit_read(request=request, household_id=household.pk, purpose="benefits")
    context = {"household": household, **household_section_context(request, household)}
    return render(request, "benefits/_household_entitlements.html", context)


@staff_required
@require_GET
def household_means(request: HttpRequest, household_id: int) -> HttpResponse:
    """The means data's forms (the body of the section's closed details), fetched by htmx when
    the user opens it; a browser without JavaScript is sent to the household page with them
    open. Scoped and audited like the page."""
    household = _household_or_404(request, household_id)
    if not request.htmx:
        url = reverse("hub:household_detail", args=[household.pk])
        return redirect(url + "?means=1#benefits-means")
    audit_read(request=request, household_id=household.pk, purpose="benefits")
    context = {"household": household, **means_section_context(request, household)}
    return render(request, "benefits/_household_means.html", context)


@staff_required
@require_POST
def means_edit(request: HttpRequest, household_id: int, resident_id: int) -> HttpResponse:
    household = _household_or_404(request, household_id)
    resident = next((m for m in household.members.all() if m.pk == resident_id), None)
    if resident is None:
        raise Http404
    key = f"means-{resident.pk}"
    form = f.MeansForm(request.POST, prefix=key)
    if form.is_valid():
        data = form.cleaned_data
        try:
            means_record(
                actor=request.user,
                resident=resident,
                values=data,
                single_parent=data["single_parent"],
            )
        except DomainError as error:
            f.add_domain_error(form, error)
        else:
            return _section(request, household)
    return _section(request, household, bound={key: form}, ok=False)


@staff_required
@require_POST
def situation_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(request, household_id)
    form = f.SituationForm(request.POST, prefix="situation")
    if form.is_valid():
        try:
            household_situation_record(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            f.add_domain_error(form, error)
        else:
            return _section(request, household)
    return _section(request, household, bound={"situation": form}, ok=False)


@staff_required
@require_POST
def obligor_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household_or_404(request, household_id)
    form = f.ObligorForm(request.POST, prefix="obligor")
    if form.is_valid():
        try:
            support_obligor_add(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as error:
            f.add_domain_error(form, error)
        else:
            return _section(request, household)
    return _section(request, household, bound={"obligor": form}, ok=False)


@staff_required
@require_POST
def obligor_remove(request: HttpRequest, household_id: int, obligor_id: int) -> HttpResponse:
    household = _household_or_404(request, household_id)
    obligor = SupportObligor.objects.filter(household=household, pk=obligor_id).first()
    if obligor is None:
        raise Http404
    support_obligor_remove(actor=request.user, obligor=obligor)
    return _section(request, household)


@staff_required
@require_POST
def entitlement_link_view(request: HttpRequest, household_id: int, programme: str) -> HttpResponse:
    household = _household_or_404(request, household_id)
    try:
        entitlement_link(actor=request.user, household=household, programme=programme)
    except DomainError as error:
        return _section(request, household, bound={"error": str(error.message)}, ok=False)
    return _section(request, household)


# The public finder ----------------------------------------------------------------------------


#: Where to apply, per programme (plain text, translated).
def apply_where(programme: str) -> str:
    if programme in ("basic_pension", "disability_pension"):
        return gettext(
            "Apply at your dong community centre (주민센터), at a National Pension Service "
            "branch (call 1355), or online at Bokjiro (www.bokjiro.go.kr)."
        )
    if programme in ("emergency_welfare",):
        return gettext(
            "Call the Ministry of Health and Welfare call centre 129 or go to your dong "
            "community centre (주민센터) today: support comes first, checks later."
        )
    if programme.startswith("local_"):
        return gettext("Apply at your dong community centre (주민센터): a programme of the gu.")
    return gettext(
        "Apply at your dong community centre (주민센터) or online at Bokjiro (www.bokjiro.go.kr)."
    )


def _finder_limited(request: HttpRequest) -> HttpResponse:
    from django_ratelimit.exceptions import Ratelimited

    return import_string(settings.RATELIMIT_VIEW)(request, Ratelimited())


def _public_dongs():
    return gu_dongs_for(None)


@ratelimit(key="ip", rate="30/m", method="POST", block=False)
@require_http_methods(["GET", "POST"])
def finder(request: HttpRequest) -> HttpResponse:
    """The resident's benefit finder (no login). The answers are evaluated and shown; nothing
    is stored and nothing is logged with them."""
    if getattr(request, "limited", False):
        return _finder_limited(request)
    form = f.FinderForm(request.POST if request.method == "POST" else None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = evaluate(form.payload(period=current_period()))
        except ValueError:
            form.add_error(None, gettext("Please check your answers."))
        else:
            found = [
                {
                    **item,
                    "label": Programme(item["id"]).label,
                    "reason_text": reason_text(item["reason"]),
                    "where": apply_where(item["id"]),
                }
                for item in result["programmes"]
                if item["entitled"]
            ]
            context["found"] = found
            context["evaluated"] = True
            context["not_found"] = [
                {
                    "label": Programme(item["id"]).label,
                    "reason_text": reason_text(item["reason"]),
                }
                for item in result["programmes"]
                if not item["entitled"]
            ]
            context["contact_form"] = f.FinderContactForm(
                dongs=_public_dongs(),
                initial={"programmes": ",".join(item["id"] for item in found)},
            )
    return render(request, "benefits/finder.html", context)


@ratelimit(key="ip", rate="5/h", method="POST", block=False)
@require_POST
def finder_contact(request: HttpRequest) -> HttpResponse:
    """ "Ask the hub to contact me": registers a resident lead (the only thing stored)."""
    if getattr(request, "limited", False):
        return _finder_limited(request)
    form = f.FinderContactForm(request.POST, dongs=_public_dongs())
    if form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("benefits:finder_thanks")
        labels = ", ".join(str(Programme(p).label) for p in data["programmes"])
        description = gettext("Benefit finder: asks the hub to call back.")
        if labels:
            description += " " + gettext("May be entitled to: %(programmes)s.") % {
                "programmes": labels
            }
        try:
            lead_register(
                actor=None,
                source=Lead.Source.RESIDENT,
                dong=data["dong"],
                address=data["address"],
                subject_name=data["reporter_name"],
                description=description,
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_relation=Lead.Relation.SELF,
            )
        except DomainError as error:
            f.add_domain_error(form, error)
        else:
            return redirect("benefits:finder_thanks")
    return render(request, "benefits/finder.html", {"form": None, "contact_form": form}, status=400)


def finder_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "benefits/finder_thanks.html")


# The registry sweep ---------------------------------------------------------------------------


def _sweep_run_shown(dong_ids: set[int]) -> SweepRun | None:
    """The last sweep asked for that covers a dong of the user's (whatever its state)."""
    for run in SweepRun.objects.select_related("actor").defer("results")[:20]:
        if dong_ids & set(run.dong_ids):
            return run
    return None


def _sweep_status_context(dongs: list) -> dict:
    """What ``benefits/_sweep_status.html`` needs: the run, whether it is still going (an
    abandoned one shows as failed, with the reason) and whether its counts are the user's
    (dong staff see a sweep of the whole gu going on, not its figures)."""
    dong_ids = {d.pk for d in dongs}
    run = _sweep_run_shown(dong_ids)
    if run is None:
        return {"sweep_run": None, "sweep_active": False}
    abandoned = sweep_run_abandoned(run)
    return {
        "sweep_run": run,
        "sweep_active": run.is_active and not abandoned,
        "sweep_error": run.error or abandoned,
        "sweep_failed": run.status == SweepRun.Status.FAILED or bool(abandoned),
        "sweep_own": set(run.dong_ids) <= dong_ids,
        "sweep_percent": (100 * run.done // run.total) if run.total else 0,
    }


@staff_required
@require_http_methods(["GET", "POST"])
def sweep(request: HttpRequest) -> HttpResponse:
    """The last sweep of the dongs the user may see (gu team and administrators: the gu; dong
    staff: their dong), the button that asks for a new one (and makes leads of new blind
    spots) — a background task — and the progress of the one waiting or running."""
    form = f.SweepForm(
        request.POST if request.method == "POST" else None, initial={"period": current_period()}
    )
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            sweep_start(
                actor=request.user,
                period=form.cleaned_data["period"] or None,
                create_leads="create_leads" in request.POST,
            )
        except DomainError as exc:
            error = str(exc.message)
        else:
            return redirect("benefits:sweep")
    latest = sweep_run_latest(user=request.user)
    if latest is not None:
        ids = [
            row["household_id"]
            for d in latest["dongs"]
            for row in d["blind_spots"] + d["unqualified"]
        ]
        audit_read(request=request, household_ids=ids, action="list", purpose="benefits sweep")
    dongs = sweep_dongs_for(request.user)
    status = _sweep_status_context(dongs)
    # ?finished=<id>: the poll saw that run end; its summary shows above the lists
    run = status["sweep_run"]
    status["sweep_just_done"] = (
        run is not None
        and run.status == SweepRun.Status.DONE
        and request.GET.get("finished") == str(run.pk)
    )
    return render(
        request,
        "benefits/sweep.html",
        {
            "form": form,
            "error": error,
            "latest": latest,
            "dongs": dongs,
            **status,
        },
        status=400 if error or (request.method == "POST" and not form.is_valid()) else 200,
    )


@staff_required
@require_GET
def sweep_status(request: HttpRequest) -> HttpResponse:
    """The progress fragment the sweep page polls (htmx, every 2 s while a sweep is waiting or
    running). ``?run=<id>``: the run the page shows; once it has ended (or another has been
    asked for) the page is loaded again (``HX-Redirect``) to show the results, with the
    summary of the run just done, or the error."""
    context = _sweep_status_context(sweep_dongs_for(request.user))
    response = render(request, "benefits/_sweep_status.html", context)
    polled = request.GET.get("run", "")
    run = context["sweep_run"]
    if polled.isdigit() and (run is None or run.pk != int(polled) or not context["sweep_active"]):
        response["HX-Redirect"] = f"{reverse('benefits:sweep')}?finished={polled}"
    return response


# The gu's ordinance lines ---------------------------------------------------------------------


def _first_of_next_month() -> dt.date:
    today = timezone.localdate()
    return (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


@login_required
@require_http_methods(["GET", "POST"])
def local_rules(request: HttpRequest) -> HttpResponse:
    """The gu's ordinance lines (issue 3: "parameters a gu can edit"): each with the national
    default of the YAML, the gu's value and its history. Gu team and administrators set a
    new value from a month on; dong staff read; anyone else gets 404."""
    overview = local_rules_overview(user=request.user)
    if overview is None:
        raise Http404
    form = None
    status = 200
    if overview["can_edit"]:
        form = f.LocalRuleForm(
            request.POST or None,
            parameters=overview["parameters"],
            initial={"valid_from": _first_of_next_month()},
        )
    if request.method == "POST":
        if form is None:
            raise DjangoPermissionDenied
        if form.is_valid():
            try:
                local_rule_set(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                f.add_domain_error(form, error)
            else:
                return redirect("benefits:local_rules")
        status = 400
    return render(
        request, "benefits/local_rules.html", {"overview": overview, "form": form}, status=status
    )
