"""Classes the rules missed or over-called on blind89-blind94 (first reading: `ask` escalated 454
of 456 red flags, benign 93.3 %; the rules alone 423 of 456 and 483 of 504). Each is specified
here in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile

from .triage_helpers import codes, level

# --- what `ask` missed or left below emergency on first reading --------------------------------


def test_pain_that_spreads_from_one_leg_into_the_other_is_bilateral_sciatica() -> None:
    assert "ces_bilateral_sciatica" in codes(
        "Good afternoon. The ache that used to sit in my left leg has today crept into the "
        "right too, and both limbs now burn from buttock to heel."
    )
    assert "ces_bilateral_sciatica" in codes(
        "my sciatica went down the left, now into the right as well"
    )
    # one leg, from buttock to ankle, is sciatica (routine), not a saddle sign
    assert level("my left leg burns from the buttock to the ankle when I drive") == "routine"


def test_a_bladder_that_no_longer_signals_or_wetting_found_afterwards_is_cauda_equina() -> None:
    assert level("since my back flared my bladder doesn't tell me when it's full") == "emergency"
    assert level("back agony for days and twice now I've found I had already wet myself") == (
        "emergency"
    )


def test_a_relayed_farewell_text_is_an_emergency() -> None:
    assert level(
        "my daughter messaged 'love you mum, sorry, can't do this anymore' and won't pick up"
    ) == ("emergency")
    assert level("he sent 'I can't do this any more, goodbye' and his phone is off") == "emergency"


def test_weakness_named_by_its_nerve_root_in_a_letter_is_leg_weakness() -> None:
    assert level("the clinic letter says S1 weakness, unchanged since they saw me") == "urgent"
    assert "new_leg_weakness" in codes("physio noted L4 weakness on the right")
    assert level("MRI shows an L4/5 disc bulge, back sore") == "self_care"


def test_farewells_in_other_words_are_emergencies() -> None:
    for text in (
        "I've written notes for the kids. Tonight's it.",
        "this is me saying farewell, thanks for trying, don't tell anyone",
        "I left my goodbye on the kitchen table for my wife",
        "this is the last thing I will do, the pain has beaten me",
        "tonight might be the night I let it take me away",
        "won't be needing the app anymore. goodbye all",
    ):
        assert level(text) == "emergency", text
    for text in (
        "I've written letters for the council about the bins, still waiting",
        "stopped the tramadol, won't need it anymore, goodbye tramadol hello naproxen",
        "this is me saying thanks, the exercises worked",
    ):
        assert level(text) not in RED_FLAG_LEVELS, text


def test_a_relative_gone_grey_and_sweaty_with_sudden_back_pain_is_an_emergency() -> None:
    assert (
        level(
            "my uncle is 70, out of nowhere a huge pain in his back, he says it feels like "
            "something ripping, and now he's pale and clammy"
        )
        == "emergency"
    )
    assert (
        level(
            "Gran said her back hurt, then went down on the floor in the hall. She has come round "
            "but she is grey"
        )
        == "emergency"
    )
    assert level("my brother came round to help me move the sofa, now my back aches") == "self_care"


def test_faint_and_clammy_with_back_pain_is_an_emergency_however_mild_the_words() -> None:
    assert level("lower back pain and I feel faint and clammy right now") == "emergency"
    assert level("stood up, went faint and sweaty, had to lie down, back is terrible") == (
        "emergency"
    )
    assert level("woke up sweaty after a hot night, back a bit stiff") == "self_care"


def test_sexual_function_lost_with_back_pain_in_plain_words_is_an_emergency() -> None:
    assert level("lad here, back's been bad since Friday and now I can't get it up at all") == (
        "emergency"
    )
    assert level("since my back went I can't feel anything during, my partner noticed") == (
        "emergency"
    )


def test_learner_english_for_no_feeling_when_going_to_the_toilet_is_an_emergency() -> None:
    assert level("back pain 3 days, i no feel when i go for wee") == "emergency"


def test_relapsed_injecting_in_other_words_is_an_infection_risk() -> None:
    assert "infection_iv_drug_use" in codes(
        "I used to inject, off it three years, but I relapsed in May. Back's aching since"
    )
    assert "infection_iv_drug_use" in codes(
        "on a methadone script, using again last month, injected twice, now my back is bad"
    )
    assert "infection_iv_drug_use" in codes(
        "my brother injects, he's relapsed again, and now he says his back is agony"
    )
    assert level(
        "I used to inject years ago but I've been clean since 2012, back sore from digging"
    ) == ("self_care")


def test_weakness_the_day_before_that_is_worse_today_is_progressive() -> None:
    assert (
        level(
            "My right leg felt weak yesterday but I could walk. This morning I cannot climb the "
            "stairs at all, it is getting worse"
        )
        == "emergency"
    )
    assert level("my left leg gets feebler by the hour") == "emergency"
    assert (
        level("my right leg gave way on the stairs yesterday. It is no worse today but it is weak")
        == "urgent"
    )


def test_a_relative_up_every_night_with_back_pain_nothing_eases_is_night_pain() -> None:
    assert "malignancy_night_pain" in codes(
        "She is awake every night crying with her back. We've tried every pillow and tablet, "
        "nothing makes any difference whatever position"
    )


# --- what the rules over-called -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "had a wee slip on the path yesterday, back's a wee bit stiff",
        "slipped on the bathroom floor and sat down hard, just bruised",
        "back pain keeps me up, tried the heat pad and tablets, nothing helps much",
        "no fever, never had cancer, peeing fine, just a strained back",
        "my partner says see a doctor, it's a normal strain, no bladder issues at all",
        "I've had Crohn's for years, in remission now; back ache since gardening",
        "the chiropractor cracked my back and it feels so much better",
        "what should my son do if his grandad ever fell and couldn't get up? just asking",
        "my mum has osteoporosis and I worry if she fell she'd break something. she hasn't",
        "The nurse asked if I was suicidal. I'm not, I just hate this back.",
        "In the spring I had a fever and back ache with a kidney infection; it all cleared up. "
        "Can I start swimming again?",
        "Two years ago I had numbness down below and an urgent MRI. It was clear and the feeling "
        "came back that day. Now just the usual stiffness.",
        "The leaflet said go to A&E if I had numbness in the saddle area. I don't, what is it?",
        "my leg aches a bit, no numbness down below, no tingling",
    ],
)
def test_the_ordinary_versions_are_not_red_flags(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS, text


def test_night_sweats_soaking_the_sheets_are_an_infection_sign_not_incontinence() -> None:
    for text in (
        "waking up drenched every night, sheets wringing, and my back aches",
        "boiling then freezing, soaked the bed through with sweat, back hurts",
    ):
        assert level(text) == "urgent", text
    assert "ces_bladder_bowel" in codes("woke up and the bed was wet, I didn't feel myself wee")


def test_a_stable_weak_leg_is_new_weakness_not_progression() -> None:
    for text in (
        "my left leg has been weak for a week, not getting worse, can't stand on tiptoe",
        "right calf is weaker than the left, been exactly the same for ten days",
        "his thigh has been weak since Monday but it's no worse than it was",
    ):
        assert level(text) == "urgent", text


def test_claudication_in_both_legs_is_routine() -> None:
    for text in (
        "72, both legs go numb and crampy when I walk, goes if I sit or bend",
        "can't walk round the shops without my legs aching, leaning on the trolley helps",
        "if I stand in the queue for long my legs go achy, sitting sorts it",
    ):
        assert level(text, PatientProfile(age=72)) == "routine", text
    # walking stopped by a leg that gives way is weakness
    assert level("I can't walk without my leg giving way") == "urgent"


def test_a_fever_with_the_back_fine_and_morning_stiffness_are_routine() -> None:
    assert codes("temperature of 38.4 but back fine thankfully, just flu") == {
        "fever_without_back_pain"
    }
    assert "inflammatory_pattern" in codes(
        "every morning I'm stiff for over an hour; it loosens once I get moving",
        PatientProfile(age=30),
    )


def test_sciatica_down_the_back_of_the_leg_is_routine() -> None:
    assert codes("pain shooting down the back of my right leg for 3 weeks, no numbness") == {
        "radicular_symptoms"
    }
    assert level("my sciatic nerve is playing up down my right leg, legs strong") == "routine"
