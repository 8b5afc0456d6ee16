"""Pages for a council's own records: projects (특화사업), the budget and funds, member
education with attendance, the gu's annual plan with each dong's part, working groups and the
members who sit in two councils. Staff write them; a council member reads their own council's
budget and working groups, and its chair or executive members report on its projects."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.areas.models import Area
from maeul.councils.forms import (
    BudgetLineForm,
    EducationForm,
    GroupForm,
    GuestForm,
    PlanForm,
    PlanPartForm,
    PlanSummaryForm,
    ProjectForm,
    ProjectReportForm,
)
from maeul.councils.models import AnnualPlan, Council, Member
from maeul.councils.selectors import (
    council_get,
    guests_of,
    member_may_report,
    member_of,
    sitting_members,
)
from maeul.councils.services import (
    budget_line_delete,
    budget_line_save,
    education_save,
    group_delete,
    group_save,
    guest_set,
    plan_create,
    plan_save,
    project_report,
    project_save,
)
from maeul.councils.services.records import PartInput, plan_part_councils
from maeul.errors import DomainError
from maeul.web import add_domain_error, staff_required


def _reader_council(request: HttpRequest, council_id: int) -> Council:
    """The council, for hub staff or one of its own members (anyone else: 404)."""
    user = request.user
    if not user.is_authenticated or not (user.is_hub_staff or member_of(user) is not None):  # type: ignore[union-attr]
        raise Http404
    return council_get(user=user, council_id=council_id)  # type: ignore[arg-type]


def _sitting(council: Council, *, also: Iterable[Member] = ()) -> list[Member]:
    """Those sitting in the council today, and `also` (a past session's attendees, whose term
    may since have ended) so that editing a record never drops them unseen."""
    members = list(sitting_members(council, on=timezone.localdate()))
    seen = {m.pk for m in members}
    members += [m for m in also if m.pk not in seen]
    for m in members:
        m.guest = m.council_id != council.pk  # type: ignore[attr-defined]
    return members


def _refuse(form, exc: DomainError) -> None:
    """A rule's refusal next to its field; out of scope (404) or not allowed (403) stays so."""
    if exc.status != 400:
        raise exc
    add_domain_error(form, exc)


def _back(council: Council) -> HttpResponse:
    return redirect("councils:council_detail", council_id=council.pk)


def _page(request: HttpRequest, council: Council, form, title: str, **extra) -> HttpResponse:
    return render(
        request,
        "councils/record_form.html",
        {"council": council, "form": form, "title": title, **extra},
    )


# -- projects --------------------------------------------------------------------------------


@staff_required
def project_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    form = ProjectForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            project_save(actor=request.user, council=council, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The project is saved."))
            return _back(council)
    return _page(request, council, form, _("New council project"))


@login_required
def project_edit(request: HttpRequest, council_id: int, project_id: int) -> HttpResponse:
    """Staff edit the whole project; the council's chair and executive members its report."""
    council = _reader_council(request, council_id)
    project = council.projects.filter(pk=project_id).first()
    if project is None:
        raise Http404
    staff = request.user.is_hub_staff  # type: ignore[union-attr]
    if not staff and not member_may_report(request.user, council):  # type: ignore[arg-type]
        raise Http404
    fields = ProjectForm.base_fields if staff else ProjectReportForm.base_fields
    initial = {name: getattr(project, name) for name in fields}
    form = (ProjectForm if staff else ProjectReportForm)(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if staff:
                project_save(
                    actor=request.user,  # type: ignore[arg-type]
                    council=council,
                    project=project,
                    **form.cleaned_data,
                )
            else:
                project_report(actor=request.user, project=project, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The project is saved."))
            return _back(council)
    return _page(
        request,
        council,
        form,
        _("Council project") if staff else _("Report on the project"),
        project=project,
    )


# -- budget and funds ------------------------------------------------------------------------


@login_required
def budget(request: HttpRequest, council_id: int) -> HttpResponse:
    """The council's budget lines by year and source, with the year's total and what its
    projects spent; staff add lines here."""
    council = _reader_council(request, council_id)
    staff = request.user.is_hub_staff  # type: ignore[union-attr]
    form = BudgetLineForm(
        request.POST or None, initial={"year": timezone.localdate().year, "source": "gu"}
    )
    if request.method == "POST":
        if not staff:
            raise Http404
        if form.is_valid():
            try:
                budget_line_save(actor=request.user, council=council, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                _refuse(form, exc)
            else:
                messages.success(request, _("The budget line is saved."))
                return redirect("councils:budget", council_id=council.pk)
    lines = list(council.budget_lines.all())
    spent = dict(council.projects.values_list("year").annotate(s=Sum("spent")).order_by("year"))
    planned = dict(council.projects.values_list("year").annotate(s=Sum("budget")).order_by("year"))
    years = sorted({line.year for line in lines} | set(spent), reverse=True)
    summary = [
        {
            "year": year,
            "lines": [line for line in lines if line.year == year],
            "total": sum(line.amount for line in lines if line.year == year),
            "projects": planned.get(year, 0),
            "spent": spent.get(year, 0),
        }
        for year in years
    ]
    return render(
        request,
        "councils/budget.html",
        {"council": council, "years": summary, "form": form, "may_manage": staff},
    )


@staff_required
def budget_edit(request: HttpRequest, council_id: int, line_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    line = council.budget_lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        budget_line_delete(actor=request.user, line=line)  # type: ignore[arg-type]
        messages.success(request, _("The budget line is deleted."))
        return redirect("councils:budget", council_id=council.pk)
    form = BudgetLineForm(
        request.POST or None,
        initial={
            "year": line.year,
            "source": line.source,
            "amount": line.amount,
            "note": line.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            budget_line_save(actor=request.user, council=council, line=line, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The budget line is saved."))
            return redirect("councils:budget", council_id=council.pk)
    return _page(request, council, form, _("Budget line"), deletable=True)


# -- education -------------------------------------------------------------------------------


def _education_page(request: HttpRequest, council: Council, education=None) -> HttpResponse:
    members = _sitting(council, also=education.attendees.all() if education else ())
    initial = (
        {
            "held_on": education.held_on,
            "kind": education.kind,
            "title": education.title,
            "hours": education.hours,
            "attendees": [str(pk) for pk in education.attendees.values_list("pk", flat=True)],
        }
        if education is not None
        else {"held_on": timezone.localdate(), "kind": "basic", "hours": 2}
    )
    form = EducationForm(request.POST or None, members=members, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["attendee_ids"] = [int(pk) for pk in data.pop("attendees")]
        try:
            education_save(actor=request.user, council=council, education=education, **data)  # type: ignore[arg-type]
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The education session is saved."))
            return _back(council)
    return _page(request, council, form, _("Member education"))


@staff_required
def education_new(request: HttpRequest, council_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    return _education_page(request, council)


@staff_required
def education_edit(request: HttpRequest, council_id: int, education_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    education = council.educations.filter(pk=education_id).first()
    if education is None:
        raise Http404
    return _education_page(request, council, education)


# -- the gu's annual plan ------------------------------------------------------------------


def _gu_council_get(request: HttpRequest, council_id: int) -> Council:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    if council.parent_id is not None or council.area.level != Area.Level.SIGUNGU:
        raise Http404
    return council


@staff_required
def plan_new(request: HttpRequest, gu_council_id: int) -> HttpResponse:
    if not request.user.is_gu_level:  # type: ignore[union-attr]
        raise Http404
    council = _gu_council_get(request, gu_council_id)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_create(actor=request.user, council=council, **form.cleaned_data)  # type: ignore[arg-type]
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The plan is opened: write each dong's part."))
            return redirect("councils:plan_edit", gu_council_id=council.pk, plan_id=plan.pk)
    return _page(request, council, form, _("New annual plan"))


@staff_required
def plan_edit(request: HttpRequest, gu_council_id: int, plan_id: int) -> HttpResponse:
    """The year's plan: its summary (gu team) and one form per dong's part — every dong for
    the gu team, their own for dong staff. Saved together or not at all."""
    council = _gu_council_get(request, gu_council_id)
    plan = AnnualPlan.objects.filter(council=council, pk=plan_id).first()
    if plan is None:
        raise Http404
    user = request.user
    data = request.POST if request.method == "POST" else None
    summary_form = (
        PlanSummaryForm(data, initial={"summary": plan.summary})
        if user.is_gu_level  # type: ignore[union-attr]
        else None
    )
    existing = {p.council_id: p for p in plan.parts.all()}
    parts = []
    for dong_council in plan_part_councils(actor=user, plan=plan):  # type: ignore[arg-type]
        part = existing.get(dong_council.pk)
        initial = (
            {"goals": part.goals, "actions": part.actions, "budget": part.budget} if part else {}
        )
        parts.append(
            (dong_council, PlanPartForm(data, prefix=f"part-{dong_council.pk}", initial=initial))
        )
    if data is not None:
        forms_ok = all(f.is_valid() for _c, f in parts) and (
            summary_form is None or summary_form.is_valid()
        )
        if forms_ok:
            try:
                plan_save(
                    actor=user,  # type: ignore[arg-type]
                    plan=plan,
                    summary=summary_form.cleaned_data["summary"] if summary_form else None,
                    parts={
                        c.pk: PartInput(
                            goals=f.cleaned_data["goals"],
                            actions=f.cleaned_data["actions"],
                            budget=f.cleaned_data["budget"] or 0,
                        )
                        for c, f in parts
                    },
                )
            except DomainError as exc:
                if exc.status != 400:
                    raise
                target = next((f for c, f in parts if exc.field == f"part-{c.pk}"), None)
                if target is not None:
                    target.add_error(None, str(exc.message))
                elif summary_form is not None:
                    _refuse(summary_form, exc)
                else:
                    messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The plan is saved."))
                return _back(council)
    return render(
        request,
        "councils/plan_form.html",
        {"council": council, "plan": plan, "summary_form": summary_form, "parts": parts},
    )


# -- working groups and members in two councils ----------------------------------------------


@login_required
def groups(request: HttpRequest, council_id: int) -> HttpResponse:
    """The council's working groups and who sits in them; for the gu council, the dong
    members who also sit in it. Staff create groups and seat dong members here."""
    council = _reader_council(request, council_id)
    staff = request.user.is_hub_staff  # type: ignore[union-attr]
    members = _sitting(council)
    form = GroupForm(request.POST or None, members=members)
    if request.method == "POST":
        if not staff:
            raise Http404
        if form.is_valid():
            try:
                group_save(
                    actor=request.user,  # type: ignore[arg-type]
                    council=council,
                    name=form.cleaned_data["name"],
                    member_ids=[int(pk) for pk in form.cleaned_data["members"]],
                )
            except DomainError as exc:
                _refuse(form, exc)
            else:
                messages.success(request, _("The working group is saved."))
                return redirect("councils:groups", council_id=council.pk)
    guests = list(guests_of(council))
    candidates = []
    if staff and council.parent_id is None:
        seated = {m.pk for m in guests}
        candidates = [
            m
            for m in Member.objects.filter(council__parent=council)
            .select_related("council")
            .order_by("council__area__code", "position", "name")
            if m.pk not in seated
        ]
    # Dong members who also sit in the gu council (seen from the dong council's page).
    also = list(
        council.members.filter(also_in__isnull=False).prefetch_related("also_in").distinct()
    )
    return render(
        request,
        "councils/groups.html",
        {
            "council": council,
            "groups": council.working_groups.prefetch_related("members__council").order_by("name"),
            "guests": guests,
            "also": also,
            "form": form if staff else None,
            "guest_form": GuestForm(members=candidates) if candidates else None,
            "may_manage": staff,
        },
    )


@staff_required
def group_edit(request: HttpRequest, council_id: int, group_id: int) -> HttpResponse:
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    group = council.working_groups.filter(pk=group_id).first()
    if group is None:
        raise Http404
    if request.method == "POST" and "delete" in request.POST:
        group_delete(actor=request.user, group=group)  # type: ignore[arg-type]
        messages.success(request, _("The working group is deleted."))
        return redirect("councils:groups", council_id=council.pk)
    form = GroupForm(
        request.POST or None,
        members=_sitting(council),
        initial={
            "name": group.name,
            "members": [str(pk) for pk in group.members.values_list("pk", flat=True)],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            group_save(
                actor=request.user,  # type: ignore[arg-type]
                council=council,
                group=group,
                name=form.cleaned_data["name"],
                member_ids=[int(pk) for pk in form.cleaned_data["members"]],
            )
        except DomainError as exc:
            _refuse(form, exc)
        else:
            messages.success(request, _("The working group is saved."))
            return redirect("councils:groups", council_id=council.pk)
    return _page(request, council, form, _("Working group"), deletable=True)


@staff_required
@require_POST
def guest(request: HttpRequest, council_id: int) -> HttpResponse:
    """Seat a dong council's member in the gu council (sits=yes) or take them out (sits=no)."""
    council = council_get(user=request.user, council_id=council_id)  # type: ignore[arg-type]
    member_id = request.POST.get("member", "")
    member = (
        Member.objects.filter(pk=int(member_id)).select_related("council").first()
        if member_id.isdigit()
        else None
    )
    if member is None:
        messages.error(request, _("Choose a member."))
        return redirect("councils:groups", council_id=council.pk)
    try:
        guest_set(
            actor=request.user,  # type: ignore[arg-type]
            council=council,
            member=member,
            sits=request.POST.get("sits") != "no",
        )
    except DomainError as exc:
        if exc.status != 400:
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("councils:groups", council_id=council.pk)
