"""Batch matching after an outreach campaign: the needs of the campaign's households found
in need (read through `maeul.campaigns.selectors`, scoped to the user) are assigned to the
directory's services under capacity (`matching.assign`); the resource-support team looks at
the assignment, accepts what it agrees with — each accepted assignment becomes a referral to
the service's organisation through `cases.services.linkage_propose` — and goes looking for
what the unmet list shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import cast

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from maeul.accounts.models import User
from maeul.accounts.permissions import require_hub_staff
from maeul.campaigns.models import Campaign, Target
from maeul.campaigns.selectors import campaign_targets
from maeul.campaigns.services import target_linkage_attach
from maeul.cases.models import Assessment, Linkage
from maeul.cases.selectors import assessments_visible_to, linkages_visible_to
from maeul.cases.services import linkage_propose
from maeul.errors import DomainError, NotFound
from maeul.funds import matching
from maeul.funds.matching import NEED_LEVEL, Need, Offer
from maeul.people.models import Domain, Household
from maeul.resources.models import Service
from maeul.resources.selectors import services_in_reach


@dataclass
class Row:
    """One need of a household in need, with the service it was assigned (or none)."""

    household: Household
    domain: str
    level: int
    source: str  # "assessment" or "visit"
    service: Service | None = None
    km: float | None = None

    @property
    def key(self) -> str:
        return f"{self.household.pk}:{self.domain}"

    @property
    def domain_label(self) -> str:
        return str(Domain(self.domain).label)


@dataclass
class Batch:
    campaign: Campaign
    rows: list[Row] = field(default_factory=list)

    @property
    def assigned(self) -> list[Row]:
        return [r for r in self.rows if r.service is not None]

    @property
    def unmet(self) -> list[Row]:
        return [r for r in self.rows if r.service is None]

    @property
    def households(self) -> int:
        return len({r.household.pk for r in self.rows})

    def unmet_by_domain(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for row in self.unmet:
            counts[row.domain] = counts.get(row.domain, 0) + 1
        return sorted(
            ((str(Domain(d).label), n) for d, n in counts.items()), key=lambda x: (-x[1], x[0])
        )


def _in_need_targets(user: User, campaign: Campaign):
    return (
        campaign_targets(user=user, campaign=campaign)
        .filter(outcome__in=Target.IN_NEED)
        .select_related("household", "household__dong", "visit")
        .prefetch_related("household__members")
        .order_by("household_id")
    )


def campaign_needs(*, user: User, campaign: Campaign, today: dt.date) -> list[tuple[Need, Row]]:
    """The needs (level 2 and above) of the campaign's households found in need (linked ones
    included: a link for one need leaves the others to match), less those
    already linked (a referral open or served in that domain): from each household's latest
    assessment the user may see, else from what the campaign's visit observed (level 2)."""
    targets = list(_in_need_targets(user, campaign))
    latest: dict[int, Assessment] = {}
    for a in (
        assessments_visible_to(user)
        .filter(household_id__in=[t.household_id for t in targets])
        .order_by("household_id", "-assessed_at", "-id")
    ):
        latest.setdefault(a.household_id, a)
    # A need already linked (a referral open or served for that domain) is not matched again;
    # a household linked for one need (its target "linked") keeps its other needs here.
    linked = set(
        linkages_visible_to(user)
        .filter(
            household_id__in=[t.household_id for t in targets],
            status__in=(*Linkage.OPEN_STATUSES, Linkage.Status.PROVIDED),
        )
        .exclude(domain="")
        .values_list("household_id", "domain")
    )
    found: list[tuple[Need, Row]] = []
    for target in targets:
        household = target.household
        head = household.head
        age = matching.age_on(head.birth_date, today) if head is not None else None
        assessment = latest.get(household.pk)
        if assessment is not None:
            levels = {d: int(v) for d, v in assessment.needs.items() if d in Domain.values}
            source = "assessment"
        else:
            observed = target.visit.observed_needs if target.visit is not None else []
            levels = {d: NEED_LEVEL for d in observed if d in Domain.values}
            source = "visit"
        for domain, level in sorted(levels.items(), key=lambda kv: (-kv[1], kv[0])):
            if level < NEED_LEVEL or (household.pk, domain) in linked:
                continue
            need = Need(
                key=(household.pk, domain),
                domain=domain,
                level=level,
                age=age,
                lat=household.lat,
                lon=household.lon,
            )
            found.append(
                (need, Row(household=household, domain=domain, level=level, source=source))
            )
    return found


def campaign_batch(*, user: User, campaign: Campaign, today: dt.date) -> Batch:
    """The assignment under capacity of the campaign's needs to the services in the user's
    reach (active ones, less the places this month's referrals took), and the needs no
    service could meet."""
    require_hub_staff(user)
    pairs = campaign_needs(user=user, campaign=campaign, today=today)
    services = {
        s.pk: s
        for s in services_in_reach(user)
        .filter(status=Service.Status.ACTIVE)
        .select_related("organization", "area")
        .prefetch_related("locations")
    }
    offers: list[Offer] = [matching.offer_of(s) for s in services.values()]
    # Places are per month: those taken by this month's referrals (open or served) are gone.
    taken: dict[object, int] = dict(
        Linkage.objects.filter(
            service_id__in=list(services),
            proposed_at__date__gte=today.replace(day=1),
            status__in=(*Linkage.OPEN_STATUSES, Linkage.Status.PROVIDED),
        )
        .values("service_id")
        .annotate(n=Count("id"))
        .values_list("service_id", "n")
    )
    for offer in offers:
        if offer.places is not None:
            offer.places = max(0, offer.places - taken.get(offer.key, 0))
    by_key = {o.key: o for o in offers}
    result = matching.assign([need for need, _row in pairs], offers)
    batch = Batch(campaign=campaign)
    for need, row in pairs:
        service_id = result.assigned.get(need.key)
        if service_id is not None:
            row.service = services[cast(int, service_id)]  # offers are keyed by service id
            offer = by_key[service_id]
            row.km = round(matching.km(need.lat, need.lon, offer.lat, offer.lon), 1)
        batch.rows.append(row)
    return batch


@dataclass
class Accepted:
    linkages: list[Linkage] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (row key, why)


def _parse_choice(choice: str) -> tuple[int, str, int]:
    try:
        household, domain, service = choice.split(":")
        return int(household), domain, int(service)
    except ValueError as exc:
        raise DomainError("invalid_choice", _("Unknown assignment.")) from exc


@transaction.atomic
def campaign_assignments_accept(
    *, actor: User, campaign: Campaign, choices: list[str], today: dt.date
) -> Accepted:
    """Turn accepted assignments (``household:domain:service``) into referrals to the
    services' organisations, each recorded on the campaign's target, which moves from "in
    need" to "linked" (`campaigns.services.target_linkage_attach`). Each must be a need of one of the campaign's households in need
    and a service in the actor's reach that meets it; one the household cannot be referred
    for (no consent to referrals, already referred to the service) is refused with the
    reason and the others go ahead. A choice outside the campaign or the actor's reach is
    refused as not found, and then nothing is written."""
    require_hub_staff(actor)
    if not choices:
        raise DomainError("nothing_chosen", _("Choose the assignments to accept."))
    needs = {
        row.key: row for _need, row in campaign_needs(user=actor, campaign=campaign, today=today)
    }
    parsed = []
    for choice in dict.fromkeys(choices):
        household_id, domain, service_id = _parse_choice(choice)
        row = needs.get(f"{household_id}:{domain}")
        service = (
            services_in_reach(actor)
            .filter(pk=service_id, status=Service.Status.ACTIVE)
            .select_related("organization")
            .first()
        )
        if row is None or service is None:
            raise NotFound(_("Unknown assignment."))
        if domain not in service.domains:
            raise DomainError(
                "invalid_choice", _("The service does not meet that need."), field="choices"
            )
        parsed.append((row, service))
    latest: dict[int, Assessment] = {}
    for a in (
        assessments_visible_to(actor)
        .filter(household_id__in={row.household.pk for row, _s in parsed})
        .order_by("household_id", "-assessed_at", "-id")
    ):
        latest.setdefault(a.household_id, a)
    targets = {
        t.household_id: t
        for t in campaign_targets(user=actor, campaign=campaign).filter(
            household_id__in={row.household.pk for row, _s in parsed}
        )
    }
    done = Accepted()
    for row, service in parsed:
        if (
            linkages_visible_to(actor)
            .filter(household=row.household, service=service, status__in=Linkage.OPEN_STATUSES)
            .exists()
        ):
            done.refused.append((row.key, str(_("Already referred to this service."))))
            continue
        try:
            with transaction.atomic():
                linkage = linkage_propose(
                    actor=actor,
                    household=row.household,
                    kind=Linkage.Kind.PARTNER_REFERRAL,
                    partner=service.organization,
                    service=service,
                    domain=row.domain,
                    assessment=latest.get(row.household.pk),
                    description=f"{campaign.name} · {service.name}"[:300],
                )
                # The campaign's funnel moves on: the household found in need is linked (a
                # target linked for an earlier need keeps that link).
                target = targets.get(row.household.pk)
                if target is not None and target.outcome == Target.Outcome.IN_NEED:
                    target_linkage_attach(actor=actor, target=target, linkage=linkage)
                    target.outcome = Target.Outcome.LINKED
        except DomainError as exc:  # no consent to referrals, a partner out of reach, ...
            done.refused.append((row.key, str(exc.message)))
        else:
            done.linkages.append(linkage)
    return done
