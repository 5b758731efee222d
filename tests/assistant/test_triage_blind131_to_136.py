"""Classes the rules missed or over-called on blind131-blind136 (first reading: `ask` escalated 449
of 456 red flags, 234 of 240 emergencies as emergencies, benign 94.4 %; five of the seven misses
were thoughts of suicide in slang, a literal translation or a question about suicide). Each is
specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile

from .triage_helpers import codes, level

# --- thoughts of suicide --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # internet slang and gaming words
        "honestly might kms tonight, nothing helps the back",
        "i just wish i would never respawn tomorrow. the pain is the same every day",
        "thinking of logging off for good. not from the app. from everything",
        # a lethal dose looked up, told without the word "overdose"
        "looked up how many co-codamol it takes. got a full box",
    ],
)
def test_suicide_in_slang_or_by_its_means_is_an_emergency(text: str) -> None:
    assert "suicidal_thoughts" in codes(text)


@pytest.mark.parametrize(
    "text",
    ["ran 5 kms today and my back is fine", "we walked a few kms on the beach, back a bit stiff"],
)
def test_kilometres_stay_kilometres(text: str) -> None:
    assert "kill" not in normalise(text)


def test_logging_off_the_app_is_not_a_crisis() -> None:
    assert level("I'm logging off for good, this app is not for me. Back is fine.") == "self_care"


def test_how_many_tablets_to_work_is_a_dosing_question() -> None:
    assert level("how many paracetamol it takes to work on a bad back?") == "self_care"


def test_a_past_attempt_in_a_literal_translation_is_urgent() -> None:
    # "уйти из жизни": to go away from life
    text = "Two years ago I wanted to leave from life, I took tablets. Now is better. Back pain."
    assert "suicide_mentioned" in codes(text)
    assert level(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "is it common for people with sciatica to become suicidal?",
        "does anyone here ask about suicidal thoughts? wondering what happens if you say yes",
        "can you give me the number of a suicide helpline, in case I need it one day",
    ],
)
def test_a_question_about_suicide_is_urgent(text: str) -> None:
    assert level(text) == "urgent"


def test_a_question_about_suicide_with_the_thoughts_denied_is_not_a_red_flag() -> None:
    text = "Do people with back pain get suicidal? Just curious, I am not having thoughts like that"
    assert level(text) not in RED_FLAG_LEVELS


def test_a_relatives_past_thoughts_still_count_when_they_say_they_are_ok() -> None:
    text = "Last week my brother said he'd thought about killing himself. He says he is ok now."
    assert level(text) in RED_FLAG_LEVELS


def test_a_relative_asked_and_answering_no_is_not_a_crisis() -> None:
    text = (
        "He's been low since the injury. I asked him outright whether he'd had thoughts of "
        "suicide and he said no."
    )
    assert level(text) not in RED_FLAG_LEVELS


def test_an_answer_taken_back_still_counts() -> None:
    text = "The nurse asked me if I had thought of ending it and I said no, but I had last month."
    assert level(text) in RED_FLAG_LEVELS


# --- other red flags --------------------------------------------------------------------------


def test_waking_on_the_floor_after_everything_went_black_is_a_collapse() -> None:
    text = "got up to the loo, everything went black, woke on floor. back really bad now"
    assert "collapse_with_pain" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "my weight goes down every week, I eat normal. back aches all the time",
        "eating like always but already minus 5 kg this month, back sore",
    ],
)
def test_weight_that_goes_down_is_weight_loss(text: str) -> None:
    assert "malignancy_weight_loss" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "since the back pain started three days ago my tackle won't work, never had that before",
        "bug report: hardware won't power up downstairs, if you know what i mean. back pain 2 days",
    ],
)
def test_sexual_function_in_euphemism_is_an_emergency(text: str) -> None:
    assert "ces_sexual_dysfunction" in codes(text)


def test_hardware_that_will_not_boot_is_a_computer() -> None:
    assert level("my hardware won't boot after the update, back stiff from the desk") == (
        "self_care"
    )


# --- dictated messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spoken", "read"),
    [
        ("my back hurts comma my legs are fine full stop", "my back hurts, my legs are fine."),
        ("is this normal question mark", "is this normal?"),
        ("pain list new line back new line neck", "pain list. back. neck"),
        ("numbness in the settle area", "numbness in the saddle area"),
        ("I had it back in twenty fifteen", "back in 2015"),
        ("in two thousand and nine", "in 2009"),
        ("since nineteen ninety eight", "since 1998"),
    ],
)
def test_spoken_punctuation_and_years_are_read_back(spoken: str, read: str) -> None:
    assert read in normalise(spoken)


def test_a_question_mark_over_a_job_keeps_its_words() -> None:
    assert "question mark" in normalise("there is a question mark over my job")


def test_a_dictated_checklist_answered_no_is_denied() -> None:
    text = (
        "checklist new line numbness in the settle area no new line trouble peeing no new line "
        "fever no new line back sore after football"
    )
    assert level(text) == "self_care"


def test_a_dictated_past_in_words_is_past() -> None:
    text = "I had sciatica in both legs in twenty twelve comma gone since the op comma back fine"
    assert level(text) not in RED_FLAG_LEVELS


def test_a_checklist_answered_false_or_null_is_denied() -> None:
    text = "checks:\n- saddle numbness: false\n- fever: null\n- bladder: normal\nback just stiff"
    assert level(text) == "self_care"


# --- over-calls -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # pain that will not go away, with the bladder denied
        "six weeks of back ache no numbness no bladder problems it just won't go",
        "Three months my back hurts. No numbness, no problem with bladder, it does not go away.",
        # someone else's story that is over, a teacher who fainted
        "My daughter's friend was knocked off her bike last week and is fine, thankfully. My "
        "daughter just has a stiff back from netball.",
        "Our coach fainted at training, scary but he's ok. How do I log pain in the app?",
        # a word asked about, a quoted question answered no, a friend's claim
        "cauda equina - is that a band? saw it on the help page. my back is just stiff",
        "On a forum people write about 'saddle numbness'. What does it mean? I don't have it, "
        "just curious.",
        "my wife is a nurse and keeps asking me 'any numbness down below?' every night. No. It's "
        "a pulled muscle.",
        "my mate says back pain + weight loss = cancer. I lost 3kg on purpose. back aches after "
        "cycling",
        # a joke answer
        "Numbness? no. Weight loss? I wish. Fever? nope. Why does my back ache after yoga?",
        # long-standing baselines
        "Both feet numb since about 2012 from my diabetes, no change. Back stiff after gardening.",
        "Erection problems for about eight years, on tablets from the urologist. Can I take them "
        "with naproxen?",
        "On dialysis and hardly pass any urine, that has been the case for 3 years. Back achy in "
        "the dialysis chair.",
        "Dry weight went down 2kg because they took more fluid off. Back fine.",
        # a goal, not a loss; standing in a queue brings on the legs
        "Age 58, first time my back hurts, started when I began walking to lose weight.",
        "Standing in the supermarket queue makes my legs ache, sitting down sorts it out.",
        # computers that crash
        "my pc crashed and I lost a day's work, back tense from the stress",
    ],
)
def test_benign_messages_stay_below_urgent(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


def test_started_to_lose_weight_is_still_a_loss() -> None:
    assert "malignancy_weight_loss" in codes("started to lose weight without trying, back aches")


def test_a_dialysis_patient_who_suddenly_cannot_pee_is_still_read() -> None:
    text = "I'm on dialysis but still pass urine normally. Since this morning I can't pee at all."
    assert "ces_bladder_bowel" in codes(text)


def test_pins_and_needles_since_last_year_are_not_long_standing() -> None:
    # only a year at least two years back makes a symptom long-standing
    text = "tingling in both legs since 2026, getting worse"
    assert level(text, PatientProfile()) == "emergency"
