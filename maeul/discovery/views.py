"""Discovery pages: the lead queue (htmx filters), registration by staff, the volunteer's
report, the resident's request for help, the high-risk list upload. Thin: parse, call a
service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from maeul.accounts.audit import audit_read
from maeul.discovery import forms as f
from maeul.discovery.models import CrisisSignal, Lead
from maeul.discovery.selectors import (
    gu_dongs_for,
    lead_assignable_users,
    lead_assignees_for,
    lead_counts,
    lead_dongs_for,
    lead_get,
    lead_queue_ids,
    leads_in_order,
)
from maeul.discovery.services import (
    lead_assign,
    lead_close,
    lead_register,
    lead_upload_import,
)
from maeul.discovery.upload import UploadInvalid
from maeul.errors import DomainError, NotFound
from maeul.web import add_domain_error, staff_required

PAGE_SIZE = 50


@staff_required
def lead_list(request: HttpRequest) -> HttpResponse:
    dongs = list(lead_dongs_for(request.user))
    # The queue opens on open leads; "status=" (all) is an explicit choice.
    params = request.GET.copy()
    params.setdefault("status", "open")
    form = f.LeadFilterForm(params, dongs=dongs)
    filters = form.filters()
    # Page the ids on the leads alone, then load only the page's 50 rows (lead_queue_ids).
    ids = lead_queue_ids(user=request.user, **filters)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    leads = leads_in_order(user=request.user, ids=list(page.object_list))
    audit_read(request=request, household_ids=[lead.household_id for lead in leads], action="list")
    context = {"form": form, "leads": leads, "page_obj": page, "paginated": True}
    if request.htmx and not request.htmx.boosted:
        return render(request, "discovery/_lead_queue.html", context)
    context["counts"] = lead_counts(user=request.user)
    return render(request, "discovery/lead_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def lead_create(request: HttpRequest) -> HttpResponse:
    dongs = lead_dongs_for(request.user)
    assignees = lead_assignees_for(user=request.user)
    form = f.LeadForm(
        request.POST if request.method == "POST" else None, dongs=dongs, assignees=assignees
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lead = lead_register(
                actor=request.user,
                source=data["source"],
                dong=data["dong"],
                address=data["address"],
                subject_name=data["subject_name"],
                subject_birth_date=data["subject_birth_date"],
                subject_rrn=data["subject_rrn"] or None,
                description=data["description"],
                urgency=data["urgency"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                crisis_signals=data["crisis_signals"],
                assignee=data["assignee"],
            )
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
        else:
            return redirect("discovery:lead_detail", lead_id=lead.pk)
    return render(request, "discovery/lead_form.html", {"form": form})


def _detail_context(request: HttpRequest, lead: Lead, **forms) -> dict:
    assignees = lead_assignable_users(lead=lead)
    return {
        "lead": lead,
        "crisis_signals": [
            CrisisSignal(code).label if code in CrisisSignal.values else code
            for code in lead.crisis_signals
        ],
        "household_url": reverse("hub:household_detail", args=[lead.household_id]),
        "visit_plan_url": f"/visits/plan/?household={lead.household_id}&lead={lead.pk}",
        "assign_form": forms.get("assign_form")
        or f.AssignForm(assignees=assignees, initial={"assignee": lead.assignee_id}),
        "close_form": forms.get("close_form") or f.CloseForm(),
    }


def _lead_or_404(request: HttpRequest, lead_id: int) -> Lead:
    try:
        return lead_get(user=request.user, lead_id=lead_id)
    except NotFound as exc:
        raise Http404 from exc


@staff_required
def lead_detail(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    audit_read(request=request, household_id=lead.household_id)
    return render(request, "discovery/lead_detail.html", _detail_context(request, lead))


@staff_required
@require_POST
def lead_assign_view(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    form = f.AssignForm(request.POST, assignees=lead_assignable_users(lead=lead))
    if form.is_valid():
        try:
            lead_assign(actor=request.user, lead=lead, assignee=form.cleaned_data["assignee"])
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
        else:
            return redirect("discovery:lead_detail", lead_id=lead.pk)
    audit_read(request=request, household_id=lead.household_id)
    return render(
        request,
        "discovery/lead_detail.html",
        _detail_context(request, lead, assign_form=form),
        status=400,
    )


@staff_required
@require_POST
def lead_close_view(request: HttpRequest, lead_id: int) -> HttpResponse:
    lead = _lead_or_404(request, lead_id)
    form = f.CloseForm(request.POST)
    if form.is_valid():
        try:
            lead_close(actor=request.user, lead=lead, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
        else:
            return redirect("discovery:lead_detail", lead_id=lead.pk)
    audit_read(request=request, household_id=lead.household_id)
    return render(
        request,
        "discovery/lead_detail.html",
        _detail_context(request, lead, close_form=form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_report(request: HttpRequest) -> HttpResponse:
    """Volunteers and partner contacts report a household in crisis (seed 003: the human
    safety net's discovery team). Hub staff use the full form."""
    user = request.user
    if user.is_hub_staff:
        return redirect("discovery:lead_create")
    if not (user.is_volunteer or user.is_partner):
        raise DjangoPermissionDenied
    dongs = gu_dongs_for(user)
    initial = {"dong": user.home_area_id} if user.home_area_id else {}
    form = f.VolunteerReportForm(
        request.POST if request.method == "POST" else None, dongs=dongs, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lead_register(
                actor=user,
                source=Lead.Source.PARTNER if user.is_partner else Lead.Source.VOLUNTEER,
                dong=data["dong"],
                address=data["address"],
                subject_name=data["subject_name"],
                description=data["description"],
                urgency=data["urgency"],
                reporter_name=user.label,
                reporter_phone=user.phone,
                partner=user.partner if user.is_partner else None,
            )
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
        else:
            return redirect("discovery:report_thanks")
    return render(request, "discovery/volunteer_report.html", {"form": form})


@login_required
def report_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "discovery/report_thanks.html")


def _rate_limited(request: HttpRequest) -> HttpResponse:
    from django_ratelimit.exceptions import Ratelimited

    return import_string(settings.RATELIMIT_VIEW)(request, Ratelimited())


@ratelimit(key="ip", rate="5/h", method="POST", block=False)
@require_http_methods(["GET", "POST"])
def resident_request(request: HttpRequest) -> HttpResponse:
    """A resident asks for help for self or a neighbour (seed 004: one contact point). Public:
    flood-limited per address and guarded by a honeypot; the answer says nothing about any
    household."""
    if getattr(request, "limited", False):
        return _rate_limited(request)
    form = f.ResidentRequestForm(
        request.POST if request.method == "POST" else None, dongs=gu_dongs_for(None)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("discovery:request_thanks")
        try:
            lead_register(
                actor=None,
                source=Lead.Source.RESIDENT,
                dong=data["dong"],
                address=data["address"],
                subject_name=data["subject_name"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                reporter_relation=data["reporter_relation"],
            )
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
        else:
            return redirect("discovery:request_thanks")
    return render(request, "discovery/resident_request.html", {"form": form})


def request_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "discovery/request_thanks.html")


@staff_required
@require_http_methods(["GET", "POST"])
def lead_upload(request: HttpRequest) -> HttpResponse:
    form = f.UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            context["upload"] = lead_upload_import(
                actor=request.user, file=file, filename=file.name
            )
        except UploadInvalid as invalid:
            context["errors"] = invalid.errors
            form.add_error("file", str(invalid.message))
        except DomainError as error:
            add_domain_error(form, error, field_map=f.FIELD_MAP)
    status = 400 if request.method == "POST" and "upload" not in context else 200
    return render(request, "discovery/lead_upload.html", context, status=status)
