"""A synthetic district (or nation) of crisis signals and visit outcomes, from a latent-need
model with the traps a careless screening model falls into. Pure NumPy/Polars (no Django), so
that the benchmark and the tests make 1,000,000 households / 20,000,000 events in seconds.

The model (docs/screening.md, "The synthetic generator", says it in full):

- Each household has a head's age, sex, disability, a dong and a latent vulnerability
  ``v ~ N(0, 1)`` (+0.3 with a disability, +0.2 for a head of 65 or more).
- A household falls into **crisis episodes** (one, sometimes two) with probability
  ``sigmoid(-1.7 + v)`` over the years covered; an episode starts uniformly in time and lasts
  60 days + Exponential(540 days). A household is **in need** on a day inside an episode.
- In an episode each signal kind is one of the household's *channels* with probability ``q``
  and then fires ``0.15 r`` times a month (``CHANNEL``, calibrated); its value (months in arrears) grows with the months
  since the episode began, amounts are larger. Every kind also fires in the background at a
  base rate for anyone (``BACKGROUND`` × the rate column of ``SIGNALS``), with a small value.
- **Trap 1**, a frequent signal that tracks age and disability but not need: ``medical_use``
  fires 0.02/month for everyone, +0.20 for a head of 65+, +0.20 with a disability, never more
  in need. A raw count of signals ranks the old and the disabled first.
- **Trap 2**, stale signals: episodes of years ago ended long since, but their signals are in
  the data (five years of history).
- **Trap 3**, one event from two sources: 15 % of events are reported again, 0-3 days later in
  the same month, with the same value.
- **Trap 4**, selection bias in the labels: outcomes exist only for visited households, and
  each dong's hub visited, every two months, its capacity of households ranked by the *old
  rule* (raw count of the year's signals, duplicates and all), plus a few referrals; the
  outcome is whether the household was in need that day (3 % recorded wrongly, 8 %
  unreachable and left out).
- An uncatalogued code (``K31``) behaves like a real signal: the pipeline must learn it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

EPOCH = dt.date(1970, 1, 1)

# code: (background rate / month, channel probability in an episode, rate / month as a channel,
#        unit of the value: "months" | "krw" | "")
SIGNALS: dict[str, tuple[float, float, float, str]] = {
    "electricity_arrears": (0.004, 0.45, 0.35, "months"),
    "electricity_cut": (0.0005, 0.12, 0.15, ""),
    "water_arrears": (0.004, 0.30, 0.30, "months"),
    "water_cut": (0.0003, 0.08, 0.12, ""),
    "gas_arrears": (0.004, 0.35, 0.30, "months"),
    "gas_cut": (0.0004, 0.10, 0.12, ""),
    "health_insurance_arrears": (0.006, 0.55, 0.40, "months"),
    "pension_arrears": (0.010, 0.30, 0.30, "months"),
    "telecom_arrears": (0.020, 0.30, 0.30, "months"),
    "rent_arrears": (0.002, 0.25, 0.35, "months"),
    "maintenance_fee_arrears": (0.005, 0.30, 0.30, "months"),
    "job_loss": (0.004, 0.25, 0.08, ""),
    "business_closure": (0.002, 0.10, 0.06, ""),
    "financial_delinquency": (0.010, 0.40, 0.25, "krw"),
    "catastrophic_medical": (0.002, 0.12, 0.10, "krw"),
    "medical_use": (0.0, 0.0, 0.0, ""),  # trap 1: its rate is set from age and disability
    "head_death": (0.0002, 0.03, 0.05, ""),
    "suicide_risk": (0.0003, 0.04, 0.08, ""),
    "crime_victim": (0.0005, 0.02, 0.05, ""),
    "disaster": (0.0003, 0.01, 0.05, ""),
    "housing_vulnerable": (0.001, 0.10, 0.15, ""),
    "industrial_accident": (0.0004, 0.03, 0.05, ""),
    "benefit_rejected": (0.001, 0.10, 0.10, ""),
    "facility_exit": (0.0002, 0.02, 0.05, ""),
    "K31": (0.003, 0.15, 0.20, "months"),  # not in the catalogue
}
CODES = list(SIGNALS)
AGE_BANDS = ["<40", "40-64", "65+"]
DUPLICATE_SHARE = 0.15
LABEL_NOISE = 0.03
UNREACHABLE = 0.08
REFERRAL_SHARE = 0.2
CYCLE_DAYS = 61
#: calibrated together (docs/screening.md, "Calibration"): about 20 events a household, and
#: the naive rule's list hits about 31 %, mid-way in the published 20-44 %
BACKGROUND = 2.4  # arrears are common outside any crisis
CHANNEL = 0.15  # a crisis shows in few of the data, rarely


def age_band(age: np.ndarray) -> np.ndarray:
    """0: under 40, 1: 40-64, 2: 65 and over (``AGE_BANDS``)."""
    return np.where(age >= 65, 2, np.where(age >= 40, 1, 0)).astype(np.int8)


@dataclass
class Synthetic:
    """The generated data: ``households`` (household, dong, age, sex, disability),
    ``signals`` (household, signal, observed_on, value), ``outcomes`` (household,
    observed_on, in_need) and the truth: the episodes, to ask who is in need on any day."""

    households: pl.DataFrame
    signals: pl.DataFrame
    outcomes: pl.DataFrame
    episode_household: np.ndarray
    episode_start: np.ndarray  # days since 1970-01-01
    episode_end: np.ndarray
    capacity: dict[int, int]  # dong → households visited per cycle
    today: dt.date

    def in_need(self, on: dt.date) -> np.ndarray:
        """True per household (indexed by household id) for those in need on that day."""
        day = (on - EPOCH).days
        n = self.households.height
        live = (self.episode_start <= day) & (day < self.episode_end)
        out = np.zeros(n, dtype=bool)
        out[self.episode_household[live]] = True
        return out

    def write(self, directory: Path | str, *, fmt: str = "parquet") -> dict[str, Path]:
        """``signals``, ``outcomes`` and ``households`` as Parquet or CSV files."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = {}
        for name in ("signals", "outcomes", "households"):
            frame: pl.DataFrame = getattr(self, name)
            path = directory / f"{name}.{fmt}"
            if fmt == "parquet":
                frame.write_parquet(path, compression="lz4")
            elif fmt == "csv":
                frame.with_columns(
                    [pl.col(c).cast(pl.String) for c, t in frame.schema.items() if t == pl.Enum]
                ).write_csv(path)
            else:
                raise ValueError(f"unknown format {fmt!r}")
            paths[name] = path
        return paths


def generate(
    *,
    households: int,
    today: dt.date,
    seed: int = 0,
    years: int = 5,
    households_per_dong: int = 4000,
    capacity_share: float = 0.012,
    outcome_years: int = 2,
    background: float = BACKGROUND,
    channel: float = CHANNEL,
    duplicates: float = DUPLICATE_SHARE,
    referrals: float = REFERRAL_SHARE,
    label_noise: float = LABEL_NOISE,
) -> Synthetic:
    """Generate ``households`` households with ``years`` of signals up to the day before
    ``today`` and ``outcome_years`` of bimonthly visiting cycles. About 20 events a household.
    ``background``, ``channel``, ``duplicates``, ``referrals`` and ``label_noise`` change the
    world (the defaults are the calibrated one): a model is checked on other worlds too."""
    if households < 1:
        raise ValueError("households must be at least 1")
    rng = np.random.default_rng(seed)
    n = households
    t1 = (today - EPOCH).days
    t0 = t1 - 365 * years
    span = t1 - t0
    months = span / 30.4

    # households
    n_dongs = max(1, round(n / households_per_dong))
    dong = rng.integers(0, n_dongs, n).astype(np.int32)
    age = np.clip(rng.normal(55, 17, n), 20, 99).astype(np.int16)
    sex = rng.integers(0, 2, n).astype(np.int8)  # 0 male, 1 female
    disability = rng.random(n) < (0.04 + 0.08 * (age >= 65))
    v = rng.standard_normal(n) + 0.3 * disability + 0.2 * (age >= 65)

    # crisis episodes (one, and for a fifth of those a second)
    p_episode = 1 / (1 + np.exp(1.7 - v))
    first = np.flatnonzero(rng.random(n) < p_episode)
    second = first[rng.random(first.size) < 0.2]
    ep_h = np.concatenate([first, second]).astype(np.int32)
    ep_start = rng.integers(t0 - 365, t1, ep_h.size).astype(np.int32)
    ep_end = (ep_start + 60 + rng.exponential(540, ep_h.size)).astype(np.int32)

    parts_h, parts_c, parts_d, parts_v = [], [], [], []

    # background signals: every kind at its base rate, value small
    base = np.array([SIGNALS[c][0] for c in CODES])
    counts = rng.poisson(background * base * months, size=(n, len(CODES)))
    med = CODES.index("medical_use")
    counts[:, med] = rng.poisson((0.02 + 0.20 * (age >= 65) + 0.20 * disability) * months)
    flat = counts.ravel()
    idx = np.repeat(np.arange(flat.size, dtype=np.int64), flat)
    h = (idx // len(CODES)).astype(np.int32)
    c = (idx % len(CODES)).astype(np.int16)
    parts_h.append(h)
    parts_c.append(c)
    parts_d.append(rng.integers(t0, t1, h.size).astype(np.int32))
    parts_v.append(rng.integers(1, 3, h.size).astype(np.float64))

    # episode signals: the household's channels fire at their rate while the episode lasts
    q = np.array([SIGNALS[c][1] for c in CODES])
    r = np.array([SIGNALS[c][2] for c in CODES])
    lo = np.maximum(ep_start, t0)
    hi = np.minimum(ep_end, t1)
    live_months = np.clip(hi - lo, 0, None) / 30.4
    channels = rng.random((ep_h.size, len(CODES))) < q
    ecounts = rng.poisson(channel * r * live_months[:, None] * channels)
    flat = ecounts.ravel()
    idx = np.repeat(np.arange(flat.size, dtype=np.int64), flat)
    e = idx // len(CODES)
    c = (idx % len(CODES)).astype(np.int16)
    d = (lo[e] + rng.random(e.size) * np.maximum(hi[e] - lo[e], 1)).astype(np.int32)
    elapsed = (d - ep_start[e]) / 30.4
    parts_h.append(ep_h[e])
    parts_c.append(c)
    parts_d.append(d)
    parts_v.append(np.minimum(1 + np.floor(elapsed), 24))

    h = np.concatenate(parts_h)
    c = np.concatenate(parts_c)
    d = np.concatenate(parts_d)
    val = np.concatenate(parts_v)
    units = np.array([SIGNALS[x][3] for x in CODES])
    krw = units[c] == "krw"
    val[krw] = np.round(val[krw] * rng.lognormal(13.5, 0.6, int(krw.sum())), -3)
    val[units[c] == ""] = np.nan

    # trap 3: a second source reports the same event a few days later, same month
    dup = np.flatnonzero(rng.random(h.size) < duplicates)
    dd = d[dup].astype("datetime64[D]")
    month_end = ((dd.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)
    shifted = np.minimum(d[dup] + rng.integers(0, 4, dup.size), np.minimum(month_end, t1 - 1))
    h = np.concatenate([h, h[dup]])
    c = np.concatenate([c, c[dup]])
    d = np.concatenate([d, shifted.astype(np.int32)])
    val = np.concatenate([val, val[dup]])

    order = np.argsort(d, kind="stable")
    h, c, d, val = h[order], c[order], d[order], val[order]

    signals = pl.DataFrame(
        {
            "household": h,
            "signal": pl.Series(CODES, dtype=pl.Enum(CODES)).gather(c.astype(np.uint32)),
            "observed_on": pl.Series(d, dtype=pl.Int32).cast(pl.Date),
            "value": pl.Series(val).fill_nan(None),
        }
    )
    house = pl.DataFrame(
        {
            "household": np.arange(n, dtype=np.int32),
            "dong": dong,
            "age": age,
            "sex": pl.Series(np.where(sex == 1, "F", "M")),
            "disability": disability,
        }
    )
    syn = Synthetic(
        households=house,
        signals=signals,
        outcomes=pl.DataFrame(),
        episode_household=ep_h,
        episode_start=ep_start,
        episode_end=ep_end,
        capacity={},
        today=today,
    )
    _visit(
        syn,
        rng=rng,
        h=h,
        d=d,
        v=v,
        n_dongs=n_dongs,
        share=capacity_share,
        years=outcome_years,
        referral_share=referrals,
        label_noise=label_noise,
    )
    return syn


def _visit(
    syn: Synthetic,
    *,
    rng: np.random.Generator,
    h: np.ndarray,
    d: np.ndarray,
    v: np.ndarray,
    n_dongs: int,
    share: float,
    years: int,
    referral_share: float,
    label_noise: float,
) -> None:
    """Trap 4: the hubs visit whom the old rule lists (plus referrals); outcomes only for them."""
    n = syn.households.height
    dong = syn.households["dong"].to_numpy()
    per_dong = np.bincount(dong, minlength=n_dongs)
    capacity = np.maximum(1, np.round(per_dong * share)).astype(np.int64)
    syn.capacity = {i: int(capacity[i]) for i in range(n_dongs)}
    t1 = (syn.today - EPOCH).days
    last_visit = np.full(n, -(10**6), dtype=np.int64)
    rows_h, rows_d, rows_y = [], [], []
    cycles = range(t1 - 365 * years, t1, CYCLE_DAYS)
    referral_weight = np.exp(v)
    referral_weight /= referral_weight.sum()
    for day in cycles:
        window = (d >= day - 365) & (d < day)
        score = np.bincount(h[window], minlength=n).astype(np.float64)
        score[last_visit > day - 180] = -1  # visited lately: not again
        key = score + rng.random(n) * 0.5  # ties at random
        order = np.lexsort((-key, dong))
        rank = np.empty(n, dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(per_dong)[:-1]])
        rank[order] = np.arange(n) - np.repeat(starts, per_dong)
        chosen = np.flatnonzero((rank < capacity[dong]) & (score > 0))
        referrals = rng.choice(
            n, size=max(1, int(chosen.size * referral_share)), replace=False, p=referral_weight
        )
        chosen = np.union1d(chosen, referrals)
        chosen = chosen[last_visit[chosen] <= day - 180]
        visit_day = day + rng.integers(0, 30, chosen.size)
        last_visit[chosen] = visit_day
        pos = np.full(n, -1, dtype=np.int64)
        pos[chosen] = np.arange(chosen.size)
        mine = np.flatnonzero(pos[syn.episode_household] >= 0)
        at = pos[syn.episode_household[mine]]
        live = (syn.episode_start[mine] <= visit_day[at]) & (visit_day[at] < syn.episode_end[mine])
        y = np.zeros(chosen.size, dtype=bool)
        y[at[live]] = True
        flip = rng.random(chosen.size) < label_noise
        y = np.where(flip, ~y, y)
        reached = rng.random(chosen.size) >= UNREACHABLE
        rows_h.append(chosen[reached])
        rows_d.append(visit_day[reached])
        rows_y.append(y[reached])
    hh = np.concatenate(rows_h).astype(np.int32) if rows_h else np.zeros(0, np.int32)
    dd = np.concatenate(rows_d).astype(np.int32) if rows_d else np.zeros(0, np.int32)
    yy = np.concatenate(rows_y).astype(np.int8) if rows_y else np.zeros(0, np.int8)
    dd = np.minimum(dd, t1 - 1)
    syn.outcomes = pl.DataFrame(
        {
            "household": hh,
            "observed_on": pl.Series(dd, dtype=pl.Int32).cast(pl.Date),
            "in_need": yy,
        }
    ).sort("observed_on", "household")


def rule_hit_rate(syn: Synthetic, on: dt.date, *, seed: int = 0) -> float:
    """The naive rule's hit rate on ``on``: each dong lists its capacity of households with
    the most active signals (distinct kinds observed in the last 180 days before the day;
    ties at random; none without an active signal), and the share of the listed who are in
    need that day — the figure the national system published (about 20 % in 2016, 44 %
    cumulatively to 2023), against which the generator is calibrated."""
    day = pl.lit(on)
    active = (
        syn.signals.filter(
            (pl.col("observed_on") < day) & (pl.col("observed_on") > day - pl.duration(days=180))
        )
        .group_by("household")
        .agg(pl.col("signal").n_unique().alias("n"))
    )
    n = syn.households.height
    score = np.zeros(n, dtype=np.float64)
    score[active["household"].to_numpy()] = active["n"].to_numpy()
    dong = syn.households["dong"].to_numpy()
    key = score + np.random.default_rng(seed).random(n) * 0.5
    order = np.lexsort((-key, dong))
    per_dong = np.bincount(dong)
    starts = np.concatenate([[0], np.cumsum(per_dong)[:-1]])
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - np.repeat(starts, per_dong)
    capacity = np.array([syn.capacity[i] for i in range(len(per_dong))])
    chosen = (rank < capacity[dong]) & (score > 0)
    return float(syn.in_need(on)[chosen].mean()) if chosen.any() else 0.0
