"""The benefits section of the household page (maeul.hub composes the page): entitlements,
the means forms of each member, the household's situation and support obligors. Also rendered
alone as an htmx fragment by benefits' own views."""

from __future__ import annotations

from django.http import HttpRequest

from maeul.benefits import forms as f
from maeul.benefits.models import MeansRecord, SupportObligor
from maeul.benefits.selectors import household_entitlements
from maeul.people.models import Household


def household_section(
    request: HttpRequest, household: Household, *, bound: dict | None = None
) -> dict:
    """What ``benefits/_household_entitlements.html`` needs (the household page includes it for
    hub staff). ``bound``: forms with errors to show in place, by key."""
    bound = bound or {}
    evaluation = household_entitlements(user=request.user, household=household)
    means = {m.resident_id: m for m in MeansRecord.objects.filter(household=household)}
    situation = getattr(household, "benefit_situation", None)
    members = []
    for member in household.members.all():
        key = f"means-{member.pk}"
        members.append(
            {
                "resident": member,
                "record": means.get(member.pk),
                "form": bound.get(key) or f.MeansForm.for_record(means.get(member.pk), prefix=key),
            }
        )
    situation_form = bound.get("situation") or f.SituationForm(
        prefix="situation",
        initial={"region": situation.region, "crisis": situation.crisis} if situation else {},
    )
    return {
        "benefits_evaluation": evaluation,
        "benefits_members": members,
        "benefits_situation": situation,
        "benefits_situation_form": situation_form,
        "benefits_obligors": list(SupportObligor.objects.filter(household=household)),
        "benefits_obligor_form": bound.get("obligor") or f.ObligorForm(prefix="obligor"),
        "benefits_error": bound.get("error"),
    }
