"""Outcome records for the treatment-response model: baseline features, treatment, 12-week ODI.

One record per treated episode, as the platform records them (a learning health system) or as
the synthetic generator makes them. Units and ranges:

===========================  =========================================================
field                        meaning
===========================  =========================================================
odi_baseline                 Oswestry Disability Index at the start, 0-100 (> 0)
nprs_baseline                pain, Numeric Pain Rating Scale 0-10
startback_risk               low | medium | high (Keele STarT Back Screening Tool)
age_years                    18-110
symptom_duration_weeks       duration of the current episode, weeks (> 0)
fabq_pa (optional)           Fear-Avoidance Beliefs Questionnaire, physical activity
                             subscale 0-24 (Waddell et al. 1993, Pain 52:157-168)
posture_flexed_fraction      fraction of monitored time in the flexed or severe zone, 0-1
  (optional)                 (from the posture domain)
adherence_fraction           completed / prescribed exercise sessions so far, 0-1
  (optional)
sex (optional)               for subgroup reporting only - never a model feature
treatment                    the option given (any non-empty name)
odi_12_weeks                 ODI at 12 weeks, 0-100 (absent in a prediction query)
synthetic, data_label        provenance; generated records are always labelled
===========================  =========================================================

A responder is a patient whose ODI fell by at least 30 % of its baseline value (Ostelo RWJG,
Deyo RA, Stratford P, et al. Interpreting change scores for pain and functional status in low
back pain. Spine 2008;33(1):90-94: a 30 % improvement as a clinically important change).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any

from spinewise.core.errors import InvalidInput

SYNTHETIC_LABEL = "SYNTHETIC - not clinical evidence"
RESPONDER_RELATIVE_IMPROVEMENT = 0.30  # Ostelo et al. 2008
RISK_GROUPS: tuple[str, ...] = ("low", "medium", "high")
OPTIONAL_FEATURES: tuple[str, ...] = ("fabq_pa", "posture_flexed_fraction", "adherence_fraction")

_RANGES: dict[str, tuple[float, float]] = {
    "odi_baseline": (0.0, 100.0),
    "nprs_baseline": (0.0, 10.0),
    "age_years": (18.0, 110.0),
    "symptom_duration_weeks": (0.0, 5200.0),
    "fabq_pa": (0.0, 24.0),
    "posture_flexed_fraction": (0.0, 1.0),
    "adherence_fraction": (0.0, 1.0),
    "odi_12_weeks": (0.0, 100.0),
}
# ODI 0 cannot fall by 30 %, and a zero-week episode has no log-duration.
_STRICTLY_POSITIVE = ("odi_baseline", "symptom_duration_weeks")


def _check_number(name: str, value: Any, *, required: bool) -> float | None:
    if value is None:
        if required:
            raise InvalidInput(name, "is required")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(name, f"must be a number; got {value!r}")
    number = float(value)
    low, high = _RANGES[name]
    if not math.isfinite(number) or number < low or number > high:
        raise InvalidInput(name, f"must be between {low:g} and {high:g}; got {value!r}")
    if name in _STRICTLY_POSITIVE and number <= 0:
        raise InvalidInput(name, "must be greater than 0")
    return number


@dataclass(frozen=True)
class PatientFeatures:
    """Baseline features of one patient (what is known when a treatment is chosen)."""

    odi_baseline: float
    nprs_baseline: float
    startback_risk: str
    age_years: float
    symptom_duration_weeks: float
    fabq_pa: float | None = None
    posture_flexed_fraction: float | None = None
    adherence_fraction: float | None = None

    def __post_init__(self) -> None:
        for name in ("odi_baseline", "nprs_baseline", "age_years", "symptom_duration_weeks"):
            _check_number(name, getattr(self, name), required=True)
        for name in OPTIONAL_FEATURES:
            _check_number(name, getattr(self, name), required=False)
        if self.startback_risk not in RISK_GROUPS:
            raise InvalidInput("startback_risk", f"must be one of {RISK_GROUPS}")

    @classmethod
    def from_dict(cls, data: Any) -> PatientFeatures:
        if not isinstance(data, dict):
            raise InvalidInput(None, "the patient must be a JSON object")
        allowed = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidInput(unknown[0], f"unknown field; expected some of {sorted(allowed)}")
        required = [f.name for f in fields(cls) if f.default is MISSING and f.name not in data]
        if required:
            raise InvalidInput(required[0], "is required")
        return cls(**data)


@dataclass(frozen=True)
class OutcomeRecord:
    """One treated episode with its 12-week outcome."""

    odi_baseline: float
    nprs_baseline: float
    startback_risk: str
    age_years: float
    symptom_duration_weeks: float
    treatment: str
    odi_12_weeks: float
    fabq_pa: float | None = None
    posture_flexed_fraction: float | None = None
    adherence_fraction: float | None = None
    sex: str | None = None
    record_id: str = ""
    synthetic: bool = False
    data_label: str = ""

    def __post_init__(self) -> None:
        _ = self.patient  # validates the baseline features
        _check_number("odi_12_weeks", self.odi_12_weeks, required=True)
        if not isinstance(self.treatment, str) or not self.treatment.strip():
            raise InvalidInput("treatment", "must be a non-empty name")
        if self.synthetic and self.data_label != SYNTHETIC_LABEL:
            raise InvalidInput("data_label", "a synthetic record must carry the synthetic label")

    @property
    def patient(self) -> PatientFeatures:
        """The baseline part of the record (what was known when the treatment was chosen)."""
        return PatientFeatures(**{f.name: getattr(self, f.name) for f in fields(PatientFeatures)})

    @property
    def responder(self) -> bool:
        """ODI fell by at least 30 % of baseline (Ostelo et al. 2008)."""
        drop = (self.odi_baseline - self.odi_12_weeks) / self.odi_baseline
        return drop >= RESPONDER_RELATIVE_IMPROVEMENT - 1e-12


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(OutcomeRecord))
_REQUIRED_COLUMNS = (
    "odi_baseline",
    "nprs_baseline",
    "startback_risk",
    "age_years",
    "symptom_duration_weeks",
    "treatment",
    "odi_12_weeks",
)


def records_to_csv(records: list[OutcomeRecord]) -> str:
    """CSV text with every column; synthetic rows keep ``synthetic=true`` and their label."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = asdict(record)
        row["synthetic"] = "true" if record.synthetic else "false"
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def read_outcome_csv(path: Path | str) -> list[OutcomeRecord]:
    """Read records written by :func:`records_to_csv` or exported by the platform.

    A row is synthetic if its ``synthetic`` column is true *or* its ``data_label`` names it
    synthetic; the label is then normalised, so a synthetic row can never lose it.
    """
    text = Path(path).read_text(encoding="utf-8").lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in _REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput("csv", f"missing column(s) {', '.join(missing)}")
    records = []
    for line_no, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        try:
            synthetic = row.get("synthetic", "").lower() in ("true", "1", "yes") or (
                "synthetic" in row.get("data_label", "").lower()
            )
            values: dict[str, Any] = {
                "startback_risk": row["startback_risk"].lower(),
                "treatment": row["treatment"],
                "sex": row.get("sex") or None,
                "record_id": row.get("record_id", ""),
                "synthetic": synthetic,
                "data_label": SYNTHETIC_LABEL if synthetic else row.get("data_label", ""),
            }
            for name in _RANGES:
                cell = row.get(name, "")
                values[name] = _parse_float(name, cell) if cell else None
            records.append(OutcomeRecord(**values))
        except InvalidInput as exc:
            raise InvalidInput("csv", f"row {line_no}: {exc.message}") from None
    if not records:
        raise InvalidInput("csv", "no data rows after the header")
    return records


def _parse_float(name: str, cell: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise InvalidInput(name, f"{cell!r} is not a number") from None
