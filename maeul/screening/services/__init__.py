"""Writes of screening: the records it learns from (``records``) and the runs that list
households as leads (``runs``)."""

from maeul.screening.services.records import (
    NewOutcome,
    NewSignal,
    outcomes_collect,
    outcomes_import,
    signals_bulk_record,
)
from maeul.screening.services.runs import (
    screening_run,
    screening_run_abandoned,
    screening_run_execute,
    screening_run_open,
    screening_start,
)

__all__ = [
    "NewOutcome",
    "NewSignal",
    "outcomes_collect",
    "outcomes_import",
    "screening_run",
    "screening_run_abandoned",
    "screening_run_execute",
    "screening_run_open",
    "screening_start",
    "signals_bulk_record",
]
