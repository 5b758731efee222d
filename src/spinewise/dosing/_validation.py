"""Turn a Pydantic validation error into the one-line ``InvalidInput`` of the CLI and API."""

from __future__ import annotations

from pydantic import ValidationError

from spinewise.core.errors import InvalidInput


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
