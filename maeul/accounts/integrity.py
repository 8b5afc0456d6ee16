"""accounts' part of `manage.py check_integrity`: the running count of household reads per
reader and hour (`AuditHour`) is kept by its trigger and equals a recount of the audit trail."""

from __future__ import annotations

from maeul.accounts import audit_hours


def checks() -> list[str]:
    problems = []
    if not audit_hours.trigger_installed():
        problems.append(
            "the audit trail's trigger that counts reads per hour is missing"
            " (run `manage.py migrate`; the access alerts would miss new reads)"
        )
    wrong = audit_hours.mismatches()
    if wrong:
        problems.append(
            f"{wrong} counts of reads per reader and hour differ from the audit trail"
            " (the access alerts read them): rebuild with `manage.py tally_rebuild`"
        )
    return problems
