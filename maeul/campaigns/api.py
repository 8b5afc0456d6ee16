"""Campaigns in the JSON API (/api/campaigns/): each campaign the user may see with its funnel
over the targets the user may see (a dong official: her dong's; a volunteer: hers)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from maeul.campaigns.selectors import campaigns_visible_to, funnels_for

router = Router()


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class FunnelOut(Schema):
    targets: int
    reached: int
    in_need: int
    linked: int


class CampaignOut(Schema):
    id: int
    name: str
    period: PeriodOut
    funnel: FunnelOut


@router.get("/", response=list[CampaignOut])
def list_campaigns(request: HttpRequest):
    """Campaigns with their funnel: households targeted, reached (met, refusals included), in
    need and linked, each a subset of the one before. Counts of households, never names."""
    campaigns = list(campaigns_visible_to(request.user).order_by("-starts_on", "-id"))
    funnels = funnels_for(user=request.user, campaign_ids=[c.pk for c in campaigns])
    return [
        {
            "id": c.pk,
            "name": c.name,
            "period": {"start": c.starts_on, "end": c.ends_on},
            "funnel": funnels[c.pk].as_dict(),
        }
        for c in campaigns
    ]
