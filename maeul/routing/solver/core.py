"""The one PyVRP entry point of maeul: a small, explicit instance (locations, matrices per
profile, clients, vehicle types) turned into `pyvrp.ProblemData` and solved.

Both the hub's day planner (`solver.day`) and the literature check (`solver.vrptw`, the
`solve_vrptw` command and `bench/routing.py`) go through `solve()`, so the benchmark figures
are the figures of the code that plans the rounds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pyvrp
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.stop import MaxRuntime

#: "Unbounded" time for windows and shifts (PyVRP's default is int64 max; a smaller value
#: keeps sums of times far from overflowing).
HORIZON = 10**9


@dataclass
class Client:
    location: int
    service: int = 0
    tw_early: int = 0
    tw_late: int = HORIZON
    demand: int = 0
    prize: int = 0
    required: bool = True
    name: str = ""


@dataclass
class Vehicle:
    """A vehicle type: `count` identical vehicles (a staff member is a type of one)."""

    count: int = 1
    capacity: int = 0
    depot: int = 0
    tw_early: int = 0
    tw_late: int = HORIZON
    profile: int = 0
    fixed_cost: int = 0
    # a nominal route duration beyond which each second costs `overtime_cost` (up to
    # `max_overtime`): the planner's way to share the work among the members
    shift_duration: int = HORIZON
    max_overtime: int = 0
    overtime_cost: int = 0
    name: str = ""


@dataclass
class Instance:
    """Locations 0..n-1 (index 0 and the depots first), one distance (cost) and one duration
    matrix per profile, clients, depots (location indices) and vehicle types."""

    coords: list[tuple[float, float]]
    distances: list[np.ndarray]
    durations: list[np.ndarray]
    clients: list[Client]
    vehicles: list[Vehicle]
    depots: list[int] = field(default_factory=lambda: [0])
    depot_tw: tuple[int, int] = (0, HORIZON)


@dataclass
class Visit:
    client: int  # index into Instance.clients
    start: int  # start of service
    end: int
    wait: int


@dataclass
class Route:
    vehicle: int  # index into Instance.vehicles
    visits: list[Visit]
    distance: int
    duration: int
    start: int
    end: int
    time_warp: int = 0


@dataclass
class Outcome:
    routes: list[Route]
    unserved: list[int]  # client indices not visited
    distance: int
    feasible: bool
    cost: float


def problem_data(inst: Instance) -> pyvrp.ProblemData:
    n_loc = len(inst.coords)
    for mat in (*inst.distances, *inst.durations):
        if mat.shape != (n_loc, n_loc):
            raise ValueError(f"matrix of shape {mat.shape}, expected {(n_loc, n_loc)}")
    locations = [pyvrp.Location(x=float(x), y=float(y)) for x, y in inst.coords]
    depots = [
        pyvrp.Depot(location=d, tw_early=inst.depot_tw[0], tw_late=inst.depot_tw[1])
        for d in inst.depots
    ]
    with_load = any(c.demand for c in inst.clients) or any(v.capacity for v in inst.vehicles)
    clients = [
        pyvrp.Client(
            location=c.location,
            delivery=[c.demand] if with_load else [],
            service_duration=c.service,
            tw_early=c.tw_early,
            tw_late=c.tw_late,
            prize=c.prize,
            required=c.required,
            name=c.name,
        )
        for c in inst.clients
    ]
    vehicle_types = [
        pyvrp.VehicleType(
            num_available=v.count,
            capacity=[v.capacity] if with_load else [],
            start_depot=v.depot,
            end_depot=v.depot,
            tw_early=v.tw_early,
            tw_late=v.tw_late,
            profile=v.profile,
            fixed_cost=v.fixed_cost,
            shift_duration=v.shift_duration,
            max_overtime=v.max_overtime,
            unit_overtime_cost=v.overtime_cost,
            name=v.name,
        )
        for v in inst.vehicles
    ]
    return pyvrp.ProblemData(
        locations,
        clients,
        depots,
        vehicle_types,
        [np.asarray(m, dtype=np.int64) for m in inst.distances],
        [np.asarray(m, dtype=np.int64) for m in inst.durations],
    )


def _initial(
    data: pyvrp.ProblemData, routes: list[tuple[int, list[int]]] | None
) -> pyvrp.Solution | None:
    """A warm start from (vehicle type, client indices) routes; None if PyVRP refuses it."""
    if not routes:
        return None
    try:
        built = [
            pyvrp.Route(
                data,
                [pyvrp.Activity(pyvrp.ActivityType.CLIENT, c) for c in clients],
                vehicle,
            )
            for vehicle, clients in routes
            if clients
        ]
        return pyvrp.Solution(data, built)
    except (ValueError, IndexError, RuntimeError):  # pragma: no cover (defensive)
        return None


def solve(
    inst: Instance,
    *,
    time_limit: float,
    seed: int = 0,
    initial: list[tuple[int, list[int]]] | None = None,
) -> Outcome:
    """Solve with PyVRP's iterated local search for `time_limit` seconds."""
    data = problem_data(inst)
    with warnings.catch_warnings():
        # an infeasible search is the caller's to handle (the planner moves a joint visit's
        # time or drops it; the literature check reports it): no warning on the console
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        result = pyvrp.solve(
            data,
            MaxRuntime(time_limit),
            seed=seed,
            collect_stats=False,
            display=False,
            initial_solution=_initial(data, initial),
        )
    best = result.best
    routes = []
    served: set[int] = set()
    for route in best.routes():
        visits = []
        for act in route.schedule():
            if act.is_client():
                visits.append(
                    Visit(
                        client=act.idx,
                        start=int(act.start_time),
                        end=int(act.end_time),
                        wait=int(act.wait_duration),
                    )
                )
                served.add(act.idx)
        routes.append(
            Route(
                vehicle=route.vehicle_type(),
                visits=visits,
                distance=int(route.distance()),
                duration=int(route.duration()),
                start=int(route.start_time()),
                end=int(route.end_time()),
                time_warp=int(route.time_warp()),
            )
        )
    unserved = [i for i in range(len(inst.clients)) if i not in served]
    return Outcome(
        routes=routes,
        unserved=unserved,
        distance=int(best.distance()),
        feasible=bool(best.is_feasible()),
        cost=float(result.cost()),
    )
