"""Benefit screening in the JSON API: ``POST /api/benefits/evaluate`` (any household described
in the request; nothing stored) and ``GET /api/benefits/households/{id}`` (a household of the
registry, scoped and audited like its page)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from maeul.accounts.audit import audit_read
from maeul.benefits.rules import CRISIS_SITUATIONS
from maeul.benefits.rules.evaluate import evaluate
from maeul.benefits.selectors import household_entitlements
from maeul.errors import PermissionDenied
from maeul.people.selectors import household_get
from maeul.web import ErrorOut

router = Router()

CrisisCode = Literal[tuple(CRISIS_SITUATIONS)]  # type: ignore[valid-type]
Money = float | None


class MemberIn(Schema):
    """One member. Monthly amounts in KRW (income), KRW (property). A field left out (or
    null, for the money fields) is *missing*: programmes that need it answer
    ``entitled: null``. ``disability: null`` means no disability."""

    age: int | None = Field(None, ge=0, le=130, examples=[72])
    relation: Literal["head", "spouse", "child", "parent", "other"]
    earned_income: Money = Field(None, ge=0, examples=[0])
    other_income: Money = Field(None, ge=0, examples=[0])
    assets_general: Money = Field(None, ge=0, examples=[0])
    assets_financial: Money = Field(None, ge=0, examples=[0])
    debts: Money = Field(None, ge=0, examples=[0])
    car_value: Money = Field(None, ge=0, examples=[0])
    disability: Literal["severe", "mild"] | None = None
    single_parent: bool | None = Field(None, examples=[False])


class ObligorIn(Schema):
    relation: str = Field(..., max_length=20, examples=["child"])
    annual_income: Money = Field(None, ge=0, examples=[0])
    assets: Money = Field(None, ge=0, examples=[0])


class HouseholdIn(Schema):
    region: Literal["metropolitan", "city", "rural"]
    members: list[MemberIn] = Field(..., min_length=1, max_length=30)
    support_obligors: list[ObligorIn] = Field(
        default_factory=list, description="An empty list means there are none."
    )
    crisis: CrisisCode | None = Field(  # type: ignore[valid-type]
        None, description="A crisis situation code, or null for none; left out = not known."
    )


class EvaluateIn(Schema):
    period: str = Field(..., pattern=r"^\d{4}-\d{2}$", examples=["2026-03"])
    household: HouseholdIn


class ReasonOut(Schema):
    ko: str
    en: str


class ProgrammeOut(Schema):
    id: str
    entitled: bool | None = Field(..., description="null: data missing (the reason names it)")
    amount: int | None = Field(..., description="KRW per month, null where not modelled")
    reason: ReasonOut
    threshold: int | None = Field(..., description="the selection line that applied (KRW)")
    distance: int | None = Field(
        ..., description="threshold − the measured income: positive = headroom under the line"
    )


class EvaluateOut(Schema):
    programmes: list[ProgrammeOut]


class HouseholdProgrammeOut(ProgrammeOut):
    received: bool
    linked: bool
    missing: list[str]


class HouseholdEvaluationOut(Schema):
    household_id: int
    period: str
    programmes: list[HouseholdProgrammeOut]


@router.post("/evaluate", response={200: EvaluateOut, 422: ErrorOut}, summary="Screen a household")
def evaluate_endpoint(request: HttpRequest, payload: EvaluateIn):
    """Screen the household described for every programme: entitled (true/false/null), the
    amount, the reason in Korean and English, the threshold and the distance to it.
    Nothing is stored. Bad input (an unknown code, a period before 2025-01, no head…) → 422."""
    body = payload.model_dump(exclude_unset=True)
    try:
        return evaluate(body)
    except ValueError as exc:
        return Status(422, {"code": "invalid", "detail": str(exc)})


@router.get(
    "/households/{household_id}",
    response={200: HouseholdEvaluationOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Screen a household of the registry",
)
def household_evaluation(request: HttpRequest, household_id: int, period: str | None = None):
    """The household's evaluation from its record and means data (hub staff; the household
    must be in the user's scope — else 404). Audited as a read of the household."""
    if not request.user.is_hub_staff:
        raise PermissionDenied("Only hub staff may screen households.")
    household = household_get(user=request.user, household_id=household_id)
    try:
        evaluation = household_entitlements(user=request.user, household=household, period=period)
    except ValueError as exc:
        return Status(422, {"code": "invalid", "detail": str(exc)})
    audit_read(request=request, household_id=household.pk, purpose="benefits")
    return {
        "household_id": household.pk,
        "period": evaluation["period"],
        "programmes": evaluation["programmes"],
    }
