"""The lead queue's rows worked out in Python (`queue_rows`) render exactly what the template
rendered with `get_FOO_display`, `{% url %}`, `|date` and `|truncatechars` per cell: overdue
and not, known household and new, with and without assignee, a long address, both languages,
an empty queue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from maeul.discovery.models import Lead

pytestmark = pytest.mark.django_db

#: The queue as it was written before `queue_rows` (the reference).
REFERENCE = """{% load i18n %}<table><tbody>
  {% for lead in leads %}
    <tr class="{% if lead.is_overdue %}overdue{% endif %}" id="lead-{{ lead.pk }}">
      <td><span class="badge {{ lead.urgency }}">{{ lead.get_urgency_display }}</span></td>
      <td><a href="{% url 'discovery:lead_detail' lead.pk %}">{{ lead.subject_name|default:"—" }}</a>{% if lead.match != "new" %} <span class="badge info" title="{{ lead.get_match_display }}">{% translate "known" %}</span>{% endif %}</td>
      <td>{{ lead.address|truncatechars:40 }}</td>
      <td class="hide-sm">{{ lead.dong.display_name }}</td>
      <td class="hide-sm">{{ lead.get_source_display }}</td>
      <td>{{ lead.get_status_display }}</td>
      <td class="hide-sm">{{ lead.assignee.label|default:"—" }}</td>
      <td><time datetime="{{ lead.due_at|date:'c' }}">{{ lead.due_at|date:"m-d H:i" }}</time>{% if lead.is_overdue %} <span class="badge bad">{% translate "overdue" %}</span>{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8" class="muted">{% translate "No lead to work on." %}</td></tr>
  {% endfor %}
  </tbody>"""


def _rows(html: str) -> str:
    start = html.index("<tbody>") + len("<tbody>")
    return html[start : html.index("</tbody>", start)].strip()


@pytest.fixture
def leads(make_lead, official, household_a):
    overdue = make_lead(urgency=Lead.Urgency.EMERGENCY, subject_name="김영희", assignee=official)
    Lead.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(hours=3))
    make_lead(
        address="부산광역시 수영구 망미번영로 12번길 34-5, 행복빌라 2동 301호 (망미동) 뒤편",
        subject_name="이름없음",
        source="resident",
    )
    make_lead(address=household_a.address, subject_name="김영희", urgency=Lead.Urgency.HIGH)
    closed = make_lead(subject_name="박철수")
    Lead.objects.filter(pk=closed.pk).update(status=Lead.Status.CLOSED)
    nameless = make_lead(subject_name="최민수")
    Lead.objects.filter(pk=nameless.pk).update(subject_name="")
    return list(Lead.objects.select_related("dong", "household", "assignee").order_by("pk"))


@pytest.mark.parametrize("language", ["ko", "en"])
def test_rows_render_as_the_reference(leads, language):
    assert any(lead.is_overdue for lead in leads) and any(lead.match != "new" for lead in leads)
    assert any(len(lead.address) > 40 for lead in leads)
    with translation.override(language):
        ours = _rows(render_to_string("discovery/_lead_queue.html", {"leads": leads}))
        reference = _rows(engines["django"].from_string(REFERENCE).render({"leads": leads}))
    assert ours == reference


def test_empty_queue_as_the_reference(db):
    ours = _rows(render_to_string("discovery/_lead_queue.html", {"leads": []}))
    reference = _rows(engines["django"].from_string(REFERENCE).render({"leads": []}))
    assert ours == reference
