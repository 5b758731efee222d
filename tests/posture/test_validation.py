"""Validation against SYNTHETIC recordings with known truth (issue 4 acceptance).

Every recording has a 25° mounting tilt in a random direction, 3° of mounting yaw, a 2 °/s
gyroscope bias, 1 % scale errors, accelerometer bias and noise, timestamp jitter, walking
and the scenario's bends. Targets: time in each zone within 2 % of the duration, p50 and
p90 flexion within 3°. Seed 0 is the simulator's default seed, not a chosen one; the slow
test below runs ten seeds per case and docs/posture.md reports the distribution.
"""

from __future__ import annotations

import numpy as np
import pytest

from spinewise.posture.simulate import simulate
from spinewise.posture.stream import analyze

ZONES = ("neutral", "flexed", "severe")


def errors(
    scenario: str, rate_hz: float, seed: int, duration_s: float = 1200.0
) -> tuple[float, float]:
    sim = simulate(scenario, rate_hz, duration_s, seed=seed)
    truth = sim.truth_summary()
    report = analyze(sim.samples)
    zone_err = max(
        abs(report.time_in_zone_s[z] - truth["time_in_zone_s"][z]) / report.duration_s
        for z in ZONES
    )
    pct_err = max(
        abs(report.flexion_deg[p] - truth["flexion_deg"][p])  # type: ignore[operator]
        for p in ("p50", "p90")
    )
    return zone_err, pct_err


@pytest.mark.parametrize("rate_hz", [50.0, 100.0])
@pytest.mark.parametrize("scenario", ["office", "warehouse", "home", "mixed"])
def test_zone_times_within_2_percent_and_percentiles_within_3_degrees(
    scenario: str, rate_hz: float
) -> None:
    zone_err, pct_err = errors(scenario, rate_hz, seed=0)
    assert zone_err < 0.02
    assert pct_err < 3.0


def test_low_and_high_sample_rates_are_handled() -> None:
    for rate in (25.0, 200.0):
        zone_err, pct_err = errors("warehouse", rate, seed=1, duration_s=600.0)
        assert zone_err < 0.02 and pct_err < 3.0


@pytest.mark.slow
def test_error_distribution_over_many_recordings() -> None:
    zone, pct = [], []
    for scenario in ("office", "warehouse", "home", "mixed"):
        for rate in (50.0, 100.0):
            for seed in range(10):
                z, p = errors(scenario, rate, seed)
                zone.append(z)
                pct.append(p)
    assert max(pct) < 3.0
    assert np.median(zone) < 0.015
    assert np.mean(np.array(zone) < 0.02) >= 0.85


def test_walking_and_lying_time_match_the_truth() -> None:
    # SYNTHETIC home recording with 7.9 min lying and 43 s walking (seed 3, the first of
    # seeds 0–3 whose random timeline contains lying).
    sim = simulate("home", 50.0, 1200.0, seed=3)
    truth = sim.truth_summary()["activity_s"]
    report = analyze(sim.samples)
    assert truth["lying"] > 400
    assert abs(report.activity_s["lying"] - truth["lying"]) < 0.02 * truth["lying"]
    assert abs(report.activity_s["walking"] - truth["walking"]) < 0.10 * truth["walking"]
