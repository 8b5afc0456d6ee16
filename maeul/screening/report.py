"""What a screening run shows the gu beside its lists: per group the selection rate and
precision on the hold-out with the ratio of the highest to the lowest group, the yield of each
signal per dong and age band, the calibration chart. Pure NumPy over the run's arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from maeul.screening.features import ACTIVE_DAYS, Features

AGE_BANDS = ("<40", "40-64", "65+", "?")
MIN_GROUP = 5  # a group smaller than this on the hold-out is shown, not compared


def age_band(age: int | None) -> str:
    if age is None:
        return "?"
    return "65+" if age >= 65 else "40-64" if age >= 40 else "<40"


def fairness(
    *,
    selected: np.ndarray,
    y: np.ndarray,
    groups: Mapping[str, Sequence[str]],
) -> list[dict[str, Any]]:
    """For each grouping (age band, sex, disability, dong): per group the households on the
    hold-out, the share selected (the model's top k) and the share in need among those
    selected; the ratio of the highest to the lowest rate over groups of ``MIN_GROUP``+."""
    out = []
    for name, labels in groups.items():
        labels_arr = np.asarray(labels, dtype=object)
        rows = []
        for value in sorted(set(labels_arr.tolist()), key=str):
            mask = labels_arr == value
            n = int(mask.sum())
            sel = int((selected & mask).sum())
            hits = float(y[selected & mask].sum())
            rows.append(
                {
                    "group": value,
                    "n": n,
                    "selected": sel,
                    "selection_rate": sel / n if n else 0.0,
                    "precision": hits / sel if sel else None,
                }
            )
        big = [r for r in rows if r["n"] >= MIN_GROUP]
        rates = [r["selection_rate"] for r in big]
        precisions = [r["precision"] for r in big if r["precision"] is not None]
        out.append(
            {
                "grouping": name,
                "rows": rows,
                "selection_ratio": _ratio(rates),
                "precision_ratio": _ratio(precisions),
            }
        )
    return out


def _ratio(values: list[float]) -> float | None:
    if len(values) < 2 or min(values) <= 0:
        return None
    return max(values) / min(values)


def signal_yield(
    *, features: Features, y: np.ndarray, dong: Sequence[Any], band: Sequence[str]
) -> list[dict[str, Any]]:
    """Per signal × dong × age band, among visited households on whom that signal was active
    at the visit, how many there were and the share found in need — most seen first."""
    rows: dict[tuple[str, Any, str], list[float]] = {}
    dong_arr = np.asarray(dong, dtype=object)
    band_arr = np.asarray(band, dtype=object)
    for code in features.codes:
        active = features.column(code, "last_days") < ACTIVE_DAYS
        for i in np.flatnonzero(active):
            key = (code, dong_arr[i], band_arr[i])
            cell = rows.setdefault(key, [0, 0.0])
            cell[0] += 1
            cell[1] += float(y[i])
    out = [
        {"signal": k[0], "dong": k[1], "band": k[2], "n": int(v[0]), "yield": v[1] / v[0]}
        for k, v in rows.items()
    ]
    out.sort(key=lambda r: (-r["n"], r["signal"], str(r["dong"]), r["band"]))
    return out


#: how many outcomes' worth of weight the wider estimate carries when a narrower one (a signal,
#: then a signal in one dong and age band) is estimated from few outcomes
YIELD_PRIOR = 10.0


def yield_table(
    *, features: Features, y: np.ndarray, dong: Sequence[Any], band: Sequence[str]
) -> dict[str, Any]:
    """The yields a run feeds to the next when it has too few outcomes to train the model:
    per signal, and per signal × dong × age band, the share found in need among the visited
    on whom it was active, each shrunk toward the wider share (``YIELD_PRIOR`` outcomes'
    worth: the overall share for a signal, the signal's for a cell), so a cell seen twice
    does not swing the list."""
    y = np.asarray(y, dtype=np.float64)
    overall = float(y.mean()) if len(y) else 0.0
    dong_arr = np.asarray(dong, dtype=object)
    band_arr = np.asarray(band, dtype=object)
    per_signal: dict[str, float] = {}
    cells: dict[tuple[str, Any, str], float] = {}
    for code in features.codes:
        rows = np.flatnonzero(features.column(code, "last_days") < ACTIVE_DAYS)
        signal = (y[rows].sum() + YIELD_PRIOR * overall) / (len(rows) + YIELD_PRIOR)
        per_signal[code] = float(signal)
        seen: dict[tuple[Any, str], list[float]] = {}
        for i in rows:
            cell = seen.setdefault((dong_arr[i], band_arr[i]), [0, 0.0])
            cell[0] += 1
            cell[1] += float(y[i])
        for (d, b), (n, hits) in seen.items():
            cells[(code, d, b)] = float((hits + YIELD_PRIOR * signal) / (n + YIELD_PRIOR))
    return {"overall": overall, "signal": per_signal, "cell": cells}


def yield_scores(
    *, features: Features, dong: Sequence[Any], band: Sequence[str], table: Mapping[str, Any]
) -> np.ndarray:
    """Each household's chance that at least one of its active signals pays off, from the
    yields measured so far (``yield_table``; a signal never seen counts at the overall
    share): ``1 - Π(1 - yield)`` over its active signals, 0 without one."""
    dong_arr = np.asarray(dong, dtype=object)
    band_arr = np.asarray(band, dtype=object)
    miss = np.ones(len(features.keys), dtype=np.float64)
    for code in features.codes:
        rows = np.flatnonzero(features.column(code, "last_days") < ACTIVE_DAYS)
        signal = table["signal"].get(code, table["overall"])
        miss[rows] *= 1 - np.array(
            [table["cell"].get((code, dong_arr[i], band_arr[i]), signal) for i in rows],
            dtype=np.float64,
        )
    return 1 - miss


def calibration_svg_points(
    bins: Sequence[Mapping[str, float]], *, size: int = 240, pad: int = 30
) -> dict[str, Any]:
    """Coordinates of the calibration chart (predicted on x, observed on y, both 0-1): the
    dots per decile and the diagonal, for the template's inline SVG (no script)."""
    inner = size - 2 * pad

    def xy(p: float, o: float) -> tuple[float, float]:
        return pad + p * inner, size - pad - o * inner

    dots = []
    for b in bins:
        x, yy = xy(b["predicted"], b["observed"])
        dots.append({"x": round(x, 1), "y": round(yy, 1), **b})
    path = " ".join(f"{d['x']},{d['y']}" for d in dots)
    ticks = [
        {"v": v, "x": round(xy(v, 0)[0], 1), "y": round(xy(0, v)[1], 1)}
        for v in (0, 0.25, 0.5, 0.75, 1)
    ]
    return {
        "size": size,
        "pad": pad,
        "low": size - pad,
        "high": pad,
        "dots": dots,
        "path": path,
        "ticks": ticks,
    }
