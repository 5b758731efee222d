"""Check a pump programme against a drug library (DESIGN §6: a hard limit is never crossed).

Hard rules (any one makes the programme unacceptable), in the order they are reported:

========================  ================================================================
``unknown_drug``          the drug is not in the library (drug limits cannot be checked)
``concentration``         concentration > ``max_concentration``
``daily_dose_hard_max``   max_daily_dose > ``daily_dose_hard_max``
``daily_increase``        max_daily_dose > previous_daily_dose × (1 + pct / 100)
``bolus_dose``            bolus dose > ``bolus_dose_hard_max``
``bolus_lockout``         bolus lockout < ``bolus_min_lockout_min``
``bolus_count``           boluses per day > ``bolus_max_per_day``
``rate_min``              a step runs at 0 < rate < pump ``min_rate_ml_per_day`` (0 = off)
``rate_max``              a step runs above pump ``max_rate_ml_per_day``
========================  ================================================================

Soft rule, reported as a warning (the app asks for a recorded reason and a second
clinician's sign-off): ``daily_dose_soft_max`` — max_daily_dose > ``daily_dose_soft_max``.

Exactly at a limit is allowed. All comparisons are exact (see :mod:`.doses`). Each rule is
reported at most once, with the value that breaks it most.

A service calls :func:`check_programme` and answers 422 with ``result.violations`` when
``not result.ok``, or calls :func:`ensure_acceptable`, which raises
:class:`ProgrammeRejected` (a ``SafetyLimitExceeded`` carrying every violation).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from spinewise.core.errors import SafetyLimitExceeded
from spinewise.dosing.doses import (
    basal_daily_dose,
    exact,
    max_daily_dose,
    refill_due_days,
)
from spinewise.dosing.library import DrugLibrary
from spinewise.dosing.programme import Programme

HARD_RULES: tuple[str, ...] = (
    "unknown_drug",
    "concentration",
    "daily_dose_hard_max",
    "daily_increase",
    "bolus_dose",
    "bolus_lockout",
    "bolus_count",
    "rate_min",
    "rate_max",
)
SOFT_RULES: tuple[str, ...] = ("daily_dose_soft_max",)


@dataclass(frozen=True)
class Violation:
    """A broken rule: its name, the limit, and the programme's value (drug unit, mL/day, min)."""

    rule: str
    limit: float | str | None
    value: float | str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "limit": self.limit, "value": self.value}


@dataclass(frozen=True)
class CheckResult:
    """Outcome of :func:`check_programme`; ``to_dict`` is the ``dosing check --json`` contract."""

    violations: tuple[Violation, ...]
    warnings: tuple[Violation, ...]
    basal_daily_dose: Fraction
    max_daily_dose: Fraction
    refill_due_days: Fraction | None
    unit: str | None = None

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def broken_rules(self) -> list[str]:
        return [v.rule for v in self.violations]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "violations": [v.to_dict() for v in self.violations],
            "warnings": [w.to_dict() for w in self.warnings],
            "basal_daily_dose": float(self.basal_daily_dose),
            "max_daily_dose": float(self.max_daily_dose),
            "refill_due_days": None
            if self.refill_due_days is None
            else float(self.refill_due_days),
        }


class ProgrammeRejected(SafetyLimitExceeded):
    """A programme breaks one or more hard limits; it must not be saved or sent to a pump."""

    def __init__(self, violations: tuple[Violation, ...]) -> None:
        first = violations[0]
        rules = ", ".join(v.rule for v in violations)
        super().__init__(
            first.rule,
            "" if first.limit is None else first.limit,
            first.value,
            message=f"programme breaks hard limits: {rules}",
        )
        self.violations = violations

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "violations": [v.to_dict() for v in self.violations]}


def check_programme(programme: Programme, library: DrugLibrary) -> CheckResult:
    """Every hard rule and the soft rule for ``programme`` under ``library``."""
    violations: list[Violation] = []
    warnings: list[Violation] = []
    basal = basal_daily_dose(programme)
    maximum = max_daily_dose(programme)
    pump = library.pump
    entry = library.get(programme.drug)

    if entry is None:
        violations.append(Violation("unknown_drug", None, programme.drug))
    else:
        if exact(programme.concentration) > exact(entry.max_concentration):
            violations.append(
                Violation("concentration", entry.max_concentration, programme.concentration)
            )
        if maximum > exact(entry.daily_dose_hard_max):
            violations.append(
                Violation("daily_dose_hard_max", entry.daily_dose_hard_max, float(maximum))
            )
        if programme.previous_daily_dose is not None:
            allowed = exact(programme.previous_daily_dose) * (
                1 + exact(entry.max_daily_increase_pct) / 100
            )
            if maximum > allowed:
                violations.append(Violation("daily_increase", float(allowed), float(maximum)))
        bolus = programme.bolus
        if bolus is not None:
            if exact(bolus.dose) > exact(entry.bolus_dose_hard_max):
                violations.append(Violation("bolus_dose", entry.bolus_dose_hard_max, bolus.dose))
            if exact(bolus.lockout_min) < exact(entry.bolus_min_lockout_min):
                violations.append(
                    Violation("bolus_lockout", entry.bolus_min_lockout_min, bolus.lockout_min)
                )
            if bolus.max_per_day > entry.bolus_max_per_day:
                violations.append(
                    Violation("bolus_count", entry.bolus_max_per_day, bolus.max_per_day)
                )
        if maximum > exact(entry.daily_dose_soft_max):
            warnings.append(
                Violation("daily_dose_soft_max", entry.daily_dose_soft_max, float(maximum))
            )

    rates = [step.rate_ml_per_day for step in programme.steps]
    too_low = [r for r in rates if 0 < exact(r) < exact(pump.min_rate_ml_per_day)]
    if too_low:
        violations.append(Violation("rate_min", pump.min_rate_ml_per_day, min(too_low)))
    too_high = [r for r in rates if exact(r) > exact(pump.max_rate_ml_per_day)]
    if too_high:
        violations.append(Violation("rate_max", pump.max_rate_ml_per_day, max(too_high)))

    return CheckResult(
        violations=tuple(violations),
        warnings=tuple(warnings),
        basal_daily_dose=basal,
        max_daily_dose=maximum,
        refill_due_days=refill_due_days(programme, pump.low_reservoir_alarm_ml),
        unit=None if entry is None else entry.unit,
    )


def ensure_acceptable(programme: Programme, library: DrugLibrary) -> CheckResult:
    """The check result, or :class:`ProgrammeRejected` when any hard limit is broken."""
    result = check_programme(programme, library)
    if not result.ok:
        raise ProgrammeRejected(result.violations)
    return result
