"""A service's roster as one line of text, and back: how the roster travels in an HSDS
export (a `maeul-fact` attribute) and how the free-text rosters of the first directory were
turned into shifts. Format: ``who: 월·수 09:00–12:00`` per shift, shifts joined by `` / ``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from maeul.resources.models import WEEKDAYS_KO, RosterShift

SEPARATOR = " / "
_HOURS = re.compile(r"^(\d{1,2}):(\d{2})(?:[–-](?:(\d{1,2}):(\d{2}))?)?$")


def shift_line(shift: RosterShift) -> str:
    when = " ".join(part for part in (shift.days_label, shift.hours_label) if part)
    return f"{shift.who}: {when}" if when else shift.who


def roster_text(shifts: Iterable[RosterShift]) -> str:
    return SEPARATOR.join(shift_line(s) for s in shifts)


def _time(hour: str | None, minute: str | None) -> dt.time | None:
    if hour is None or minute is None:
        return None
    h, m = int(hour), int(minute)
    return dt.time(h, m) if h < 24 and m < 60 else None


def parse_roster(text: str) -> list[dict[str, Any]]:
    """Shifts (`volunteer_name`, `weekdays`, `starts_at`, `ends_at`, `note`) read from roster
    text; what is not a day or an hour stays in the note, so nothing written is lost."""
    shifts = []
    for line in re.split(r"\n|\s/\s", text or ""):
        line = line.strip()
        if not line:
            continue
        who, sep, rest = line.partition(": ")
        if not sep:
            who, rest = line, ""
        weekdays: list[int] = []
        starts = ends = None
        left = []
        for token in rest.split():
            bare = token.replace("·", "").replace(",", "")
            hours = _HOURS.match(token)
            if bare and all(ch in WEEKDAYS_KO for ch in bare):
                weekdays += [WEEKDAYS_KO.index(ch) for ch in bare]
            elif hours and starts is None:
                starts = _time(hours.group(1), hours.group(2))
                ends = _time(hours.group(3), hours.group(4))
                if starts is None:
                    left.append(token)
            else:
                left.append(token)
        shifts.append(
            {
                "volunteer_name": who.strip()[:120],
                "weekdays": sorted(set(weekdays)),
                "starts_at": starts,
                "ends_at": ends,
                "note": " ".join(left)[:200],
            }
        )
    return shifts
