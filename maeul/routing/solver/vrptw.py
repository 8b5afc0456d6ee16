"""VRPTW instances from the literature, to check the hub's solver against best-known results.

Two formats are read:

* the TSPLIB / LKH-3 style (`TYPE : CVRPTW`, `VEHICLES`, `CAPACITY`, `SERVICE_TIME`, `SCALE`,
  `EDGE_WEIGHT_TYPE : FLOOR_2D` or `EUC_2D`/`EXACT_2D`, `NODE_COORD_SECTION`,
  `DEMAND_SECTION`, `TIME_WINDOW_SECTION`, `SERVICE_TIME_SECTION`, `DEPOT_SECTION`);
* the classic Solomon text format (`VEHICLE` / `NUMBER CAPACITY`, then `CUSTOMER` rows
  `CUST NO. XCOORD. YCOORD. DEMAND READY TIME DUE DATE SERVICE TIME`, the depot first).

Distances are Euclidean × SCALE rounded down (FLOOR_2D; the DIMACS convention of one decimal
for Solomon files, so SCALE = 10 there); travel time equals distance, so time windows and
service times are multiplied by SCALE too. Totals are reported divided by SCALE, in the
instance's own units.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from maeul.routing.solver import core


class FormatError(ValueError):
    """The file is neither a readable TSPLIB/LKH-3 CVRPTW file nor a Solomon file."""


@dataclass
class VrptwInstance:
    name: str
    vehicles: int
    capacity: int
    scale: int
    edge_weight: str  # FLOOR_2D | EUC_2D (rounded) | EXACT_2D (× scale, rounded) | CEIL_2D
    xy: list[tuple[float, float]]  # depot first
    demand: list[int]
    ready: list[float]
    due: list[float]
    service: list[float]

    @property
    def size(self) -> int:
        return len(self.xy) - 1

    def distance_matrix(self) -> np.ndarray:
        pts = np.asarray(self.xy, dtype=float)
        diff = pts[:, None, :] - pts[None, :, :]
        euclid = np.sqrt((diff**2).sum(axis=2)) * self.scale
        if self.edge_weight == "FLOOR_2D":
            # a small tolerance so that 10 × 5.0 is not floored to 49
            return np.floor(euclid + 1e-9).astype(np.int64)
        if self.edge_weight == "CEIL_2D":
            return np.ceil(euclid - 1e-9).astype(np.int64)
        return np.floor(euclid + 0.5).astype(np.int64)


def _scaled(value: float, scale: int) -> int:
    return int(round(value * scale))


def _number(text: str) -> float:
    return float(text)


def _read_tsplib(text: str, name: str) -> VrptwInstance:
    spec: dict[str, str] = {}
    sections: dict[str, list[list[str]]] = {}
    current = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line == "EOF":
            continue
        match = re.match(r"^([A-Z_]+)\s*:\s*(.*)$", line)
        if match and not line.endswith("_SECTION"):
            spec[match.group(1)] = match.group(2).strip()
            current = ""
            continue
        if re.match(r"^[A-Z_]+_SECTION\s*:?$", line):
            current = line.rstrip(":").strip()
            sections[current] = []
            continue
        if current:
            sections[current].append(line.split())
    if spec.get("TYPE", "").upper() not in ("CVRPTW", "VRPTW"):
        raise FormatError(f"TYPE is {spec.get('TYPE')!r}, expected CVRPTW")
    for key in ("NODE_COORD_SECTION", "DEMAND_SECTION", "TIME_WINDOW_SECTION"):
        if key not in sections:
            raise FormatError(f"{key} missing")
    dimension = int(spec.get("DIMENSION", len(sections["NODE_COORD_SECTION"])))
    coords = {int(r[0]): (_number(r[1]), _number(r[2])) for r in sections["NODE_COORD_SECTION"]}
    demands = {int(r[0]): int(r[1]) for r in sections["DEMAND_SECTION"]}
    windows = {int(r[0]): (_number(r[1]), _number(r[2])) for r in sections["TIME_WINDOW_SECTION"]}
    default_service = _number(spec.get("SERVICE_TIME", "0"))
    services = {int(r[0]): _number(r[1]) for r in sections.get("SERVICE_TIME_SECTION", [])}
    depot_ids = [int(r[0]) for r in sections.get("DEPOT_SECTION", []) if int(r[0]) > 0]
    depot = depot_ids[0] if depot_ids else min(coords)
    order = [depot] + sorted(k for k in coords if k != depot)
    if len(order) != dimension:
        raise FormatError(f"DIMENSION {dimension} but {len(order)} nodes")
    try:
        return VrptwInstance(
            name=spec.get("NAME", name),
            vehicles=int(spec.get("VEHICLES", dimension - 1)),
            capacity=int(spec.get("CAPACITY", "0")),
            scale=int(float(spec.get("SCALE", "1"))),
            edge_weight=spec.get("EDGE_WEIGHT_TYPE", "EUC_2D").upper(),
            xy=[coords[k] for k in order],
            demand=[0 if k == depot else demands[k] for k in order],
            ready=[windows[k][0] for k in order],
            due=[windows[k][1] for k in order],
            service=[0.0 if k == depot else services.get(k, default_service) for k in order],
        )
    except KeyError as missing:
        raise FormatError(f"node {missing} has no demand or time window") from None


def _read_solomon(text: str, name: str) -> VrptwInstance:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title = lines[0] if lines else name
    vehicles = capacity = None
    rows: list[list[float]] = []
    for i, line in enumerate(lines):
        upper = line.upper()
        if upper.startswith("NUMBER") and "CAPACITY" in upper and i + 1 < len(lines):
            parts = lines[i + 1].split()
            vehicles, capacity = int(parts[0]), int(parts[1])
        cells = line.split()
        if len(cells) == 7 and all(re.match(r"^-?\d+(\.\d+)?$", c) for c in cells):
            rows.append([float(c) for c in cells])
    if vehicles is None or capacity is None or len(rows) < 2:
        raise FormatError("no VEHICLE NUMBER/CAPACITY block or no CUSTOMER rows")
    rows.sort(key=lambda r: r[0])
    return VrptwInstance(
        name=title,
        vehicles=vehicles,
        capacity=capacity,
        scale=10,
        edge_weight="FLOOR_2D",
        xy=[(r[1], r[2]) for r in rows],
        demand=[int(r[3]) for r in rows],
        ready=[r[4] for r in rows],
        due=[r[5] for r in rows],
        service=[r[6] for r in rows],
    )


def read_instance(path: str | Path) -> VrptwInstance:
    """Read a TSPLIB/LKH-3 CVRPTW file or a Solomon file (told apart by their content)."""
    file = Path(path)
    text = file.read_text(encoding="utf-8", errors="replace")
    if re.search(r"^\s*TYPE\s*:", text, flags=re.MULTILINE):
        return _read_tsplib(text, file.stem)
    if re.search(r"^\s*VEHICLE\s*$", text, flags=re.MULTILINE | re.IGNORECASE):
        return _read_solomon(text, file.stem)
    raise FormatError(f"{file.name}: neither a TSPLIB/LKH-3 CVRPTW file nor a Solomon file")


def to_core(inst: VrptwInstance, *, spare: bool = False) -> core.Instance:
    dist = inst.distance_matrix()
    s = inst.scale
    clients = [
        core.Client(
            location=i,
            service=_scaled(inst.service[i], s),
            tw_early=_scaled(inst.ready[i], s),
            tw_late=_scaled(inst.due[i], s),
            demand=inst.demand[i],
            name=str(i),
        )
        for i in range(1, len(inst.xy))
    ]
    return core.Instance(
        coords=list(inst.xy),
        distances=[dist],
        durations=[dist],
        clients=clients,
        vehicles=[core.Vehicle(count=inst.vehicles, capacity=inst.capacity)]
        + (
            # Spare vehicles at a prohibitive fixed cost: a way out while the search is
            # still infeasible with the instance's fleet.
            [
                core.Vehicle(
                    count=max(1, inst.vehicles // 2),
                    capacity=inst.capacity,
                    fixed_cost=int(dist.max()) * len(inst.xy),
                    name="spare",
                )
            ]
            if spare
            else []
        ),
        depot_tw=(_scaled(inst.ready[0], s), _scaled(inst.due[0], s)),
    )


@dataclass
class VrptwResult:
    routes: int
    distance: float  # in the instance's units (scaled total / SCALE)
    feasible: bool
    outcome: core.Outcome

    def line(self) -> str:
        return f"routes={self.routes} distance={format_distance(self.distance)}"


def format_distance(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if not math.isnan(value) else "nan"


#: Share of the time spent finding a first solution with spare vehicles.
OPENING_SHARE = 0.2


def solve_instance(inst: VrptwInstance, *, time_limit: float, seed: int = 1) -> VrptwResult:
    """Minimise distance with the instance's fleet. A tight fleet makes a feasible start hard
    to find, so the first fifth of the time searches with spare vehicles (at a prohibitive
    fixed cost); its best solution, when it keeps to the fleet, starts the main search, which
    has the fleet alone (spares distort the penalties of a search with them throughout)."""
    opening = core.solve(
        to_core(inst, spare=True), time_limit=time_limit * OPENING_SHARE, seed=seed
    )
    start = [(0, [v.client for v in r.visits]) for r in opening.routes if r.visits]
    fits = opening.feasible and all(r.vehicle == 0 for r in opening.routes if r.visits)
    outcome = core.solve(
        to_core(inst),
        time_limit=time_limit * (1 - OPENING_SHARE),
        seed=seed,
        initial=start if fits else None,
    )
    if not outcome.feasible and opening.feasible:
        outcome = opening  # the fleet alone found nothing feasible: report the spares used
    used = [r for r in outcome.routes if r.visits]
    return VrptwResult(
        routes=len(used),
        distance=sum(r.distance for r in used) / inst.scale,
        feasible=outcome.feasible and not outcome.unserved,
        outcome=outcome,
    )


def check_solution(inst: VrptwInstance, result: VrptwResult) -> list[str]:
    """Independent check of a solution against the instance: every customer once, loads
    within capacity, service started inside each window, back at the depot in time.
    Returns the problems found (empty when feasible)."""
    problems = []
    dist = inst.distance_matrix()
    s = inst.scale
    seen: list[int] = []
    for route in result.outcome.routes:
        nodes = [v.client + 1 for v in route.visits]
        seen += nodes
        load = sum(inst.demand[n] for n in nodes)
        if load > inst.capacity:
            problems.append(f"route load {load} > capacity {inst.capacity}")
        t, prev = inst.ready[0] * s, 0
        for n in nodes:
            t = max(t + dist[prev, n], inst.ready[n] * s)
            if t > inst.due[n] * s + 1e-9:
                problems.append(f"customer {n} served at {t / s} after {inst.due[n]}")
            t += inst.service[n] * s
            prev = n
        if t + dist[prev, 0] > inst.due[0] * s + 1e-9:
            problems.append("route back at the depot after it closes")
    if sorted(seen) != list(range(1, len(inst.xy))):
        problems.append("customers missing or visited twice")
    return problems
