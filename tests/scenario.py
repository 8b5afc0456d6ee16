"""A realistic slice of hub work in one dong, made through the services, for tests that need
every kind of record at once (the access matrix, the escaping test)."""

from __future__ import annotations

import datetime as dt

from maeul.benefits.models import SupportObligor
from maeul.cases.services import assessment_record, case_open, linkage_propose
from maeul.discovery.services import lead_register
from maeul.visits.services import visit_plan


def build_scope(dong, actor, volunteer=None, partner=None, marker=""):
    """A lead → visit → assessment → case → referral chain in a dong, as the services make it."""
    lead = lead_register(
        actor=volunteer or actor,
        source="volunteer" if volunteer else "staff",
        dong=dong,
        address=f"{marker}부산광역시 수영구 시험로 {dong.pk}",
        subject_name=f"{marker}김하나",
        description=f"{marker}혼자 지내심",
    )
    household = lead.household
    visit, _ = visit_plan(
        actor=actor, household=household, planned_on=dt.date(2026, 11, 23), lead=lead
    )
    assessment = assessment_record(
        actor=actor,
        household=household,
        needs={"income": 3},
        overall_risk="high",
        decision="case_general",
        consent_given=True,
        consent_scopes=["hub", "referral"],
        consent_date=dt.date(2026, 11, 23),
        summary=f"{marker}요약",
    )
    case = case_open(
        actor=actor, household=household, kind="general", manager=actor, assessment=assessment
    )
    linkage = linkage_propose(
        actor=actor,
        household=household,
        kind="partner_referral",
        partner=partner,
        description=f"{marker}의뢰",
        case=case,
    )
    obligor = SupportObligor.objects.create(
        household=household, relation="child", recorded_on=dt.date(2026, 11, 1)
    )
    if volunteer is not None:
        household.care_volunteers.add(volunteer)
    return {
        "household": household.pk,
        "lead": lead.pk,
        "visit": visit.pk,
        "assessment": assessment.pk,
        "case": case.pk,
        "linkage": linkage.pk,
        "obligor": obligor.pk,
        "resident": household.members.first().pk,
    }
