"""What an urgent or emergency answer says about the care team, true in every surface.

The triage advice (``triage.advice_for``) is written as if someone had been told. Whether that
is true depends on where the answer is shown: the command line alerts no one; the app raises
a dashboard flag and publishes an event, but only when the patient has a care team. So the
surface decides, and this module rewrites the care-team sentence accordingly:

- :func:`without_alert_claim` removes any sentence claiming the care team was alerted,
  notified or told;
- :func:`care_team_sentence` is the sentence that is true for a level and an outcome;
- :func:`state_care_team` puts the true sentence where the claim was (or before the safety
  net), so the order of the advice stays the same.

Pure: text in, text out.
"""

from __future__ import annotations

import re

# Any sentence that says the care team was told, whoever wrote it (triage wording may change).
_ALERT_CLAIM = re.compile(
    r"[^.\n]*\bcare team\b[^.\n]*\b(?:has|have|was|were|is|are|been)\b[^.\n]*"
    r"\b(?:alerted|notified|told|informed)\b[^.\n]*\.[ \t]*",
    re.IGNORECASE,
)
_TOLD = {
    "emergency": (
        "Your care team has been notified in the app and will see this message on their "
        "dashboard, but they may not see it straight away: do not wait for them."
    ),
    "urgent": (
        "Your care team has been notified in the app and will see this message on their "
        "dashboard; still get medical advice today as above."
    ),
}
_NOT_TOLD = {
    "emergency": (
        "This answer has not alerted anyone: make the call yourself now, and tell your care "
        "team when you can."
    ),
    "urgent": (
        "This answer has not alerted anyone: contact your GP practice or NHS 111 yourself "
        "today, and tell your care team."
    ),
}
_NO_TEAM = {
    "emergency": (
        "You have no care team in Spinewise yet, so nobody has been alerted: make the call "
        "yourself now."
    ),
    "urgent": (
        "You have no care team in Spinewise yet, so nobody has been alerted: contact your GP "
        "practice or NHS 111 yourself today."
    ),
}
NOTICE_SENTENCES = frozenset(
    sentence for table in (_TOLD, _NOT_TOLD, _NO_TEAM) for sentence in table.values()
)


def without_alert_claim(text: str) -> str:
    """``text`` with every "your care team has been alerted"-type sentence removed."""
    lines = [_ALERT_CLAIM.sub("", line).rstrip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line.strip())


def care_team_sentence(level: str, *, notified: bool, has_care_team: bool = True) -> str:
    """The true sentence for an ``urgent``/``emergency`` answer ("" for other levels)."""
    if level not in _TOLD:
        return ""
    if notified:
        return _TOLD[level]
    return _NOT_TOLD[level] if has_care_team else _NO_TEAM[level]


def state_care_team(advice: str, level: str, *, notified: bool, has_care_team: bool = True) -> str:
    """``advice`` with its care-team sentence replaced by the true one.

    The sentence goes where the triage put its claim; without a claim it goes before the
    emergency safety net (urgent) or at the end (emergency). A sentence this module wrote
    earlier is replaced too, so the function can be applied again when the outcome is known.
    """
    sentence = care_team_sentence(level, notified=notified, has_care_team=has_care_team)
    lines = advice.split("\n")
    position: int | None = None
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        if stripped in NOTICE_SENTENCES or _ALERT_CLAIM.fullmatch(stripped + " "):
            position = len(kept) if position is None else position
            continue
        cleaned = _ALERT_CLAIM.sub("", line).rstrip()
        if cleaned != line.rstrip() and position is None:
            position = len(kept) + 1
        if cleaned.strip():
            kept.append(cleaned)
    if not sentence:
        return "\n".join(kept)
    if position is None:
        position = len(kept) - 1 if level == "urgent" and len(kept) > 1 else len(kept)
    kept.insert(min(position, len(kept)), sentence)
    return "\n".join(kept)
