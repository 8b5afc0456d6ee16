"""`{% for e in timeline|timeline_rows %}`: a household's timeline with what each entry shows
worked out once in Python (the kind's label, the time in the two formats, the amount, the
actor's name). The same through the template's filters cost ~0.15 ms an entry, a household of
thirty events ~4 ms of its page; the output is the same (tests/test_timeline_rows.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone

from maeul.choices import labeller
from maeul.people.models import TimelineEvent

register = template.Library()


@register.filter
def timeline_rows(events: Iterable[TimelineEvent]) -> list[dict]:
    label = labeller(TimelineEvent)
    rows = []
    for event in events:
        at = event.occurred_at
        if at is not None and timezone.is_aware(at):
            at = timezone.localtime(at)
        actor = event.actor if event.actor_id else None
        rows.append(
            {
                "kind": event.kind,
                "iso": at.isoformat() if at is not None else "",
                "when": (
                    f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at.hour:02d}:{at.minute:02d}"
                    if at is not None
                    else ""
                ),
                "label": label("kind", event.kind),
                "summary": event.summary,
                "amount": intcomma(event.amount) if event.amount else "",
                "has_actor": actor is not None,
                "actor": actor.label if actor is not None else "",
            }
        )
    return rows
