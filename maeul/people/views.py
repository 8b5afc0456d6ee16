from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from maeul.accounts.audit import audit_read
from maeul.errors import DomainError, NotFound
from maeul.people.forms import SensitiveNotesForm
from maeul.people.models import Household
from maeul.people.policy import DataKind, may_read, may_write
from maeul.people.selectors import (
    household_get,
    household_list,
    household_timeline,
)
from maeul.people.services import sensitive_notes_update


@login_required
def household_list_view(request: HttpRequest) -> HttpResponse:
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    q = request.GET.get("q", "")[:60]
    result = household_list(user=request.user, q=q, page=page, page_size=50)
    audit_read(request=request, household_ids=[r["id"] for r in result["results"]], action="list")
    context = {
        "result": result,
        "q": q,
        "has_next": result["page"] * result["page_size"] < result["count"],
        "minimal": not request.user.is_hub_staff,
    }
    template = "people/_household_rows.html" if request.htmx else "people/household_list.html"
    return render(request, template, context)


@login_required
def household_detail_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """The household record, with each kind of data shown only where the policy lets the
    user's role read it (maeul.people.policy). `?member=<id>` chooses the member whose
    sensitive notes the notes form edits."""
    try:
        household = household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    audit_read(request=request, household_id=household.pk, action="view")
    member_id = request.GET.get("member", "")
    return render(
        request,
        *_household_page(
            request, household, member_id=int(member_id) if member_id.isdigit() else None
        ),
    )


def _notes_editable(user, household: Household) -> set[str]:
    """The kinds of sensitive note the user may both read and write on this household: only
    those get a field (a note one may not read is never put in a form)."""
    return {
        kind
        for kind in (DataKind.HEALTH, DataKind.DISABILITY, DataKind.VIOLENCE_NOTES)
        if may_read(user, kind, household) and may_write(user, kind, household)
    }


def _household_page(
    request: HttpRequest,
    household: Household,
    *,
    member_id: int | None = None,
    notes_form: SensitiveNotesForm | None = None,
) -> tuple[str, dict]:
    user = request.user
    can = {kind.value: may_read(user, kind, household) for kind in DataKind}
    members = list(household.members.all())
    context: dict = {"household": household, "members": members, "can": can}
    if not user.is_hub_staff:
        return "people/household_minimal.html", context
    if notes_form is None:
        editable = _notes_editable(user, household)
        notes_form = SensitiveNotesForm(
            household=household,
            member=next((m for m in members if m.pk == member_id), None),
            editable=editable,
        )
    context["notes_form"] = notes_form if notes_form.editable or notes_form.errors else None
    if can["income_assets"]:
        context["benefits"] = list(
            household.benefits.select_related("resident").order_by("-started_on")
        )
        from maeul.benefits.views import household_section_context

        context.update(household_section_context(request, household))
    if can["case_notes"]:
        from maeul.cases.selectors import household_work

        context["timeline"] = list(household_timeline(user=user, household=household))
        context.update(household_work(user=user, household=household))
    return "people/household_detail.html", context


@login_required
def household_notes_view(request: HttpRequest, household_id: int) -> HttpResponse:
    """Save the sensitive notes (health and disability details of the member chosen, violence
    notes of the household) the user's role may write; each is encrypted at rest."""
    if request.method != "POST":
        return redirect("people:household_detail", household_id=household_id)
    try:
        household = household_get(user=request.user, household_id=household_id)
    except NotFound as exc:
        raise Http404 from exc
    form = SensitiveNotesForm(
        request.POST, household=household, editable=_notes_editable(request.user, household)
    )
    if form.is_valid():
        member = form.cleaned_data["resident"]
        try:
            sensitive_notes_update(
                actor=request.user,
                household=household,
                violence_notes=form.cleaned_data["violence_notes"],
                resident_id=member.pk if member is not None else None,
                health_notes=form.cleaned_data["health_notes"],
                disability_detail=form.cleaned_data["disability_detail"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Notes saved."))
            url = reverse("people:household_detail", args=[household.pk])
            if member is not None:
                url += "?" + urlencode({"member": member.pk})
            return redirect(url + "#notes")
    audit_read(request=request, household_id=household.pk, action="view")
    template, context = _household_page(request, household, notes_form=form)
    return render(request, template, context, status=400)
