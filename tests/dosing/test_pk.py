"""PK simulation against closed forms and an independent numerical ODE solution (≤ 0.1 %)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from spinewise.core.errors import InvalidInput
from spinewise.dosing.library import PKParams
from spinewise.dosing.pk import (
    periodic_steady_state,
    programme_hourly_levels,
    simulate,
)
from spinewise.dosing.programme import Programme

# Morphine-like kinetics: CSF half-life 1.5 h (Nordberg 1984), 150 mL (adult CSF volume).
PK = PKParams(half_life_h=1.5, volume_ml=150)
K = math.log(2) / 1.5
REL_TOL = 1e-3  # 0.1 %


def _flat(rate: float) -> list[dict[str, object]]:
    return [{"start": "00:00", "rate_ml_per_day": rate}]


def test_constant_infusion_follows_the_closed_form_rise_curve(
    make_programme: Callable[..., Programme],
) -> None:
    # 0.48 mL/day x 10 mg/mL = 4.8 mg/day = 0.2 mg/h; C(t) = R / (kV) (1 - e^(-kt)).
    programme = make_programme(steps=_flat(0.48))
    sim = simulate(programme, PK, days=1, step_min=10)
    t = sim.t_h[1:]
    expected = 0.2 / (K * 150) * (1 - np.exp(-K * t))
    np.testing.assert_allclose(sim.concentration[1:], expected, rtol=REL_TOL)
    assert sim.concentration[0] == 0  # empty compartment at t = 0
    # One half-life in: half of the steady state, 0.2 x 1.5 / (ln 2 x 150) / 2 mg/mL.
    at_half_life = sim.concentration[np.isclose(sim.t_h, 1.5)][0]
    assert at_half_life == pytest.approx(0.2 * 1.5 / (math.log(2) * 150) / 2, rel=REL_TOL)


def test_constant_infusion_settles_at_the_analytic_steady_state(
    make_programme: Callable[..., Programme],
) -> None:
    # After 2 days (32 half-lives) C = R / (kV) = 0.2 mg/h x 1.5 h / (ln 2 x 150 mL).
    programme = make_programme(steps=_flat(0.48))
    sim = simulate(programme, PK, days=2, step_min=60)
    steady = 0.2 * 1.5 / (math.log(2) * 150)
    assert sim.concentration[-1] == pytest.approx(steady, rel=REL_TOL)


def test_a_bolus_alone_decays_by_half_each_half_life(
    make_programme: Callable[..., Programme],
) -> None:
    # Pump off, 0.5 mg at 00:00: C(t) = 0.5 / 150 x 2^(-t / 1.5).
    programme = make_programme(
        steps=_flat(0), bolus={"dose": 0.5, "lockout_min": 60, "max_per_day": 1}
    )
    sim = simulate(programme, PK, days=1, bolus_at=["00:00"], step_min=90)
    expected = 0.5 / 150 * 2.0 ** (-sim.t_h / 1.5)
    # The last sample (24:00) is the next day's bolus time but outside the simulated days.
    np.testing.assert_allclose(sim.concentration, expected, rtol=REL_TOL)


def _reference_ode(
    programme: Programme, days: int, bolus_hours: list[float], dose: float, t_eval: np.ndarray
) -> np.ndarray:
    """Independent solution: adaptive RK45 at tight tolerances, restarted at every bolus and
    step change so the solver never steps across a discontinuity."""
    starts = [s.start_min / 60 for s in programme.steps]
    rates = [s.rate_ml_per_day * programme.concentration / 24 for s in programme.steps]
    end = days * 24.0
    step_times = {d * 24 + s for d in range(days) for s in starts}
    bolus_times = {d * 24 + b for d in range(days) for b in bolus_hours}
    edges = sorted(step_times | bolus_times | {end})
    out = np.empty_like(t_eval)
    level = 0.0
    for lo, hi in itertools.pairwise(edges):
        if lo in bolus_times:
            level += dose / PK.volume_ml
        rate = rates[max(i for i, s in enumerate(starts) if s <= lo % 24)]
        sol = solve_ivp(
            lambda _t, c, r=rate: r / PK.volume_ml - K * c,
            (lo, hi),
            [level],
            dense_output=True,
            rtol=1e-11,
            atol=1e-15,
        )
        mask = (t_eval >= lo) & ((t_eval < hi) | (hi == end))
        out[mask] = sol.sol(t_eval[mask])[0]
        level = float(sol.y[0][-1])
    return out


def test_flex_steps_with_boluses_match_an_independent_ode_solution(
    make_programme: Callable[..., Programme],
) -> None:
    programme = make_programme(
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0.3},
            {"start": "05:30", "rate_ml_per_day": 0.9},
            {"start": "11:00", "rate_ml_per_day": 0.4},
            {"start": "20:15", "rate_ml_per_day": 0},
        ],
        bolus={"dose": 0.25, "lockout_min": 120, "max_per_day": 3},
    )
    sim = simulate(programme, PK, days=2, bolus_at=["07:00", "13:30"], step_min=20)
    reference = _reference_ode(programme, 2, [7.0, 13.5], 0.25, sim.t_h)
    np.testing.assert_allclose(sim.concentration[1:], reference[1:], rtol=REL_TOL)


def test_a_sample_at_a_bolus_shows_the_level_just_after_it(
    make_programme: Callable[..., Programme],
) -> None:
    programme = make_programme(
        steps=_flat(0), bolus={"dose": 0.3, "lockout_min": 60, "max_per_day": 1}
    )
    sim = simulate(programme, PK, days=1, bolus_at=["06:00"], step_min=60)
    assert sim.concentration[5] == 0
    assert sim.concentration[6] == pytest.approx(0.3 / 150, rel=1e-12)


def test_samples_cover_the_days_at_the_requested_interval(
    make_programme: Callable[..., Programme],
) -> None:
    sim = simulate(make_programme(), PK, days=3, step_min=7.5)
    assert len(sim.t_h) == 3 * 24 * 8 + 1  # 7.5 min -> 8 samples an hour, plus t = 72 h
    assert sim.t_h[-1] == 72
    assert set(sim.to_dict()) == {"t_h", "concentration"}


def test_periodic_steady_state_matches_the_last_day_of_a_long_simulation(
    make_programme: Callable[..., Programme],
) -> None:
    programme = make_programme(
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0.3},
            {"start": "06:00", "rate_ml_per_day": 0.8},
            {"start": "14:00", "rate_ml_per_day": 0.2},
        ]
    )
    sim = simulate(programme, PK, days=10, step_min=1)
    last = sim.concentration[-24 * 60 - 1 : -1].reshape(24, 60)
    # Hour means of minute samples (left Riemann sum) vs exact hour means.
    np.testing.assert_allclose(programme_hourly_levels(programme, PK), last.mean(axis=1), rtol=5e-3)
    durations = np.array([6.0, 8.0, 10.0])
    rates = np.array([0.3, 0.8, 0.2]) * 10 / 24
    steady = periodic_steady_state(durations, rates, PK)
    np.testing.assert_allclose(
        steady.start_level,
        sim.concentration[[-24 * 60 - 1, -18 * 60 - 1, -10 * 60 - 1]],
        rtol=REL_TOL,
    )


@pytest.mark.parametrize(
    ("kwargs", "field", "fragment"),
    [
        ({"days": 0}, "days", "1 to 366"),
        ({"days": 1, "step_min": 0}, "step_min", "positive"),
        ({"days": 366, "step_min": 0.1}, "step_min", "exceed the limit"),
        ({"days": 1, "bolus_at": ["7:00"]}, "bolus_at", "HH:MM"),
        ({"days": 1, "bolus_at": ["07:00", "07:30"]}, "bolus_at", "inside the programme's lockout"),
        ({"days": 1, "bolus_at": ["23:30", "00:10"]}, "bolus_at", "inside the programme's lockout"),
        (
            {"days": 1, "bolus_at": ["01:00", "03:00", "05:00", "07:00", "09:00"]},
            "bolus_at",
            "exceed the programme's max_per_day",
        ),
    ],
)
def test_simulation_refuses_what_the_pump_would_not_do(
    make_programme: Callable[..., Programme],
    kwargs: dict[str, Any],
    field: str,
    fragment: str,
) -> None:
    with pytest.raises(InvalidInput) as caught:
        simulate(make_programme(), PK, **kwargs)
    assert caught.value.field == field
    assert fragment in caught.value.message


def test_boluses_need_a_programmed_bolus(make_programme: Callable[..., Programme]) -> None:
    with pytest.raises(InvalidInput, match="no patient bolus"):
        simulate(make_programme(bolus=None), PK, days=1, bolus_at=["07:00"])
