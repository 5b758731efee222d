"""Drug library: the per-drug limits and pump limits every programme is checked against.

The library is data, not code: a JSON file in the format of ``data/drug_library.json``
that a clinic can replace with its own (``--library FILE`` on the CLI, per clinic in the
app). Its figures are clinical limits, so they are never edited silently — the default
file carries a source for every figure and says "verify against local policy"; its
SHA-256 is pinned in the tests, and :func:`library_fingerprint` lets a service record
exactly which library a programme was checked against.

Units: doses in the drug's ``unit`` (``mg`` or ``mcg``), concentrations in unit/mL,
rates in mL/day, volumes in mL, lockouts in minutes, half-lives in hours.
"""

from __future__ import annotations

import hashlib
import json
import math
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from spinewise.core.errors import InvalidInput
from spinewise.dosing._validation import MAX_COUNT, Magnitude, invalid_input_from

DEFAULT_LIBRARY_RESOURCE = "drug_library.json"
VERIFY_NOTE = "verify against local policy"

_STRICT = ConfigDict(strict=True, extra="forbid", frozen=True)


class PKParams(BaseModel):
    """One-compartment CSF kinetics of a drug: first-order elimination from a fixed volume."""

    model_config = _STRICT

    half_life_h: Magnitude = Field(gt=0, allow_inf_nan=False)
    volume_ml: Magnitude = Field(gt=0, allow_inf_nan=False)

    @property
    def elimination_rate_per_h(self) -> float:
        """k = ln 2 / t½, in 1/h."""
        return math.log(2.0) / self.half_life_h


class DrugEntry(BaseModel):
    """The limits for one drug, each a hard limit except ``daily_dose_soft_max``."""

    model_config = _STRICT

    unit: Literal["mg", "mcg"]
    max_concentration: Magnitude = Field(gt=0, allow_inf_nan=False)
    daily_dose_soft_max: Magnitude = Field(ge=0, allow_inf_nan=False)
    daily_dose_hard_max: Magnitude = Field(ge=0, allow_inf_nan=False)
    max_daily_increase_pct: Magnitude = Field(ge=0, allow_inf_nan=False)
    bolus_dose_hard_max: Magnitude = Field(ge=0, allow_inf_nan=False)
    bolus_min_lockout_min: Magnitude = Field(ge=0, allow_inf_nan=False)
    bolus_max_per_day: int = Field(ge=0, le=MAX_COUNT)
    pk: PKParams
    status: str = VERIFY_NOTE
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _soft_not_above_hard(self) -> DrugEntry:
        if self.daily_dose_soft_max > self.daily_dose_hard_max:
            raise ValueError("daily_dose_soft_max must not exceed daily_dose_hard_max")
        return self


class PumpLimits(BaseModel):
    """Limits of the implanted pump: programmable rate range and the low-reservoir alarm."""

    model_config = _STRICT

    min_rate_ml_per_day: Magnitude = Field(ge=0, allow_inf_nan=False)
    max_rate_ml_per_day: Magnitude = Field(gt=0, allow_inf_nan=False)
    low_reservoir_alarm_ml: Magnitude = Field(ge=0, allow_inf_nan=False)
    model: str | None = None
    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _range_ordered(self) -> PumpLimits:
        if self.min_rate_ml_per_day > self.max_rate_ml_per_day:
            raise ValueError("min_rate_ml_per_day must not exceed max_rate_ml_per_day")
        return self


class DrugLibrary(BaseModel):
    """A named, versioned set of drug entries plus the pump section.

    Drug names are matched case-insensitively (``"Morphine"`` finds ``morphine``).
    """

    model_config = _STRICT

    name: str = Field(min_length=1)
    version: str = Field(min_length=1)
    status: str = VERIFY_NOTE
    notes: str = ""
    references: dict[str, str] = Field(default_factory=dict)
    pump: PumpLimits
    drugs: dict[str, DrugEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _names_unique(self) -> DrugLibrary:
        seen: set[str] = set()
        for key in self.drugs:
            norm = normalise_drug_name(key)
            if not norm:
                raise ValueError("drug names must not be empty")
            if norm in seen:
                raise ValueError(f"drug {key!r} is listed twice (names are case-insensitive)")
            seen.add(norm)
        return self

    def get(self, drug: str) -> DrugEntry | None:
        """The entry for ``drug`` (case-insensitive), or None when the library lacks it."""
        wanted = normalise_drug_name(drug)
        for key, entry in self.drugs.items():
            if normalise_drug_name(key) == wanted:
                return entry
        return None

    def require(self, drug: str) -> DrugEntry:
        """The entry for ``drug``; a drug missing from the library is bad input here."""
        entry = self.get(drug)
        if entry is None:
            known = ", ".join(sorted(self.drugs))
            raise InvalidInput("drug", f"{drug!r} is not in the drug library (known: {known})")
        return entry


def normalise_drug_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def library_from_dict(data: Any) -> DrugLibrary:
    """Validate a parsed library document; malformed input raises ``InvalidInput``."""
    if not isinstance(data, dict):
        raise InvalidInput("library", "must be a JSON object")
    try:
        return DrugLibrary.model_validate(data)
    except ValidationError as exc:
        raise invalid_input_from(exc, "library") from None


def load_library(path: Path | str | None = None) -> DrugLibrary:
    """Load a library file, or the packaged default library when ``path`` is None."""
    if path is None:
        text = (
            resources.files("spinewise.dosing")
            .joinpath("data", DEFAULT_LIBRARY_RESOURCE)
            .read_text(encoding="utf-8")
        )
    else:
        text = Path(path).read_text(encoding="utf-8")
    return library_from_dict(json.loads(text))


def default_library() -> DrugLibrary:
    """The packaged default library (a fresh, immutable object)."""
    return load_library(None)


def library_fingerprint(library: DrugLibrary) -> str:
    """SHA-256 of the library's canonical JSON, to record which library checked a programme."""
    canonical = json.dumps(library.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
