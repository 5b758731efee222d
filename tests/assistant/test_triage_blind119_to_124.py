"""Classes the rules missed or over-called on blind119-blind124 (first reading: `ask` escalated 455
of 456 red flags, 238 of 240 emergencies as emergencies, benign 94.4 %; the one miss a kick from
a horse told in riders' words). Each is specified here in words that are not the blind
authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a kick from an animal, told in its keepers' words
        (
            "The cow kicked me across the lower back while I was milking, can barely straighten",
            "fracture_significant_trauma",
        ),
        (
            "got booted by the pony this afternoon, right in the small of my back",
            "fracture_significant_trauma",
        ),
        # cannot hold in a poo, asked as "is it normal"
        (
            "is it normal with sciatica to be unable to hold on to a poo? started this morning",
            "ces_bladder_bowel",
        ),
        # chest pain that has not stopped, behind the breastbone
        (
            "Pain behind my breastbone spreading to my left arm, it hasn't stopped for half an hour",
            "chest_pain",
        ),
        # the feeling named before and now placed in the saddle
        (
            "My tingling is normally just in my feet from the diabetes. Since this morning it is "
            "in my bottom and around my genitals too, which has never happened.",
            "ces_saddle_anaesthesia",
        ),
    ],
)
def test_red_flags_in_these_words_are_read(text: str, code: str) -> None:
    assert code in codes(text), text


@pytest.mark.parametrize(
    "text",
    [
        # leaking with a laugh or sneeze after a birth: the pelvic floor
        "Sneezed and leaked a bit again. My little girl is 3 months old. Will my pelvic floor "
        "ever recover?",
        # a single accident long ago, nothing since; sciatica that went years ago
        "Had one accident with my bladder after a heavy night out last year, nothing since.",
        "Had sciatica in both legs in my twenties for a while, went years ago. Just stiff now.",
        # a leg that went numb on the toilet, someone in an online group, a question with "got"
        "My foot went dead while I was sat on the loo for ages, fine when I got up.",
        "Someone in my hypermobility group lost control of her bowels from a disc. How would I "
        "know if that happened to me?",
        "If I got numbness around my back passage, should I ring 999? None of that at the moment.",
        # a known condition checked and unchanged, a usual bladder urgency
        "Tingly patches on both outer thighs on and off. My GP checked them last year and said "
        "meralgia paraesthetica, nothing's changed.",
        "Bladder urgency as per usual with my fibro, nothing different. Back sore after cleaning.",
        # a comparison, fatigue, a phrase about work, a car journey, a leaking bottle
        "The pain in my right leg is worse than my back pain now, no numbness or weakness",
        "When I overdo it I crash for two days afterwards. How do I pace?",
        "I'm scared of being written off as lazy at work because of my back.",
        "Stiff back after driving six hours to the ski lodge. No fall, just sitting.",
        "Thought I'd wet myself on the bus but my coffee cup was leaking. Back's fine.",
        # a fever with the back said to be fine, constipation on methadone
        "Got a fever from the kids, no back problems at the moment, can I skip my exercises?",
        "Since they raised my methadone I can't go for days, really constipated",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        # the same signs without the reason that makes them ordinary stay red flags
        "I've been leaking urine without noticing since yesterday, not when I cough, just "
        "randomly. Baby is 4 months.",
        "I wet myself twice today without any warning and my back is agony",
        "tight band across my chest and my back aches as usual, I have diabetes",
        "I keep soaking the sheets with sweat at night and my back aches, diabetic as usual",
        "My leg is going numb on the toilet and I can't feel when I wipe",
    ],
)
def test_the_red_flag_versions_stay_red_flags(text: str) -> None:
    assert level(text) in RED_FLAG_LEVELS, text
