"""One-compartment pharmacokinetics of an intrathecal infusion, solved exactly.

Model: the drug enters one well-mixed compartment of volume V (mL) and leaves it by
first-order elimination, k = ln 2 / t½ (1/h)::

    dC/dt = R(t) / V − k C,        C in unit/mL, R in unit/h

R is piecewise constant (the flex-dosing steps, repeating daily) and each patient bolus
adds dose / V instantly. Over a piece of constant R starting at level C₀ the solution is

    C(τ) = C_ss + (C₀ − C_ss) e^(−kτ),     C_ss = R / (k V)

so the level is evaluated in closed form at every sample: no time-stepping error, any
sampling interval. The compartment is empty at t = 0. A sample taken at the moment of a
bolus shows the level just after it.

The periodic steady state of a daily pattern (the level a patient settles into after
many days) follows from linearity: if one day from empty ends at D, the level at the
start of each steady-state day is C₀* = D / (1 − e^(−24 k)).

Limits of the model (see docs/dosing.md): one compartment stands in for CSF spread along
the neuraxis, catheter dead space and tissue uptake are ignored, and the figures are
population values. The level is for comparing schedules, not a measured CSF concentration.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput
from spinewise.dosing.library import PKParams
from spinewise.dosing.programme import MINUTES_PER_DAY, Programme, parse_hhmm

HOURS_PER_DAY = 24.0
MAX_SAMPLES = 1_000_000
_TIME_TOL_MIN = 1e-7


@dataclass(frozen=True)
class Simulation:
    """Sampled drug level: ``t_h`` hours from the start, ``concentration`` unit/mL."""

    t_h: NDArray[np.float64]
    concentration: NDArray[np.float64]

    def to_dict(self) -> dict[str, list[float]]:
        return {"t_h": self.t_h.tolist(), "concentration": self.concentration.tolist()}

    def last_day(self) -> Simulation:
        """Samples of the final 24 h (inclusive of its start), for plots and summaries."""
        start = self.t_h[-1] - HOURS_PER_DAY
        mask = self.t_h >= start - 1e-9
        return Simulation(self.t_h[mask], self.concentration[mask])


def parse_bolus_times(values: Sequence[str]) -> list[int]:
    """``["07:30", ...]`` to sorted minutes after midnight; bad times raise ``InvalidInput``."""
    minutes: list[int] = []
    for value in values:
        try:
            minutes.append(parse_hhmm(value))
        except ValueError as exc:
            raise InvalidInput("bolus_at", str(exc)) from None
    return sorted(minutes)


def _validate_boluses(programme: Programme, bolus_min: list[int]) -> float:
    """The bolus dose, after checking the daily boluses are ones the pump would deliver."""
    if not bolus_min:
        return 0.0
    bolus = programme.bolus
    if bolus is None:
        raise InvalidInput("bolus_at", "the programme has no patient bolus (bolus is null)")
    if len(bolus_min) > bolus.max_per_day:
        raise InvalidInput(
            "bolus_at",
            f"{len(bolus_min)} boluses a day exceed the programme's max_per_day "
            f"({bolus.max_per_day}); the pump would refuse the extra ones",
        )
    # Gaps within the day and across midnight into the next day's first bolus.
    gaps = [b - a for a, b in itertools.pairwise(bolus_min)]
    gaps.append(bolus_min[0] + MINUTES_PER_DAY - bolus_min[-1])
    if min(gaps) < bolus.lockout_min:
        raise InvalidInput(
            "bolus_at",
            f"boluses {min(gaps)} min apart are inside the programme's lockout "
            f"({bolus.lockout_min:g} min); the pump would refuse them",
        )
    return bolus.dose


def step_rates_unit_per_h(programme: Programme) -> NDArray[np.float64]:
    """Drug input rate of each step, unit/h (mL/day × unit/mL ÷ 24)."""
    rates = np.array([s.rate_ml_per_day for s in programme.steps], dtype=np.float64)
    return rates * programme.concentration / HOURS_PER_DAY


def simulate(
    programme: Programme,
    pk: PKParams,
    *,
    days: int,
    bolus_at: Sequence[str] = (),
    step_min: float = 5.0,
) -> Simulation:
    """Level from an empty compartment over ``days`` days, sampled every ``step_min`` minutes.

    ``bolus_at`` lists times of day (``"HH:MM"``) at which the patient takes the
    programme's bolus every day; they must respect its lockout and daily maximum.
    """
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise InvalidInput("days", "must be a whole number of days from 1 to 366")
    if not math.isfinite(step_min) or step_min <= 0:
        raise InvalidInput("step_min", "must be a positive number of minutes")
    total_min = days * MINUTES_PER_DAY
    n_intervals = math.floor(total_min / step_min + 1e-9)
    if n_intervals + 1 > MAX_SAMPLES:
        raise InvalidInput(
            "step_min", f"{n_intervals + 1} samples exceed the limit of {MAX_SAMPLES}"
        )
    bolus_min = parse_bolus_times(bolus_at)
    bolus_dose = _validate_boluses(programme, bolus_min)

    k = pk.elimination_rate_per_h
    volume = pk.volume_ml
    step_starts = [s.start_min for s in programme.steps]
    rates = step_rates_unit_per_h(programme)

    # Breakpoints (minutes): every step start and bolus of every day, then the end.
    breaks: list[float] = []
    piece_rate: list[float] = []
    piece_bolus: list[float] = []
    event_minutes = sorted(set(step_starts) | set(bolus_min))
    for day in range(days):
        for m in event_minutes:
            active = int(np.searchsorted(step_starts, m, side="right")) - 1
            breaks.append(day * MINUTES_PER_DAY + m)
            piece_rate.append(float(rates[active]))
            piece_bolus.append(bolus_dose if m in bolus_min else 0.0)
    breaks_arr = np.asarray(breaks, dtype=np.float64)
    rate_arr = np.asarray(piece_rate, dtype=np.float64)
    durations_h = np.diff(np.append(breaks_arr, float(total_min))) / 60.0
    css = rate_arr / (k * volume)

    # Level just after each breakpoint (bolus included), piece by piece.
    start_level = np.empty_like(breaks_arr)
    level = 0.0
    for j in range(len(breaks_arr)):
        level += piece_bolus[j] / volume
        start_level[j] = level
        level = css[j] + (level - css[j]) * math.exp(-k * durations_h[j])

    t_min = np.arange(n_intervals + 1, dtype=np.float64) * step_min
    idx = np.searchsorted(breaks_arr, t_min + _TIME_TOL_MIN, side="right") - 1
    dt_h = np.maximum(t_min - breaks_arr[idx], 0.0) / 60.0
    conc = css[idx] + (start_level[idx] - css[idx]) * np.exp(-k * dt_h)
    return Simulation(t_h=t_min / 60.0, concentration=conc)


@dataclass(frozen=True)
class PeriodicSteadyState:
    """Steady state of a daily-repeating infusion split into pieces (no boluses).

    ``start_level[j]`` is the level (unit/mL) when piece j starts and ``mean_level[j]``
    its time-average over the piece.
    """

    start_level: NDArray[np.float64]
    mean_level: NDArray[np.float64]


def periodic_steady_state(
    durations_h: NDArray[np.float64], rates_unit_per_h: NDArray[np.float64], pk: PKParams
) -> PeriodicSteadyState:
    """Exact periodic steady state of pieces that together last one day.

    Mean over a piece of length L starting at C₀: C_ss + (C₀ − C_ss)(1 − e^(−kL)) / (kL).
    """
    durations_h = np.asarray(durations_h, dtype=np.float64)
    rates_unit_per_h = np.asarray(rates_unit_per_h, dtype=np.float64)
    k = pk.elimination_rate_per_h
    css = rates_unit_per_h / (k * pk.volume_ml)
    decay = np.exp(-k * durations_h)
    # One day from empty, then the fixed point C0* = D / (1 - e^(-24k)).
    level = 0.0
    for j in range(len(durations_h)):
        level = css[j] + (level - css[j]) * decay[j]
    c0 = level / (1.0 - math.exp(-k * float(durations_h.sum())))
    start = np.empty_like(css)
    level = c0
    for j in range(len(durations_h)):
        start[j] = level
        level = css[j] + (level - css[j]) * decay[j]
    kl = k * durations_h
    mean = css + (start - css) * (-np.expm1(-kl)) / kl
    return PeriodicSteadyState(start_level=start, mean_level=mean)


def hourly_steady_state_levels(
    hourly_rates_ml_per_day: NDArray[np.float64], concentration: float, pk: PKParams
) -> NDArray[np.float64]:
    """Mean steady-state level (unit/mL) in each hour of the day for 24 hourly rates."""
    rates = np.asarray(hourly_rates_ml_per_day, dtype=np.float64)
    if rates.shape != (24,):
        raise ValueError("expected 24 hourly rates")
    durations = np.ones(24, dtype=np.float64)
    return periodic_steady_state(durations, rates * concentration / HOURS_PER_DAY, pk).mean_level


def programme_hourly_levels(programme: Programme, pk: PKParams) -> NDArray[np.float64]:
    """Mean steady-state level (unit/mL) in each clock hour under the programme's basal steps.

    Exact for steps that start at any minute: the day is cut at every step start and every
    hour, and the piece means are averaged back into hours.
    """
    step_starts = [s.start_min for s in programme.steps]
    cuts = sorted(set(step_starts) | set(range(0, MINUTES_PER_DAY, 60)))
    ends = [*cuts[1:], MINUTES_PER_DAY]
    rates = step_rates_unit_per_h(programme)
    active = np.searchsorted(step_starts, cuts, side="right") - 1
    durations_h = (np.asarray(ends, dtype=np.float64) - np.asarray(cuts, dtype=np.float64)) / 60
    steady = periodic_steady_state(durations_h, rates[active], pk)
    hour_of_piece = np.asarray(cuts) // 60
    # Each hour's pieces add up to exactly 1 h, so the duration-weighted sum is the mean.
    weighted = np.bincount(hour_of_piece, weights=steady.mean_level * durations_h, minlength=24)
    return np.asarray(weighted, dtype=np.float64)
