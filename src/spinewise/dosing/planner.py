"""Schedule planner: time the same daily dose so more of it acts during the painful hours.

Input: a programme that passes the check, and the patient's mean pain per clock hour
(24 numbers, 0-10 NRS, from the pain diary). Output: a flex-dosing programme that

- delivers the same or a lower basal daily dose (never more: raising the dose stays a
  clinician's decision), with bolus, drug and concentration unchanged;
- maximises the mean *steady-state* level over the painful hours, which accounts for the
  PK delay: rates rise before the pain does, by as much as the drug's half-life calls for;
- uses at most ``max_steps`` steps starting on whole hours, every rate inside the pump's
  range and within [``min_rate_fraction``, ``max_rate_factor``] × the current mean rate,
  so no hour is left without drug and no hour gets a burst;
- passes :func:`~spinewise.dosing.check.check_programme`, or the current programme is
  returned unchanged.

Painful hours are those at or above the midpoint between the day's lowest and highest
hourly pain; a day whose pain varies by less than 1 point has none and nothing is moved.

Method: the steady-state hourly level is linear in the 24 hourly rates (L = G r, G from
:func:`~spinewise.dosing.pk.hourly_steady_state_levels`), so the problem is a mixed-integer
linear programme solved with ``scipy.optimize.milp`` (HiGHS): continuous hourly rates,
binary "rate changes at this hour" indicators bounded by ``max_steps − 1``. The step
structure found is then re-solved as a plain LP (``scipy.optimize.linprog``) for clean
rates, which are rounded *down* to the pump resolution so the dose can only fall.

The rate bounds are Spinewise design choices, not clinical figures; the clinician reviews
every suggestion (docs/dosing.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from spinewise.core.errors import InvalidInput
from spinewise.dosing.check import CheckResult, ProgrammeRejected, check_programme
from spinewise.dosing.doses import basal_daily_dose, basal_volume_per_day_ml, exact
from spinewise.dosing.library import DrugLibrary, PKParams
from spinewise.dosing.pk import hourly_steady_state_levels, programme_hourly_levels
from spinewise.dosing.programme import Programme, Step, format_hhmm

HOURS = 24
MIN_PAIN_RANGE = 1.0  # NRS points; a flatter day has no painful hours to time doses for


@dataclass(frozen=True)
class PlanResult:
    """The suggested programme, its check, and the figures the explanation quotes."""

    programme: Programme
    check: CheckResult
    changed: bool
    painful_hours: tuple[int, ...]
    mean_level_before: float
    mean_level_after: float
    basal_daily_dose_before: Fraction
    basal_daily_dose_after: Fraction
    moved_fraction: float
    level_unit: str
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme.to_dict(),
            "check": self.check.to_dict(),
            "changed": self.changed,
            "painful_hours": list(self.painful_hours),
            "mean_level_before": self.mean_level_before,
            "mean_level_after": self.mean_level_after,
            "level_unit": self.level_unit,
            "basal_daily_dose_before": float(self.basal_daily_dose_before),
            "basal_daily_dose_after": float(self.basal_daily_dose_after),
            "moved_fraction": self.moved_fraction,
            "explanation": self.explanation,
        }


def parse_pain_profile(data: Any) -> tuple[float, ...]:
    """24 hourly mean pain scores (0-10), hour 0 = 00:00-01:00; bad input → ``InvalidInput``."""
    if not isinstance(data, list) or len(data) != HOURS:
        raise InvalidInput("pain", "must be a JSON array of 24 numbers (mean pain 0-10 per hour)")
    values: list[float] = []
    for hour, value in enumerate(data):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(f"pain[{hour}]", "must be a number")
        if not math.isfinite(value) or not 0 <= value <= 10:
            raise InvalidInput(f"pain[{hour}]", f"{value} is outside 0-10")
        values.append(float(value))
    return tuple(values)


def painful_hours(pain: Sequence[float]) -> tuple[int, ...]:
    """Hours at or above the midpoint of the day's pain range (none if the range is < 1)."""
    low, high = min(pain), max(pain)
    if high - low < MIN_PAIN_RANGE:
        return ()
    threshold = (low + high) / 2
    return tuple(h for h, p in enumerate(pain) if p >= threshold)


def _hour_ranges(hours: Sequence[int]) -> list[tuple[int, int]]:
    """Circular runs of consecutive hours as (start, end) with end exclusive (mod 24)."""
    hour_set = set(hours)
    if len(hour_set) == HOURS:
        return [(0, 0)]
    runs = []
    for h in sorted(hour_set):
        if (h - 1) % HOURS not in hour_set:
            end = h
            while end % HOURS in hour_set:
                end += 1
            runs.append((h, end % HOURS))
    return runs


def format_hour_ranges(hours: Sequence[int]) -> str:
    runs = _hour_ranges(hours)
    parts = [f"{start:02d}:00–{end:02d}:00" for start, end in runs]
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _period_of_day(hour: int) -> str:
    if 5 <= hour <= 11:
        return "morning"
    if 12 <= hour <= 16:
        return "afternoon"
    if 17 <= hour <= 21:
        return "evening"
    return "night-time"


def _floor_to(value: float, resolution: float) -> float:
    return round(math.floor(value / resolution + 1e-9) * resolution, 10)


def _ceil_to(value: float, resolution: float) -> float:
    return round(math.ceil(value / resolution - 1e-9) * resolution, 10)


def _hourly_rates(programme: Programme) -> NDArray[np.float64]:
    """The programme's basal rate (mL/day) averaged over each clock hour."""
    per_minute = np.empty(HOURS * 60, dtype=np.float64)
    starts = [s.start_min for s in programme.steps]
    ends = [*starts[1:], HOURS * 60]
    for step, a, b in zip(programme.steps, starts, ends, strict=True):
        per_minute[a:b] = step.rate_ml_per_day
    return per_minute.reshape(HOURS, 60).mean(axis=1)


def _response_matrix(concentration: float, pk: PKParams) -> NDArray[np.float64]:
    """G[p, h]: steady-state mean level in hour p per 1 mL/day delivered during hour h."""
    columns = []
    for h in range(HOURS):
        unit = np.zeros(HOURS)
        unit[h] = 1.0
        columns.append(hourly_steady_state_levels(unit, concentration, pk))
    return np.column_stack(columns)


def _solve_structure(
    weight: NDArray[np.float64], lo: float, hi: float, total: float, max_steps: int
) -> list[int] | None:
    """Hours (after 0) at which the rate changes, from the mixed-integer programme."""
    if max_steps == 1 or hi - lo <= 0:
        return []
    n_changes = HOURS - 1
    big_m = hi - lo
    # Objective: maximise weight · r; a tiny cost per change prefers fewer steps on ties.
    c = np.concatenate([-weight, np.full(n_changes, 1e-6)])
    rows = [np.concatenate([np.ones(HOURS), np.zeros(n_changes)])]
    upper = [total]
    for h in range(1, HOURS):
        for sign in (1.0, -1.0):
            row = np.zeros(HOURS + n_changes)
            row[h], row[h - 1], row[HOURS + h - 1] = sign, -sign, -big_m
            rows.append(row)
            upper.append(0.0)
    rows.append(np.concatenate([np.zeros(HOURS), np.ones(n_changes)]))
    upper.append(max_steps - 1)
    result = milp(
        c,
        constraints=LinearConstraint(np.vstack(rows), -np.inf, np.asarray(upper)),
        integrality=np.concatenate([np.zeros(HOURS), np.ones(n_changes)]),
        bounds=Bounds(
            np.concatenate([np.full(HOURS, lo), np.zeros(n_changes)]),
            np.concatenate([np.full(HOURS, hi), np.ones(n_changes)]),
        ),
        options={"time_limit": 10.0},
    )
    if result.x is None:
        return None
    z = result.x[HOURS:]
    return [h for h in range(1, HOURS) if z[h - 1] > 0.5]


def _solve_rates(
    weight: NDArray[np.float64], starts: list[int], lo: float, hi: float, total: float
) -> list[float] | None:
    """Best rate for each step of a fixed structure (LP); ``total`` bounds Σ hourly rates."""
    ends = [*starts[1:], HOURS]
    lengths = np.array([e - s for s, e in zip(starts, ends, strict=True)], dtype=np.float64)
    step_weight = np.array([weight[s:e].sum() for s, e in zip(starts, ends, strict=True)])
    result = linprog(
        -step_weight,
        A_ub=lengths[np.newaxis, :],
        b_ub=[total],
        bounds=[(lo, hi)] * len(starts),
        method="highs",
    )
    if result.status != 0:
        return None
    return [float(x) for x in result.x]


def _unchanged(
    programme: Programme,
    check: CheckResult,
    hours: tuple[int, ...],
    level: float,
    unit: str,
    reason: str,
) -> PlanResult:
    basal = basal_daily_dose(programme)
    return PlanResult(
        programme=programme,
        check=check,
        changed=False,
        painful_hours=hours,
        mean_level_before=level,
        mean_level_after=level,
        basal_daily_dose_before=basal,
        basal_daily_dose_after=basal,
        moved_fraction=0.0,
        level_unit=unit,
        explanation=f"Keeps the current programme: {reason}.",
    )


def plan_schedule(
    programme: Programme,
    library: DrugLibrary,
    pain: Sequence[float],
    *,
    max_steps: int = 4,
    min_rate_fraction: float = 0.5,
    max_rate_factor: float = 2.0,
    rate_resolution_ml_per_day: float = 0.001,
) -> PlanResult:
    """Suggest a flex-dosing schedule timed to the pain profile (see the module docstring).

    Raises ``ProgrammeRejected`` when the current programme already breaks a hard limit
    (fix it first) and ``InvalidInput`` for a malformed pain profile or step count.
    """
    pain = parse_pain_profile(list(pain))
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or not 1 <= max_steps <= 24:
        raise InvalidInput("max_steps", "must be a whole number from 1 to 24")
    if not 0 < min_rate_fraction <= 1 <= max_rate_factor:
        raise InvalidInput(
            "min_rate_fraction", "need 0 < min_rate_fraction <= 1 <= max_rate_factor"
        )

    before_check = check_programme(programme, library)
    if not before_check.ok:
        raise ProgrammeRejected(before_check.violations)
    entry = library.require(programme.drug)
    unit = f"{entry.unit}/mL"
    hours = painful_hours(pain)
    levels_before = programme_hourly_levels(programme, entry.pk)
    if not hours:
        return _unchanged(
            programme,
            before_check,
            hours,
            float(levels_before.mean()),
            unit,
            "pain varies by less than 1 point over the day, so no hours stand out",
        )
    level_before = float(levels_before[list(hours)].mean())
    mean_rate = float(basal_volume_per_day_ml(programme))  # mL/day averaged over the day
    if mean_rate == 0:
        return _unchanged(
            programme, before_check, hours, level_before, unit, "the basal infusion is off"
        )

    pump = library.pump
    res = rate_resolution_ml_per_day
    lo = max(_ceil_to(pump.min_rate_ml_per_day, res), _ceil_to(min_rate_fraction * mean_rate, res))
    hi = min(_floor_to(pump.max_rate_ml_per_day, res), _floor_to(max_rate_factor * mean_rate, res))
    if lo > hi or lo > mean_rate:
        return _unchanged(
            programme,
            before_check,
            hours,
            level_before,
            unit,
            "the daily dose is too small to reshape within the pump's rate range",
        )

    response = _response_matrix(programme.concentration, entry.pk)
    weight = response[list(hours), :].mean(axis=0)  # level gain per mL/day in each hour
    total = HOURS * mean_rate
    scale = float(weight.max())
    changes = _solve_structure(weight / scale, lo, hi, total, max_steps)
    if changes is None:
        return _unchanged(
            programme, before_check, hours, level_before, unit, "the optimiser found no solution"
        )
    starts = [0, *changes]
    rates = _solve_rates(weight / scale, starts, lo, hi, total)
    if rates is None:
        return _unchanged(
            programme, before_check, hours, level_before, unit, "the optimiser found no solution"
        )
    # Round down to the pump resolution (never up: the dose may only fall), merge equal steps.
    rates = [max(_floor_to(r, res), lo) for r in rates]
    steps: list[Step] = []
    for start, rate in zip(starts, rates, strict=True):
        if steps and steps[-1].rate_ml_per_day == rate:
            continue
        steps.append(Step(start=format_hhmm(start * 60), rate_ml_per_day=rate))
    trimmed = _trim_to_old_dose(programme.model_copy(update={"steps": steps}), programme, lo, res)
    if trimmed is None:
        return _unchanged(
            programme,
            before_check,
            hours,
            level_before,
            unit,
            "no schedule within the pump's rate range keeps the daily dose",
        )
    # Re-validate through the model so the suggestion obeys every shape rule too.
    candidate = Programme.model_validate(trimmed.model_dump())
    after_check = check_programme(candidate, library)
    levels_after = programme_hourly_levels(candidate, entry.pk)
    level_after = float(levels_after[list(hours)].mean())
    if not after_check.ok:  # defensive: the bounds above should make this unreachable
        return _unchanged(
            programme,
            before_check,
            hours,
            level_before,
            unit,
            "the reshaped schedule would break a limit",
        )
    if level_after <= level_before * (1 + 1e-9):
        return _unchanged(
            programme,
            before_check,
            hours,
            level_before,
            unit,
            "it already delivers the highest level over the painful hours "
            f"({format_hour_ranges(hours)}) that the same daily dose allows within the limits",
        )

    old_hourly = _hourly_rates(programme)
    new_hourly = _hourly_rates(candidate)
    gain = np.clip(new_hourly - old_hourly, 0, None)
    moved = float(gain.sum() / old_hourly.sum())
    basal_before = basal_daily_dose(programme)
    basal_after = basal_daily_dose(candidate)
    explanation = _explain(
        pain,
        hours,
        [h for h in range(HOURS) if gain[h] > 1e-12],
        moved,
        level_before,
        level_after,
        unit,
        entry.unit,
        basal_before,
        basal_after,
    )
    return PlanResult(
        programme=candidate,
        check=after_check,
        changed=True,
        painful_hours=hours,
        mean_level_before=level_before,
        mean_level_after=level_after,
        basal_daily_dose_before=basal_before,
        basal_daily_dose_after=basal_after,
        moved_fraction=moved,
        level_unit=unit,
        explanation=explanation,
    )


def _trim_to_old_dose(
    candidate: Programme, original: Programme, lo: float, res: float
) -> Programme | None:
    """Guarantee, in exact arithmetic, that the basal dose did not rise (float LP slack)."""
    limit = basal_volume_per_day_ml(original)
    for _ in range(1000):
        if basal_volume_per_day_ml(candidate) <= limit:
            return candidate
        steps = list(candidate.steps)
        durations = candidate.step_durations_min()
        reducible = [i for i, s in enumerate(steps) if exact(s.rate_ml_per_day) > exact(lo)]
        if not reducible:
            return None
        i = max(reducible, key=lambda j: (durations[j], steps[j].rate_ml_per_day))
        steps[i] = Step(
            start=steps[i].start, rate_ml_per_day=_floor_to(steps[i].rate_ml_per_day - res, res)
        )
        candidate = candidate.model_copy(update={"steps": steps})
    return None


def _explain(
    pain: Sequence[float],
    hours: Sequence[int],
    raised_hours: Sequence[int],
    moved: float,
    level_before: float,
    level_after: float,
    level_unit: str,
    dose_unit: str,
    basal_before: Fraction,
    basal_after: Fraction,
) -> str:
    peak_hour = int(np.argmax(pain))
    period = _period_of_day(peak_hour)
    first_painful = _hour_ranges(hours)[0][0]
    raised_runs = _hour_ranges(raised_hours)
    starts_before = any((first_painful - start) % HOURS in range(1, 12) for start, _ in raised_runs)
    timing = "ahead of" if starts_before else "during"
    rise_pct = 100 * (level_after / level_before - 1)
    if basal_after == basal_before:
        dose_text = f"the basal daily dose stays at {float(basal_before):g} {dose_unit}"
    else:
        dose_text = (
            f"the basal daily dose goes from {float(basal_before):g} to "
            f"{float(basal_after):g} {dose_unit} (rounded down to the pump's resolution)"
        )
    return (
        f"Moves {100 * moved:.0f} % of the daily dose to {format_hour_ranges(raised_hours)}, "
        f"{timing} the {period} pain peak ({format_hour_ranges(hours)}): the mean steady-state "
        f"level over those hours rises from {level_before:.3g} to {level_after:.3g} {level_unit} "
        f"(+{rise_pct:.0f} %) and {dose_text}."
    )
