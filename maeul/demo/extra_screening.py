"""The demo district's crisis signals and the outcomes of the national lists before maeul,
from the screening generator's latent-need model (maeul.screening.synth), so that a screening
run of the demo has signals to rank and past outcomes to learn from."""

from __future__ import annotations

import datetime as dt

import numpy as np

from maeul.people.models import Household
from maeul.screening.services import (
    NewOutcome,
    NewSignal,
    outcomes_import,
    signals_bulk_record,
)
from maeul.screening.synth import generate


def build(*, seed: int, today: dt.date, org, scale: float) -> dict[str, int]:
    households = list(
        Household.objects.filter(dong__in=org.dongs).order_by("pk").values_list("pk", "dong_id")
    )
    if not households:
        return {}
    syn = generate(households=len(households), today=today, seed=seed, years=4)
    ids = np.array([h for h, _ in households])
    dongs = np.array([d for _, d in households])
    s = syn.signals
    rows = s["household"].to_numpy()
    values = s["value"].to_list()
    signals = [
        NewSignal(
            household_id=int(ids[r]),
            dong_id=int(dongs[r]),
            signal=code,
            observed_on=day,
            value=value,
            source="demo",
        )
        for r, code, day, value in zip(
            rows, s["signal"].cast(str).to_list(), s["observed_on"].to_list(), values, strict=True
        )
    ]
    o = syn.outcomes
    orow = o["household"].to_numpy()
    outcomes = [
        NewOutcome(
            household_id=int(ids[r]), dong_id=int(dongs[r]), observed_on=day, in_need=bool(y)
        )
        for r, day, y in zip(orow, o["observed_on"].to_list(), o["in_need"].to_list(), strict=True)
    ]
    return {
        "crisis_signal_events": signals_bulk_record(signals),
        "screening_outcomes": outcomes_import(outcomes),
    }
