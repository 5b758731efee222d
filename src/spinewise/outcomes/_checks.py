"""Validation of raw answers at the boundary (one clear message per mistake).

JSON gives us ``bool`` as a subclass of ``int`` in Python, so every integer check refuses
booleans explicitly: ``true`` is not a valid answer to a 0–5 item. A float with no
fractional part (``3.0``, as some form libraries send numbers) is read as the integer;
``2.5`` is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from spinewise.core.errors import InvalidInput


def require_items(answers: Any, *, field: str, count: int) -> Sequence[Any]:
    """Check that ``answers`` is a list of exactly ``count`` items."""
    if isinstance(answers, str | bytes) or not isinstance(answers, Sequence):
        raise InvalidInput(field, f"expected a JSON array of {count} answers")
    if len(answers) != count:
        raise InvalidInput(field, f"expected {count} answers, got {len(answers)}")
    return answers


def require_int(value: Any, *, field: str, low: int, high: int) -> int:
    """Check that ``value`` is an integer in ``[low, high]`` (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise InvalidInput(field, f"expected an integer {low}–{high}, got {value!r}")
    if not low <= value <= high:
        raise InvalidInput(field, f"{value} is out of range {low}–{high}")
    return int(value)


def require_bool(value: Any, *, field: str) -> bool:
    """Check that ``value`` is a JSON boolean (``true``/``false``)."""
    if not isinstance(value, bool):
        raise InvalidInput(field, f"expected true or false, got {value!r}")
    return value
