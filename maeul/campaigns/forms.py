"""Forms of the campaign pages: they parse input; the rules live in campaigns.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import SafetyNetMember
from maeul.campaigns.instruments import item_text
from maeul.campaigns.models import Instrument, Target
from maeul.campaigns.selectors import TargetFilters
from maeul.cases.models import Linkage
from maeul.people.models import Domain, Household, Programme
from maeul.web import DateInput


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}))
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=None)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput)
    instrument = forms.ModelChoiceField(
        label=_("Screening instrument"),
        queryset=Instrument.objects.order_by("name"),
        required=False,
        empty_label=_("none"),
    )
    teams = forms.MultipleChoiceField(
        label=_("Safety-net teams"),
        choices=SafetyNetMember.Team.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Hub staff"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, areas, staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.display_name
        self.fields["instrument"].label_from_instance = lambda i: i.display_name
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: f"{u.label} · {u.get_role_display()}"


class TargetFiltersForm(forms.Form):
    dongs = forms.MultipleChoiceField(label=_("Dongs"), required=False)
    tongs = forms.MultipleChoiceField(label=_("Tongs"), required=False)
    groups = forms.MultipleChoiceField(
        label=_("Groups"),
        choices=Household.Group.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    age_min = forms.IntegerField(label=_("Aged from"), min_value=0, max_value=130, required=False)
    age_max = forms.IntegerField(label=_("Aged up to"), min_value=0, max_value=130, required=False)
    living_alone = forms.BooleanField(label=_("Living alone"), required=False)
    programmes = forms.MultipleChoiceField(
        label=_("Receiving"),
        choices=Programme.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, dongs, tongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dongs"].choices = [(str(d.pk), d.display_name) for d in dongs]
        self.fields["tongs"].choices = [(str(t.pk), f"{t.parent.name} {t.name}") for t in tongs]

    def clean(self):
        data = super().clean()
        lo, hi = data.get("age_min"), data.get("age_max")
        if lo is not None and hi is not None and hi < lo:
            self.add_error("age_max", _("The upper age must not be below the lower one."))
        return data

    def filters(self) -> TargetFilters:
        data = self.cleaned_data
        return TargetFilters(
            dong_ids=tuple(int(d) for d in data.get("dongs") or ()),
            tong_ids=tuple(int(t) for t in data.get("tongs") or ()),
            groups=tuple(data.get("groups") or ()),
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
            living_alone=bool(data.get("living_alone")),
            programmes=tuple(data.get("programmes") or ()),
        )


RECORD_OUTCOMES = [
    (value, label) for value, label in Target.Outcome.choices if value not in ("pending", "linked")
]


class TargetRecordForm(forms.Form):
    """The outcome, with the campaign's screening instrument as yes/no items when it has one."""

    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=RECORD_OUTCOMES, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    observed_needs = forms.MultipleChoiceField(
        label=_("Needs observed"),
        choices=Domain.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, instrument: Instrument | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.item_fields: list[str] = []
        for number, item in enumerate(instrument.items if instrument else (), start=1):
            name = f"item_{item['key']}"
            self.fields[name] = forms.ChoiceField(
                label=f"{number}. {item_text(item)}",
                choices=[("yes", _("yes")), ("no", _("no"))],
                widget=forms.RadioSelect,
                required=False,
            )
            self.item_fields.append(name)

    def answers(self) -> dict[str, str]:
        """The instrument's answers, or {} when none was filled in (the service refuses a
        partly filled one)."""
        given = {
            name.removeprefix("item_"): self.cleaned_data.get(name) or ""
            for name in self.item_fields
        }
        return given if any(given.values()) else {}


class TargetLinkForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Link to"),
        choices=[
            (Linkage.Kind.PUBLIC_BENEFIT, Linkage.Kind.PUBLIC_BENEFIT.label),
            (Linkage.Kind.EMERGENCY_AID, Linkage.Kind.EMERGENCY_AID.label),
            (Linkage.Kind.PRIVATE_RESOURCE, Linkage.Kind.PRIVATE_RESOURCE.label),
            ("case", _("case management")),
        ],
    )
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", "—"), *Programme.choices], required=False
    )
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class TargetPlanForm(forms.Form):
    planned_on = forms.DateField(label=_("Visit on"), widget=DateInput)


class TargetAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Give to"), queryset=None)
    tong = forms.ChoiceField(label=_("Pending targets of"), required=False)

    def __init__(self, *args, people, tongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{u.label} · {u.get_role_display()}"
        )
        self.fields["tong"].choices = [("", _("every tong"))] + [
            (str(t.pk), f"{t.parent.name} {t.name}") for t in tongs
        ]
