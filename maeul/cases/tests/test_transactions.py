"""A service that fails part-way leaves nothing half-written (one transaction per service)."""

from unittest import mock

import pytest

from maeul.cases.models import Assessment, Case, FollowUp, Linkage
from maeul.cases.services import assessment_record, case_open, linkage_propose
from maeul.people.models import Consent, TimelineEvent
from maeul.visits.models import Visit
from maeul.visits.services import visit_plan

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def fail_on(kind):
    from maeul.people import services as people_services

    real = people_services.event_record

    def event_record(**kwargs):
        if kwargs["kind"] == kind:
            raise Boom()
        return real(**kwargs)

    return event_record


def test_assessment_failing_at_blind_spot_leaves_no_consent_or_assessment(official, household_a):
    with mock.patch(
        "maeul.cases.services.assessments.event_record", fail_on("blind_spot_discovered")
    ):
        with pytest.raises(Boom):
            assessment_record(
                actor=official,
                household=household_a,
                needs={"income": 3},
                overall_risk="high",
                decision="case_general",
                consent_given=True,
            )
    assert not Assessment.objects.exists() and not Consent.objects.exists()
    assert not TimelineEvent.objects.exists()


def test_case_open_failing_at_event_leaves_no_case_or_follow_up(official, household_a):
    with mock.patch("maeul.cases.services.management.event_record", fail_on("case_opened")):
        with pytest.raises(Boom):
            case_open(actor=official, household=household_a, kind="general", manager=official)
    assert not Case.objects.exists() and not FollowUp.objects.exists()


def test_linkage_failing_at_event_leaves_nothing(official, household_a):
    with mock.patch("maeul.cases.services.linkages.event_record", fail_on("linkage_proposed")):
        with pytest.raises(Boom):
            linkage_propose(
                actor=official, household=household_a, kind="emergency_aid", description="x"
            )
    assert not Linkage.objects.exists()


def test_visit_plan_failing_at_event_leaves_no_visit(official, household_a):
    import datetime as dt

    with mock.patch("maeul.visits.services.event_record", fail_on("visit_planned")):
        with pytest.raises(Boom):
            visit_plan(actor=official, household=household_a, planned_on=dt.date(2026, 11, 23))
    assert not Visit.objects.exists()
