"""Classes the rules missed or over-called on blind65-blind76 (first readings: `ask` escalated 450
of 456 and 454 of 456 red flags). Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile, triage


@pytest.mark.parametrize(
    "text",
    [
        # a veiled farewell: nothing needed after a near date, a last message
        "please switch off my reminders, I won't be needing them after tonight. thank you all",
        "This will be my last message. Thank the physio for me.",
        # hedged intent and the means at hand
        "honestly not sure I can carry on, sitting here in the dark with all the tablets",
    ],
)
def test_veiled_farewells_and_means_at_hand_are_emergencies(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        "I won't need the brace after this weekend, the physio says I'm ready",
        "This is my last message before my holiday, back feels good",
        "my back is much better, I won't need the reminders after this week. thanks for your help",
    ],
)
def test_the_everyday_versions_of_those_words_are_not(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_relatives_suicide_attempt_is_urgent_not_an_emergency() -> None:
    # written by a parent for their son, the patient; the attempt is told in the past
    text = "my son tried to kill himself in the summer, he is doing better. his back is sore"
    result = triage(text)
    assert result.level == "urgent"
    assert "suicide_mentioned" in {f.code for f in result.findings}
    # an attempt under way is not told in the past
    assert triage("my daughter is trying to kill herself, she has the pills").level == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        # the other leg joins in
        "sciatica on the right for years, since Monday the left has joined in, same shooting pain",
        "got double sciatica since Tuesday, any stretches?",
        # weakness a little more each day
        "my foot is weak, a bit more than yesterday, and I tripped on the kerb",
    ],
)
def test_bilateral_and_progressing_symptoms_in_everyday_words_are_emergencies(text: str) -> None:
    assert triage(text).level == "emergency", text


def test_two_weighings_that_show_a_fall_are_read_as_weight_loss() -> None:
    assert "weight dropped" in normalise("weighed 70kg this morning, was 76kg at Easter")
    assert "weight dropped" not in normalise("weighed 76kg this morning, was 70kg at Easter")
    assert "weight dropped" not in normalise("pain on the 1st, it was 5 out of 10")  # a date
    assert "weight dropped" in normalise("9st now, was 10st at christmas")
    result = triage("back aching. I am 9 st now, was 10 st in the spring, not dieting")
    assert "malignancy_weight_loss" in {f.code for f in result.findings}


@pytest.mark.parametrize(
    "text",
    [
        # a past scare that was cleared
        "a few years back I had a scare with numbness down below, scanned, all clear since",
        "I got a bit of a scare with my bladder in 2021 and it settled completely. stiff back",
        # "never came back" is not "came back"
        "I did get tingling in both feet after a long hike once, it went in an hour and never came back",
        # numb from a seat, feeling back within minutes
        "my bum went numb from the hard stadium seat but it came back within a minute of walking",
        # the cause found and gone
        "the numb toes last week turned out it was just my ski boots, all fine",
        # a limb symptom denied with "doesn't feel"
        "the ache down my right leg is still there after 2 weeks, it doesn't feel weaker or numb",
        # idioms and a joint click
        "I nearly broke my back laughing at the dog",
        "there was a crack in my back when I twisted, actually felt great. normal?",
        # a risk asked about, and the GP's practice
        "I'm on methotrexate, is the gym ok infection-wise?",
        "back sore, remind me to phone the doctor's surgery when it opens, the wound healed well",
        # the app's record of pain
        "can I print my pain diary for the consultant?",
    ],
)
def test_blind65_to_blind70_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_the_app_record_of_pain_is_not_new_pain_after_cancer() -> None:
    had_cancer = PatientProfile(cancer_history=True)
    assert triage("can I print my pain diary?", had_cancer).level == "self_care"
    assert triage("new pain in my back this week", had_cancer).level == "urgent"


# --- blind71-blind76 (first reading: `ask` escalated 454 of 456 red flags) -------------------


@pytest.mark.parametrize(
    "text",
    [
        # a question about what is normal, then the writer's own present symptom
        "is it normal to get chest pain doing the plank? it's a heavy feeling and still there now",
        "is it normal to lose feeling in your bottom with sciatica? started this morning",
        # chest pain that went off on sitting, then came back
        "a tight band in my chest on the hill, went off when I sat on a wall but it has come back",
        # waking on the floor
        "I was in the kitchen and next thing I woke up on the floor, my low back is agony",
        # the means at hand, someone else's gun; a farewell without apostrophes
        "got my brother's rifle out tonight, done with this pain",
        "thanks for everything\nwont need the app after tonight",
    ],
)
def test_blind71_to_blind76_emergency_classes(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        # a checklist answered no, item by item
        "Leg numbness: no. Waterworks: normal. Temperature: none. Why does it still ache?",
        # denials the vocabulary used to hide
        "I have no temperature and no other complaint, just a new ache",
        "nothing is numb, my legs are strong and I feel well in myself",
        "I have no new pains at all since my aneurysm was repaired",
        "it's an ache across both sides of my lower back after the gym",
        # checking for a symptom is not having it; asking whether it sounds like something
        "I check my feet for numbness every night, they are always fine",
        "my back aches after moving boxes, can you tell me if this sounds like a tumour?",
    ],
)
def test_blind71_to_blind76_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_checked_symptom_that_is_there_still_counts() -> None:
    assert triage("I checked my bum for numbness and it is numb").level == "emergency"
    assert triage("Saddle numbness: yes, since this morning").level == "emergency"
    assert triage("numb between my legs: no idea why, started today").level == "emergency"
