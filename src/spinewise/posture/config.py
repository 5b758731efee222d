"""Settings of the posture engine: per-patient thresholds, feedback rules, filter tuning.

Clinical defaults follow ISO 11226:2000 (Ergonomics — Evaluation of static working
postures), which rates trunk inclination below 20° acceptable, 20–60° acceptable only for
limited holding times and above 60° not recommended. The holding times that trigger
feedback (60 s flexed, 4 s severe) are this project's defaults "in the spirit of" the
standard (issue 4), not figures quoted from it; a clinician sets them per patient.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from spinewise.core.errors import InvalidInput


@dataclass(frozen=True)
class ZoneThresholds:
    """Sagittal flexion zones in degrees relative to the calibrated neutral posture."""

    neutral_max_deg: float = 20.0  # ISO 11226: < 20° trunk inclination acceptable
    severe_min_deg: float = 60.0  # ISO 11226: > 60° not recommended
    hysteresis_deg: float = 0.5  # half-width of the band around each threshold
    min_zone_s: float = 0.5  # shorter zone changes are absorbed (no flicker)

    def __post_init__(self) -> None:
        if not 0.0 < self.neutral_max_deg < self.severe_min_deg < 120.0:
            raise InvalidInput(
                "thresholds", "need 0 < neutral_max_deg < severe_min_deg < 120 degrees"
            )
        gap = self.severe_min_deg - self.neutral_max_deg
        if not 0.0 <= self.hysteresis_deg < min(gap / 2, self.neutral_max_deg):
            raise InvalidInput("hysteresis_deg", "must be ≥ 0 and leave the zones apart")
        if not 0.0 <= self.min_zone_s <= 60.0:
            raise InvalidInput("min_zone_s", "must be between 0 and 60 seconds")


@dataclass(frozen=True)
class FeedbackRules:
    """When sustained postures become episodes and alerts (seconds)."""

    flexed_hold_s: float = 60.0
    severe_hold_s: float = 4.0
    cooldown_s: float = 120.0  # no new first-level alert of the same kind within this
    escalate_after_s: float = 30.0  # posture still held this long after an alert: escalate
    max_level: int = 3

    def __post_init__(self) -> None:
        for name in ("flexed_hold_s", "severe_hold_s", "escalate_after_s"):
            if not 0.0 < getattr(self, name) <= 3600.0:
                raise InvalidInput(name, "must be between 0 and 3600 seconds")
        if not 0.0 <= self.cooldown_s <= 86400.0:
            raise InvalidInput("cooldown_s", "must be between 0 and 86400 seconds")
        if not 1 <= self.max_level <= 5:
            raise InvalidInput("max_level", "must be between 1 and 5")


@dataclass(frozen=True)
class FilterSettings:
    """Tilt filter and activity detection (see docs/posture.md for the measurements)."""

    frame_s: float = 0.1  # posture frame: samples are integrated into 10 Hz frames
    time_constant_s: float = 1.5  # accelerometer correction of the complementary filter
    passes: int = 2  # fixed-point refinements of the linearised filter
    accel_reject_g: float = 0.35  # frames whose |a| is further from 1 g trust the gyro
    activity_window_s: float = 1.0  # time constant of the movement statistics
    still_gyro_dps: float = 3.0  # rms angular-rate variation below which a frame is still
    still_accel_g: float = 0.03  # rms acceleration variation below which it is still
    walk_accel_g: float = 0.07  # rms acceleration variation above which upright = walking
    bias_time_constant_s: float = 120.0  # gyro bias tracking over still time
    min_activity_s: float = 2.0
    lying_inclination_deg: float = 60.0  # trunk further than this from vertical may be lying

    def __post_init__(self) -> None:
        if self.frame_s not in (0.02, 0.04, 0.05, 0.1, 0.2):
            raise InvalidInput("frame_s", "must be one of 0.02, 0.04, 0.05, 0.1, 0.2 s")
        if not 0.2 <= self.time_constant_s <= 20.0:
            raise InvalidInput("time_constant_s", "must be between 0.2 and 20 seconds")
        if not 1 <= self.passes <= 5:
            raise InvalidInput("passes", "must be between 1 and 5")


@dataclass(frozen=True)
class CalibrationSettings:
    """Neutral-posture calibration window, seconds from the first sample."""

    start_s: float = 0.0
    end_s: float = 5.0
    max_tilt_deg: float = 45.0  # a larger "neutral" tilt means the wearer was not upright

    def __post_init__(self) -> None:
        if not 0.0 <= self.start_s < self.end_s:
            raise InvalidInput("calibrate", "need 0 ≤ START < END (seconds from the first sample)")
        if self.end_s - self.start_s < 0.5:
            raise InvalidInput("calibrate", "the window must last at least 0.5 s")


@dataclass(frozen=True)
class PostureConfig:
    """Everything the engine needs; store it per patient and pass it to ``PostureStream``."""

    zones: ZoneThresholds = field(default_factory=ZoneThresholds)
    feedback: FeedbackRules = field(default_factory=FeedbackRules)
    filter: FilterSettings = field(default_factory=FilterSettings)
    calibration: CalibrationSettings = field(default_factory=CalibrationSettings)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PostureConfig:
        """Build from a (possibly partial) nested dict; unknown keys are errors."""
        parts: dict[str, Any] = {}
        for f in fields(cls):
            sub = data.get(f.name, {})
            klass = {
                "zones": ZoneThresholds,
                "feedback": FeedbackRules,
                "filter": FilterSettings,
                "calibration": CalibrationSettings,
            }[f.name]
            if not isinstance(sub, dict):
                raise InvalidInput(f.name, "must be an object")
            known = {g.name for g in fields(klass)}
            unknown = set(sub) - known
            if unknown:
                raise InvalidInput(f.name, f"unknown setting(s): {', '.join(sorted(unknown))}")
            parts[f.name] = klass(**sub)
        unknown_top = set(data) - {f.name for f in fields(cls)}
        if unknown_top:
            raise InvalidInput(None, f"unknown section(s): {', '.join(sorted(unknown_top))}")
        return cls(**parts)

    def with_calibration(self, start_s: float, end_s: float) -> PostureConfig:
        return replace(self, calibration=replace(self.calibration, start_s=start_s, end_s=end_s))
