"""Reads of households and residents. Every query that returns households starts from
`households_visible_to(user)`: the one place where the role and area scope is applied."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast

from maeul.accounts.models import User
from maeul.accounts.scope import dong_ids_of  # the staff scope rule; re-exported here
from maeul.errors import NotFound
from maeul.pagination import in_order_of, page_bounds, paginate
from maeul.people.models import Consent, Household, Resident, TimelineEvent
from maeul.text import normalise_address, normalise_name

#: cases.Linkage.Kind.PARTNER_REFERRAL (a referral to a partner institution).
PARTNER_REFERRAL = "partner_referral"


def households_visible_to(user: User) -> QuerySet[Household]:
    """Households the user may see (DOMAIN.md, 'Who uses it'):
    dong staff their dong; gu team and administrators their gu; a volunteer the households of
    the leads they reported and those assigned to them for care; a partner the households
    referred to their institution. Anyone else: none."""
    households = Household.objects.all()
    if not user.is_authenticated or not user.is_active:
        return households.none()
    if user.is_hub_staff:
        return households.filter(dong_id__in=dong_ids_of(user))
    if user.is_volunteer:
        return households.filter(
            Q(pk__in=user.care_households.values("pk"))
            | Q(pk__in=user.reported_leads.values("household_id"))
        )
    if user.is_partner and user.partner_id:
        # A referral is seen only while the household's consent to referral is active: a
        # withdrawal takes effect at the next request (PIPA art. 37). One query, two subqueries.
        # The referrals are reached through the reverse relation of cases.Linkage's household
        # ("linkages"), so the registry does not import the app above it.
        referred = Household.objects.filter(
            linkages__partner_id=user.partner_id, linkages__kind=PARTNER_REFERRAL
        ).values("pk")
        consented = consents_active(scope=Consent.Scope.REFERRAL).values("household_id")
        return households.filter(pk__in=referred).filter(pk__in=consented)
    return households.none()


def households_visible_q(user: User, *, via: str = "household") -> Q:
    """The scope of `households_visible_to(user)` as a condition on a relation to a household
    (`via`, e.g. "household" for a case): the same rows as `via__in=households_visible_to(user)`.
    For staff it tests the dong of the row's own household, which the query joins anyway,
    instead of listing every household of their dongs for a semi-join (an index scan of all
    the gu's 50,000 households for a page of 50 cases at 100,000 residents)."""
    if user.is_authenticated and user.is_active and user.is_hub_staff:
        return Q(**{f"{via}__dong_id__in": dong_ids_of(user)})
    return Q(**{f"{via}__in": households_visible_to(user)})


def referral_consented_q(*, via: str = "household") -> Q:
    """The consent half of a partner contact's scope (`households_visible_to`), as a condition
    on a relation to a household (`via`): the household's consent to referral stands. For a
    row that is itself a referral to the contact's institution (cases'
    `linkages_for_partner`) the other half, "referred to this institution", holds by the row's
    own partner and kind, so this alone selects the same rows as
    `via__in=households_visible_to(user)`, without joining the households to the linkages a
    second time (half the buffers of a partner's referral list at 1,000,000 residents)."""
    return Q(**{f"{via}__in": consents_active(scope=Consent.Scope.REFERRAL).values("household_id")})


def consents_active(*, scope: str | None = None) -> QuerySet[Consent]:
    """Consents not withdrawn, optionally only those whose scopes include `scope`.

    The scope test: on PostgreSQL JSON containment (`scopes @> '["referral"]'`), which the
    planner estimates from the column's statistics; elsewhere the JSON text contains
    `"referral"` with its quotes (SQLite has no JSON `contains`). Both mean the same for a
    list of scope names. The text test hid its selectivity from PostgreSQL (4 consents
    expected, every one found), so a partner's referral list was planned from all consents
    outward (465 ms at 100,000 residents) instead of probing its few households' consents
    through the household index (17 ms)."""
    consents = Consent.objects.filter(withdrawn_on__isnull=True)
    if scope is not None:
        if scope not in Consent.Scope.values:
            raise ValueError(f"unknown consent scope {scope!r}")
        if connection.vendor == "postgresql":
            consents = consents.filter(scopes__contains=[scope])
        else:
            consents = consents.annotate(_scopes_text=Cast("scopes", TextField())).filter(
                _scopes_text__contains=f'"{scope}"'
            )
    return consents


def households_consenting_to(scope: str) -> QuerySet[Household]:
    """Households with an active consent of this scope (for the councils app: cases brought
    to the CSSC need scope "council"). Not a scope by itself: callers intersect it with
    `households_visible_to(user)` or use it for the CSSC's consented reach."""
    return Household.objects.filter(
        pk__in=consents_active(scope=scope).values("household_id"), anonymised_at__isnull=True
    )


def household_consents_to(household: Household, scope: str) -> bool:
    """Whether the household has an active consent whose scopes include `scope`."""
    return consents_active(scope=scope).filter(household_id=household.pk).exists()


def household_consents(*, user: User, household: Household) -> QuerySet[Consent]:
    """The household's consents, newest first. Callers pass a household from `household_get`."""
    return household.consents.select_related("recorded_by").order_by("-given_on", "-id")


def household_require_visible(*, user: User, household: Household) -> None:
    """NotFound unless the user may see the household (services check this before writing)."""
    if not households_visible_to(user).filter(pk=household.pk).exists():
        raise NotFound()


def household_get(*, user: User, household_id: int) -> Household:
    """One household the user may see, with its members; NotFound when out of scope."""
    household = (
        households_visible_to(user)
        # the dong's gu and city too: the rules' region and the gu's ordinance climb to them
        .select_related("dong__parent__parent", "tong", "ban")
        .prefetch_related("members")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise NotFound()
    return household


def household_timeline(*, user: User, household: Household) -> QuerySet[TimelineEvent]:
    """The household's events in order. Callers pass a household obtained via `household_get`."""
    return household.events.select_related("actor").order_by("occurred_at", "id")


def household_search(*, user: User, q: str = "", dong_code: str = "") -> QuerySet[Household]:
    """Visible households (optionally of one dong) whose member's name or whose address
    contains `q`, compared as `maeul.text` normalises them (no spaces or punctuation, no
    city/gu prefix: '김 영희' finds 김영희, '망미번영로 12' finds 부산광역시 수영구 망미번영로
    12). Names and addresses are the registry's plaintext columns (`name_key`,
    `address_key`); registration numbers are never searched here (encrypted; exact look-up
    only through the blind index). See `_matching_household_ids` for the query's shape."""
    households = households_visible_to(user)
    # NUL cannot be stored in or compared with PostgreSQL text: it can match nothing.
    q, dong_code = q.replace("\x00", ""), dong_code.replace("\x00", "")
    if dong_code:
        households = households.filter(dong__code=dong_code)
    q = q.strip()
    if q:
        households = households.filter(pk__in=_matching_household_ids(q))
    return households


def _matching_household_ids(q: str) -> QuerySet:
    """Ids of the households with a member named like `q` or an address like `q`, as one
    UNION of two `LIKE '%q%'` look-ups. On PostgreSQL each side is served by a trigram GIN
    index (pg_trgm, migration people 0006_search_trigram; Hangul syllables make trigrams on a
    C.UTF-8 cluster like any letter), so a search among a million residents reads only the
    matching rows; the scope (`households_visible_to`) is then applied to those few ids. A
    query of two characters goes through its own index (`_containing`); of one character it
    has no trigram and is answered by a scan. (An OR across
    the members join, as before, could use no index and needed DISTINCT.) SQLite: the same
    SQL, scanned."""
    names = _containing(Resident.objects.all(), "name_key", normalise_name(q))
    addresses = _containing(Household.objects.all(), "address_key", normalise_address(q))
    return names.values("household_id").union(addresses.values("pk"))


def _twice(text: str) -> str:
    return "".join(c + c for c in text)


def _containing(rows: QuerySet, column: str, text: str) -> QuerySet:
    """`rows` whose `column` contains `text` (`LIKE '%text%'`). A text of two characters has no
    trigram (the most common Korean search: a given name, 영희), so on PostgreSQL it is
    compared with every character written twice, `twice(column) LIKE '%영영희희%'`, which has
    two trigrams and is served by the trigram index on that expression (people 0008). The two
    tests are the same: if `column` holds the text at i, the doubled column holds the doubled
    text at 2i; a match of the doubled text at an odd offset 2i+1 forces column[i] =
    column[i+1] = text[0] = text[1], which is the text at i."""
    if len(text) == 2 and connection.vendor == "postgresql":
        twice = Func(
            F(column),
            Value("(.)"),
            Value(r"\1\1"),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
        return rows.alias(twice=twice).filter(twice__contains=_twice(text)).order_by()
    return rows.filter(**{f"{column}__contains": text}).order_by()


def household_row(household: Household, *, fields: set[str]) -> dict:
    """One household as a list row, with only the fields the reader may see
    (`maeul.people.policy.visible_fields`)."""
    row = {
        "id": household.pk,
        "dong_code": household.dong.code,
        "dong": household.dong.display_name,
    }
    if "address" in fields:
        row["address"] = household.address
        row["address_detail"] = household.address_detail
    if "head_name" in fields:
        head = household.head
        row["head_name"] = head.name if head else None
    if "care_notes" in fields:
        row["care_notes"] = household.care_notes
    if "members" in fields:
        row["members"] = len(household.members.all())
    return row


def household_list(
    *, user: User, q: str = "", dong_code: str = "", page: int = 1, page_size: int = 50
) -> dict:
    """A page of visible households as rows, with the total `count`, by dong, address and id.
    The order is the dong's id, not its code: `ORDER BY dong.code` with a LIMIT made
    PostgreSQL walk the areas in code order joined to their households (2.8 s for a road
    search whose matching takes 30 ms at 100,000 residents); by `dong_id` the matches are
    sorted in memory and a page of the whole list reads the index (dong_id, address_key, id)
    (people migration 0007). The order users see is the same in practice: the dongs of a gu
    are created in code order (areas' seeds and registry loads), so their ids follow their
    codes. A search is paged ids first (`_search_keys`)."""
    from maeul.people.policy import visible_fields

    fields = visible_fields(user)
    q, dong_code = q.replace("\x00", ""), dong_code.replace("\x00", "")
    if not q.strip():
        households = (
            household_search(user=user, dong_code=dong_code)
            .select_related("dong")
            .prefetch_related("members")
            .order_by("dong_id", "address_key", "id")
        )
        return paginate(
            households,
            page=page,
            page_size=page_size,
            row=lambda h: household_row(h, fields=fields),
        )
    page, page_size = page_bounds(page, page_size)
    keys = _search_keys(user=user, q=q.strip(), dong_code=dong_code)
    ids, count = _page_and_total(keys, start=(page - 1) * page_size, size=page_size)
    rows = households_visible_to(user).select_related("dong").prefetch_related("members")
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": [household_row(h, fields=fields) for h in in_order_of(rows, ids)],
    }


def _page_and_total(keys: QuerySet, *, start: int, size: int) -> tuple[list[int], int]:
    """The ids of one page of `_search_keys` and the number of matches, from one query: the
    UNION read once, `COUNT(*) OVER ()` beside the page (a count and a page of the UNION
    apart read the matches twice: 42 + 42 ms for a road of 20,535 households at 1,000,000
    residents, 26 ms together). Django cannot annotate a UNION, so the ORM's own SQL of it
    (scoped, parameters bound by the driver) is wrapped here. A page past the end has no row
    to carry the total: only then is it counted apart."""
    sql, params = keys.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, COUNT(*) OVER () FROM ({sql}) matches "  # noqa: S608 - ORM SQL
            "ORDER BY dong_id, address_key, id LIMIT %s OFFSET %s",
            [*params, size, start],
        )
        rows = cursor.fetchall()
    return [pk for pk, _ in rows], rows[0][1] if rows else keys.count()


def _search_keys(*, user: User, q: str, dong_code: str = "") -> QuerySet:
    """(id, dong_id, address_key) of the visible households that `household_search` finds,
    to be put in the list's order (dong, address, id) for paging a search ids first: a UNION
    of the households whose address matches and those with a member whose name matches, each side
    scoped (`households_visible_to`, `households_visible_q`) and carrying the two sort keys,
    so that a page sorts only the matches' keys and then loads its 50 households. Applying
    the scope after the UNION, as `household_search` does, made PostgreSQL join the matches
    to every household of the gu (a scan of 505,051 households, then a sort of 20,535 whole
    rows for a road at 1,000,000 residents: 450 ms); here the address side filters the rows
    its trigram index finds and the name side probes its few households."""
    households = households_visible_to(user)
    residents = Resident.objects.filter(households_visible_q(user))
    if dong_code:
        households = households.filter(dong__code=dong_code)
        residents = residents.filter(household__dong__code=dong_code)
    by_address = _containing(households, "address_key", normalise_address(q)).values_list(
        "id", "dong_id", "address_key"
    )
    by_name = _containing(residents, "name_key", normalise_name(q)).values_list(
        "household_id", "household__dong_id", "household__address_key"
    )
    return by_address.union(by_name)


def household_detail_for(*, user: User, household_id: int) -> dict:
    """The household record as the user may see it: the fields of the data kinds their role
    may read (`maeul.people.policy`). A volunteer gets name, address and care notes; a partner
    the referral's name and address; health only for the visiting nurse and the case team;
    violence notes only for the welfare officials of the dong and the gu team."""
    from maeul.people.policy import visible_fields

    household = household_get(user=user, household_id=household_id)
    fields = visible_fields(user, household)
    detail = household_row(household, fields=fields)
    for name in ("phone", "housing", "groups", "lat", "lon", "violence_notes"):
        if name in fields:
            detail[name] = getattr(household, name)
    if "member_list" in fields:
        members = []
        for m in household.members.all():
            member = {
                "id": m.pk,
                "name": m.name,
                "birth_date": m.birth_date,
                "sex": m.sex,
                "relation": m.relation,
            }
            if "disability" in fields:
                member["disability"] = m.disability or None
                member["disability_detail"] = m.disability_detail
            if "health_notes" in fields:
                member["health_notes"] = m.health_notes
            members.append(member)
        detail["member_list"] = members
    if "benefits" in fields:
        detail["benefits"] = [
            {
                "programme": b.programme,
                "resident_id": b.resident_id,
                "started_on": b.started_on.isoformat(),
                "ended_on": b.ended_on.isoformat() if b.ended_on else None,
                "monthly_amount": b.monthly_amount,
            }
            for b in household.benefits.all()
        ]
    if "timeline" in fields:
        detail["timeline"] = [
            {"kind": e.kind, "occurred_at": e.occurred_at, "summary": e.summary}
            for e in household.events.order_by("occurred_at", "id")
        ]
    return detail
