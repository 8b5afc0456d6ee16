"""`{% household_work household as work %}`: the household page's case-work sections, taken
from the context when the page passed them, else read through the scoped selector."""

from __future__ import annotations

from django import template

register = template.Library()

KEYS = ("household_visits", "household_assessments", "household_cases", "household_linkages")


@register.simple_tag(takes_context=True)
def household_work(context, household) -> dict:
    if all(context.get(key) is not None for key in KEYS):
        return _with_flags({key: context[key] for key in KEYS})
    cached = context.get("_household_work")
    if cached is not None and cached.get("household_id") == household.pk:
        return cached
    from maeul.cases.selectors import household_work as select

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    work = _with_flags(dict(select(user=user, household=household), household_id=household.pk))
    # Both household partials may be included on one page: read once.
    context.dicts[0]["_household_work"] = work
    return work


def _with_flags(work: dict) -> dict:
    work["has_open_case"] = any(case.status == "open" for case in work["household_cases"])
    return work


@register.filter
def domain_label(value: str) -> str:
    """The translated name of a need domain key."""
    from maeul.cases.models import Domain

    try:
        return str(Domain(value).label)
    except ValueError:
        return value
