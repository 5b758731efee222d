"""Classes the rules missed or over-called on blind107-blind112 (first reading: `ask` escalated 455
of 456 red flags, 237 of 240 emergencies as emergencies, benign 94.8 %; the one miss and both
emergencies left at urgent were thoughts of suicide told by the means or in learner English).
Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.respond import Assistant
from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level


@pytest.mark.parametrize(
    "text",
    [
        # the means named, for the writer or someone they live with
        "my husband keeps saying he'll put the rifle to his head if this pain doesn't stop",
        "I keep thinking about jumping off the multi-storey car park near work",
        "she told me last night she wants to hang herself, her back has ruined her life",
        "been thinking of stepping in front of a train on the way home",
        # learner English and a first-person wish to die in the writer's own language
        "every night I think about to die, the back pain never stop",
        "Quiero morir, ya no aguanto el dolor de espalda",
        "Chcę umrzeć. Back pain every day, no sleep.",
    ],
)
def test_thoughts_of_suicide_told_by_the_means_or_in_another_language_are_emergencies(
    text: str,
) -> None:
    assert "suicidal_thoughts" in codes(text), text
    assert level(text) == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        # a jump told as an injury, not a wish
        "jumped off the trampoline at my nephew's party and landed awkwardly, back sore since",
        "I jumped from the hayloft like an idiot, now my lower back aches",
    ],
)
def test_a_jump_told_as_an_injury_is_not_a_crisis(text: str) -> None:
    assert "suicidal_thoughts" not in codes(text), text


def test_a_passive_feeling_with_the_intent_denied_is_a_call_today_not_an_ambulance() -> None:
    text = (
        "I feel like a burden to my family with this back. I'm not going to do anything "
        "silly, I promise, I just need someone to talk to."
    )
    assert codes(text) & {"suicide_mentioned"}
    assert level(text) == "urgent"
    # without the denial the same feeling is read as current
    assert level("I feel like a burden to my family with this back.") == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        # someone else's finished story, told to ask about the writer's own ordinary pain
        "A bloke at my gym had to have an emergency operation when he couldn't pass water. Could "
        "that happen to me? My back's only been stiff since yesterday.",
        "My cousin's neighbour had a tumour in his back that began as a backache. Now I'm "
        "anxious. Mine came on after hoovering and is easing already.",
        "Woman at the mosque said her son had a tear in his aorta that felt like backache. "
        "Should I be worried about my usual backache after lifting?",
        "A mate of mine came off a roof and broke his spine. I'm worried about mine, which just "
        "aches from the desk.",
    ],
)
def test_a_strangers_finished_story_is_not_the_writers_red_flag(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        # a denial list, with a sprain word that is not straining on the toilet
        "Waterworks and bowels normal, legs fine, how long does a muscle strain take to heal?",
        # constipation on a painkiller, whoever takes it
        "Dad's on tramadol for his back and hasn't opened his bowels for four days, he's straining",
        # a date at the start of the sentence dates all of it
        "Back in 2012, after a car crash, I couldn't feel either leg for a few weeks. Fully "
        "recovered since, this is just a stiff back from gardening.",
        # "too" adds the leg to the back, not a second leg
        "my back ache has started going into my right leg too, pins and needles in the shin, "
        "the leg is still strong",
        # advice to lose weight, a claim read, an injury denied, a question about anyone
        "The physio keeps telling me to lose weight for my back, does it help?",
        "I heard that back pain with weight loss can be serious. I've put weight on if anything.",
        "Hurt my back at five-a-side, nobody tackled me, I just turned awkwardly.",
        "If a person suddenly can't feel their backside, should they go to A&E? Only asking, I'm "
        "fine.",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        # the same words about the writer, now, keep their red flags
        "I can't pass water since this morning and my back is agony",
        "I'm on tramadol and now I can't feel when I need a poo and I've soiled myself",
        "sciatica in my left leg for weeks and since yesterday the right leg too",
        "I'm losing weight without trying and my back aches at night",
        "My friend is with me now, he fell off a ladder and can't feel his legs",
    ],
)
def test_the_red_flag_versions_stay_red_flags(text: str) -> None:
    assert level(text) in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        # one leg with its strength checked: sciatica for a review, not an emergency
        "burning pain down the back of my left calf since the move. legs strong though",
        "Pins and needles in my right foot and pain down that leg. Can still stand on my toes, "
        "no problem.",
        "A numb strip on the top of my right foot with the back pain. The leg's strong, only that "
        "side.",
    ],
)
def test_one_leg_with_its_strength_checked_is_not_raised_by_the_net(
    net_only: Assistant, text: str
) -> None:
    assert net_only.triage(text).level not in RED_FLAG_LEVELS, text
