"""Access rules of the evaluation pages: hub staff and the gu team (aggregates only); a report
run is read by whoever asked for it and by the gu team and administrators of its gu; the
planning forms (sphere links, caseload standard, staff postings) are posted by the gu team and
administrators of the gu only."""

from __future__ import annotations

import datetime as dt

from maeul.areas.models import SphereLink
from maeul.evaluation.models import ReportRun, StaffPosting
from tests.access import STAFF, STAFF_PAGE, rule
from tests.factories import AreaFactory

REPORT_READERS = {"official", "gu_user", "admin_user"}
RULES = {
    "evaluation:series": STAFF_PAGE,
    "evaluation:effects": STAFF_PAGE,
    "evaluation:reports": STAFF_PAGE,
    "evaluation:report_status": STAFF_PAGE,
    "evaluation:report_xlsx": rule("report_run", REPORT_READERS),
    "evaluation:report_pdf": rule("report_run", REPORT_READERS),
    "evaluation:planning": STAFF_PAGE,
    "evaluation:staffing": STAFF_PAGE,
    # The gu's planning is changed by its gu team and administrators; anyone else: 404.
    "evaluation:sphere_link_add": rule(method="POST"),
    "evaluation:sphere_link_end": rule("sphere_link", method="POST"),
    "evaluation:standard_set": rule(method="POST"),
    "evaluation:posting_add": rule(method="POST"),
    "evaluation:posting_end": rule("staff_posting", method="POST"),
    "evaluation:sido": rule(readers={"gu_user", "admin_user"}),
    "evaluation:whatif": rule(
        readers={"gu_user", "admin_user"}, params="parameter=livelihood.rate&value=0.7"
    ),
    "evaluation:counterfactual": rule("household", STAFF, params="programme=local_livelihood"),
}
PARAMS = {
    "run_id": "report_run",
    "link_id": "sphere_link",
    "posting_id": "staff_posting",
}


def build(scope: dict, *, dong, actor, partner, marker) -> None:
    run = ReportRun.objects.create(
        gu=dong.parent,
        requested_by=actor,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 10, 31),
        status=ReportRun.Status.DONE,
        xlsx=f"{marker}xlsx".encode(),
        pdf=f"{marker}pdf".encode(),
        summary={"gu": f"{marker}"},
    )
    scope["report_run"] = run.pk
    # A sphere link between two dongs of their own (the scenario's dong keeps its own scope).
    gu = dong.parent
    central = AreaFactory(code=f"{dong.code}-SC", name=f"중심동{marker}", parent=gu)
    linked = AreaFactory(code=f"{dong.code}-SL", name=f"연계동{marker}", parent=gu)
    link = SphereLink.objects.create(
        central_dong=central, linked_dong=linked, starts_on=dt.date(2026, 1, 1), created_by=actor
    )
    scope["sphere_link"] = link.pk
    posting = StaffPosting.objects.create(
        area=dong,
        name=f"직원{marker}",
        role="welfare_official",
        qualification=StaffPosting.Qualification.SOCIAL_WORKER_2,
        employment=StaffPosting.Employment.PUBLIC,
        starts_on=dt.date(2025, 1, 1),
        recorded_by=actor,
    )
    scope["staff_posting"] = posting.pk
