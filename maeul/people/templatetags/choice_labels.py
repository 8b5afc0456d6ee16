"""`{{ obj|choice:"field" }}`: the label of a choice field's value, as `obj.get_<field>_display`
gives it, without its cost: Django's method rebuilds a hashable copy of every choice of the
field on each call (translating each label to hash it), which made the displays of a household
page or a list of fifty rows a noticeable part of its rendering. The labels are kept per model
and field as the field declares them (lazy translations, rendered in the request's language).

Any app above people may load it (`{% load choice_labels %}`)."""

from __future__ import annotations

from django import template
from django.db.models import Model
from django.utils.encoding import force_str

register = template.Library()

#: (model class, field name) → (the field's attname, {value: label}).
_LABELS: dict[tuple[type, str], tuple[str, dict]] = {}


def _labels(model: type[Model], name: str) -> tuple[str, dict]:
    key = (model, name)
    found = _LABELS.get(key)
    if found is None:
        field = model._meta.get_field(name)
        if not field.choices:
            raise template.TemplateSyntaxError(f"{model.__name__}.{name} has no choices")
        found = (field.attname, dict(field.flatchoices))
        _LABELS[key] = found
    return found


@register.filter
def choice(obj: Model | None, name: str):
    """The display of `obj.<name>` exactly as `get_<name>_display()` returns it (a value outside
    the choices is shown as it is; None stays None, so that `|default` applies)."""
    if not isinstance(obj, Model):  # as a failed lookup of get_<name>_display renders
        return ""
    attname, labels = _labels(type(obj), name)
    value = getattr(obj, attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value: leave it to Django
        return getattr(obj, f"get_{name}_display")()
    return force_str(label, strings_only=True)
