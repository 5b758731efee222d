"""Classes the rules missed or over-called on blind155-blind160 (first reading: `ask` escalated 454
of 456 red flags, 236 of 240 emergencies as emergencies, benign 93.8 %; every set at 90 % or
more). Each is specified here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.semantic import Exemplar, SemanticSafetyNet, sentence_view
from spinewise.assistant.text import normalise
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile

from .conftest import HashingEncoder
from .triage_helpers import codes, level

# --- the two misses and the three emergencies read as urgent --------------------------------------


def test_a_means_looked_at_and_meant_for_the_writer_is_thoughts_of_suicide() -> None:
    text = "in the garage staring at the tow rope, thinking about using it on myself tonight"
    assert "suicidal_thoughts" in codes(text)
    # using a thing on oneself without a means of harm is not
    assert level("thinking about using the massage gun on myself after work") == "self_care"


def test_new_pain_on_long_term_steroids_is_urgent_even_when_the_years_are_the_steroids() -> None:
    text = (
        "on prednisolone 7.5mg for 3 years for my lungs, now a new ache low in my back since Monday"
    )
    assert "infection_immunosuppressed" in codes(text)
    # the pain itself long-standing is the usual pain
    assert "infection_immunosuppressed" not in codes(
        "on prednisolone for 3 years and the same old back ache I always have"
    )


@pytest.mark.parametrize(
    "text",
    [
        "fell off the shed roof, about 2 metres, landed on my back. my right leg is sleeping since",
        "my legs are sleeping since the fall from the ladder this morning",
    ],
)
def test_a_leg_that_is_sleeping_after_a_fall_is_trauma_with_a_deficit(text: str) -> None:
    assert level(text) == "emergency"


def test_french_words_for_the_chest_and_the_legs_are_read() -> None:
    assert "chest" in normalise("a weight on the poitrine")
    assert "legs" in normalise("les jambes are numb")
    assert level("since this morning pressure on the poitrine and my jaw aches") == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "The tingling started in my heel on Monday. Then the ankle. Now it reached to the knee.",
        "a numb patch on my foot yesterday, today up to the ankle. It is climbing.",
    ],
)
def test_numbness_told_climbing_over_several_sentences_is_progressive(text: str) -> None:
    assert "progressive_neuro_deficit" in codes(text)


# --- over-calls ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a question read out and answered no in the same sentence
        "the nurse read out the question about thoughts of ending my life, the answer is no, but "
        "I am worn out",
        # a whole list answered no
        "I answered no to all the warning sign questions: bladder, bowels, numbness, fever",
        # a checklist answered in French
        "Numbness between the legs? Non. Trouble peeing? Non. Just the usual ache.",
        # what would happen in an accident
        "is it safe to drive at 34 weeks? I worry what would happen in a crash",
        # a definition asked for, the writer's own legs fine
        "what counts as weakness in the legs that you'd want me to mention? mine are fine",
        # a catheter after a birth years ago, fine after
        "after my son was born (6 years ago) I could not pee and had a catheter, all fine after",
        # numbness from sitting cross-legged, back to normal
        "my foot went numb from sitting cross-legged on the floor, it's completely back to normal",
        # the ache that just won't go
        "back sore since we moved house, nothing in the legs, no waterworks trouble, just won't go",
        # a temperature with the back fine
        "Back completely fine now after the physio, but I've got a fever and chills since last "
        "night. Carry on with the exercises?",
        # logging pain is the app
        "where do I log pain from this morning?",
    ],
)
def test_these_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        (
            "Usual RA ache today, 3/10. Nothing new. Logging it.",
            PatientProfile(immunosuppressed=True),
        ),
        ("how do I record pain for last night?", PatientProfile(immunosuppressed=True)),
        ("stopped my methotrexate in March as planned, back a bit sore from gardening", None),
    ],
)
def test_usual_or_logged_pain_and_a_stopped_treatment_are_not_an_infection_risk(
    text: str, profile: PatientProfile | None
) -> None:
    assert "infection_immunosuppressed" not in codes(text, profile)


def test_a_said_no_taken_back_is_still_a_mention() -> None:
    text = "the GP asked if I'd had thoughts of ending it. I said no, but actually I have this week"
    assert level(text) in RED_FLAG_LEVELS


# --- what the semantic net now sets aside ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "trouble passing water, no.",
        "my neighbour told me that a slipped disc can make your leg go weak.",
    ],
)
def test_the_net_reads_these_sentences_as_not_a_red_flag(sentence: str) -> None:
    assert sentence_view(sentence) is None


def test_night_pain_a_position_eases_is_not_compared_with_pain_nothing_eases() -> None:
    statement = "the pain wakes me every night and nothing helps"
    exemplars = ([Exemplar(statement, "malignancy", "urgent")], ["which chair is best"])
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings(statement + ", but when I lie on my side with a pillow it settles") == []


def test_a_leg_checked_on_toes_and_heels_sets_leg_deficit_statements_aside() -> None:
    statement = "my foot slaps down when I walk"
    exemplars = ([Exemplar(statement, "neuro_deficit", "urgent")], ["which chair is best"])
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings(statement)
    assert net.findings(statement + ". I can still walk on my toes and my heels fine") == []


# --- French speakers' English (blind158: the rules alone read 56 of its 76 red flags) -----------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("both my lower limbs have the ants since last night", "ces_bilateral_sciatica"),
        ("the pipi does not want to come out since this morning, belly full", "ces_bladder_bowel"),
        ("I can't do pipi since 10 hours and my back is very bad", "ces_bladder_bowel"),
        (
            "the place where I sit is like sleeping, like after the injection of the dentist",
            "ces_saddle_anaesthesia",
        ),
        ("I don't feel nothing on the zizi since the back crisis", "ces_sexual_dysfunction"),
        ("I fell from the ladder, three meters maybe, on my back", "fracture_significant_trauma"),
        ("fell off the moto on the way to work, back very painful", "fracture_significant_trauma"),
        (
            "I rolled maybe 8 steps down the stairs, the back is painful",
            "fracture_significant_trauma",
        ),
        (
            "they did the infiltration in my back on Monday, now the place of the needle is red and hot",
            "infection_after_procedure",
        ),
        (
            "to be honest I shoot the brown sometimes, the back is bad since a week",
            "infection_iv_drug_use",
        ),
        (
            "my trousers are too large now and people say I became thin, no diet",
            "malignancy_weight_loss",
        ),
        ("at night nothing calms the pain, I walk in the flat all night", "malignancy_night_pain"),
        ("I pray God to take me, I do not want wake up tomorrow", "suicidal_thoughts"),
        ("better I die than live with this back", "suicidal_thoughts"),
    ],
)
def test_a_french_speakers_words_for_red_flags_are_read(text: str, code: str) -> None:
    assert code in codes(text)


def test_a_french_speakers_age_and_a_note_written_for_a_relative_are_read() -> None:
    assert (
        level(
            "she has 82 years, she coughed hard and now her back is very painful. I write for her"
        )
        == "urgent"
    )
    assert (
        level(
            "Papa fell in the kitchen, he lost conscience some seconds, now his back hurts. "
            "I write for him"
        )
        == "emergency"
    )


# --- more of round 22's red flags the rules now read (the screen caught them on first reading) ---


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I no longer get the 'I need a pee' feeling, I go by the clock", "ces_bladder_bowel"),
        (
            "both my legs feel as if they are full of pins and needles below the knee",
            "ces_bilateral_sciatica",
        ),
        (
            "my son noticed a lump in my belly that's beating with my heart, my back aches",
            "aaa_pulsatile_mass",
        ),
        (
            "lost my footing at my aunt's, she has steep stairs, and went down the whole flight on my back",
            "fracture_significant_trauma",
        ),
        (
            "a cyclist came round the corner and knocked me flat onto the pavement, back hurts",
            "fracture_significant_trauma",
        ),
        (
            "I had a spinal for the caesarean and the puncture spot is red and weeping",
            "infection_after_procedure",
        ),
        (
            "I made an attempt on my life years ago; I'm fine now but the pain is getting to me",
            "suicide_mentioned",
        ),
        ("used to inject, relapsed at Christmas, back is agony this week", "infection_iv_drug_use"),
        (
            "treated for bowel ca two years ago, now a new ache in my upper back",
            "malignancy_cancer_history",
        ),
        (
            "started Olumiant a month ago and now a new pain low in my back",
            "infection_immunosuppressed",
        ),
        ("teeth chattering under the blankets and my back is in agony", "infection_fever"),
    ],
)
def test_more_red_flags_in_other_words_are_found(text: str, code: str) -> None:
    assert code in codes(text)
