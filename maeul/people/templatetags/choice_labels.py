"""`{{ obj|choice:"field" }}`: the label of a choice field's value, as `obj.get_<field>_display`
gives it, without its cost (`maeul.choices`).

Any app above people may load it (`{% load choice_labels %}`)."""

from __future__ import annotations

from django import template
from django.db.models import Model

from maeul.choices import choice_label

register = template.Library()


@register.filter
def choice(obj: Model | None, name: str):
    """The display of `obj.<name>` exactly as `get_<name>_display()` returns it (a value outside
    the choices is shown as it is; None stays None, so that `|default` applies)."""
    if not isinstance(obj, Model):  # as a failed lookup of get_<name>_display renders
        return ""
    try:
        return choice_label(obj, name)
    except ValueError as exc:
        raise template.TemplateSyntaxError(str(exc)) from exc
