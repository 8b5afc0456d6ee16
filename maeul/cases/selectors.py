"""Reads of assessments, cases, follow-ups and linkages. Every query starts from a
`*_visible_to(user)` function built on `households_visible_to(user)`."""

from __future__ import annotations

from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.utils import timezone

from maeul.accounts.models import User
from maeul.cases.models import Assessment, Case, Conference, FollowUp, Goal, Linkage
from maeul.errors import NotFound
from maeul.pagination import MAX_PAGE_SIZE, in_order_of, page_bounds
from maeul.people.models import Household
from maeul.people.selectors import dong_ids_of, households_visible_q, referral_consented_q
from maeul.visits.selectors import household_visits


def assessments_visible_to(user: User) -> QuerySet[Assessment]:
    """Assessments are hub case work: hub staff of the household's area only."""
    if not user.is_authenticated or not user.is_hub_staff:
        return Assessment.objects.none()
    return Assessment.objects.filter(households_visible_q(user))


def cases_visible_to(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_hub_staff:
        return Case.objects.none()
    return Case.objects.filter(households_visible_q(user))


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(case__in=cases_visible_to(user))


def linkages_visible_to(user: User) -> QuerySet[Linkage]:
    """Hub staff: linkages of households they may see. A partner contact: the referrals made
    to their institution. Anyone else: none."""
    if not user.is_authenticated or not user.is_active:
        return Linkage.objects.none()
    if user.is_partner:
        return linkages_for_partner(user=user)
    if not user.is_hub_staff:
        return Linkage.objects.none()
    return Linkage.objects.filter(households_visible_q(user))


def linkages_for_partner(*, user: User) -> QuerySet[Linkage]:
    """Referrals made to the user's partner institution, while the household's consent to the
    referral stands (withdrawal takes effect at once: the referral leaves the list)."""
    if not user.is_partner or user.partner_id is None:
        return Linkage.objects.none()
    # The rows are referrals to the user's institution, so of `households_visible_to(user)`
    # only the consent remains to test (`referral_consented_q`; tested equal).
    return (
        Linkage.objects.filter(partner_id=user.partner_id, kind=Linkage.Kind.PARTNER_REFERRAL)
        .filter(referral_consented_q(via="household"))
        .select_related("household", "household__dong", "partner")
        .prefetch_related("household__members")
        .order_by("-proposed_at", "-id")
    )


def referrals_in_order(*, user: User, ids: list[int]) -> list[Linkage]:
    """The referrals of `ids` that the partner contact may see (`linkages_for_partner`), with
    their household, dong and members, in the order of `ids`. The portal's list pages the
    ids on the linkages alone (`.values_list("pk")` of `linkages_for_partner`) and loads
    only the page's rows: joining all of a partner's referrals to their households before
    keeping 50 was most of the page's time at 1,000,000 residents."""
    return in_order_of(linkages_for_partner(user=user), ids)


def _assessments_related(qs: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return qs.select_related("household", "household__dong", "assessed_by", "consent")


def _linkages_related(qs: QuerySet[Linkage]) -> QuerySet[Linkage]:
    return qs.select_related(
        "household", "household__dong", "partner", "resource", "proposed_by", "case"
    )


def _next_follow_up(qs: QuerySet[Case]) -> QuerySet[Case]:
    """Each case's next follow-up due date (`next_due`): the earliest not done. A subquery per
    case, not a MIN over a LEFT JOIN: the join's GROUP BY took every selected column of the
    case, household, dong and manager (a hash aggregate of the gu's whole list)."""
    return qs.annotate(
        next_due=Subquery(
            FollowUp.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
            .order_by("due_on")
            .values("due_on")[:1]
        )
    )


def _cases_related(qs: QuerySet[Case]) -> QuerySet[Case]:
    return _next_follow_up(qs).select_related(
        "household", "household__dong", "manager", "assessment"
    )


def assessment_list(*, user: User, household_id: int | None = None) -> QuerySet[Assessment]:
    qs = assessments_visible_to(user)
    if household_id:
        qs = qs.filter(household_id=household_id)
    return (
        _assessments_related(qs)
        .prefetch_related("household__members")
        .order_by("-assessed_at", "-id")
    )


def assessment_get(*, user: User, assessment_id: int) -> Assessment:
    assessment = _assessments_related(assessments_visible_to(user)).filter(pk=assessment_id).first()
    if assessment is None:
        raise NotFound()
    return assessment


def cases_list(*, user: User, status: str = Case.Status.OPEN, kind: str = "") -> QuerySet[Case]:
    """Cases with their next follow-up due date (`next_due`), soonest first."""
    qs = cases_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    # The assessment is not shown in lists (its id is on the case): no join to every
    # assessment of the registry.
    return (
        _next_follow_up(qs)
        .select_related("household", "household__dong", "manager")
        .prefetch_related("household__members")
        .order_by(F("next_due").asc(nulls_last=True), "-opened_at", "-id")
    )


def _cases_list_keys(*, user: User, status: str, kind: str) -> QuerySet:
    """The cases of `cases_list` in its order, as (pk, next_due) and nothing else, for paging:
    sorted on the cases alone (the household joined only for the scope), so that a page does
    not join every case of the gu to its household, dong and manager before keeping 50. The
    next follow-up is here the MIN over a LEFT JOIN of the follow-ups not done (the
    condition in the join), grouped by the case alone: one pass over the open follow-ups
    (`cases_followup_open_due`) instead of a probe per case, which for a gu's 13,768 open
    cases at 1,000,000 residents was 41,304 buffers, and a plan costly enough for PostgreSQL
    to JIT-compile it. The same value as `_next_follow_up`'s first due date not done."""
    qs = cases_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        qs.alias(
            open_follow_ups=FilteredRelation(
                "follow_ups", condition=Q(follow_ups__done_at__isnull=True)
            )
        )
        .values("pk")
        .annotate(next_due=Min("open_follow_ups__due_on"))
        .order_by(F("next_due").asc(nulls_last=True), "-opened_at", "-id")
    )


def cases_list_page(
    *,
    user: User,
    status: str = Case.Status.OPEN,
    kind: str = "",
    page: int = 1,
    page_size: int = 50,
    max_size: int = MAX_PAGE_SIZE,
) -> dict:
    """One page of `cases_list`'s ids as `maeul.pagination.paginate` gives it ({count, page,
    page_size, results: the page's case ids}), the total counted in the same query as the
    page (`COUNT(*) OVER ()`): the scope tests every open case's household once instead of
    twice (a gu's 13,768 at 1,000,000 residents, each a probe of its household's dong). A page
    past the end finds no row to carry the total, so only then is it counted apart."""
    page, page_size = page_bounds(page, page_size, max_size=max_size)
    start = (page - 1) * page_size
    cases = _cases_list_keys(user=user, status=status, kind=kind)
    rows = list(
        cases.annotate(total=Window(Count("pk"))).values_list("pk", "total")[
            start : start + page_size
        ]
    )
    return {
        "count": rows[0][1] if rows else cases.count(),
        "page": page,
        "page_size": page_size,
        "results": [pk for pk, _ in rows],
    }


def cases_in_order(*, user: User, ids: list[int]) -> list[Case]:
    """The cases of `ids` that the user may see, as `cases_list` gives them, in the order of
    `ids`."""
    return in_order_of(cases_list(user=user, status=""), ids)


def case_get(*, user: User, case_id: int) -> Case:
    """One case with its plan, follow-ups, conferences and linkages."""
    case = (
        _cases_related(cases_visible_to(user))
        .prefetch_related(
            "household__members",
            Prefetch("goals", queryset=Goal.objects.order_by("domain", "id")),
            Prefetch(
                "follow_ups",
                queryset=FollowUp.objects.select_related("visit").order_by("due_on", "id"),
            ),
            Prefetch(
                "conferences",
                queryset=Conference.objects.select_related("recorded_by").order_by(
                    "-held_on", "-id"
                ),
            ),
            Prefetch(
                "linkages",
                queryset=Linkage.objects.select_related("partner", "resource").order_by(
                    "-proposed_at"
                ),
            ),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def open_case_count(*, user: User) -> int:
    """How many open cases the user may see: `cases_visible_to(user)` counted.

    For hub staff the household's dong is read per open case (an index-only probe of the
    household's id with its dong), not joined: joined, PostgreSQL hashed every household of
    the user's dongs to count the few open cases (the gu team at 1,000,000 residents: 505,051
    households for 13,768 open cases, 100-135 ms against 45 ms probed; the planner cannot
    turn a scalar subquery into that join). The same rows as the join: a case's household
    has one dong."""
    if not (user.is_authenticated and user.is_active and user.is_hub_staff):
        return cases_visible_to(user).filter(status=Case.Status.OPEN).count()
    household_dong = Household.objects.filter(pk=OuterRef("household_id")).values("dong_id")
    return (
        Case.objects.filter(status=Case.Status.OPEN)
        .alias(household_dong=Subquery(household_dong[:1]))
        .filter(household_dong__in=dong_ids_of(user))
        .count()
    )


def follow_ups_overdue(*, user: User) -> QuerySet[FollowUp]:
    """Follow-ups of open cases due before today and not done."""
    return (
        follow_ups_visible_to(user)
        .filter(
            case__status=Case.Status.OPEN,
            due_on__lt=timezone.localdate(),
            done_at__isnull=True,
        )
        .select_related("case", "case__household", "case__household__dong", "case__manager")
        .order_by("due_on", "id")
    )


def linkage_list(
    *, user: User, household_id: int | None = None, status: str = "", kind: str = ""
) -> QuerySet[Linkage]:
    qs = linkages_visible_to(user)
    if household_id:
        qs = qs.filter(household_id=household_id)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return (
        _linkages_related(qs).prefetch_related("household__members").order_by("-proposed_at", "-id")
    )


def linkage_get(*, user: User, linkage_id: int) -> Linkage:
    linkage = _linkages_related(linkages_visible_to(user)).filter(pk=linkage_id).first()
    if linkage is None:
        raise NotFound()
    return linkage


def has_open_case(household: Household) -> bool:
    return Case.objects.filter(household=household, status=Case.Status.OPEN).exists()


def household_work(*, user: User, household: Household) -> dict:
    """The household page's case-work sections: visits, assessments, cases and linkages the
    user may see, each prefetched. Callers pass a household obtained via `household_get`."""
    cases = (
        _next_follow_up(cases_visible_to(user).filter(household=household))
        .select_related("manager")
        .annotate(
            overdue=Exists(
                FollowUp.objects.filter(
                    case=OuterRef("pk"), done_at__isnull=True, due_on__lt=timezone.localdate()
                )
            )
        )
        .order_by("-opened_at", "-id")
    )
    return {
        "household_visits": household_visits(user=user, household=household),
        "household_assessments": assessments_visible_to(user)
        .filter(household=household)
        .select_related("assessed_by", "consent")
        .order_by("-assessed_at", "-id"),
        "household_cases": cases,
        "household_linkages": linkages_visible_to(user)
        .filter(household=household)
        .select_related("partner", "resource", "proposed_by")
        .order_by("-proposed_at", "-id"),
    }
