"""`{% for e in timeline|timeline_rows %}`: a household's timeline with what each entry shows
worked out once in Python (the kind's label, the time in the two formats, the amount, the
actor's name). The same through the template's filters cost ~0.15 ms an entry, a household of
thirty events ~4 ms of its page; the output is the same (tests/test_timeline_rows.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone
from django.utils.encoding import force_str

from maeul.people.models import TimelineEvent

register = template.Library()

_KINDS: dict | None = None


@register.filter
def timeline_rows(events: Iterable[TimelineEvent]) -> list[dict]:
    global _KINDS
    if _KINDS is None:
        _KINDS = dict(TimelineEvent._meta.get_field("kind").flatchoices)
    labels: dict[str, object] = {}
    rows = []
    for event in events:
        if event.kind not in labels:
            labels[event.kind] = force_str(_KINDS.get(event.kind, event.kind), strings_only=True)
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
                "label": labels[event.kind],
                "summary": event.summary,
                "amount": intcomma(event.amount) if event.amount else "",
                "has_actor": actor is not None,
                "actor": actor.label if actor is not None else "",
            }
        )
    return rows
