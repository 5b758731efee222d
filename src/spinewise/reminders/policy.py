"""The rules the scheduler and the adherence figures share (pure).

Life of an occurrence (one due reminder)::

    pending ──(due, scheduler claims it)──► delivered ──► taken | skipped | snoozed
       │                                        │
       └──(claimed more than GRACE late)──► expired       (no answer within ANSWER_WINDOW: missed)

- **Catch-up policy.** When the scheduler finds a reminder that came due while nothing was
  running (a restart, a crash, a laptop asleep), it still delivers it if it is at most
  ``grace`` late (default 30 minutes: a "take your tablets" prompt half an hour late is still
  useful), and otherwise marks it ``expired`` without disturbing the patient — a pile of stale
  reminders after a long outage would be noise, and a medication prompt hours late could lead
  to a dose taken too close to the next one. An expired medication reminder still counts in
  adherence (as missed unless the patient records the dose).
- **Snooze** makes a new occurrence 15 minutes after the moment of snoozing; the snoozed one
  leaves the adherence count (its follow-up is counted instead).
- **Missed**: a delivered or expired reminder that nobody answered within ``ANSWER_WINDOW``
  (6 hours; for a twice-daily medicine that is half-way to the next dose).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from spinewise.core.errors import InvalidInput

DEFAULT_GRACE = dt.timedelta(minutes=30)
SNOOZE = dt.timedelta(minutes=15)
ANSWER_WINDOW = dt.timedelta(hours=6)

Status = Literal["pending", "delivered", "expired", "taken", "skipped", "snoozed", "cancelled"]
Outcome = Literal["taken", "skipped", "missed", "open"]
ANSWERABLE: frozenset[str] = frozenset({"pending", "delivered", "expired"})
ACTIONS = ("taken", "skipped", "snooze")


def on_claim(due_at: dt.datetime, now: dt.datetime, grace: dt.timedelta = DEFAULT_GRACE) -> str:
    """``"deliver"`` a due reminder at most ``grace`` late, ``"expire"`` an older one."""
    if due_at > now:
        raise InvalidInput("due_at", "not due yet")
    return "deliver" if now - due_at <= grace else "expire"


def snoozed_until(now: dt.datetime) -> dt.datetime:
    """The new due time of a reminder snoozed at ``now`` (whole seconds)."""
    return (now + SNOOZE).replace(microsecond=0)


def check_action(status: str, action: str) -> None:
    """Only an open reminder can be answered, and only with taken, skipped or snooze."""
    if action not in ACTIONS:
        raise InvalidInput("action", f"must be one of {', '.join(ACTIONS)}")
    if status not in ANSWERABLE:
        raise InvalidInput("action", f"this reminder is already {status}")


def outcome(
    status: str, due_at: dt.datetime, now: dt.datetime, window: dt.timedelta = ANSWER_WINDOW
) -> Outcome | None:
    """How one occurrence counts for adherence; ``None`` when it does not count (snoozed,
    cancelled, or not due yet)."""
    if status in ("taken", "skipped"):
        return status  # type: ignore[return-value]
    if status in ("snoozed", "cancelled") or due_at > now:
        return None
    return "missed" if now - due_at > window else "open"
