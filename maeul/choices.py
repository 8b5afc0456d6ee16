"""Labels of choice fields as `obj.get_<field>_display()` gives them, without its cost: Django's
method rebuilds a hashable copy of every choice of the field on each call (translating each
label to hash it), which made the displays of a household page or a list of fifty rows a
noticeable part of its rendering. The labels are kept per model and field as the field declares
them (lazy translations, rendered in the current language). Used by people's `choice` filter
and the list rows that apps work out in Python (the lead queue, the case list)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.utils.encoding import force_str

#: (model class, field name) → (the field's attname, {value: label}).
_LABELS: dict[tuple[type, str], tuple[str, dict]] = {}


def field_labels(model: type[Model], name: str) -> tuple[str, dict]:
    """The field's attname and its {value: label}; ValueError for a field without choices."""
    key = (model, name)
    found = _LABELS.get(key)
    if found is None:
        field = model._meta.get_field(name)
        if not field.choices:
            raise ValueError(f"{model.__name__}.{name} has no choices")
        found = (field.attname, dict(field.flatchoices))
        _LABELS[key] = found
    return found


def choice_label(obj: Model, name: str):
    """`obj.get_<name>_display()`: a value outside the choices is shown as it is; None stays
    None."""
    attname, labels = field_labels(type(obj), name)
    value = getattr(obj, attname)
    try:
        label = labels.get(value, value)
    except TypeError:  # an unhashable value: leave it to Django
        return getattr(obj, f"get_{name}_display")()
    return force_str(label, strings_only=True)


def labeller(model: type[Model]) -> Callable[[str, object], object]:
    """`label(field, value)` for rows of `model`, each (field, value) translated once per
    labeller (a list shows a few distinct values many times): make one per rendering."""
    done: dict[tuple[str, object], object] = {}

    def label(name: str, value: object) -> object:
        key = (name, value)
        if key not in done:
            labels = field_labels(model, name)[1]
            done[key] = force_str(labels.get(value, value), strings_only=True)
        return done[key]

    return label
