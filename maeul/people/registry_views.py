"""Pages that keep the registry: a household's record (contact, housing, groups), its members
(add, edit, move) and the merge of two records of one household, with its undo. Hub staff
only; every read of the record is audited; the rules are people.registry's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from maeul.accounts.audit import audit_read
from maeul.errors import DomainError, NotFound
from maeul.people.forms import HouseholdEditForm, HouseholdIdForm, MemberForm
from maeul.people.models import HouseholdMerge, Resident
from maeul.people.registry import (
    MERGE_UNDO_DAYS,
    household_update,
    households_merge,
    merge_undo,
    resident_add,
    resident_move,
    resident_update,
)
from maeul.people.selectors import household_get, households_visible_to
from maeul.web import add_domain_error, staff_required


def _household(request: HttpRequest, household_id: int):
    return household_get(user=request.user, household_id=household_id)


def _resident(request: HttpRequest, resident_id: int) -> Resident:
    resident = (
        Resident.objects.filter(pk=resident_id, household__in=households_visible_to(request.user))
        .select_related("household")
        .first()
    )
    if resident is None:
        raise NotFound()
    return resident


@staff_required
def household_edit(request: HttpRequest, household_id: int) -> HttpResponse:
    user = request.user
    household = _household(request, household_id)
    initial = {
        "address": household.address,
        "address_detail": household.address_detail,
        "phone": household.phone,
        "housing": household.housing,
        "groups": household.groups,
    }
    form = HouseholdEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            household_update(actor=user, household=household, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Household record saved."))
            return redirect("people:household_edit", household_id=household.pk)
    audit_read(request=request, household_id=household.pk)
    return render(
        request,
        "people/household_edit.html",
        {
            "household": household,
            "form": form,
            "member_form": MemberForm(initial={"relation": Resident.Relation.CHILD}),
            "merge_form": HouseholdIdForm(),
            "merges": HouseholdMerge.objects.filter(kept=household).select_related("merged_by"),
            "undo_days": MERGE_UNDO_DAYS,
        },
    )


@staff_required
@require_POST
def member_add(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household(request, household_id)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            resident_add(actor=request.user, household=household, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(request, _("Check the member's particulars."))
    return redirect("people:household_edit", household_id=household.pk)


@staff_required
def member_edit(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id)
    initial = {
        "name": resident.name,
        "relation": resident.relation,
        "birth_date": resident.birth_date,
        "sex": resident.sex,
        "phone": resident.phone,
        "disability": resident.disability,
    }
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["rrn"] = data.get("rrn") or None
        try:
            resident_update(actor=request.user, resident=resident, **data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Member saved."))
            return redirect("people:household_edit", household_id=resident.household_id)
    audit_read(request=request, household_id=resident.household_id)
    return render(
        request,
        "people/member_edit.html",
        {"resident": resident, "form": form, "move_form": HouseholdIdForm()},
    )


@staff_required
@require_POST
def member_move(request: HttpRequest, resident_id: int) -> HttpResponse:
    resident = _resident(request, resident_id)
    form = HouseholdIdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the record number of the household to move to."))
        return redirect("people:member_edit", resident_id=resident.pk)
    try:
        target = household_get(user=request.user, household_id=form.cleaned_data["household"])
        resident_move(actor=request.user, resident=resident, to=target)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("people:member_edit", resident_id=resident.pk)
    messages.success(request, _("Member moved."))
    return redirect("people:household_edit", household_id=target.pk)


@staff_required
@require_POST
def household_merge(request: HttpRequest, household_id: int) -> HttpResponse:
    household = _household(request, household_id)
    form = HouseholdIdForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the record number of the other record."))
        return redirect("people:household_edit", household_id=household.pk)
    try:
        other = household_get(user=request.user, household_id=form.cleaned_data["household"])
        households_merge(actor=request.user, keep=household, merge=other)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The two records are one now. The merge can be undone for %(days)s days.")
            % {"days": MERGE_UNDO_DAYS},
        )
    return redirect("people:household_edit", household_id=household.pk)


@staff_required
@require_POST
def merge_undo_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = HouseholdMerge.objects.filter(
        pk=merge_id, kept__in=households_visible_to(request.user)
    ).first()
    if merge is None:
        raise NotFound()
    try:
        restored = merge_undo(actor=request.user, merge=merge)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("people:household_edit", household_id=merge.kept_id)
    messages.success(request, _("Merge undone: the two records are separate again."))
    return redirect("people:household_edit", household_id=restored.pk)
