"""Classes the rules missed or over-called on blind101-blind106 (first reading: `ask` escalated 446
of 456 red flags, benign 92.1 %; the rules alone 397 of 456, seven misses of `ask` in Nigerian and
Ghanaian Pidgin). Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level


@pytest.mark.parametrize(
    "text",
    [
        # Pidgin: a farewell, a plan, a bladder that will not empty, wetting without knowing
        "Abeg tell my wife say I love am. I no go dey here tomorrow.",
        "I don gather all my tablets, I wan end everything",
        "since morning I no fit piss, e dey come drop drop. my back dey pain me",
        "I piss for body and I no feel am. back pain one week",
        "my manhood no dey work since the back pain start",
        # something tearing in the back, sudden
        "something tear for inside my back, sudden and sharp, I be 70",
        # sign-language word order
        "Since lunch wee cannot. Back pain bad.",
        "Poo come out, me not control. Back pain.",
        "back pain then me faint in bathroom. sweat, cold",
    ],
)
def test_dialect_and_sign_language_word_order_emergencies(text: str) -> None:
    assert level(text) == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        "I no fit find any way to lie down, e dey bite me till morning, even if I no move",
        "My left foot no strong again since Monday with the back pain",
        "I bin dey inject before, I don relapse and I dey use needle again. back pain",
        "Me inject drug. Back pain two week.",
        "Horse kick me on back yesterday, pain big, legs fine",
        "Keke tumble with me for road, back pain strong",
    ],
)
def test_dialect_urgent_signs(text: str) -> None:
    assert level(text) in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("waking up soked in swet evry nite and my bak akes", "infection_fever"),
        (
            "steriod injecshun in my spine last week, now red and leeking",
            "infection_after_procedure",
        ),
        ("relapsed on herion, injecting agen, bak realy bad", "infection_iv_drug_use"),
        (
            "i have a anurism they are wotching and now bad new pain in my bak",
            "aaa_known_with_pain",
        ),
        ("sigh attica in both legs since this morning", "ces_bilateral_sciatica"),
    ],
)
def test_spelling_by_sound_is_read(text: str, code: str) -> None:
    assert code in codes(text), text


def test_an_attempt_named_by_where_it_led_is_suicide_mentioned() -> None:
    assert "suicide_mentioned" in codes(
        "Two years ago I was in the psychiatric ward after an attempt. Fine now, back sore."
    )


@pytest.mark.parametrize(
    "text",
    [
        "this job dey kill me, my back just stiff",
        "this assignment finna kill me before my back does",
        "the stretches want kill me but back is better",
        "I bin think say I no feel my bottom but na the hard bench, e don come back normal",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text
