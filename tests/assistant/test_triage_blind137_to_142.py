"""Classes the rules missed or over-called on blind137-blind142 (first reading: `ask` escalated 447
of 456 red flags, 227 of 240 emergencies as emergencies, benign 92.3 %; eight of the nine misses
were in blind140, telegraphic messages written after a stroke). Each is specified here in words
that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS

from .triage_helpers import codes, level

# --- chest pain in other words ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a learner's "breast" for chest, with the pain going to the arm
        "pressure in the breast for twenty minutes, it goes into my left arm. back is ok",
        "my heart area is burning and the pain goes through to my back",
        "heart place hurt. hurt much.",
        # on exertion
        "chest gets sore when I climb the stairs, back fine",
    ],
)
def test_chest_pain_in_other_words_is_an_emergency(text: str) -> None:
    assert "chest_pain" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "my chest is sore from coughing with this cold, back stiff",
        "breastfeeding and my breast is sore, also my back aches from carrying the baby",
    ],
)
def test_a_sore_chest_from_a_cough_or_a_sore_breast_is_not_chest_pain(text: str) -> None:
    assert "chest_pain" not in codes(text)


# --- short and broken sentences (aphasia, learners) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("want die. pain always.", "suicidal_thoughts"),
        ("I think it is better I am not alive, my children will be free", "suicidal_thoughts"),
        ("wet self today. not know. never before. back pain", "ces_bladder_bowel"),
        ("water thing not come. all day. back", "ces_bladder_bowel"),
        ("right leg go more weak, yesterday walk ok, today stick", "progressive_neuro_deficit"),
        ("fall stairs yesterday. back sore.", "fracture_significant_trauma"),
        ("went down stairs all the way on my bum. back bad", "fracture_significant_trauma"),
        ("yesterday I faint three times when I stand, back pain strong", "collapse_with_pain"),
    ],
)
def test_red_flags_in_few_words_are_read(text: str, code: str) -> None:
    assert code in codes(text)


def test_a_seat_named_before_its_numbness_is_saddle_numbness() -> None:
    text = "after the long drive the part I sit on feels like someone else's. Numb as wood."
    assert "ces_saddle_anaesthesia" in codes(text)


def test_feeling_faint_is_not_a_faint() -> None:
    assert "collapse_with_pain" not in codes("I feel faint when I stand up too fast, back ok")


# --- words that are not red flags -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the code does not come to my phone, I cannot log in",
        "the email still does not come, please help",
    ],
)
def test_things_that_do_not_come_are_not_sexual_dysfunction(text: str) -> None:
    assert "ces_sexual_dysfunction" not in codes(text)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("DH thinks I should rest", "husband thinks"),
        ("carrying DS2 all day", "carrying son"),
        ("MIL had a fall", "mother-in-law had a fall"),
        ("my OH says it is sciatica", "my partner says"),
    ],
)
def test_forum_acronyms_are_read_as_the_people_they_are(typed: str, read: str) -> None:
    assert read in normalise(typed)


def test_oh_as_a_word_stays() -> None:
    assert "partner" not in normalise("oh no, my back has gone again")


@pytest.mark.parametrize(
    "text",
    [
        # other people already in a clinician's hands
        "My colleague had chest pain at work and the ambulance came. My back is fine.",
        "Her husband has leg weakness but he sees his own doctor. My neck is stiff.",
        "the patient's husband had chest pains and went to hospital by ambulance; her back is "
        "better",
        # a story that is over
        "My nephew fell off a wall at the weekend. The nephew is fine. My back is sore from "
        "carrying him.",
        # hypotheticals and reported advice
        "My wife asks: if the leg goes weak one day, what then? Nothing is weak now.",
        "The coach said if I feel a tearing pain I must stop. I do not, just sore muscles.",
        "what if... I cannot pee one day? not now, just asking",
        # a question answered "no no", a term with the thoughts denied
        "numbness down below? no no. just stiff back",
        "What counts as numbness? Mine feel normal, I only want to know.",
        # healed, completely gone, recovered, remote past, back fine
        "3 years ago car accident, vertebra broken, healed well. Now I want core exercises.",
        "The pins and needles in both legs I had in March are completely gone now.",
        "In the past I had foot drop but it recover complete, now the foot is strong.",
        "When I was child I had a kidney infection with fever. Just curious if back pain can be "
        "from kidney.",
        "High temperature and sore throat. Back is no problem now.",
        "Fever since last night, probably flu. The back today is okay.",
        # the star sign; a denied bladder next to pain that goes on
        "Cancer is my star sign lol. Back a bit sore after the gym.",
        "no weakness, no numbness, no problem pee or poo, just stiff from a bad mattress",
        # constipation on codeine in few words
        "codeine. poo stuck. hard. 3 day. back same.",
    ],
)
def test_benign_messages_stay_below_urgent(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


# --- the semantic net on fragments ------------------------------------------------------------


def test_the_net_reads_a_message_of_fragments_as_a_whole() -> None:
    from spinewise.assistant.semantic import sentences

    message = "sciatic. the nerve. right bum to foot. 2 week. walking ok"
    assert sentences(message) == [message]


def test_the_net_still_reads_ordinary_sentences_one_by_one() -> None:
    from spinewise.assistant.semantic import sentences

    message = "My back has hurt since work on Friday. Both of my legs went numb this morning."
    assert len(sentences(message)) == 3  # each sentence and the whole message
