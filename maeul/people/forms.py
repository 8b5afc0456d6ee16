"""Forms of the household pages: they parse input; the rules (who may write which kind of
note) live in people.policy and are enforced by people.services."""

from __future__ import annotations

from collections.abc import Collection

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from maeul.errors import DomainError
from maeul.people.models import Household, Resident

#: Notes of one member (`Resident`), and the kind of data (people.policy.DataKind) each is.
MEMBER_NOTES = {"health_notes": "health", "disability_detail": "disability"}
#: Notes of the household itself.
HOUSEHOLD_NOTES = {"violence_notes": "violence_notes"}

NOTES = forms.Textarea(attrs={"rows": 4})


class SensitiveNotesForm(forms.Form):
    """The sensitive notes of a household: its violence/abuse notes and, for ONE member chosen
    explicitly (`resident`), that member's health notes and disability details. Its fields are
    filled only from the household and that member, never from another member.

    A note not sent at all is `None` in `cleaned_data` ("leave it unchanged", as
    `sensitive_notes_update` reads it); a note sent empty clears it. Every note sent reaches
    the service, which refuses the kinds the user's role may not write (people.policy)."""

    resident = forms.ModelChoiceField(
        queryset=Resident.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a member of this household.")},
    )
    health_notes = forms.CharField(label=_("Health notes"), widget=NOTES, required=False)
    disability_detail = forms.CharField(label=_("Disability details"), widget=NOTES, required=False)
    violence_notes = forms.CharField(
        label=_("Violence / abuse notes"), widget=NOTES, required=False
    )

    def __init__(
        self,
        *args,
        household: Household,
        member: Resident | None = None,
        editable: Collection[str] = (),
        **kwargs,
    ) -> None:
        """`member`: the member whose notes an unbound form shows (bound, the posted
        `resident` decides). `editable`: the data kinds the user may read and write here;
        only their fields are shown and filled."""
        super().__init__(*args, **kwargs)
        self.household = household
        self.editable = frozenset(editable)
        self.fields["resident"].queryset = household.members.all()
        if member is not None and member.household_id != household.pk:
            member = None
        if self.is_bound:
            member = None
        else:
            self.initial = {}
            if "violence_notes" in self.editable:
                self.initial["violence_notes"] = household.violence_notes
            if member is not None:
                self.initial["resident"] = member.pk
                for name, kind in MEMBER_NOTES.items():
                    if kind in self.editable:
                        self.initial[name] = getattr(member, name)
        self._member = member

    @property
    def member(self) -> Resident | None:
        """The member whose notes the form edits: chosen for an unbound form, posted (and a
        member of this household) for a bound one."""
        if self.is_bound:
            return self.cleaned_data.get("resident") if hasattr(self, "cleaned_data") else None
        return self._member

    def household_fields(self) -> list[forms.BoundField]:
        """The household's notes the user may edit."""
        return [self[n] for n, kind in HOUSEHOLD_NOTES.items() if kind in self.editable]

    def member_fields(self) -> list[forms.BoundField]:
        """The chosen member's notes the user may edit; none until a member is chosen."""
        if self.member is None:
            return []
        return [self[n] for n, kind in MEMBER_NOTES.items() if kind in self.editable]

    def shown_fields(self) -> list[forms.BoundField]:
        return self.member_fields() + self.household_fields()

    def member_notes_editable(self) -> bool:
        return any(kind in self.editable for kind in MEMBER_NOTES.values())

    def other_errors(self) -> list[str]:
        """Errors not shown next to a field: the form's own and those of fields not shown."""
        shown = {field.name for field in self.shown_fields()}
        errors = list(self.non_field_errors())
        for name, field_errors in self.errors.items():
            if name != NON_FIELD_ERRORS and name not in shown:
                errors.extend(field_errors)
        return errors

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in (*MEMBER_NOTES, *HOUSEHOLD_NOTES):
            widget = self.fields[name].widget
            if widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name)):
                cleaned[name] = None
        if cleaned.get("resident") is None and "resident" not in self.errors:
            if any(cleaned.get(name) is not None for name in MEMBER_NOTES):
                self.add_error("resident", _("Choose a member of this household."))
        return cleaned

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal next to its field, or on top when that field is not
        shown (the policy names data kinds: `health`, `disability`, `violence_notes`)."""
        kinds = {**MEMBER_NOTES, **HOUSEHOLD_NOTES}
        field = next((n for n, k in kinds.items() if error.field in (n, k)), error.field)
        self.add_error(field if field in self.fields else None, str(error.message))


class HouseholdEditForm(forms.Form):
    """A household's address, contact, housing and groups (people.registry)."""

    address = forms.CharField(label=_("Address"), max_length=200)
    address_detail = forms.CharField(label=_("Unit / detail"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    housing = forms.ChoiceField(
        label=_("Housing"), choices=[("", "—"), *Household.Housing.choices], required=False
    )
    groups = forms.MultipleChoiceField(
        label=_("Vulnerable groups"),
        choices=Household.Group.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class MemberForm(forms.Form):
    """A member's particulars; the registration number is written, never shown back."""

    name = forms.CharField(label=_("Name"), max_length=60)
    relation = forms.ChoiceField(label=_("Relation to head"), choices=Resident.Relation.choices)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Resident.Sex.choices], required=False
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    disability = forms.ChoiceField(
        label=_("Disability"), choices=Resident.Disability.choices, required=False
    )
    rrn = forms.CharField(
        label=_("Registration no."),
        max_length=20,
        required=False,
        help_text=_("Stored encrypted. Leave empty to keep the one on record."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class HouseholdIdForm(forms.Form):
    """The other household of a move or a merge, by its record number."""

    household = forms.IntegerField(label=_("Household record no."), min_value=1)
