"""Every free-text field takes script payloads: stored as typed, rendered escaped (issue 4).

The text fields are found from the models, not listed by hand, so a new field is covered
the day it is added."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.db import models

from maeul.accounts.models import SafetyNetMember
from maeul.cases.models import Assessment, Case, Conference, Goal, Linkage
from maeul.cases.services import conference_record, goal_add
from maeul.discovery.models import Lead
from maeul.people.models import Consent, Household, Resident
from maeul.resources.models import PartnerInstitution, Resource
from maeul.visits.models import Visit
from tests.scenario import build_scope

pytestmark = pytest.mark.django_db

PAYLOAD = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
DANGEROUS = ("<script>alert", "<img src=x")
DERIVED = ("_key", "_index", "_encrypted", "digest", "password", "username", "code", "path")


def free_text_fields(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not f.name.endswith(DERIVED)
        and f.name not in {"kind", "status", "level", "role", "relation", "programme"}
    ]


def fill(instance) -> list[tuple[str, str]]:
    """Put the payload in every free-text field; returns what was written."""
    written = []
    for field in free_text_fields(type(instance)):
        value = PAYLOAD[: field.max_length] if field.max_length else PAYLOAD
        setattr(instance, field.attname, value)
        written.append((field.name, value))
    instance.save()
    return written


@pytest.fixture
def hostile(official, volunteer, partner_org, dong_a):
    ids = build_scope(dong_a, official, volunteer=volunteer, partner=partner_org)
    case = Case.objects.get(pk=ids["case"])
    conference_record(
        actor=official,
        case=case,
        held_on=dt.date(2026, 11, 20),
        participants="팀",
        notes="n",
        decisions="d",
        level="dong",
    )
    goal_add(actor=official, case=case, domain="income", description="소득 안정")
    resource = Resource.objects.create(
        dong=dong_a,
        name="쌀 나눔",
        kind="goods",
        amount=100_000,
        discovered_on=dt.date(2026, 11, 1),
    )
    member = SafetyNetMember.objects.create(
        user=volunteer, name="봉사자", dong=dong_a, team="care", joined_on=dt.date(2025, 1, 1)
    )
    from maeul.benefits.models import LocalRuleSetting
    from maeul.benefits.rules.reforms import local_parameters

    setting = LocalRuleSetting.objects.create(
        gu=dong_a.parent,
        parameter=local_parameters()[0]["path"],
        value="0.6",
        valid_from=dt.date(2026, 1, 1),
        note=PAYLOAD,
    )
    stored = {LocalRuleSetting: (setting.pk, [("note", PAYLOAD)])}
    for model, pk in [
        (Household, ids["household"]),
        (Resident, ids["resident"]),
        (Lead, ids["lead"]),
        (Visit, ids["visit"]),
        (Assessment, ids["assessment"]),
        (Linkage, ids["linkage"]),
        (Conference, case.conferences.get().pk),
        (Goal, case.goals.get().pk),
        (Consent, Consent.objects.filter(household_id=ids["household"]).first().pk),
        (Resource, resource.pk),
        (PartnerInstitution, partner_org.pk),
        (SafetyNetMember, member.pk),
    ]:
        stored[model] = (pk, fill(model.objects.get(pk=pk)))
    return ids, stored


def test_payloads_are_stored_exactly_as_typed(hostile):
    _ids, stored = hostile
    for model, (pk, written) in stored.items():
        fresh = model.objects.get(pk=pk)
        for name, value in written:
            assert getattr(fresh, name) == value, (model.__name__, name)


def test_every_page_showing_the_records_escapes_them(
    client, hostile, official, gu_user, volunteer, partner_user, api_token
):
    ids, _stored = hostile
    pages = {
        official: [
            "/",
            "/leads/",
            f"/leads/{ids['lead']}/",
            f"/households/{ids['household']}/",
            "/households/",
            f"/cases/{ids['case']}/",
            "/cases/",
            "/visits/?day=2026-11-23",
            f"/visits/{ids['visit']}/record/",
        ],
        gu_user: ["/benefits/local-rules/"],
        volunteer: [f"/households/{ids['household']}/", "/households/"],
        partner_user: ["/cases/referrals/", f"/households/{ids['household']}/"],
    }
    checked = 0
    for user, paths in pages.items():
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            html = response.content.decode()
            assert response.status_code == 200, (user.username, path, response.status_code)
            for needle in DANGEROUS:
                assert needle not in html, (user.username, path, needle)
            checked += "&lt;script&gt;alert" in html or "&lt;img src=x" in html
    assert checked >= 8  # the payload really was on the pages, escaped


def test_api_returns_payloads_as_json_strings_not_markup(client, hostile, official, api_token):
    ids, _stored = hostile
    response = client.get(f"/api/leads/{ids['lead']}", **api_token(official))
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["description"] == PAYLOAD


def test_every_model_with_free_text_is_exercised():
    """A new model with free text must be added to the fixture above (or to this list with a
    reason)."""
    from maeul.benefits.models import LocalRuleSetting

    covered = {
        LocalRuleSetting,
        Household,
        Resident,
        Lead,
        Visit,
        Assessment,
        Linkage,
        Conference,
        Goal,
        Consent,
        Resource,
        PartnerInstitution,
        SafetyNetMember,
    }
    not_user_text = {
        "AuditRecord",  # written by the application
        "TimelineEvent",  # summaries are built from the records above and escaped the same way
        "ApiToken",  # a digest
        "User",  # names typed by administrators in Django's admin, escaped by it
        "Area",
        "Hub",  # reference data from the Ministry of the Interior's codes
        "LeadUpload",  # the file name: shown escaped on the upload page (tested there)
        "SweepRun",  # written by the application
    }
    missing = []
    for config in apps.get_app_configs():
        if not config.name.startswith("maeul."):
            continue
        for model in config.get_models():
            if f"{config.label}.{model.__name__}" in ESCAPED_BY_TEMPLATES_ONLY:
                continue
            if model in covered or model.__name__ in not_user_text:
                continue
            if free_text_fields(model):
                missing.append(model.__name__)
    assert not missing, f"models with free text not covered by the escaping test: {missing}"


#: Models whose free text is shown only through Django's auto-escaping templates and the chart
#: builders tested below: no `|safe` or `mark_safe` touches it (the scan below fails the day
#: one does). tests/test_escaping_world.py fills the text their apps' access-matrix builders
#: write with markup and fetches every page each role opens.
ESCAPED_BY_TEMPLATES_ONLY = {
    "discovery.OutboxMessage",
    "cases.SignOff",
    "resources.Agreement",
    "resources.Location",
    "resources.Service",
    "resources.RequiredDocument",
    "campaigns.Instrument",
    "campaigns.Campaign",
    "campaigns.Target",
    "screening.SignalEvent",
    "screening.ScreeningRun",
    "routing.Stop",
    "funds.Fund",
    "funds.Donation",
    "funds.LedgerEntry",
    "funds.Sponsorship",
    "councils.Council",
    "councils.Member",
    "councils.WorkingGroup",
    "councils.Meeting",
    "councils.Decision",
    "councils.Project",
    "councils.Education",
    "councils.AnnualPlan",
    "councils.PlanPart",
    "councils.SurveyRound",
    "councils.SurveyInvite",
    "councils.SurveyAnswer",
    "councils.CaseReview",
    "councils.Zone",
    "councils.ZonePlanYear",
    "evaluation.ReportRun",
    "evaluation.CaseloadStandard",
    "evaluation.StaffPosting",
    "resources.RosterShift",
    "routing.RegularVisit",
    "councils.BudgetLine",
}

#: The only places allowed to mark markup as safe: server-side SVG charts, whose every text is
#: escaped when the SVG is built (tested below with a hostile label).
SAFE_MARKUP_ALLOWED = {
    "maeul/campaigns/charts.py",
    "maeul/evaluation/charts.py",
    "maeul/councils/templates/councils/survey_detail.html",
    "maeul/councils/templates/councils/survey_pdf.html",
}


def test_nothing_but_the_chart_builders_marks_markup_as_safe():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    found = set()
    for path in [*root.glob("maeul/**/*.py"), *root.glob("maeul/**/*.html")]:
        if "/tests/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        if "mark_safe(" in text or "|safe" in text or "autoescape off" in text:
            found.add(str(path.relative_to(root)))
    assert found <= SAFE_MARKUP_ALLOWED, sorted(found - SAFE_MARKUP_ALLOWED)


def test_charts_escape_their_labels():
    from maeul.campaigns.charts import hbars
    from maeul.councils.report import _bar_chart
    from maeul.evaluation.charts import Line, Mark, line_chart

    svgs = [
        hbars([(PAYLOAD, 3, 10)], title=PAYLOAD),
        line_chart(
            title=PAYLOAD,
            labels=[PAYLOAD, "2026-01"],
            lines=[Line(name=PAYLOAD, values=[1.0, 2.0])],
            marks=[Mark(position=1, label=PAYLOAD)],
        ),
        _bar_chart([(PAYLOAD, 5.0, 4.0, 6.0)], lo=1, hi=7),
    ]
    for svg in svgs:
        assert "<script" not in str(svg) and "&lt;script" in str(svg)
