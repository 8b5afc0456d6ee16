"""The benefits section of the household page (maeul.hub composes the page): entitlements,
the means forms of each member, the household's situation and support obligors. Also rendered
alone as an htmx fragment by benefits' own views.

The means forms sit in a closed ``<details>``: the page renders them only when asked
(``means_open``: a form came back with errors, or the page was opened with ``?means=1`` — the
link a browser without JavaScript follows); otherwise opening the details fetches them from
``benefits:household_means`` (``means_section``)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from maeul.benefits import forms as f
from maeul.benefits.selectors import MeansRecords, household_entitlements, household_means_records
from maeul.people.models import Household


def household_section(
    request: HttpRequest,
    household: Household,
    *,
    bound: dict | None = None,
    means_open: bool = False,
    receipts: list | None = None,
    linkages: Iterable | None = None,
) -> dict:
    """What ``benefits/_household_entitlements.html`` needs (the household page includes it for
    hub staff), for a household from ``people.selectors.household_get`` (its dong comes with
    the gu and city the rules' region climbs to). ``bound``: forms with errors to show in place, by key (they open the means
    data). ``receipts``: all the household's benefit receipts when the caller has read them
    (the page lists them); ``linkages``: all its linkages, likewise."""
    bound = bound or {}
    records = household_means_records(household)
    evaluation = household_entitlements(
        user=request.user,
        household=household,
        records=records,
        receipts=receipts,
        linkages=linkages,
    )
    context = {
        "benefits_evaluation": evaluation,
        "benefits_error": bound.get("error"),
        "benefits_means_open": bool(means_open or set(bound) - {"error"}),
    }
    if context["benefits_means_open"]:
        context.update(_means_context(household, records, bound))
    return context


def means_section(request: HttpRequest, household: Household) -> dict:
    """What ``benefits/_household_means.html`` needs alone (the details' body, fetched when
    the user opens it)."""
    return _means_context(household, household_means_records(household), {})


def _means_context(household: Household, records: MeansRecords, bound: dict) -> dict:
    situation = records.situation
    members = []
    for member in household.members.all():
        key = f"means-{member.pk}"
        record = records.means.get(member.pk)
        members.append(
            {
                "resident": member,
                "record": record,
                "form": bound.get(key) or f.MeansForm.for_record(record, prefix=key),
            }
        )
    situation_form = bound.get("situation") or f.SituationForm(
        prefix="situation",
        initial={"region": situation.region, "crisis": situation.crisis} if situation else {},
    )
    return {
        "benefits_members": members,
        "benefits_situation": situation,
        "benefits_situation_form": situation_form,
        "benefits_obligors": records.obligors,
        "benefits_obligor_form": bound.get("obligor") or f.ObligorForm(prefix="obligor"),
    }
