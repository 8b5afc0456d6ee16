"""A household's timeline worked out in Python (`timeline_rows`) renders exactly what the
template rendered with `|date`, `get_kind_display` and `|intcomma` per entry: with and without
amount, actor and summary, near midnight in Korea, both languages, an empty timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.utils import translation

from maeul.people.models import TimelineEvent
from maeul.people.selectors import household_timeline
from maeul.people.services import event_record

pytestmark = pytest.mark.django_db

REFERENCE = """{% load i18n humanize %}<ol class="timeline">
      {% for e in timeline %}<li data-kind="{{ e.kind }}"><time datetime="{{ e.occurred_at|date:'c' }}">{{ e.occurred_at|date:"Y-m-d H:i" }}</time><b>{{ e.get_kind_display }}</b>{% if e.summary %} — {{ e.summary }}{% endif %}{% if e.amount %} · ₩{{ e.amount|intcomma }}{% endif %}{% if e.actor %} <span class="muted">({{ e.actor.label }})</span>{% endif %}</li>
      {% empty %}<li class="muted">{% translate "Nothing recorded yet." %}</li>{% endfor %}
    </ol>"""

OURS = """{% load i18n timeline %}<ol class="timeline">
      {% for e in timeline|timeline_rows %}<li data-kind="{{ e.kind }}"><time datetime="{{ e.iso }}">{{ e.when }}</time><b>{{ e.label }}</b>{% if e.summary %} — {{ e.summary }}{% endif %}{% if e.amount %} · ₩{{ e.amount }}{% endif %}{% if e.has_actor %} <span class="muted">({{ e.actor }})</span>{% endif %}</li>
      {% empty %}<li class="muted">{% translate "Nothing recorded yet." %}</li>{% endfor %}
    </ol>"""


def _same(timeline) -> None:
    for language in ("ko", "en"):
        with translation.override(language):
            context = {"timeline": timeline}
            ours = engines["django"].from_string(OURS).render(context)
            assert ours == engines["django"].from_string(REFERENCE).render(context)


def test_entries_render_as_the_reference(official, household_a):
    utc = dt.UTC
    kinds = [k for k, _label in TimelineEvent.Kind.choices][:3]
    event_record(
        kind=kinds[0],
        dong_id=household_a.dong_id,
        household=household_a,
        actor=official,
        amount=1_234_567,
        summary="<b>생계</b> 지원",
        occurred_at=dt.datetime(2026, 3, 1, 14, 59, 30, 123456, tzinfo=utc),  # 23:59 in Seoul
    )
    event_record(
        kind=kinds[1],
        dong_id=household_a.dong_id,
        household=household_a,
        occurred_at=dt.datetime(2026, 3, 1, 15, 0, tzinfo=utc),
    )
    event_record(
        kind=kinds[2],
        dong_id=household_a.dong_id,
        household=household_a,
        actor=official,
        amount=0,
        occurred_at=dt.datetime(2026, 3, 2, 1, 5, tzinfo=utc),
    )
    timeline = list(household_timeline(user=official, household=household_a))
    assert len(timeline) >= 3
    _same(timeline)


def test_unknown_kind_and_empty_timeline(official, household_a):
    event = event_record(
        kind="household_registered", dong_id=household_a.dong_id, household=household_a
    )
    event.kind = "retired_kind"
    _same([event])
    _same([])
