"""Classes the rules missed or over-called on blind143-blind148 (first reading: `ask` escalated 448
of 456 red flags, 231 of 240 emergencies as emergencies, benign 91.7 %; six of the eight misses
were notes read by OCR from handwriting, where the rules alone read only 38 of 76 red flags).
Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level

# --- text read by OCR from handwriting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("scanned", "read"),
    [
        ("pins and need1es in b0th 1egs", "pins and needles in both legs"),
        ("rny bladder", "my bladder"),
        ("since the surnrner", "since the summer"),
        ("heartbum from the tab1ets", "heartburn from the tablets"),
        ("a cornpression fracture", "a compression fracture"),
    ],
)
def test_ocr_confusions_are_read_back(scanned: str, read: str) -> None:
    assert read in normalise(scanned)


@pytest.mark.parametrize(
    "text",
    ["took 100mg at 10am", "pain 10/10 at 3pm", "turn the corner", "a burn on my arm"],
)
def test_figures_and_real_words_stay_as_written(text: str) -> None:
    assert normalise(text) == text.lower()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Notes: 1) n0 fee1ing 0f needing the 1oo any rnore since Tuesday", "ces_bladder_bowel"),
        ("the shooting pain now goes d0wn b0th 1egs", "ces_bilateral_sciatica"),
        ("P.S. I have been thinking of ki11ing rnyse1f", "suicidal_thoughts"),
    ],
)
def test_red_flags_read_by_ocr_are_found(text: str, code: str) -> None:
    assert code in codes(text)


# --- thoughts of suicide in few words -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "had enough of it all. tablets saved up in the drawer for later. sorry",
        "The family can manage the shop without me. I've been looking at the rafters in the "
        "garage.",
    ],
)
def test_a_plan_hinted_at_is_an_emergency(text: str) -> None:
    assert "suicidal_thoughts" in codes(text)


def test_someone_elses_death_by_suicide_is_not_the_writers_crisis() -> None:
    text = "a lad at work killed himself in the summer. I'm ok, just want stretches for my back"
    assert level(text) not in RED_FLAG_LEVELS


# --- other words ------------------------------------------------------------------------------


def test_welsh_words_for_pain_in_both_legs_are_read() -> None:
    assert "ces_bilateral_sciatica" in codes("Mae poen yn y ddwy goes ers ddoe, cefn yn brifo")


def test_a_leg_that_has_to_be_lifted_in_by_hand_is_weak() -> None:
    text = "my left leg isn't lifting properly, I have to lift it into the car with my hands"
    assert "new_leg_weakness" in codes(text)


def test_a_knee_that_gives_is_weakness() -> None:
    assert "new_leg_weakness" in codes("my right knee gives a bit on the stairs since Monday")


# --- over-calls -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # animals
        "The vet says our collie's back legs are going and he can't hold his wee. My own back "
        "is just stiff from lifting him.",
        "Dog has a temperature, vets tomorrow. My back's stiff from the sofa.",
        # known baselines in Parkinson's and on clozapine
        "bladder normal (well, normal for me with the PD urgency), no numbness, back stiff",
        "the clozapine makes me wet the bed now and then, has done ever since I started it, the "
        "team know. back aches from the mattress",
        # people already in care, a cellmate back and fine, the minister
        "my cellmate had chest pains and got taken out, he's back now and fine. my back is sore",
        "The vicar fainted during the service, they reckon it was the heat. My back is fine.",
        # someone else's warning sign, remote past, resolved
        "My physio mentioned foot drop as something to look out for. Mine's fine.",
        "if my back pain ever came with a fever what should I do? planning ahead",
        "had foot drop after a disc op years ago, the strength came back fully. back stiff",
        # fever with the back fine, however long ago it settled
        "Fever and shivery since last night. My back pain has gone, it cleared up last week.",
        "temperature 38 with a chesty cough. back pain hasn't bothered me in ages",
        # tremor, pills kicking in, a fight the writer was not in
        "hands shaking too much to use the sliders, can the buttons be bigger?",
        "went very stiff when my tablets were late, eased once they kicked in",
        "fight kicked off on the landing, I wasn't in it, pulled my back getting out the way",
        # walking uphill brings the legs on, sitting eases them; "just the one leg"
        "walking up the hill my legs ache and tingle, I have to sit on a wall and then I'm fine",
        "I've got sciatica down my right leg too, like the dog. Just the one leg, no numbness.",
        # a Welsh grandad's death long ago
        "Tad-cu died of an aneurysm in 2001. Nothing to do with me, my back is sore from lambing.",
        # contractions without apostrophes
        "legs arnt numb, bum isnt numb, can pee fine. back just aches",
    ],
)
def test_benign_messages_stay_below_urgent(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


def test_a_contraction_without_its_apostrophe_is_not_read_inside_another_word() -> None:
    # "arnt" is "are not", but "carnt" (can't) must not become "care not"
    assert "care not" not in normalise("i carnt lift my foot up, it flops")
    assert "foot_drop" in codes("i carnt lift my foot up, it flops when i walk")
