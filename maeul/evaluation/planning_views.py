"""Pages of the gu's planning: hub models with the sphere links the gu records, and staffing
(the caseload standard the gu sets, staff postings by role, qualification and employment over
time, the workers each dong's caseload implies)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.accounts.audit import audit_read
from maeul.areas.selectors import sphere_links_of_gu
from maeul.errors import DomainError, NotFound
from maeul.evaluation.charts import COLOURS, Line, line_chart
from maeul.evaluation.forms import PostingForm, SphereLinkForm, StandardForm
from maeul.evaluation.planning import hub_model_table
from maeul.evaluation.services import (
    caseload_standard_set,
    sphere_link_remove,
    sphere_links_add,
    staff_posting_add,
    staff_posting_end,
)
from maeul.evaluation.staffing import (
    ROLE_LABELS,
    STAFFING_NOTE,
    postings_visible_to,
    staff_over_time,
    staffing,
    standard_history,
)
from maeul.indicators.selectors import indicator_areas
from maeul.web import add_domain_error, parse_date, staff_required


def _gu_level_only(request: HttpRequest) -> None:
    """The gu's planning is changed by its gu team and administrators; to anyone else the
    form's address does not exist."""
    if not request.user.is_gu_level:  # type: ignore[union-attr]
        raise Http404


# Hub models and sphere links -----------------------------------------------------------------------


def _planning(request: HttpRequest, form: SphereLinkForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    gu, models = hub_model_table(user=request.user, today=today)  # type: ignore[arg-type]
    links = list(sphere_links_of_gu(gu))
    standing = [link for link in links if link.ends_on is None or link.ends_on > today]
    if request.user.is_gu_level and form is None:  # type: ignore[union-attr]
        form = SphereLinkForm(gu=gu, initial={"starts_on": today})
    return render(
        request,
        "evaluation/planning.html",
        {
            "gu": gu,
            "models": models,
            "standing": standing,
            "ended": [link for link in links if link not in standing],
            "today": today,
            "form": form if request.user.is_gu_level else None,  # type: ignore[union-attr]
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@staff_required
def planning_page(request: HttpRequest) -> HttpResponse:
    """The five core indexes and the suggested hub model per dong (method shown), and the
    sphere links the gu has recorded (standing and ended); the gu team records them here."""
    return _planning(request)


@staff_required
@require_POST
def sphere_link_add(request: HttpRequest) -> HttpResponse:
    """Record a sphere link (gu team and administrators): audited, one record per link."""
    _gu_level_only(request)
    gu, _dongs = indicator_areas(user=request.user)  # type: ignore[arg-type]
    form = SphereLinkForm(request.POST, gu=gu)
    if not form.is_valid():
        return _planning(request, form)
    try:
        with transaction.atomic():
            links = sphere_links_add(
                actor=request.user,  # type: ignore[arg-type]
                central_id=form.cleaned_data["central"],
                linked_ids=form.cleaned_data["linked"],
                starts_on=form.cleaned_data["starts_on"],
            )
            for link in links:
                audit_read(request=request, action="sphere_link_add", purpose=_purpose(link))
    except NotFound:
        raise
    except DomainError as exc:
        add_domain_error(form, exc)
        return _planning(request, form)
    messages.success(request, _("Sphere link recorded."))
    return redirect("evaluation:planning")


def _purpose(link) -> str:
    return f"sphere link #{link.pk} {link.central_dong_id}>{link.linked_dong_id}"[:32]


@staff_required
@require_POST
def sphere_link_end(request: HttpRequest, link_id: int) -> HttpResponse:
    """End a standing sphere link today (gu team and administrators of its gu): audited."""
    _gu_level_only(request)
    with transaction.atomic():
        try:
            link = sphere_link_remove(actor=request.user, link_id=link_id)  # type: ignore[arg-type]
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("evaluation:planning")
        audit_read(request=request, action="sphere_link_end", purpose=_purpose(link))
    messages.success(request, _("Sphere link ended."))
    return redirect("evaluation:planning")


# Staffing -----------------------------------------------------------------------------------------


def _staffing(
    request: HttpRequest,
    standard_form: StandardForm | None = None,
    posting_form: PostingForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    gu, _dongs = indicator_areas(user=user)  # type: ignore[arg-type]
    standard, source, rows = staffing(user=user, today=today)  # type: ignore[arg-type]
    over_time = staff_over_time(user=user, today=today)  # type: ignore[arg-type]
    is_gu = user.is_gu_level  # type: ignore[union-attr]
    if is_gu and standard_form is None:
        standard_form = StandardForm(
            initial={
                "open_cases": standard.open_cases,
                "follow_ups": standard.follow_ups,
                "visits": standard.visits,
            }
        )
    if is_gu and posting_form is None:
        posting_form = PostingForm(gu=gu, initial={"starts_on": today})
    chart = ""
    if any(over_time.totals):
        chart = line_chart(
            title=_("Staff on the books by employment"),
            labels=over_time.labels,
            lines=[
                Line(label, values, COLOURS[i % len(COLOURS)])
                for i, (_key, label, values) in enumerate(over_time.groups["employment"])
            ],
            marks=[],
        )
    bound = any(f is not None and f.is_bound for f in (standard_form, posting_form))
    return render(
        request,
        "evaluation/staffing.html",
        {
            "gu": gu,
            "standard": standard,
            "history": list(standard_history(gu)[:10]),
            "source": source,
            "staffing": [
                {
                    "row": r,
                    "roles": [
                        (ROLE_LABELS.get(role, role), n) for role, n in sorted(r.staff.items())
                    ],
                }
                for r in rows
            ],
            "over_time": over_time,
            "dimensions": [
                (_("By role"), over_time.groups["role"]),
                (_("By qualification"), over_time.groups["qualification"]),
                (_("By employment"), over_time.groups["employment"]),
            ],
            "chart": chart,
            "postings": list(postings_visible_to(user)[:200]),  # type: ignore[arg-type]
            "standard_form": standard_form if is_gu else None,
            "posting_form": posting_form if is_gu else None,
            "note": STAFFING_NOTE,
            "today": today,
        },
        status=400 if bound else 200,
    )


@staff_required
def staffing_page(request: HttpRequest) -> HttpResponse:
    """Staff by role, qualification and employment over time; caseload per visiting worker
    against the gu's standard; the workers each dong's caseload implies."""
    return _staffing(request)


@staff_required
@require_POST
def standard_set(request: HttpRequest) -> HttpResponse:
    """The gu sets its caseload standard (gu team and administrators); a new row each time."""
    _gu_level_only(request)
    form = StandardForm(request.POST)
    if not form.is_valid():
        return _staffing(request, standard_form=form)
    try:
        caseload_standard_set(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
    except NotFound:
        raise
    except DomainError as exc:
        add_domain_error(form, exc)
        return _staffing(request, standard_form=form)
    messages.success(request, _("Caseload standard saved."))
    return redirect("evaluation:staffing")


@staff_required
@require_POST
def posting_add(request: HttpRequest) -> HttpResponse:
    """Record a staff posting (gu team and administrators)."""
    _gu_level_only(request)
    gu, _dongs = indicator_areas(user=request.user)  # type: ignore[arg-type]
    form = PostingForm(request.POST, gu=gu)
    if not form.is_valid():
        return _staffing(request, posting_form=form)
    try:
        staff_posting_add(
            actor=request.user,  # type: ignore[arg-type]
            area_id=form.cleaned_data["area"],
            name=form.cleaned_data["name"],
            role=form.cleaned_data["role"],
            qualification=form.cleaned_data["qualification"],
            employment=form.cleaned_data["employment"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
        )
    except NotFound:
        raise
    except DomainError as exc:
        add_domain_error(form, exc, field_map={"area": "area"})
        return _staffing(request, posting_form=form)
    messages.success(request, _("Staff posting recorded."))
    return redirect("evaluation:staffing")


@staff_required
@require_POST
def posting_end(request: HttpRequest, posting_id: int) -> HttpResponse:
    """Close a staff posting on the given day (default today)."""
    _gu_level_only(request)
    try:
        staff_posting_end(
            actor=request.user,  # type: ignore[arg-type]
            posting_id=posting_id,
            ends_on=parse_date(request.POST.get("ends_on")),
        )
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Staff posting ended."))
    return redirect("evaluation:staffing")
