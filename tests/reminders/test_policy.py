"""Catch-up policy, answers and adherence arithmetic (counts worked by hand)."""

from __future__ import annotations

import datetime as dt

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.reminders import adherence, policy

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)


def test_a_reminder_at_most_the_grace_late_is_delivered_an_older_one_expires() -> None:
    grace = dt.timedelta(minutes=30)
    assert policy.on_claim(NOW - dt.timedelta(minutes=30), NOW, grace) == "deliver"
    assert policy.on_claim(NOW - dt.timedelta(minutes=31), NOW, grace) == "expire"
    with pytest.raises(InvalidInput):
        policy.on_claim(NOW + dt.timedelta(seconds=1), NOW, grace)


def test_snooze_comes_back_fifteen_minutes_later() -> None:
    assert policy.snoozed_until(NOW.replace(microsecond=500)) == NOW + dt.timedelta(minutes=15)


def test_only_open_reminders_can_be_answered() -> None:
    policy.check_action("delivered", "taken")
    policy.check_action("expired", "snooze")
    with pytest.raises(InvalidInput):
        policy.check_action("taken", "skipped")
    with pytest.raises(InvalidInput):
        policy.check_action("delivered", "maybe")


def test_outcomes_for_adherence() -> None:
    six_h = dt.timedelta(hours=6)
    assert policy.outcome("taken", NOW - six_h * 2, NOW) == "taken"
    assert policy.outcome("delivered", NOW - six_h, NOW) == "open"
    assert policy.outcome("delivered", NOW - six_h - dt.timedelta(seconds=1), NOW) == "missed"
    assert policy.outcome("expired", NOW - six_h * 2, NOW) == "missed"
    assert policy.outcome("snoozed", NOW - six_h * 2, NOW) is None
    assert policy.outcome("pending", NOW + dt.timedelta(hours=1), NOW) is None


def test_weekly_adherence_per_medicine() -> None:
    monday = dt.date(2026, 6, 8)  # ISO week 24
    counted = [
        adherence.Counted("Naproxen", monday, "taken"),
        adherence.Counted("Naproxen", monday, "taken"),
        adherence.Counted("Naproxen", monday + dt.timedelta(days=1), "skipped"),
        adherence.Counted("Naproxen", monday + dt.timedelta(days=2), "missed"),
        adherence.Counted("Naproxen", monday + dt.timedelta(days=2), "open"),
        adherence.Counted("Naproxen", monday - dt.timedelta(days=1), "taken"),  # week 23
    ]
    figures = adherence.weekly(counted, [("Paracetamol", monday), ("Paracetamol", monday)])
    by_key = {(f.medication, f.label): f for f in figures}
    week = by_key[("Naproxen", "2026-W24")]
    # 2 taken of 4 counted (2 taken + 1 skipped + 1 missed; the open one waits) = 50 %.
    assert (week.taken, week.skipped, week.missed, week.open) == (2, 1, 1, 1)
    assert week.adherence_pct == 50.0
    assert by_key[("Naproxen", "2026-W23")].adherence_pct == 100.0
    assert by_key[("Paracetamol", "2026-W24")].as_needed_intakes == 2
    assert by_key[("Paracetamol", "2026-W24")].adherence_pct is None
    totals = adherence.overall(figures)
    # 3 taken of 5 counted over both weeks = 60 %.
    assert totals["Naproxen"]["adherence_pct"] == 60.0
