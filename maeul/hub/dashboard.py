"""The hub dashboard: what a hub worker needs this morning, from each app's selectors."""

from __future__ import annotations

import functools
import importlib

from django.apps import apps
from django.http import HttpRequest

from maeul.cases.selectors import follow_ups_overdue, open_case_count
from maeul.discovery.selectors import lead_counts, lead_queue_ids, leads_in_order
from maeul.visits.selectors import visits_today


def dashboard_context(request: HttpRequest) -> dict:
    user = request.user
    overdue_followups = list(follow_ups_overdue(user=user)[:15])
    todays = list(visits_today(user=user))
    return {
        "counts": lead_counts(user=user),
        # The queue's first 15 ids from its index, then their rows: selecting the rows with
        # their dong, household and assignee first sorted every open lead of a gu (8,937 at
        # 1,000,000 residents: 49 ms -> 3 ms).
        "leads": leads_in_order(user=user, ids=list(lead_queue_ids(user=user, status="open")[:15])),
        "visits_today": todays,
        "overdue_followups": overdue_followups,
        # Counted on the cases themselves (`cases_list` annotates each case's next follow-up,
        # a LEFT JOIN of follow-ups with GROUP BY, which a count does not need), each open
        # case's dong probed rather than joined (`open_case_count`).
        "open_cases": open_case_count(user=user),
        "overdue_followups_count": follow_ups_overdue(user=user).count(),
        "app_cards": app_cards(request),
    }


def app_cards(request: HttpRequest) -> list[dict]:
    """Cards other apps add to the dashboard: an app with a `dashboard` module whose
    `cards(*, user) -> list[dict]` returns {"template": ..., **context} for each card it shows
    this user (an empty list when it has nothing to say)."""
    cards: list[dict] = []
    for module in card_modules():
        cards.extend(module.cards(user=request.user))
    return cards


@functools.cache
def card_modules() -> tuple:
    """The installed apps' `dashboard` modules, found once per process: the apps are fixed
    once Django has started, and looking again on every page meant a failed import for each
    app without one."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("maeul.") or config.name == "maeul.hub":
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.dashboard"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.dashboard":
                raise
    return tuple(found)
