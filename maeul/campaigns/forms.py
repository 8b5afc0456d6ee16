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
    safety_net = forms.ModelMultipleChoiceField(
        label=_("Safety-net members"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Named members of the campaign's dongs; hold Ctrl (or ⌘) to choose several."),
    )

    def __init__(self, *args, areas, staff, safety_net, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["safety_net"].queryset = safety_net
        self.fields["safety_net"].label_from_instance = member_label
        self.fields["area"].queryset = areas
        self.fields["area"].label_from_instance = lambda a: a.display_name
        self.fields["instrument"].label_from_instance = lambda i: i.display_name
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = lambda u: f"{u.label} · {u.get_role_display()}"


def member_label(member: SafetyNetMember) -> str:
    where = " ".join(a.name for a in (member.dong, member.tong) if a is not None)
    return f"{member.name} · {member.get_team_display()} · {member.get_kind_display()} · {where}"


class SafetyNetForm(forms.Form):
    """The campaign's named safety-net members (of the user's dongs)."""

    members = forms.ModelMultipleChoiceField(
        label=_("Safety-net members"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args, choices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = choices
        self.fields["members"].label_from_instance = member_label


class MemberAssignForm(forms.Form):
    """Give pending targets of a member's dong (one tong, or all) to a named member."""

    member = forms.ModelChoiceField(label=_("Give to"), queryset=None)
    tong = forms.ChoiceField(label=_("Pending targets of"), required=False)

    def __init__(self, *args, members, tongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = member_label
        self.fields["tong"].choices = [("", _("every tong"))] + [
            (str(t.pk), f"{t.parent.name} {t.name}") for t in tongs
        ]


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


class MemberForm(forms.Form):
    """A safety-net member's particulars (the roster's edit page)."""

    name = forms.CharField(label=_("Name"), max_length=60)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=[("", _("not recorded")), *SafetyNetMember.Sex.choices],
        required=False,
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    team = forms.ChoiceField(label=_("Team"), choices=SafetyNetMember.Team.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=SafetyNetMember.Kind.choices)
    tong = forms.ModelChoiceField(label=_("Tong"), queryset=None, required=False)
    ban = forms.ModelChoiceField(label=_("Ban"), queryset=None, required=False)
    left_on = forms.DateField(label=_("Left on"), widget=DateInput, required=False)

    def __init__(self, *args, tongs, bans, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tong"].queryset = tongs
        self.fields["tong"].label_from_instance = lambda a: a.name
        self.fields["ban"].queryset = bans
        self.fields["ban"].label_from_instance = lambda a: f"{a.parent.name} {a.name}"
