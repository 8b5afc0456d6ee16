"""Households in the JSON API, scoped by `households_visible_to` and audited like the pages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from maeul.accounts.audit import audit_read
from maeul.people.selectors import household_detail_for, household_list

router = Router()


class MemberOut(Schema):
    id: int
    name: str
    birth_date: dt.date | None = None
    sex: str | None = None
    relation: str | None = None
    disability: str | None = None
    disability_detail: str | None = None
    health_notes: str | None = None


class HouseholdOut(Schema):
    """Fields a reader may not see (maeul.people.policy) are null."""

    id: int
    dong_code: str
    dong: str
    address: str | None = None
    address_detail: str | None = None
    head_name: str | None = None
    members: int | None = None
    care_notes: str | None = None


class HouseholdPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[HouseholdOut]


class EventOut(Schema):
    kind: str
    occurred_at: dt.datetime
    summary: str


class HouseholdDetailOut(HouseholdOut):
    phone: str | None = None
    housing: str | None = None
    groups: list[str] | None = None
    lat: float | None = None
    lon: float | None = None
    member_list: list[MemberOut] = Field(default_factory=list)
    benefits: list[dict] | None = None
    timeline: list[EventOut] | None = None
    violence_notes: str | None = None


@router.get("", response=HouseholdPage, summary="List households you may see")
def list_households(
    request: HttpRequest, q: str = "", dong: str = "", page: int = 1, page_size: int = 50
):
    result = household_list(user=request.user, q=q, dong_code=dong, page=page, page_size=page_size)
    audit_read(
        request=request, household_ids=[h["id"] for h in result["results"]], action="api_list"
    )
    return result


@router.get("/{household_id}", response=HouseholdDetailOut, summary="One household")
def get_household(request: HttpRequest, household_id: int):
    detail = household_detail_for(user=request.user, household_id=household_id)
    audit_read(request=request, household_id=household_id, action="api_view")
    return detail
