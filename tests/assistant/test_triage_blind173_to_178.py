"""Classes `ask` missed or read too low on blind173-blind178 (first reading: `ask` escalated 455
of 456 red flags and 237 of 240 emergencies as emergencies, benign 93.1 %), and classes the
rules alone missed there that the learned screen had to catch (messages written by children
for a parent or grandparent, weight loss told by clothes). Each is specified here in words that
are not the blind authors'."""

from __future__ import annotations

import pytest

from .triage_helpers import codes, level

# --- the miss: suicide asked about in dialect ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "what happens if somebody tells you they keep thinkin of killin theirselves? only askin",
        "do folk in pain like this ever end up killing theirsels?",
    ],
)
def test_dialect_reflexives_read_as_themselves(text: str) -> None:
    assert level(text) == "urgent"
    assert "suicide_mentioned" in codes(text)


def test_a_dialect_reflexive_in_an_ordinary_message_raises_nothing() -> None:
    assert level("he done it all hisself, put the shed up, and now his back's a bit stiff") == (
        "self_care"
    )


# --- the three emergencies read as urgent ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "thinking of signing off for good. not from the team chat, from everything.",
        "I'll be logging off permanently soon, from it all, back is unbearable",
    ],
)
def test_logging_off_from_everything_is_a_wish_to_die(text: str) -> None:
    assert level(text) == "emergency"


def test_logging_off_from_the_app_is_not() -> None:
    assert level("logging off for good from the app now my back is sorted, thank you") == (
        "self_care"
    )


@pytest.mark.parametrize(
    "text",
    [
        "my brother keeps saying he's going to take all of his painkillers in one go",
        "nan says she would take all her tablets if the back pain carries on like this",
    ],
)
def test_a_relatives_threat_to_take_all_their_tablets_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"
    assert "suicidal_thoughts" in codes(text)


def test_a_relative_taking_all_their_tablets_with_breakfast_is_routine_care() -> None:
    assert level("mum will take all her tablets at breakfast now, her back is much better") == (
        "self_care"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Inshallah God will take my soul soon, I am only a burden on my family with this back",
        "some nights I wish that Allah would take me, the pain never stops",
    ],
)
def test_wishing_god_would_take_ones_life_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


def test_a_burden_on_the_family_with_intent_denied_is_for_a_call_today() -> None:
    text = "I feel a burden on my family with this back, not that I would ever do anything daft"
    assert level(text) == "urgent"


def test_god_rest_his_soul_is_not_a_wish_to_die() -> None:
    assert level("God rest his soul, my grandad had a bad back too. Mine is just stiff") == (
        "self_care"
    )


# --- relayed by a child or a relative ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "grandad says he does not want to be alive any more, he just lies in bed with his back",
        "my aunt keeps saying she wishes she could just die, the back pain is that bad",
        "my husband told me last night he wants to be dead, the pain has worn him down",
    ],
)
def test_a_relatives_wish_to_die_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my grandma says her chest is tight like a band round it, she has no back pain today",
        "Dad (60) says his chest feels heavy and it's going into his left arm",
    ],
)
def test_a_relatives_chest_pain_now_is_an_emergency_without_their_back(text: str) -> None:
    assert level(text) == "emergency"
    assert "chest_pain" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "My wife has been having chest pains and she is seeing the heart specialist on Monday. "
        "My back is stiff from the sofa",
        "my dad died of a heart attack so I worry, but my back is just sore from cycling",
        "my wife had chest pain and the ambulance took her in; my back aches from the waiting room",
    ],
)
def test_a_relatives_chest_pain_in_a_doctors_hands_or_past_is_not_the_writers(
    text: str,
) -> None:
    assert level(text) == "self_care"


@pytest.mark.parametrize(
    "text",
    [
        "my dad suddenly pass out in the kitchen, now he is awake, he is complaining from his back",
        "I just pass out for a second after getting up, lower back is killing me",
    ],
)
def test_learners_present_pass_out_told_is_a_collapse(text: str) -> None:
    assert level(text) == "emergency"
    assert "collapse_with_pain" in codes(text)


def test_feeling_about_to_pass_out_is_not_a_faint() -> None:
    assert "collapse_with_pain" not in codes("my back hurts and I feel like I could pass out")


# --- weight loss told by clothes and by the scales -----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "my jeans are getting too big on me and I eat normal, and my back has ached for weeks",
        "trousers hanging off me, not on a diet, back pain every day",
        "weight keeps dropping without any diet, 5 kilos since spring, and my back aches",
        "granny has gone really thin lately, she eats the same as always. her back hurts a lot",
    ],
)
def test_unexplained_weight_loss_told_in_everyday_words_with_back_pain_is_urgent(
    text: str,
) -> None:
    assert level(text) == "urgent"
    assert "malignancy_weight_loss" in codes(text)


def test_clothes_too_big_after_a_diet_are_not_a_warning_sign() -> None:
    text = "my jeans are getting too big on me since I started the diet, back is a bit sore"
    assert "malignancy_weight_loss" not in codes(text)


# --- injecting drugs in shorthand --------------------------------------------------------------


def test_using_iv_is_injecting_drugs() -> None:
    assert "infection_iv_drug_use" in codes("been using IV again, back pain in one spot since")


def test_iv_antibiotics_are_not() -> None:
    assert "infection_iv_drug_use" not in codes(
        "I had IV antibiotics in hospital last year, the nurses were using IV lines. Back stiff"
    )


# --- over-triage: a denial in West Country and East Anglian "ent" ------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "proper fed up with this back but I ent thinking of doing meself in, nothing like that",
        "the GP asked if I'd thought of ending it. I ent, and I wouldn't. Just low with my back",
    ],
)
def test_ent_denies_thoughts_of_suicide(text: str) -> None:
    assert level(text) == "routine"


def test_the_ent_clinic_is_not_a_denial() -> None:
    assert level("got an ENT appointment next week about my ears, back is fine today") == (
        "self_care"
    )


def test_a_double_negative_with_ent_still_tells_the_symptom() -> None:
    text = "since my back went I ent got no feeling down below at all, it's all gone numb"
    assert level(text) == "emergency"


# --- over-triage: blind176's detached and imagined messages ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If numbness down below ever came on, would that mean ringing 999? Just asking ahead",
        "should I stop the stretches if chest pain ever started during them? none so far",
        "what does the physio say, is it serious if back pain ever comes with a temperature?",
    ],
)
def test_a_symptom_imagined_with_if_ever_is_not_present(text: str) -> None:
    assert level(text) not in ("urgent", "emergency")


@pytest.mark.parametrize(
    "text",
    [
        "The wife's in hospital with chest pains, so the reminders can wait. Back is fine",
        "Saw a thread where somebody described saddle numbness. Checked, all normal down there",
    ],
)
def test_a_spouse_or_a_stranger_named_the_detached_way_is_someone_else(text: str) -> None:
    assert level(text) not in ("urgent", "emergency")


def test_the_spouse_named_the_detached_way_can_still_report_the_writers_emergency() -> None:
    assert level("The wife says I've gone numb down below and I can't pee, back agony") == (
        "emergency"
    )


def test_nothing_getting_weaker_is_not_nothing_coming_out() -> None:
    text = "legs ache walking, ease sitting. no numbness down below, bladder fine, nothing getting worse"
    assert "ces_bladder_bowel" not in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "since the tramadol was started nothing has moved in the bowel department, 5 days now",
        "on co-codamol and I have not opened my bowels for four days",
    ],
)
def test_constipation_on_an_opioid_is_a_side_effect_not_cauda_equina(text: str) -> None:
    assert level(text) not in ("urgent", "emergency")


def test_bowels_not_opened_and_no_urine_passed_is_an_emergency() -> None:
    assert level("not opened my bowels or passed urine since yesterday, back agony") == (
        "emergency"
    )
