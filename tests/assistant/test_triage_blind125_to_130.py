"""Classes the rules missed or over-called on blind125-blind130 (first reading: `ask` escalated 455
of 456 red flags, 239 of 240 emergencies as emergencies, benign 93.8 %; the one miss a lost
bladder control told through an autocorrected word). Each is specified here in words that are
not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        # autocorrect's wrong real words, read back only where the wrong word makes no sense
        ("I can't per since this morning", "cannot pee"),
        ("no control of my per at all", "control of my pee"),
        ("my ladder feels full and nothing comes", "bladder feels full"),
        ("numb in the paddle area", "saddle area"),
        ("lost bowl control twice", "bowel control"),
        ("tingling in both lens", "both legs"),
        ("I've got a high fewer and back pain", "high fever"),
        ("my bum is totally mum", "bum is totally numb"),
    ],
)
def test_autocorrected_words_are_read_back(typed: str, read: str) -> None:
    assert read in normalise(typed)


@pytest.mark.parametrize(
    "text",
    ["I fell off my ladder last summer", "my mum has back pain too", "two tablets per day"],
)
def test_the_same_words_in_their_own_sense_stay(text: str) -> None:
    assert normalise(text) == normalise(text).replace("bladder", "ladder")
    assert "pee" not in normalise(text) and "numb" not in normalise(text)


def test_an_autocorrected_loss_of_control_is_an_emergency() -> None:
    text = "could my back be why I lost control of my per? it happened again this morning"
    assert "ces_bladder_bowel" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # a long-term catheter, the usual prostate symptoms
        "Can I swim with my long-term catheter? The back is stiff.",
        "The catheter leg bag gets in the way of my stretches.",
        "No numbness, no fever, just the usual prostate dribble. Back stiff from gardening.",
        # a list of what the writer does not have
        "Everything I do not have: numbness, tingling, bladder or bowel changes, fever, weight "
        "loss, cancer. Back seized when I picked up a box.",
        "Spent all night googling. Back sore from moving house.",
        # someone else's finished story, an in-law, standing that brings on the legs
        "Chap at my bowls club ended up having emergency surgery for cauda equina. What are the "
        "warning signs?",
        "My sister-in-law's foot went floppy from a disc. Can sciatica do that? I haven't got any "
        "leg symptoms myself.",
        "Why do both legs go numbish if I've stood a long time at the counter but settle as soon "
        "as I sit?",
        # a fever told over, "that was years ago"
        "Had a fever with covid at Christmas, all over now. Back twinged at the gym.",
        "I had the shivers and a temperature after my jab, that was 2 years ago. Back sore now.",
        # one leg named before "both legs are strong"
        "only my right leg hurts, like a hot wire down the shin, and both legs are strong",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        "The hospital had to put in a catheter yesterday because I couldn't pee",
        "Usual prostate dribble but since this morning I can't feel when I wipe",
        "Things I don't have: fever. But I can't feel my bum since this morning.",
        "my legs are numb when I stand and also when I sit, both sides, since yesterday",
    ],
)
def test_the_red_flag_versions_stay_red_flags(text: str) -> None:
    assert level(text) in RED_FLAG_LEVELS, text
