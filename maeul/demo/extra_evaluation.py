"""The demo's planning records (issue 13): the gu's caseload standard, set by its gu team,
and a staff posting for every member of the hub teams and the gu team — role, a
qualification that fits it, the employment (the private-sector hires as such, a few
fixed-term public servants) from the day they joined until the day they left — so the
staffing page counts staff by role, qualification and employment over the demo's two years.
Built through maeul.evaluation.services as the gu team member. No sphere link: the hub
model finds every demo dong basic."""

from __future__ import annotations

import datetime as dt
import random

from maeul.accounts.models import Role
from maeul.evaluation.models import StaffPosting
from maeul.evaluation.services import caseload_standard_set, staff_posting_add

Q = StaffPosting.Qualification
QUALIFICATIONS = {
    Role.VISITING_NURSE: [Q.NURSE],
    Role.VOCATIONAL_COUNSELLOR: [Q.VOCATIONAL],
    Role.CASE_MANAGER: [Q.SOCIAL_WORKER_1, Q.SOCIAL_WORKER_1, Q.MENTAL_HEALTH],
    Role.WELFARE_MANAGER: [Q.SOCIAL_WORKER_1],
    Role.GU_TEAM: [Q.SOCIAL_WORKER_1, Q.SOCIAL_WORKER_2],
}


def build(*, seed: int, today: dt.date, org, scale: float) -> dict[str, int]:
    rng = random.Random(seed + 13)
    actor = org.gu_staff[0].user
    caseload_standard_set(
        actor=actor,
        open_cases=25,
        follow_ups=40,
        visits=60,
        note="수영구 통합사례관리 운영 지침(방문 인력 1인당)",
    )
    postings = 0
    members = [s for team in org.staff.values() for s in team] + list(org.gu_staff)
    for staff in members:
        user = staff.user
        if user.role not in QUALIFICATIONS and user.role != Role.WELFARE_OFFICIAL:
            continue
        qualification = rng.choice(
            QUALIFICATIONS.get(user.role, [Q.SOCIAL_WORKER_2, Q.SOCIAL_WORKER_2, Q.SOCIAL_WORKER_1])
        )
        if user.privately_employed:
            employment = StaffPosting.Employment.PRIVATE
        elif rng.random() < 0.15:
            employment = StaffPosting.Employment.FIXED_TERM
        else:
            employment = StaffPosting.Employment.PUBLIC
        starts_on = user.hired_on or staff.hired_on
        ends_on = user.left_on if user.left_on and user.left_on >= starts_on else None
        staff_posting_add(
            actor=actor,
            area_id=user.home_area_id,
            name=user.full_name or user.username,
            role=user.role,
            qualification=qualification,
            employment=employment,
            starts_on=starts_on,
            ends_on=ends_on,
            user_id=user.pk,
        )
        postings += 1
    return {"caseload_standards": 1, "staff_postings": postings}
