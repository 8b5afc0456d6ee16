"""Benchmark of the CSSC perception survey's analysis (issue 8): 50,000 respondents × 60 items.

    .venv/bin/python bench/survey.py                          # 50,000 × 60
    .venv/bin/python bench/survey.py --respondents 10000 --items 40

Builds a synthetic survey (deterministic, seeded numpy): 60 items — 5 intent items and the
rest spread over 8 scales —, 1,500 communities of the three types, the seven participant
types, about 5 % of answers missing; writes the three CSV files of `survey_analyse` to a
temporary folder and times (1) `analyse` on the answers already in memory, (2) reading the
three files and analysing them (the command's work, target < 5 s), and (3) the whole
`manage.py survey_analyse --json` in a fresh process (Django start included).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")

import django  # noqa: E402

django.setup()

from maeul.councils.survey.analysis import Item, analyse  # noqa: E402
from maeul.councils.survey.files import (  # noqa: E402
    read_instrument,
    read_population,
    read_responses,
    write_instrument,
)

TYPES = [
    "volunteer",
    "residents_council",
    "resident",
    "village_head",
    "worker",
    "self_employed",
    "other",
]


def build(respondents: int, n_items: int, seed: int = 8):
    rng = np.random.default_rng(seed)
    intent = min(5, n_items)
    items = [Item(f"I{k + 1}", None, f"의도 {k + 1}", f"intent {k + 1}") for k in range(intent)]
    items += [
        Item(f"S{(k % 8) + 1}_{k // 8 + 1}", f"scale{(k % 8) + 1}", f"문항 {k}", f"item {k}")
        for k in range(n_items - intent)
    ]
    n_comm = 1500
    codes = np.array([f"{2600000000 + 100 * c}" for c in range(n_comm)])
    ctypes = np.array(["eup", "myeon", "dong"])[rng.choice(3, n_comm, p=[0.1, 0.3, 0.6])]
    comm = rng.integers(n_comm, size=respondents)
    ptype = rng.integers(len(TYPES), size=respondents)
    level = rng.normal(5.5, 0.6, size=n_comm)[comm]
    answers = np.clip(np.rint(level[:, None] + rng.normal(0, 1.1, (respondents, n_items))), 1, 7)
    keep = rng.random((respondents, n_items)) >= 0.05
    r_idx, i_idx = np.nonzero(keep)
    frame = pl.DataFrame(
        {
            "respondent": np.char.add("R", r_idx.astype(str)),
            "community": codes[comm][r_idx],
            "community_type": ctypes[comm][r_idx],
            "participant_type": np.array(TYPES)[ptype][r_idx],
            "item": np.array([i.item for i in items])[i_idx],
            "answer": answers[r_idx, i_idx].astype(np.int8),
        }
    )
    population = {t: int(rng.integers(2000, 15000)) for t in TYPES}
    return items, frame, population


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=60)
    args = parser.parse_args()
    started = time.perf_counter()
    items, frame, population = build(args.respondents, args.items)
    print(
        f"synthetic survey: {args.respondents:,} respondents × {args.items} items, "
        f"{frame.height:,} answers (built in {time.perf_counter() - started:.1f} s)"
    )
    started, cpu = time.perf_counter(), time.process_time()
    result = analyse(items=items, responses=frame, population=population)
    in_memory = time.perf_counter() - started
    print(
        f"analyse, answers in memory:        {in_memory:6.2f} s   "
        f"(CPU {time.process_time() - cpu:.2f} s, all threads)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paths = {k: str(Path(tmp) / f"{k}.csv") for k in ("instrument", "responses", "population")}
        write_instrument(paths["instrument"], items)
        frame.write_csv(paths["responses"])
        pl.DataFrame(
            {"participant_type": list(population), "members": list(population.values())}
        ).write_csv(paths["population"])
        started, cpu = time.perf_counter(), time.process_time()
        again = analyse(
            items=read_instrument(paths["instrument"]),
            responses=read_responses(paths["responses"]),
            population=read_population(paths["population"]),
        )
        from_files = time.perf_counter() - started
        assert again.as_json() == result.as_json()
        print(
            f"read the 3 CSV files + analyse:    {from_files:6.2f} s   (target < 5 s; "
            f"CPU {time.process_time() - cpu:.2f} s, all threads)"
        )
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "survey_analyse", "--json"]
            + [f"--{k}={v}" for k, v in paths.items()],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        print(
            f"manage.py survey_analyse --json:   {time.perf_counter() - started:6.2f} s   (fresh process)"
        )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"respondents {result.respondents:,}; scale means: "
        + ", ".join(f"{k} {v['mean']:.3f}" for k, v in result.scales.items())
    )


if __name__ == "__main__":
    main()
