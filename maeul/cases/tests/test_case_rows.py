"""The case list's rows worked out in Python (`case_rows`) render exactly what the template
rendered with `get_FOO_display`, `{% url %}` and `|date` per cell: overdue follow-up and not,
a household without members, closed, both languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import timezone, translation

from maeul.cases.models import Case, FollowUp
from maeul.cases.selectors import cases_in_order
from maeul.cases.tests.test_views import open_case
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db

#: The rows as they were written before `case_rows` (the reference).
REFERENCE = """{% load i18n %}<table><tbody>{% for case in cases %}<tr{% if case.status == "open" and case.next_due and case.next_due < today %} class="overdue"{% endif %}>
    <td><a href="{% url 'cases:case_detail' case.pk %}">{{ case.household.head.name|default:"—" }}</a><div class="help">{{ case.household }}</div></td>
    <td>{{ case.household.dong.display_name }}</td>
    <td><span class="badge {% if case.kind == 'intensive' %}high{% else %}normal{% endif %}">{{ case.get_kind_display }}</span></td>
    <td>{{ case.manager.label }}</td>
    <td>{{ case.opened_at|date:"Y-m-d" }}</td>
    <td>{{ case.next_due|date:"Y-m-d"|default:"—" }}{% if case.status == "open" and case.next_due and case.next_due < today %} <span class="badge bad">{% translate "overdue" %}</span>{% endif %}</td>
    <td><span class="badge {{ case.status }}">{{ case.get_status_display }}</span></td>
  </tr>{% empty %}<tr><td colspan="7" class="muted">{% translate "No cases." %}</td></tr>{% endfor %}</tbody>"""


def _rows(html: str) -> str:
    start = html.index("<tbody>") + len("<tbody>")
    return html[start : html.index("</tbody>", start)].strip()


@pytest.fixture
def cases(official, household_a, dong_a):
    overdue = open_case(official, household_a)
    FollowUp.objects.filter(case=overdue).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    empty_household = HouseholdFactory(dong=dong_a)
    empty_household.members.all().delete()
    intensive = open_case(official, empty_household)
    Case.objects.filter(pk=intensive.pk).update(kind=Case.Kind.INTENSIVE)
    closed = open_case(official, HouseholdFactory(dong=dong_a, head="박철수"))
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    return cases_in_order(user=official, ids=ids)


@pytest.mark.parametrize("language", ["ko", "en"])
def test_rows_render_as_the_reference(cases, language):
    today = timezone.localdate()
    assert len(cases) == 3
    assert any(c.status == "open" and c.next_due and c.next_due < today for c in cases)
    context = {"cases": cases, "today": today}
    with translation.override(language):
        ours = _rows(render_to_string("cases/case_list.html", context))
        reference = _rows(engines["django"].from_string(REFERENCE).render(context))
    assert ours == reference


def test_empty_list_as_the_reference(db):
    context = {"cases": [], "today": timezone.localdate()}
    ours = _rows(render_to_string("cases/case_list.html", context))
    assert ours == _rows(engines["django"].from_string(REFERENCE).render(context))
