from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.areas.models import Area
from maeul.councils.models import BudgetLine, Education, Meeting, Member, ParticipantType
from maeul.web import DateInput


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput)
    kind = forms.ChoiceField(label=_("kind"), choices=Meeting.Kind.choices)
    agenda = forms.CharField(label=_("agenda"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    decisions = forms.CharField(
        label=_("decisions (one a line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attendees = forms.MultipleChoiceField(
        label=_("attendance"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(m.pk), m.name) for m in members]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=120)
    gus = forms.ModelMultipleChoiceField(
        label=_("gus"), queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    opened_on = forms.DateField(label=_("opened on"), widget=DateInput)
    closes_on = forms.DateField(label=_("closes on"), widget=DateInput)
    sample_rate = forms.FloatField(
        label=_("sample rate (0–1)"), initial=1.0, min_value=0.01, max_value=1.0
    )

    def __init__(self, *args, gus=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gus"].queryset = gus if gus is not None else Area.objects.none()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("paper answers (CSV or XLSX)"))


class ReviewForm(forms.Form):
    household = forms.IntegerField(label=_("household number"))
    reviewed_on = forms.DateField(label=_("reviewed on"), widget=DateInput)
    decision = forms.CharField(label=_("decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ZoneSelectForm(forms.Form):
    name = forms.CharField(label=_("zone name"), max_length=80)
    tongs = forms.MultipleChoiceField(label=_("tongs"), widget=forms.CheckboxSelectMultiple)
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, tongs=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tongs"].choices = [(str(t.pk), f"{t.parent.name} {t.name}") for t in tongs]


class ZonePlanForm(forms.Form):
    year = forms.IntegerField(label=_("plan year (1–4)"), min_value=1, max_value=4)
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 2}))
    projects = forms.CharField(label=_("projects"), widget=forms.Textarea(attrs={"rows": 2}))
    budget = forms.IntegerField(label=_("budget (won)"), min_value=0)
    shared_spaces = forms.CharField(label=_("shared spaces"), required=False)
    services = forms.CharField(label=_("community-tailored services"), required=False)
    organising = forms.CharField(
        label=_("resident organising (groups, meetings, members)"), required=False
    )


class MemberForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=40)
    participant_type = forms.ChoiceField(
        label=_("participant type"), choices=ParticipantType.choices
    )
    affiliations = forms.MultipleChoiceField(
        label=_("affiliations"),
        choices=ParticipantType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    position = forms.ChoiceField(label=_("position"), choices=Member.Position.choices)
    sex = forms.ChoiceField(label=_("sex"), choices=Member.Sex.choices)
    age_band = forms.ChoiceField(label=_("age band"), choices=Member.AgeBand.choices)
    term_start = forms.DateField(label=_("term from"), widget=DateInput)
    term_end = forms.DateField(label=_("term to"), widget=DateInput)
    teams_led = forms.CharField(
        label=_("safety-net teams led (one a line)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class MemberEditForm(MemberForm):
    """A member's record, with the council-member account she signs in with."""

    user = forms.TypedChoiceField(
        label=_("linked account"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, accounts=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            ("", _("no account")),
            *[(str(u.pk), f"{u.full_name or u.username} ({u.username})") for u in accounts],
        ]


class TermEndForm(forms.Form):
    ended_on = forms.DateField(label=_("last day of the term"), widget=DateInput)


# -- the council's records -----------------------------------------------------------------


class ProjectReportForm(forms.Form):
    """What the council reports on its project: spending, results, self-assessment."""

    spent = forms.IntegerField(label=_("spent (won)"), min_value=0, initial=0)
    results = forms.CharField(
        label=_("results"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    self_score = forms.TypedChoiceField(
        label=_("self-assessment"),
        choices=[("", "–"), *[(str(k), f"{k}/5") for k in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    self_assessment = forms.CharField(
        label=_("self-assessment notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ProjectForm(ProjectReportForm):
    year = forms.IntegerField(label=_("year"))
    title = forms.CharField(label=_("title"), max_length=120)
    plan = forms.CharField(label=_("plan"), widget=forms.Textarea(attrs={"rows": 3}))
    target_group = forms.CharField(label=_("target group"), max_length=120)
    budget = forms.IntegerField(label=_("budget (won)"), min_value=0)

    field_order = [
        "year",
        "title",
        "plan",
        "target_group",
        "budget",
        "spent",
        "results",
        "self_score",
        "self_assessment",
    ]


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    source = forms.ChoiceField(label=_("funding source"), choices=BudgetLine.Source.choices)
    amount = forms.IntegerField(label=_("amount (won)"), min_value=1)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class EducationForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DateInput)
    kind = forms.ChoiceField(label=_("kind"), choices=Education.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=120)
    hours = forms.IntegerField(label=_("hours"), min_value=1, max_value=40, initial=2)
    attendees = forms.MultipleChoiceField(
        label=_("who attended"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = [(str(m.pk), member_label(m)) for m in members]


def member_label(member: Member) -> str:
    """A member's name, with their own council when they sit here as a guest."""
    return (
        f"{member.name} ({member.council.name})" if getattr(member, "guest", False) else member.name
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"))
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanSummaryForm(forms.Form):
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))


class PlanPartForm(forms.Form):
    """One dong's part of the plan (a form per dong council, prefixed with its id)."""

    goals = forms.CharField(
        label=_("goals"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    actions = forms.CharField(
        label=_("actions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    budget = forms.IntegerField(label=_("budget (won)"), min_value=0, required=False)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("working group"), max_length=80)
    members = forms.MultipleChoiceField(
        label=_("council members"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(str(m.pk), member_label(m)) for m in members]


class GuestForm(forms.Form):
    member = forms.ChoiceField(label=_("member of a dong council"))

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [
            ("", "–"),
            *[(str(m.pk), f"{m.name} ({m.council.name})") for m in members],
        ]
