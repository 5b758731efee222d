"""One entry point that scores any supported instrument from its raw answers.

Used by the CLI and, later, by the outcomes service, so that both score identically.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.nprs import score_nprs
from spinewise.outcomes.odi import score_odi
from spinewise.outcomes.psfs import score_psfs
from spinewise.outcomes.rmdq import score_rmdq
from spinewise.outcomes.startback import score_startback


class ScoredForm(Protocol):
    """What every scorer returns: the instrument id, a score and its JSON form."""

    @property
    def instrument(self) -> str: ...

    @property
    def score(self) -> float: ...

    def to_dict(self) -> dict[str, Any]: ...


SCORERS: dict[str, Callable[[Any], ScoredForm]] = {
    "odi": score_odi,
    "rmdq": score_rmdq,
    "nprs": score_nprs,
    "startback": score_startback,
    "psfs": score_psfs,
}


def score_answers(instrument: str, answers: Any) -> ScoredForm:
    """Score ``answers`` (the JSON array of DESIGN §5) with the named instrument's rules."""
    try:
        scorer = SCORERS[instrument]
    except KeyError:
        known = "|".join(SCORERS)
        raise InvalidInput(
            "instrument", f"unknown instrument {instrument!r} (use {known})"
        ) from None
    return scorer(answers)
