"""Travel times between points (latitude, longitude), per mode of travel.

`Crowfly` (the default): the great-circle distance × a road factor per mode (streets are
not straight lines) at the mode's speed, plus a fixed overhead per trip (parking a car,
waiting for a bus). `GivenMatrix`: travel times from a real routing engine (OSRM, Valhalla,
a public transport planner…) computed elsewhere and handed in as one matrix per mode. Both
answer `seconds(points, mode) -> int matrix`; the planner asks nothing else of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np

WALK = "walk"
CAR = "car"
TRANSIT = "transit"


@dataclass(frozen=True)
class Mode:
    speed_kmh: float
    road_factor: float
    overhead_s: int  # per trip between two different places


#: Defaults for a Korean dong: walking along alleys and slopes, a car in city traffic with
#: parking, a bus/subway with walking to and from the stop and waiting.
MODES: dict[str, Mode] = {
    WALK: Mode(speed_kmh=4.0, road_factor=1.35, overhead_s=0),
    CAR: Mode(speed_kmh=22.0, road_factor=1.45, overhead_s=240),
    TRANSIT: Mode(speed_kmh=14.0, road_factor=1.4, overhead_s=420),
}

EARTH_RADIUS_M = 6_371_000.0


def metres(points: list[tuple[float, float]]) -> np.ndarray:
    """Great-circle distances in metres between (lat, lon) points."""
    if not points:
        return np.zeros((0, 0))
    lat = np.radians(np.asarray([p[0] for p in points], dtype=float))
    lon = np.radians(np.asarray([p[1] for p in points], dtype=float))
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


class TravelTimes(Protocol):
    def seconds(self, points: list[tuple[float, float]], mode: str) -> np.ndarray: ...


class Crowfly:
    """Straight-line distance × road factor at the mode's speed (+ overhead per trip)."""

    def __init__(self, modes: dict[str, Mode] | None = None):
        self.modes = modes or MODES

    def seconds(self, points: list[tuple[float, float]], mode: str) -> np.ndarray:
        spec = self.modes.get(mode) or self.modes[WALK]
        dist = metres(points) * spec.road_factor
        secs = dist / (spec.speed_kmh * 1000 / 3600)
        secs = np.where(dist > 1.0, secs + spec.overhead_s, 0.0)
        return np.ceil(secs).astype(np.int64)


class GivenMatrix:
    """Travel times computed by a routing engine: `matrices[mode]` is a square matrix of
    seconds over `points` (the same order). Asked for other points it falls back to
    `fallback` (Crowfly by default) for the pairs it does not know."""

    def __init__(
        self,
        points: list[tuple[float, float]],
        matrices: dict[str, np.ndarray],
        fallback: TravelTimes | None = None,
    ):
        self.index = {_key(p): i for i, p in enumerate(points)}
        self.matrices = {m: np.asarray(v, dtype=np.int64) for m, v in matrices.items()}
        self.fallback = fallback or Crowfly()

    def seconds(self, points: list[tuple[float, float]], mode: str) -> np.ndarray:
        out = self.fallback.seconds(points, mode)
        given = self.matrices.get(mode)
        if given is None:
            return out
        rows = [self.index.get(_key(p)) for p in points]
        known = [i for i, r in enumerate(rows) if r is not None]
        if known:
            idx = np.asarray([rows[i] for i in known])
            out[np.ix_(known, known)] = given[np.ix_(idx, idx)]
        return out


def _key(point: tuple[float, float]) -> tuple[float, float]:
    return (round(point[0], 7), round(point[1], 7))


def minutes(seconds: float) -> int:
    return int(math.ceil(seconds / 60))
