"""Access rules of the evaluation pages: hub staff and the gu team (aggregates only); a report
run is read by whoever asked for it and by the gu team and administrators of its gu."""

from __future__ import annotations

import datetime as dt

from maeul.evaluation.models import ReportRun
from tests.access import STAFF, STAFF_PAGE, rule

REPORT_READERS = {"official", "gu_user", "admin_user"}
RULES = {
    "evaluation:series": STAFF_PAGE,
    "evaluation:effects": STAFF_PAGE,
    "evaluation:reports": STAFF_PAGE,
    "evaluation:report_status": STAFF_PAGE,
    "evaluation:report_xlsx": rule("report_run", REPORT_READERS),
    "evaluation:report_pdf": rule("report_run", REPORT_READERS),
    "evaluation:planning": STAFF_PAGE,
    "evaluation:sido": rule(readers={"gu_user", "admin_user"}),
    "evaluation:whatif": rule(
        readers={"gu_user", "admin_user"}, params="parameter=livelihood.rate&value=0.7"
    ),
    "evaluation:counterfactual": rule("household", STAFF, params="programme=local_livelihood"),
}
PARAMS = {"run_id": "report_run"}


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
