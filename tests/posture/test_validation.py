"""Validation against SYNTHETIC recordings with known truth (issue 4 acceptance).

Targets: time in each zone within 2 % of the duration, p50 and p90 flexion within 3°, with
the truth relative to the posture held during calibration (DESIGN §4 defines the angles
that way; ``Simulation.truth_summary``). Two sensor models:

- the issue's conditions: 25° mounting tilt in a random direction, 2 °/s gyroscope bias,
  gyroscope noise and scale error, accelerometer noise, quantisation, timestamp jitter,
  walking and the scenario's bends;
- full realism (the simulator's default): the same plus accelerometer bias (0.01 g) and
  1 % scale error, and 3° of mounting yaw — error sources the issue does not list, which
  cost a few tenths of a degree and so, near the 20° threshold, some time in zone.

Seed 0 is the simulator's default seed, not a chosen one; the slow tests run ten seeds per
case and docs/posture.md reports both distributions.
"""

from __future__ import annotations

import numpy as np
import pytest

from spinewise.posture.simulate import SensorModel, simulate
from spinewise.posture.stream import analyze

ZONES = ("neutral", "flexed", "severe")
ISSUE_CONDITIONS = SensorModel(accel_bias_g=0.0, accel_scale_error=0.0, mount_yaw_deg=0.0)
CASES = [(s, r) for s in ("office", "warehouse", "home", "mixed") for r in (50.0, 100.0)]


def errors(
    scenario: str,
    rate_hz: float,
    seed: int,
    duration_s: float = 1200.0,
    sensor: SensorModel | None = None,
) -> tuple[float, float]:
    sim = simulate(scenario, rate_hz, duration_s, seed=seed, sensor=sensor)
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
def test_every_recording_within_target_under_the_issues_conditions() -> None:
    results = [errors(s, r, seed, sensor=ISSUE_CONDITIONS) for s, r in CASES for seed in range(10)]
    zone, pct = np.array(results).T
    assert zone.max() < 0.02
    assert pct.max() < 3.0


@pytest.mark.slow
def test_error_distribution_with_accelerometer_errors_and_mounting_yaw() -> None:
    results = [errors(s, r, seed) for s, r in CASES for seed in range(10)]
    zone, pct = np.array(results).T
    assert pct.max() < 3.0
    assert np.median(zone) < 0.01
    assert np.mean(zone < 0.02) >= 0.9


def test_truth_is_relative_to_the_calibration_posture() -> None:
    sim = simulate("office", 50.0, 120.0, seed=9)
    relative, upright = sim.truth_summary(), sim.truth_summary(calibration_s=None)
    offset = relative["neutral_offset_deg"]
    assert 0.0 < abs(offset) < 1.0  # breathing and sway while "standing tall"
    assert relative["flexion_deg"]["p50"] == pytest.approx(upright["flexion_deg"]["p50"] - offset)
    assert relative["upright"]["time_in_zone_s"] == upright["time_in_zone_s"]


def test_walking_and_lying_time_match_the_truth() -> None:
    # SYNTHETIC home recording with 7.9 min lying and 43 s walking (seed 3, the first of
    # seeds 0–3 whose random timeline contains lying).
    sim = simulate("home", 50.0, 1200.0, seed=3)
    truth = sim.truth_summary()["activity_s"]
    report = analyze(sim.samples)
    assert truth["lying"] > 400
    assert abs(report.activity_s["lying"] - truth["lying"]) < 0.02 * truth["lying"]
    assert abs(report.activity_s["walking"] - truth["walking"]) < 0.10 * truth["walking"]
