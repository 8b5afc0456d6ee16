"""Access rules of the campaign pages and API (see tests/access.py)."""

from __future__ import annotations

import datetime as dt

from maeul.accounts.models import SafetyNetMember
from maeul.campaigns.models import Target
from maeul.campaigns.services import campaign_create, targets_add, targets_assign
from maeul.people.models import Household
from tests.access import LIST, STAFF, STAFF_PAGE, rule

RULES = {
    "campaigns:campaign_list": LIST,
    "campaigns:campaign_create": STAFF_PAGE,
    "campaigns:my_targets": LIST,
    "campaigns:campaign_detail": rule("campaign", STAFF),
    "campaigns:targets_build": rule("campaign", method="POST"),
    "campaigns:targets_upload": rule("campaign", STAFF),
    "campaigns:targets_assign": rule("campaign", method="POST"),
    "campaigns:campaign_safety_net": rule("campaign", method="POST"),
    "campaigns:targets_member": rule("campaign", method="POST"),
    "campaigns:target_record": rule("target", STAFF | {"volunteer"}),
    "campaigns:target_plan": rule("target", method="POST"),
    "campaigns:target_link": rule("target", method="POST"),
    "api:list_campaigns": LIST,
    "campaigns:recipients_import": STAFF_PAGE,
    "campaigns:roster": STAFF_PAGE,
    "campaigns:member_edit": rule("safety_net_member", STAFF),
    "campaigns:hand_over": rule(method="POST"),
    "campaigns:care_households": LIST,
    "campaigns:care_check_in": rule("household", method="POST"),
}

PARAMS = {
    "campaign_id": "campaign",
    "target_id": "target",
    "safety_net_member_id": "safety_net_member",
}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    """A campaign of the dong with the scope's household as its one target, given to the
    household's care volunteer when it has one."""
    campaign = campaign_create(
        actor=actor,
        name=f"{marker}안부 조사",
        purpose=f"{marker}홀몸 어르신 안부 확인",
        area=dong,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    targets_add(actor=actor, campaign=campaign, household_ids=[scope["household"]])
    target = Target.objects.get(campaign=campaign)
    volunteer = Household.objects.get(pk=scope["household"]).care_volunteers.first()
    if volunteer is not None:
        targets_assign(actor=actor, targets=[target], assignee=volunteer)
    scope["campaign"] = campaign.pk
    scope["target"] = target.pk
    member = SafetyNetMember.objects.create(
        name=f"{marker}통장", dong=dong, team="discovery", joined_on=dt.date(2025, 1, 1)
    )
    scope["safety_net_member"] = member.pk
