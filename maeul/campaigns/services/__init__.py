"""Writes on campaigns, one module per sub-concept: the campaign (`campaigns`), its target
list (`targets`) and what came of each household (`outcomes`). `from
maeul.campaigns.services import target_record` keeps working: every public service is named
here."""

from maeul.campaigns.services.campaigns import campaign_create, campaign_safety_net_set
from maeul.campaigns.services.outcomes import (
    RECORDABLE,
    VISIT_OUTCOME,
    target_case_open,
    target_link,
    target_linkage_attach,
    target_plan_visit,
    target_record,
)
from maeul.campaigns.services.targets import (
    targets_add,
    targets_assign,
    targets_assign_pending,
    targets_build,
    targets_give_to_member,
)

__all__ = [
    "RECORDABLE",
    "VISIT_OUTCOME",
    "campaign_create",
    "campaign_safety_net_set",
    "target_case_open",
    "target_link",
    "target_linkage_attach",
    "target_plan_visit",
    "target_record",
    "targets_add",
    "targets_assign",
    "targets_assign_pending",
    "targets_build",
    "targets_give_to_member",
]
