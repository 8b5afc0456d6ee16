"""Forms of the benefit pages: they parse input; the rules live in services.py and rules/."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from maeul.benefits.models import MONEY_FIELDS, MeansRecord, Region, SupportObligor
from maeul.benefits.rules import CRISIS_SITUATIONS, PROGRAMMES
from maeul.errors import DomainError

_MONEY_WIDGET = {"inputmode": "numeric", "min": "0", "step": "1000"}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def crisis_choices() -> list[tuple[str, str]]:
    from django.utils import translation

    korean = (translation.get_language() or "").startswith("ko")
    return [(code, ko if korean else en) for code, (ko, en) in CRISIS_SITUATIONS.items()]


def _money_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10**13,
        widget=forms.NumberInput(attrs=_MONEY_WIDGET),
    )


class MeansForm(forms.Form):
    """One member's declared means; a blank field means "not known"."""

    earned_income = _money_field(_("earned income (KRW a month)"))
    other_income = _money_field(_("other income (KRW a month)"))
    assets_general = _money_field(_("general property (KRW)"))
    assets_financial = _money_field(_("financial assets (KRW)"))
    debts = _money_field(_("debts (KRW)"))
    car_value = _money_field(_("car value (KRW)"))
    single_parent = forms.NullBooleanField(
        label=_("raises children alone"),
        required=False,
        widget=forms.NullBooleanSelect,
    )

    @classmethod
    def for_record(cls, record: MeansRecord | None, **kwargs) -> MeansForm:
        initial = {}
        if record is not None:
            initial = {f: getattr(record, f) for f in MONEY_FIELDS}
            initial["single_parent"] = record.single_parent
        return cls(initial=initial, **kwargs)


class SituationForm(forms.Form):
    region = forms.ChoiceField(
        label=_("region"),
        required=False,
        choices=[("", _("the gu's default"))] + list(Region.choices),
    )
    crisis = forms.ChoiceField(label=_("crisis situation"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crisis"].choices = [("", _("none"))] + crisis_choices()


class ObligorForm(forms.Form):
    relation = forms.ChoiceField(label=_("relation"), choices=SupportObligor.Relation.choices)
    annual_income = _money_field(_("annual income (KRW)"))
    assets = _money_field(_("property (KRW)"))


# The public finder ---------------------------------------------------------------------------


class FinderForm(forms.Form):
    """The few questions of the resident's benefit finder. Nothing is stored."""

    ages = forms.CharField(
        label=_("ages of the people in your household"),
        help_text=_("Yours first, then the others, separated by commas, e.g. 72, 70."),
        max_length=60,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    spouse = forms.BooleanField(label=_("the second person is my spouse"), required=False)
    region = forms.ChoiceField(
        label=_("where you live"), choices=Region.choices, initial=Region.METROPOLITAN
    )
    earned_income = _money_field(_("household earnings from work (KRW a month)"))
    other_income = _money_field(_("other household income: pensions, rent, help (KRW a month)"))
    assets_general = _money_field(_("home and land, or rental deposit (KRW)"))
    assets_financial = _money_field(_("savings and other financial assets (KRW)"))
    debts = _money_field(_("debts (KRW)"))
    car_value = _money_field(_("value of your car (KRW)"))
    disability = forms.ChoiceField(
        label=_("severe disability"),
        required=False,
        choices=[
            ("", _("nobody")),
            ("self", _("I have a severe disability")),
            ("other", _("another member has a severe disability")),
        ],
    )
    single_parent = forms.BooleanField(label=_("I raise my children alone"), required=False)
    obligors = forms.ChoiceField(
        label=_("children or parents living apart"),
        choices=[
            ("none", _("none, or they cannot help")),
            ("modest", _("yes, with a modest income")),
            ("high", _("yes, with a high income (over ₩100 million a year) or wealth")),
        ],
        initial="none",
    )
    crisis = forms.ChoiceField(label=_("a sudden crisis"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["crisis"].choices = [("", _("none"))] + crisis_choices()

    def clean_ages(self) -> list[int]:
        parts = [p for p in re.split(r"[,\s]+", self.cleaned_data["ages"]) if p]
        if not parts:
            raise forms.ValidationError(_("Give at least your own age."))
        if len(parts) > 12:
            raise forms.ValidationError(_("Give at most 12 ages."))
        ages = []
        for part in parts:
            if not part.isdigit() or int(part) > 120:
                raise forms.ValidationError(_("Ages must be whole numbers from 0 to 120."))
            ages.append(int(part))
        if ages[0] < 18 and not any(a >= 18 for a in ages):
            raise forms.ValidationError(_("Give the age of an adult first."))
        return ages

    def payload(self, *, period: str) -> dict:
        """The rules' request body: the first person is the head; the second the spouse when
        ticked; under-18s children; the others "other". Money goes to the head (the finder
        asks household totals)."""
        data = self.cleaned_data
        ages = data["ages"]
        members = []
        for i, age in enumerate(ages):
            if i == 0:
                relation = "head"
            elif i == 1 and data["spouse"]:
                relation = "spouse"
            elif age < 18:
                relation = "child"
            else:
                relation = "other"
            members.append(
                {
                    "age": age,
                    "relation": relation,
                    **{f: (data[f] or 0) if i == 0 else 0 for f in MONEY_FIELDS},
                    "disability": None,
                    "single_parent": bool(data["single_parent"]) if i == 0 else False,
                }
            )
        if data["disability"] == "self":
            members[0]["disability"] = "severe"
        elif data["disability"] == "other" and len(members) > 1:
            adults = [m for m in members[1:] if m["age"] >= 18] or members[1:]
            adults[0]["disability"] = "severe"
        obligors = {
            "none": [],
            "modest": [{"relation": "child", "annual_income": 0, "assets": 0}],
            "high": [{"relation": "child", "annual_income": 150_000_000, "assets": 1_000_000_000}],
        }[data["obligors"]]
        return {
            "period": period,
            "household": {
                "region": data["region"],
                "members": members,
                "support_obligors": obligors,
                "crisis": data["crisis"] or None,
            },
        }


class FinderContactForm(forms.Form):
    """ "Ask the hub to contact me": the only thing the finder stores, as a resident lead."""

    reporter_name = forms.CharField(label=_("your name"), max_length=60)
    reporter_phone = forms.CharField(
        label=_("your phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    dong = forms.ModelChoiceField(label=_("dong"), queryset=None)
    address = forms.CharField(label=_("your address"), max_length=200)
    programmes = forms.CharField(required=False, widget=forms.HiddenInput, max_length=400)
    #: Honeypot: hidden from people, filled in by bots.
    website = forms.CharField(
        label=_("leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, dongs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = dongs
        self.fields["dong"].label_from_instance = lambda obj: obj.display_name

    def clean_programmes(self) -> list[str]:
        values = [p for p in self.cleaned_data["programmes"].split(",") if p]
        return [p for p in values if p in PROGRAMMES]


class SweepForm(forms.Form):
    period = forms.RegexField(
        label=_("month"), regex=r"^\d{4}-\d{2}$", required=False, max_length=7
    )


# The gu's ordinance lines --------------------------------------------------------------------


class LocalRuleForm(forms.Form):
    """A new value of one of the gu's lines from a month on. The value is parsed and bounded
    by ``local_rule_set`` (a share such as 0.65, or whole won); errors show in place."""

    parameter = forms.ChoiceField(label=_("line"))
    value = forms.CharField(
        label=_("new value"),
        max_length=24,
        help_text=_("A share of the median income as a decimal (0.65 for 65%), or whole won."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    valid_from = forms.DateField(
        label=_("valid from"),
        help_text=_("The first day of a month."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=300,
        help_text=_("e.g. the ordinance amendment and its date."),
    )

    def __init__(self, *args, parameters: list[dict] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parameter"].choices = [(p["path"], p["label"]) for p in parameters or []]
