"""Needs assessments: the household's needs per domain, overall risk, consent (recorded
through people.services.consent_record) and the decision; the blind spot discovered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.cases.models import (
    Assessment,
    Domain,
    Linkage,
)
from maeul.discovery.services import leads_assessed
from maeul.errors import DomainError
from maeul.people.models import Consent, Household, TimelineEvent
from maeul.people.selectors import household_require_visible
from maeul.people.services import consent_record, event_record

CASE_DECISIONS = frozenset({Assessment.Decision.CASE_GENERAL, Assessment.Decision.CASE_INTENSIVE})


def _clean_needs(needs: Mapping[str, object]) -> dict[str, int]:
    unknown = [key for key in needs if key not in Domain.values]
    if unknown:
        raise DomainError(
            "invalid_domain",
            _("Unknown need domain: %(domain)s") % {"domain": ", ".join(map(str, unknown))},
            field="needs",
        )
    clean: dict[str, int] = {}
    for domain in Domain.values:
        value = needs.get(domain, 0)
        try:
            level = int(value)  # type: ignore[call-overload]  # any value; bad ones fail below
        except (TypeError, ValueError):
            level = -1
        if isinstance(value, bool) or level not in (0, 1, 2, 3) or str(value).strip() != str(level):
            raise DomainError(
                "invalid_need_level",
                _("The need level of %(domain)s must be 0, 1, 2 or 3.")
                % {"domain": Domain(domain).label},
                field=f"need_{domain}",
            )
        clean[domain] = level
    return clean


def _is_blind_spot(household: Household, *, today: dt.date) -> bool:
    """In need and receiving nothing (DOMAIN.md "blind spot discovered"): no benefit running
    today, no service provided, and never counted before."""
    if household.benefits.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=today), started_on__lte=today
    ).exists():
        return False
    if Linkage.objects.filter(household=household, status=Linkage.Status.PROVIDED).exists():
        return False
    return not TimelineEvent.objects.filter(
        household=household, kind=TimelineEvent.Kind.BLIND_SPOT_DISCOVERED
    ).exists()


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    household: Household,
    needs: Mapping[str, object],
    overall_risk: str,
    decision: str,
    consent_given: bool,
    consent_scopes: Iterable[str] = (),
    consent_date: dt.date | None = None,
    visit=None,
    summary: str = "",
) -> Assessment:
    """Record a needs assessment. Case management needs the household's consent to the use of
    its personal information (PIPA art. 15); the consent is recorded with its scopes. A
    household in need that received nothing before is a blind spot discovered (counted once)."""
    require_hub_staff(actor)
    household_require_visible(user=actor, household=household)
    clean_needs = _clean_needs(needs)
    if overall_risk not in Assessment.Risk.values:
        raise DomainError("invalid_risk", _("Choose the overall risk."), field="overall_risk")
    if decision not in Assessment.Decision.values:
        raise DomainError("invalid_decision", _("Choose the decision."), field="decision")
    if decision in CASE_DECISIONS and not consent_given:
        raise DomainError(
            "consent_required",
            _("Case management needs the household's consent to the use of personal information."),
            field="consent_given",
        )
    scopes = list(dict.fromkeys(consent_scopes)) or [Consent.Scope.HUB]
    if any(s not in Consent.Scope.values for s in scopes):
        raise DomainError("invalid_scope", _("Unknown consent scope."), field="consent_scopes")
    today = timezone.localdate()
    if consent_given and consent_date is not None and consent_date > today:
        raise DomainError(
            "invalid_consent_date",
            _("The consent date cannot be in the future."),
            field="consent_date",
        )
    if visit is not None and visit.household_id != household.pk:
        raise DomainError("invalid_visit", _("The visit is of another household."), field="visit")

    blind_spot = decision != Assessment.Decision.NO_NEED and _is_blind_spot(household, today=today)
    consent = None
    if consent_given:
        consent = consent_record(
            actor=actor,
            household=household,
            purpose=str(_("needs assessment and welfare services of the hub")),
            scopes=scopes,
            given_on=consent_date or today,
        )
    assessment = Assessment.objects.create(
        household=household,
        visit=visit,
        assessed_by=actor,
        assessed_at=timezone.now(),
        needs=clean_needs,
        overall_risk=overall_risk,
        consent=consent,
        decision=decision,
        summary=summary.strip(),
    )
    event_record(
        kind=TimelineEvent.Kind.ASSESSMENT_RECORDED,
        dong_id=household.dong_id,
        household=household,
        actor=actor,
        subject=assessment,
        summary=f"{assessment.get_overall_risk_display()} · {assessment.get_decision_display()}",
    )
    if blind_spot:
        event_record(
            kind=TimelineEvent.Kind.BLIND_SPOT_DISCOVERED,
            dong_id=household.dong_id,
            household=household,
            actor=actor,
            subject=assessment,
            summary=str(assessment.get_decision_display()),
        )
    leads_assessed(household_id=household.pk)
    return assessment
