"""The literature check: both file formats read the same instance; the solver's solutions
are feasible and close to the best-known distances (../shared/data/vrptw/)."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from maeul.routing.solver.vrptw import FormatError, check_solution, read_instance, solve_instance

DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "vrptw"


def best_known() -> dict[str, float]:
    with open(DATA / "best-known.csv", encoding="utf-8") as fh:
        return {row["instance"]: float(row["best_known_distance"]) for row in csv.DictReader(fh)}


def as_solomon(path: Path) -> str:
    """The same instance written in the classic Solomon text format."""
    inst = read_instance(path)
    lines = [
        inst.name,
        "",
        "VEHICLE",
        "NUMBER     CAPACITY",
        f"  {inst.vehicles}   {inst.capacity}",
    ]
    lines += [
        "",
        "CUSTOMER",
        "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME",
        "",
    ]
    for i, (x, y) in enumerate(inst.xy):
        lines.append(
            f"{i:5d} {x:10g} {y:10g} {inst.demand[i]:10d} {inst.ready[i]:10g} {inst.due[i]:10g} {inst.service[i]:10g}"
        )
    return "\n".join(lines) + "\n"


def test_reads_the_lkh3_format():
    inst = read_instance(DATA / "C101.vrptw")
    assert inst.name == "C101"
    assert (inst.vehicles, inst.capacity, inst.scale, inst.size) == (10, 200, 10, 100)
    assert inst.xy[0] == (40, 50) and inst.demand[0] == 0
    assert inst.xy[1] == (45, 68) and inst.demand[1] == 10
    assert (inst.ready[1], inst.due[1], inst.service[1]) == (912, 967, 90)
    # FLOOR_2D: Euclidean × 10 rounded down
    assert inst.distance_matrix()[0, 1] == 186  # sqrt(25 + 324) = 18.68…


def test_reads_the_solomon_format_as_the_same_instance(tmp_path):
    path = tmp_path / "r101.txt"
    path.write_text(as_solomon(DATA / "R101.vrptw"))
    solomon, lkh = read_instance(path), read_instance(DATA / "R101.vrptw")
    assert solomon.name == "R101"
    assert (solomon.vehicles, solomon.capacity, solomon.scale) == (20, 200, 10)
    assert solomon.xy == lkh.xy and solomon.demand == lkh.demand
    assert solomon.ready == lkh.ready and solomon.due == lkh.due and solomon.service == lkh.service
    assert (solomon.distance_matrix() == lkh.distance_matrix()).all()


def test_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("hello\nworld\n")
    with pytest.raises(FormatError):
        read_instance(path)
    path.write_text("NAME : X\nTYPE : CVRP\nDIMENSION : 2\n")
    with pytest.raises(FormatError):
        read_instance(path)
    with pytest.raises(CommandError):
        call_command("solve_vrptw", str(path), "--time-limit", "1")
    with pytest.raises(CommandError):
        call_command("solve_vrptw", str(tmp_path / "missing.vrptw"))


@pytest.mark.parametrize("name", ["C101", "R105"])
def test_solutions_are_feasible_and_near_best_known(name):
    inst = read_instance(DATA / f"{name}.vrptw")
    result = solve_instance(inst, time_limit=2)
    assert result.feasible
    assert check_solution(inst, result) == []
    # at 2 s the search may still need one spare vehicle beyond the file's fleet
    assert result.routes <= inst.vehicles + 1
    gap = (result.distance - best_known()[name]) / best_known()[name]
    if result.routes <= inst.vehicles:
        assert gap >= -1e-6  # never better than the best known with that fleet
    assert abs(gap) < 0.05  # 2 s; the benchmark measures the 10 s figure


def test_command_prints_routes_and_distance(tmp_path):
    out = StringIO()
    call_command("solve_vrptw", str(DATA / "C102.vrptw"), "--time-limit", "3", stdout=out)
    line = out.getvalue().strip()
    assert line.startswith("routes=") and " distance=" in line
    routes, distance = (part.split("=")[1] for part in line.split())
    assert int(routes) <= 10 and float(distance) < 827.3 * 1.05
    # the Solomon file of the same instance gives a solution of the same quality
    path = tmp_path / "c102.txt"
    path.write_text(as_solomon(DATA / "C102.vrptw"))
    out = StringIO()
    call_command("solve_vrptw", str(path), "--time-limit", "3", stdout=out)
    assert float(out.getvalue().split("distance=")[1]) < 827.3 * 1.05
