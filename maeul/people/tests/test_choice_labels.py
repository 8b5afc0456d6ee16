"""`{{ obj|choice:"field" }}` renders what `get_<field>_display` renders, in either language,
for values inside and outside the choices and for blank ones."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation

from maeul.people.models import Household, Resident

pytestmark = pytest.mark.django_db


def _both(obj, field: str) -> tuple[str, str]:
    ours = Template('{% load choice_labels %}{{ obj|choice:"' + field + '"|default:"—" }}')
    django = Template("{{ obj.get_" + field + '_display|default:"—" }}')
    context = Context({"obj": obj})
    return ours.render(context), django.render(context)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_same_as_get_display_for_every_choice(household_a, language):
    member = household_a.members.get()
    with translation.override(language):
        for field in ("relation", "sex", "disability"):
            for value, _label in Resident._meta.get_field(field).flatchoices:
                setattr(member, field, value)
                ours, django = _both(member, field)
                assert ours == django, (field, value)
        for value, _label in Household._meta.get_field("housing").flatchoices:
            household_a.housing = value
            assert _both(household_a, "housing")[0] == _both(household_a, "housing")[1]


def test_unknown_and_blank_values_as_django_shows_them(household_a):
    member = household_a.members.get()
    member.relation = "not-a-relation"
    assert _both(member, "relation") == ("not-a-relation", "not-a-relation")
    member.sex = ""
    assert _both(member, "sex")[0] == _both(member, "sex")[1]
    household_a.housing = None
    assert _both(household_a, "housing")[0] == _both(household_a, "housing")[1]


def test_missing_object_renders_nothing_and_a_field_without_choices_is_an_error(household_a):
    assert (
        Template('{% load choice_labels %}[{{ nothing|choice:"kind" }}]').render(Context({}))
        == "[]"
    )
    with pytest.raises(TemplateSyntaxError):
        Template('{% load choice_labels %}{{ h|choice:"address" }}').render(
            Context({"h": household_a})
        )
