"""Benchmark of the hub-effect estimator (issue 13): one indicator, 3,500 dongs × 60 months.

    .venv/bin/python bench/evaluation.py                    # 3,500 units × 60 months (target < 10 s)
    .venv/bin/python bench/evaluation.py --units 500 --months 36 --repeat 3

A synthetic panel (seeded numpy) with staggered adoption in four cohorts plus never-treated
units and an effect that grows with months since opening; times `estimate_did` (group-time
effects, their aggregate over the treated unit-months, the event study and the pre-trend check)
and, separately, the command's whole path: reading the same panel from the `evaluate_did` CSV\nand estimating. Wall and CPU time are both printed (a shared machine inflates the wall time). Prints the true effect
beside the estimate and its interval.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maeul.settings")

from maeul.evaluation.did import estimate_did, read_panel_csv  # noqa: E402
from maeul.evaluation.tests.synthetic import panel_csv, staggered_panel  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3500)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    m = args.months
    cohorts = [m // 3, m // 2, 2 * m // 3, 5 * m // 6, None]
    panel, true = staggered_panel(
        n_units=args.units, n_months=m, cohorts=cohorts, effect=1.0, growth=0.05, seed=2026
    )
    times, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = estimate_did(panel)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    o = result.overall
    print(
        f"panel: {args.units} units × {m} months, cohorts at months {cohorts[:-1]} + never treated"
    )
    print(
        f"estimate_did: best {min(times):.2f} s, worst {max(times):.2f} s over {args.repeat} runs "
        f"(CPU {min(cpu):.2f} s; target < 10 s)"
    )
    print(
        f"true effect {true:.4f}; estimate {o.estimate:.4f} (95% CI {o.ci_low:.4f} to {o.ci_high:.4f})"
    )
    if result.pre_trend:
        print(
            f"pre-trend check: p = {result.pre_trend.p_value:.3f} (flagged: {result.pre_trend.flagged})"
        )
    text = panel_csv(panel)
    started, started_cpu = time.perf_counter(), time.process_time()
    estimate_did(read_panel_csv(text))
    print(
        f"evaluate_did's path, CSV read + estimate ({len(text) / 1e6:.1f} MB, {args.units * m} rows): "
        f"{time.perf_counter() - started:.2f} s (CPU {time.process_time() - started_cpu:.2f} s)"
    )


if __name__ == "__main__":
    main()
