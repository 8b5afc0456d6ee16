"""Writes on assessments, cases (plan, follow-ups, conferences) and linkages, one module per
sub-concept. A case closes only through the team lead's sign-off (`signoff_request`, then
`signoff_decide`). Each service runs in one transaction and writes the timeline event the
indicators count. `from maeul.cases.services import case_open` keeps working: every public
service is named here."""

from maeul.cases.services.assessments import CASE_DECISIONS, assessment_record
from maeul.cases.services.follow_ups import (
    case_check_for_visit,
    case_for_visit,
    follow_up_complete,
    follow_up_schedule,
    follow_up_visit_planned,
    follow_up_visit_recorded,
    follow_ups_release,
)
from maeul.cases.services.linkages import (
    LINKAGE_TRANSITIONS,
    PARTNER_TARGETS,
    REFERRAL_TRANSITIONS,
    linkage_label,
    linkage_may_update,
    linkage_propose,
    linkage_targets,
    linkage_update,
    referrals_chase,
)
from maeul.cases.services.management import (
    case_open,
    case_reopen,
    conference_record,
    goal_add,
    goal_update_status,
)
from maeul.cases.services.retention import case_records_erase_text
from maeul.cases.services.signoff import (
    is_team_lead,
    signoff_decide,
    signoff_request,
    signoffs_waiting,
)

__all__ = [
    "CASE_DECISIONS",
    "LINKAGE_TRANSITIONS",
    "PARTNER_TARGETS",
    "REFERRAL_TRANSITIONS",
    "assessment_record",
    "case_check_for_visit",
    "case_for_visit",
    "case_open",
    "case_records_erase_text",
    "case_reopen",
    "conference_record",
    "follow_up_complete",
    "follow_up_schedule",
    "follow_up_visit_planned",
    "follow_up_visit_recorded",
    "follow_ups_release",
    "goal_add",
    "goal_update_status",
    "is_team_lead",
    "linkage_label",
    "linkage_may_update",
    "linkage_propose",
    "linkage_targets",
    "linkage_update",
    "referrals_chase",
    "signoff_decide",
    "signoff_request",
    "signoffs_waiting",
]
