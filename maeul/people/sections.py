"""The registry's section of the household page (maeul.hub composes the page): the household,
its members and the benefits they receive, each kind of data only where the access policy
lets the user's role read it (maeul.people.policy), and the form for the sensitive notes of
ONE member at a time."""

from __future__ import annotations

from django.http import HttpRequest

from maeul.errors import DomainError
from maeul.people.forms import SensitiveNotesForm
from maeul.people.models import Household, Resident
from maeul.people.policy import DataKind, may_read, may_write
from maeul.people.services import sensitive_notes_update


def notes_editable(user, household: Household) -> set[str]:
    """The kinds of sensitive note the user may both read and write on this household: only
    those get a field (a note one may not read is never put in a form)."""
    return {
        kind
        for kind in (DataKind.HEALTH, DataKind.DISABILITY, DataKind.VIOLENCE_NOTES)
        if may_read(user, kind, household) and may_write(user, kind, household)
    }


def household_section(
    request: HttpRequest,
    household: Household,
    *,
    member_id: int | None = None,
    notes_form: SensitiveNotesForm | None = None,
) -> dict:
    """What the household page shows of the registry: `can` (the kinds of data the user may
    read), the members, the benefits received, the notes form (for hub staff)."""
    user = request.user
    can = {kind.value: may_read(user, kind, household) for kind in DataKind}
    members = list(household.members.all())
    context: dict = {"household": household, "members": members, "can": can}
    if not user.is_hub_staff:
        return context
    if notes_form is None:
        notes_form = SensitiveNotesForm(
            household=household,
            member=next((m for m in members if m.pk == member_id), None),
            editable=notes_editable(user, household),
        )
    context["notes_form"] = notes_form if notes_form.editable or notes_form.errors else None
    if can["income_assets"]:
        context["benefits"] = list(
            household.benefits.select_related("resident").order_by("-started_on")
        )
    return context


def notes_submit(
    request: HttpRequest, household: Household
) -> tuple[SensitiveNotesForm, Resident | None, bool]:
    """Save the sensitive notes posted (health and disability details of the member chosen,
    violence notes of the household), each encrypted at rest by the service. Returns the form
    (with its errors when refused), the member and whether the notes were saved."""
    form = SensitiveNotesForm(
        request.POST, household=household, editable=notes_editable(request.user, household)
    )
    if not form.is_valid():
        return form, None, False
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
        return form, member, False
    return form, member, True
