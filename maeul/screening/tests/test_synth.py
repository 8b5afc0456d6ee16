"""The generator is calibrated to the published figures of the national system, not to make
any model win: its naive rule's list hits within the published range (about 20 % in 2016,
44 % cumulatively to 2023), with about 20 events a household (docs/screening.md,
"Calibration")."""

from __future__ import annotations

import datetime as dt

from maeul.screening.synth import generate, rule_hit_rate

TODAY = dt.date(2026, 1, 1)


def test_the_naive_rule_hits_within_the_published_range():
    syn = generate(households=40_000, today=TODAY, seed=3)
    assert 18 <= syn.signals.height / syn.households.height <= 22
    for day in (dt.date(2024, 7, 1), dt.date(2025, 7, 1)):
        assert 0.20 <= rule_hit_rate(syn, day) <= 0.44


def test_a_louder_world_makes_the_rule_hit_more():
    # the calibration's lever: a crisis that shows in more of the data is easier to count
    loud = generate(households=20_000, today=TODAY, seed=3, channel=0.35)
    quiet = generate(households=20_000, today=TODAY, seed=3)
    day = dt.date(2025, 7, 1)
    assert rule_hit_rate(loud, day) > rule_hit_rate(quiet, day) + 0.1
