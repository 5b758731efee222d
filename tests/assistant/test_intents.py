"""App actions parsed from chat."""

from __future__ import annotations

import pytest

from spinewise.assistant.intents import parse_intents, parse_time


def kinds(text: str) -> list[str]:
    return [i.kind for i in parse_intents(text)]


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("my pain is 6 today", 6),
        ("Pain 7/10 this morning", 7),
        ("log my pain as 8", 8),
        ("pain is about 3 out of 10", 3),
        ("pain level: 0", 0),
    ],
)
def test_pain_scores_are_logged_on_the_0_to_10_scale(text: str, score: int) -> None:
    (intent,) = parse_intents(text)
    assert intent.kind == "log_pain"
    assert intent.params["score"] == score
    assert intent.requires_confirmation
    assert f"{score}/10" in intent.confirmation_prompt


@pytest.mark.parametrize(
    "text", ["back pain for 3 months", "my pain is 11", "pain started 2 weeks ago"]
)
def test_durations_and_impossible_scores_are_not_pain_scores(text: str) -> None:
    assert "log_pain" not in kinds(text)


def test_medication_taken_with_name_quantity_and_time() -> None:
    (intent,) = parse_intents("I took 2 paracetamol at 8am")
    assert intent.kind == "medication_taken"
    assert intent.params == {"medication": "paracetamol", "quantity": 2, "time": "08:00"}
    assert kinds("I took my tablets") == ["medication_taken"]


def test_reminders_are_parsed_with_a_24_hour_time_and_kind() -> None:
    (intent,) = parse_intents("remind me to do my exercises at 6 pm")
    assert intent.kind == "set_reminder"
    assert intent.params["time"] == "18:00" and intent.params["kind"] == "exercise"
    assert intent.params["time_ambiguous"] is False
    daily = parse_intents("remind me to take naproxen at 8 am every day")[0]
    assert daily.params["kind"] == "medication" and daily.params["repeat"] == "daily"


def test_a_time_without_am_or_pm_is_flagged_for_the_patient_to_confirm() -> None:
    intent = parse_intents("remind me to do my exercises at 6")[0]
    assert intent.params["time"] == "06:00" and intent.params["time_ambiguous"]
    assert "morning or evening" in intent.confirmation_prompt


def test_parse_time_by_hand() -> None:
    assert parse_time("at 12 am") == ("00:00", False)
    assert parse_time("at 12 pm") == ("12:00", False)
    assert parse_time("at 7.30pm") == ("19:30", False)
    assert parse_time("at noon") == ("12:00", False)
    assert parse_time("3 times a day") == (None, False)


def test_several_actions_in_one_message() -> None:
    text = "remind me about exercises at 7pm. Also my pain is 5 and I did my exercises"
    assert kinds(text) == ["set_reminder", "log_pain", "exercise_done"]


def test_appointment_questions_need_no_confirmation_and_handover_does() -> None:
    (appointment,) = parse_intents("when is my next session?")
    assert appointment.kind == "next_appointment" and not appointment.requires_confirmation
    (handover,) = parse_intents("can I talk to a real person please")
    assert handover.kind == "handover" and handover.requires_confirmation


def test_plain_questions_have_no_intents() -> None:
    assert parse_intents("is swimming good for sciatica?") == []
