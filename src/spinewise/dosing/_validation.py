"""Shared input validation of the dosing models: error messages and plausible magnitudes."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, ValidationError

from spinewise.core.errors import InvalidInput

# Every number in a programme or a drug library is 0 or within these magnitudes. The bounds are
# far outside anything a pump or a drug label uses (a SynchroMed II runs 0.048-24 mL/day) and
# exist so that exact dose arithmetic always converts back to a finite float: without them a
# concentration of 1e308 made ``dosing check`` (and the API) fail with an OverflowError.
MAX_MAGNITUDE = 1e9
MIN_NONZERO_MAGNITUDE = 1e-9
MAX_COUNT = 1_000_000


def _plausible(value: float) -> float:
    if value != 0 and not MIN_NONZERO_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE:
        raise ValueError(
            f"{value!r} is not a plausible figure (0, or between {MIN_NONZERO_MAGNITUDE:g} "
            f"and {MAX_MAGNITUDE:g})"
        )
    return value


Magnitude = Annotated[float, AfterValidator(_plausible)]


def invalid_input_from(exc: ValidationError, root: str) -> InvalidInput:
    """The first error, located like ``steps[1].rate_ml_per_day`` (``root`` when top-level)."""
    err = exc.errors()[0]
    loc = ""
    for part in err["loc"]:
        loc += f"[{part}]" if isinstance(part, int) else (f".{part}" if loc else str(part))
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        msg = "is required"
    elif err["type"] == "extra_forbidden":
        msg = "is not a known field (check the spelling)"
    return InvalidInput(loc or root, msg)
