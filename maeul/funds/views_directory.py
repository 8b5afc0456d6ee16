"""The directory pages, for hub staff and the resource-support team: find services by words,
need domain and kind; add and keep services; register a newly found resource (counted by the
Ministry's indicator); the MOU partners with their agreements."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from maeul.areas.models import Area
from maeul.errors import DomainError
from maeul.funds.forms_directory import ResourceForm, RosterShiftForm, ServiceForm
from maeul.people.models import Domain
from maeul.resources import services
from maeul.resources.models import Location, Resource, Service
from maeul.resources.selectors import (
    areas_in_reach,
    partners_in_reach,
    resources_found,
    roster_members,
    service_get,
    service_search,
)
from maeul.web import add_domain_error, parse_id, staff_required


@staff_required
@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    domain = request.GET.get("domain", "")
    domain = domain if domain in Domain.values else ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in Service.Kind.values else ""
    show_all = request.GET.get("all") == "1"
    found = service_search(
        user=request.user, q=q, domain=domain, kind=kind, active_only=not show_all
    )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/directory.html",
        {
            "page": page,
            "q": q,
            "domain": domain,
            "kind": kind,
            "show_all": show_all,
            "domains": Domain.choices,
            "kinds": Service.Kind.choices,
        },
    )


@staff_required
@require_GET
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_get(user=request.user, service_id=service_id)
    return render(
        request,
        "funds/service_detail.html",
        {"service": service, "today": timezone.localdate()},
    )


@staff_required
def service_roster(request: HttpRequest, service_id: int) -> HttpResponse:
    """The roster of a talent donation or volunteer service: who gives it on which days and
    hours, from when until when; add someone to it."""
    user = request.user
    service = service_get(user=user, service_id=service_id)
    form = RosterShiftForm(
        request.POST if request.method == "POST" else None, members=roster_members(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.roster_shift_add(actor=user, service=service, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Added to the roster."))
            return redirect("funds:service_roster", service_id=service.pk)
    return render(
        request,
        "funds/service_roster.html",
        {
            "service": service,
            "form": form,
            "shifts": service.shifts.select_related("member"),
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def roster_shift_remove(request: HttpRequest, service_id: int) -> HttpResponse:
    service = service_get(user=request.user, service_id=service_id)
    shift = service.shifts.filter(pk=parse_id(request.POST.get("shift"))).first()
    if shift is None:
        messages.error(request, _("That shift is no longer on the roster."))
    else:
        services.roster_shift_remove(actor=request.user, shift=shift)
        messages.success(request, _("Taken off the roster."))
    return redirect("funds:service_roster", service_id=service.pk)


def _service_form(request: HttpRequest, service: Service | None) -> ServiceForm:
    user = request.user
    partners = partners_in_reach(user)
    initial = {}
    if service is not None:
        initial = {
            "organization": service.organization_id,
            "area": service.area_id,
            "name": service.name,
            "name_en": service.name_en,
            "kind": service.kind,
            "status": service.status,
            "domains": service.domains,
            "description": service.description,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "application_process": service.application_process,
            "documents": "\n".join(d.document for d in service.documents.all()),
            "places_per_month": service.places_per_month,
            "budget_left": service.budget_left,
            "locations": [loc.pk for loc in service.locations.all()],
        }
    return ServiceForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        partners=partners,
        areas=areas_in_reach(user).order_by("level", "name"),
        locations=Location.objects.filter(organization__in=partners).select_related("organization"),
    )


def _service_edit(request: HttpRequest, service: Service | None) -> HttpResponse:
    form = _service_form(request, service)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.service_save(
                actor=request.user, service=service, **form.service_args()
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Service saved in the directory."))
            return redirect("funds:service_detail", service_id=saved.pk)
    return render(request, "funds/service_form.html", {"form": form, "service": service})


@staff_required
def service_new(request: HttpRequest) -> HttpResponse:
    return _service_edit(request, None)


@staff_required
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    return _service_edit(request, service_get(user=request.user, service_id=service_id))


@staff_required
def resource_list(request: HttpRequest) -> HttpResponse:
    """The resources found in the user's dongs, and the form to register a new one."""
    user = request.user
    dongs = areas_in_reach(user).filter(level=Area.Level.DONG).order_by("name")
    form = ResourceForm(
        request.POST if request.method == "POST" else None,
        dongs=dongs,
        partners=partners_in_reach(user),
        initial={"discovered_on": timezone.localdate(), "dong": user.home_area_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_register(actor=user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Resource registered: %(name)s (₩%(amount)s).")
                % {"name": resource.name, "amount": f"{resource.amount:,}"},
            )
            return redirect("funds:resource_list")
    page = Paginator(resources_found(user=user), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/resource_list.html",
        {"form": form, "page": page, "kinds": Resource.Kind.choices},
        status=400 if request.method == "POST" else 200,
    )


@staff_required
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = (
        partners_in_reach(request.user)
        .select_related("area")
        .prefetch_related("agreements", "contacts")
        .order_by("name")
    )
    return render(
        request,
        "funds/partner_list.html",
        {"partners": partners, "today": timezone.localdate()},
    )
