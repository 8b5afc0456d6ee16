"""Benchmark of blind-spot screening (issue 11) on a synthetic nation-sized district.

    .venv/bin/python bench/screening.py                      # 1,000,000 households, ~20M events
    .venv/bin/python bench/screening.py --households 200000  # smaller
    .venv/bin/python bench/screening.py --regenerate         # new data (else reused from --dir)
    .venv/bin/python bench/screening.py --households 200000 --seed 11 --background 4 \
        --channel 0.1 --duplicates 0.3 --referrals 0.4 --label-noise 0.06  # another world

Generates (once; kept under ``--dir``, default /tmp/maeul-screening-bench) the synthetic
households, signals and outcomes of ``maeul.screening.synth`` as Parquet, then prints:

- feature events per second: every event of the file read, deduplicated, decayed and
  aggregated per household × signal by the Ibis expression on DuckDB, and pivoted to the
  feature matrix (target ≥ 3,000,000/s), twice: the first pass in a fresh process (with the
  engine's once-per-process start-up) and the steady rate of a second pass, which the
  projection uses;
- households scored per second by the compiled model (lleaves; target ≥ 1,000,000/s), with
  LightGBM's own predict for comparison and the largest difference between the two;
- peak memory of the process (resident set);
- the projected time for 22,000,000 households (features + scoring, linear in the data;
  target < 5 min);
- on the hold-out (outcomes on or after the split date, signals before it) precision@k,
  recall@k and AUC of the model and of the rule at the hubs' capacity (the households all
  hubs visit in one two-month cycle; target: model ≥ 1.5× the rule), the ceiling of any
  scorer (knowing from the truth exactly who is in need on the split day), and — what only
  synthetic data allows — the same at that capacity over *every* household, judged by the
  truth (in need on the split date), the list drawn as a screening run draws it.

Figures on the 2-core machine depend on what else runs on it: the load average is printed,
and beside each wall-clock rate the rate the process's own CPU time gives over the cores it
was allowed (what the figure would be with the machine to itself).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maeul.screening import features as F  # noqa: E402
from maeul.screening import synth  # noqa: E402
from maeul.screening.model import (  # noqa: E402
    auc,
    listed,
    precision_recall_at_k,
    rule_scores,
)
from maeul.screening.pipeline import fit, read_outcomes  # noqa: E402

TODAY = dt.date(2026, 1, 1)
SPLIT = dt.date(2025, 7, 1)
NATION = 22_000_000


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--dir", default="/tmp/maeul-screening-bench")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    world = parser.add_argument_group(
        "the world", "another generator's settings (default: the calibrated one)"
    )
    world.add_argument("--seed", type=int, default=1)
    world.add_argument("--background", type=float, default=synth.BACKGROUND)
    world.add_argument("--channel", type=float, default=synth.CHANNEL)
    world.add_argument("--duplicates", type=float, default=synth.DUPLICATE_SHARE)
    world.add_argument("--referrals", type=float, default=synth.REFERRAL_SHARE)
    world.add_argument("--label-noise", type=float, default=synth.LABEL_NOISE)
    args = parser.parse_args()
    settings = {
        "seed": args.seed,
        "background": args.background,
        "channel": args.channel,
        "duplicates": args.duplicates,
        "referrals": args.referrals,
        "label_noise": args.label_noise,
    }
    tag = "-".join(f"{k}{v:g}" for k, v in settings.items())
    directory = Path(args.dir) / f"{args.households}-{tag}"
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("world: " + ", ".join(f"{k} {v:g}" for k, v in settings.items()))

    t = time.perf_counter()
    if args.regenerate or not (directory / "signals.parquet").exists():
        syn = synth.generate(households=args.households, today=TODAY, **settings)
        syn.write(directory)
        print(
            "the naive rule's hit rate at the hubs' capacity on "
            f"{SPLIT}: {synth.rule_hit_rate(syn, SPLIT):.1%} "
            "(published: about 20 % in 2016, 44 % cumulatively to 2023)"
        )
        np.savez(
            directory / "truth.npz",
            h=syn.episode_household,
            s=syn.episode_start,
            e=syn.episode_end,
            cap=np.array(list(syn.capacity.values())),
        )
        print(f"generated and written in {time.perf_counter() - t:.1f} s")
    truth = np.load(directory / "truth.npz")
    capacity = int(truth["cap"].sum())
    households = pl.read_parquet(directory / "households.parquet")
    n_events = pl.scan_parquet(directory / "signals.parquet").select(pl.len()).collect().item()
    print(f"{households.height:,} households, {n_events:,} signal events (Parquet, {directory})")

    con = F.connect(threads=args.threads)
    events = F.read_signals(con, directory / "signals.parquet")

    # features of every household on the split date
    # Twice: the first pass in this fresh process also pays once-per-process costs (the
    # query engine's and Ibis's first query, the first touch of the matrix's memory); the
    # second is the rate of every further district of a national run in one process.
    for label in ("first pass, fresh process", "second pass (steady rate)"):
        everyone = None  # the first pass's matrix freed before the second is built
        t, cpu = time.perf_counter(), time.process_time()
        codes = F.signal_codes(events)
        everyone = F.features_as_of(events, as_of=SPLIT, codes=codes)
        feat_s, feat_cpu = time.perf_counter() - t, time.process_time() - cpu
        print(
            f"features, {label}: {len(codes)} signal codes learned, {everyone.X.shape[0]:,} × "
            f"{everyone.X.shape[1]} in {feat_s:.2f} s → {n_events / feat_s:,.0f} events/s "
            f"(target ≥ 3,000,000/s); CPU {feat_cpu:.1f} s → "
            f"{n_events / (feat_cpu / args.threads):,.0f} events/s if the {args.threads} cores "
            "were ours alone"
        )

    # training on the outcomes before the split
    outcomes = read_outcomes(directory / "outcomes.parquet")
    t, cpu = time.perf_counter(), time.process_time()
    model, train_feats, _ = fit(events, outcomes, codes=codes, before=SPLIT)
    print(
        f"training: {train_feats.X.shape[0]:,} past outcomes × {train_feats.X.shape[1]} "
        f"features, {model.rounds} trees, {time.perf_counter() - t:.1f} s "
        f"(CPU {time.process_time() - cpu:.1f} s)"
    )

    # scoring
    t = time.perf_counter()
    model.compiled()
    print(f"compiling the model (lleaves): {time.perf_counter() - t:.1f} s (once per model)")
    X = np.ascontiguousarray(everyone.X)
    model.raw_fast(X[:1000])
    t, cpu = time.perf_counter(), time.process_time()
    fast = model.raw_fast(X, threads=args.threads)
    score_s, score_cpu = time.perf_counter() - t, time.process_time() - cpu
    t = time.perf_counter()
    reference = model.raw(X)
    ref_s = time.perf_counter() - t
    print(
        f"scoring: {len(X):,} households in {score_s:.3f} s → {len(X) / score_s:,.0f}/s "
        f"(target ≥ 1,000,000/s); LightGBM's predict {len(X) / ref_s:,.0f}/s; "
        f"largest difference {np.abs(fast - reference).max():.1e}; CPU {score_cpu:.2f} s → "
        f"{len(X) / (score_cpu / args.threads):,.0f}/s if the cores were ours alone"
    )
    print(f"peak memory: {_peak_gib():.2f} GiB")
    per_household = (feat_s + score_s) / max(households.height, 1)
    projected = per_household * NATION
    alone = (feat_cpu + score_cpu) / args.threads / max(households.height, 1) * NATION
    print(
        f"projected for {NATION:,} households (features at the steady rate, scoring): "
        f"{projected / 60:.1f} min "
        f"({projected:.0f} s; target < 5 min); {alone / 60:.1f} min from the CPU time"
    )

    # the hold-out at the hubs' capacity
    later = (
        outcomes.filter(pl.col("observed_on") >= SPLIT)
        .group_by("household")
        .agg(pl.col("in_need").max())
        .sort("household")
    )
    test = F.features_as_of(
        events, as_of=SPLIT, codes=codes, households=later["household"].to_numpy()
    )
    y = later["in_need"].to_numpy().astype(float)
    p_model = model.predict(test.X)
    p_rule = rule_scores(test)
    print(
        f"hold-out: {len(y):,} households visited on or after {SPLIT} "
        f"({y.mean():.1%} found in need); k = {capacity:,} (one cycle of every hub)"
    )
    figures = {}
    for name, score in (("model", p_model), ("rule", p_rule)):
        p, r = precision_recall_at_k(score, y, capacity)
        figures[name] = p
        print(f"  {name:5}  precision@k {p:.3f}  recall@k {r:.3f}  AUC {auc(score, y):.3f}")
    print(f"  model / rule precision@k: {figures['model'] / max(figures['rule'], 1e-9):.2f}×")

    day = (SPLIT - dt.date(1970, 1, 1)).days
    need = np.zeros(households.height, dtype=bool)
    live = (truth["s"] <= day) & (day < truth["e"])
    need[truth["h"][live]] = True
    # the ceiling of any scorer that reads the signals before the split: knowing exactly who
    # is in need on the split day (ties at random); it cannot know who falls into need later
    oracle = need[test.keys] + np.random.default_rng(0).random(len(test.keys)) * 0.5
    p_oracle, _ = precision_recall_at_k(oracle, y, capacity)
    print(
        f"  ceiling (knowing who is in need on {SPLIT}): precision@k {p_oracle:.3f}, "
        f"{p_oracle / max(figures['rule'], 1e-9):.2f}× the rule"
    )
    y_all = need[everyone.keys]
    prevalence = need.mean()
    print(
        f"every household by the truth: {need.sum():,} in need on {SPLIT} ({prevalence:.1%}); "
        f"lists of {capacity:,}"
    )
    p_all = model.calibrate(fast)
    res = {}
    for name, score in (("model", p_all), ("rule", rule_scores(everyone))):
        chosen = listed(score, everyone.active, capacity)
        hits = y_all[chosen].sum()
        res[name] = hits / capacity
        print(
            f"  {name:5}  precision@k {hits / capacity:.3f}  recall@k {hits / need.sum():.3f}  "
            f"AUC {auc(score, y_all):.3f}"
        )
    print(f"  model / rule precision@k: {res['model'] / max(res['rule'], 1e-9):.2f}×")
    print(f"peak memory (end): {_peak_gib():.2f} GiB")


if __name__ == "__main__":
    main()
