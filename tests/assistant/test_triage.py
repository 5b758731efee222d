"""Red-flag triage, written as a specification.

Every message here is new (not in the evaluation sets) so that these tests also probe how the
rules generalise. Expected levels follow the mapping in docs/assistant.md, which follows NICE
NG59, the IFOMPT framework (Finucane et al. 2020) and the GIRFT cauda equina pathway (2023).
"""

from __future__ import annotations

import re

import pytest

from spinewise.assistant.concepts import analyse
from spinewise.assistant.triage import (
    RED_FLAG_LEVELS,
    SOURCES,
    PatientProfile,
    age_from_text,
    triage,
)
from spinewise.core.errors import InvalidInput


def level(text: str, **profile: object) -> str:
    return triage(text, PatientProfile(**profile)).level  # type: ignore[arg-type]


# --- emergencies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "the skin around my back passage has gone numb",
        "I have pins and needles in my genitals since this afternoon",
        "since last night I can only pass a few drops of urine",
        "I soiled myself this morning without feeling it",
        "shooting pains in both legs since I lifted the sofa",
        "my erections stopped when my back pain started",
    ],
)
def test_each_cauda_equina_feature_is_an_emergency(text: str) -> None:
    result = triage(text)
    assert result.level == "emergency"
    assert "cauda_equina" in result.categories


def test_progressive_leg_weakness_and_foot_drop_are_emergencies() -> None:
    assert level("my left leg is getting weaker every day") == "emergency"
    assert level("I cannot lift my right foot off the ground when I walk") == "emergency"


def test_significant_trauma_with_leg_numbness_is_an_emergency() -> None:
    result = triage("I fell off a roof yesterday and now both my feet are numb")
    assert result.level == "emergency"
    assert "trauma_with_neuro_deficit" in {f.code for f in result.findings}


def test_aneurysm_signs_are_emergencies() -> None:
    assert level("a sudden ripping pain went through my back") == "emergency"
    assert level("there is a throbbing lump above my belly button and my back aches") == (
        "emergency"
    )
    # sudden severe belly and back pain at 72 (NICE NG156: aneurysms are a disease of later life)
    assert level("sudden agonising pain in my stomach and back", age=72) == "emergency"


def test_suicidal_thoughts_are_an_emergency_with_a_crisis_line() -> None:
    result = triage("some days I want to end my life because of this back")
    assert result.level == "emergency"
    assert "116 123" in result.advice


# --- urgent ----------------------------------------------------------------------------------


def test_significant_trauma_without_deficit_is_urgent() -> None:
    assert level("I was knocked off my bike by a car and my back really hurts") == "urgent"


def test_minor_trauma_is_urgent_only_with_a_fracture_risk_factor() -> None:
    text = "I slipped on the bathroom floor and now my back hurts"
    assert level(text) in {"self_care", "routine"}
    assert level(text, osteoporosis=True) == "urgent"
    assert level(text, long_term_steroids=True) == "urgent"
    # Downie et al. 2013: older age raises the probability of fracture; threshold 70 years
    assert level(text, age=70) == "urgent"
    assert level(text, age=69) in {"self_care", "routine"}


def test_risk_factors_stated_in_the_message_count_like_the_profile() -> None:
    assert level("I have osteoporosis, tripped on the step and my back is very sore") == "urgent"
    assert level("I'm 78 and had a fall at home, my back hurts") == "urgent"


def test_infection_signs_are_urgent() -> None:
    assert level("back pain and a temperature of 38.9") == "urgent"
    assert level("I shoot up heroin and my back has been killing me") == "urgent"


def test_cancer_history_with_new_back_pain_is_urgent() -> None:
    assert level("my back started aching last week", cancer_history=True) == "urgent"
    assert level("I was treated for lymphoma in 2015 and now have new back pain") == "urgent"


def test_unexplained_weight_loss_and_unrelenting_night_pain_are_urgent() -> None:
    assert level("I've lost 7 kg without trying and my back aches") == "urgent"
    assert level("the pain is constant and nothing helps at night") == "urgent"


# --- context: negation, past, other people, questions ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "no numbness between my legs and no problems peeing, just lower back ache",
        "I do not have any fever, weight loss or leg weakness",
        "I have no tingling, numbness or weakness in my legs",
        "my bladder and bowels are fine, only my back is sore",
    ],
)
def test_negated_red_flags_do_not_escalate(text: str) -> None:
    assert level(text) in {"self_care", "routine"}


@pytest.mark.parametrize(
    "text",
    [
        "years ago I had sciatica in both legs but now it is just a stiff back",
        "I used to have bladder problems after my first baby, all fine now; back aches",
        "I had a fever last month but it went away, my back is stiff",
    ],
)
def test_past_symptoms_do_not_escalate(text: str) -> None:
    assert level(text) in {"self_care", "routine"}


def test_a_past_cancer_still_counts_as_history() -> None:
    # the exception to "past does not count": a cancer years ago is exactly the history at risk
    assert level("I had prostate cancer 8 years ago and this back pain is new") == "urgent"


def test_someone_elses_symptoms_do_not_escalate_but_the_patients_do() -> None:
    assert level("my father had bowel cancer, is my back ache from lifting?") in {
        "self_care",
        "routine",
    }
    assert level("my husband noticed I cannot feel my bottom when he touches it") == "emergency"


def test_questions_about_warning_signs_are_not_symptoms() -> None:
    assert level("what should I do if I ever lose control of my bladder?") == "self_care"
    assert level("could my back pain be cancer?") == "self_care"


def test_a_red_flag_after_a_negation_in_another_clause_is_still_seen() -> None:
    assert level("no fever, no weight loss, but I cannot feel when I wipe") == "emergency"


# --- typos and non-native English ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "numbnes in my groin",
        "sciatca in boht legs",  # "boht" is left alone; "sciatca" + plural legs still flag
        "i not feel when my bladder is full",
        "since two day i can not make pee, back very pain",
        "I have incontinance since my back pain",
    ],
)
def test_typos_and_non_native_phrasing_are_understood(text: str) -> None:
    assert level(text) == "emergency"


def test_real_words_are_not_repaired_into_symptoms() -> None:
    text = analyse("I fell off a ladder last week").text
    assert "ladder" in text and "bladder" not in text


# --- what the patient is told ------------------------------------------------------------------


SELF_CARE_WORDS = re.compile(
    r"\b(?:exercise|stretch|heat|hot water|ice|paracetamol|ibuprofen|painkiller|rest|walk)",
    re.IGNORECASE,
)


def test_emergency_advice_says_what_to_do_now_and_carries_no_self_care() -> None:
    result = triage("I wet myself without noticing and my back is agony")
    assert result.level == "emergency"
    assert "999" in result.advice and "A&E" in result.advice
    assert not SELF_CARE_WORDS.search(result.advice)
    assert result.notify_care_team


def test_urgent_advice_is_same_day_care_and_alerts_the_team() -> None:
    result = triage("fever and shivering with bad back pain")
    assert result.level == "urgent"
    assert "today" in result.advice and "111" in result.advice
    assert result.notify_care_team


def test_self_care_result_has_no_findings_but_a_safety_net() -> None:
    result = triage("which chair is best for my back at work?")
    assert result.level == "self_care"
    assert result.findings == ()
    assert "999" in result.advice  # the safety net names the emergency signs


def test_results_cite_the_guidance_behind_them() -> None:
    result = triage("numb between my legs")
    data = result.to_dict()
    assert SOURCES["GIRFT CES 2023"] in data["citations"]
    assert SOURCES["IFOMPT 2020"] in data["citations"]
    assert data["findings"][0]["evidence"]


# --- input --------------------------------------------------------------------------------------


def test_empty_message_and_impossible_age_are_rejected() -> None:
    with pytest.raises(InvalidInput):
        triage("   ")
    with pytest.raises(InvalidInput):
        PatientProfile(age=130)


def test_profile_from_dict_validates_fields() -> None:
    assert PatientProfile.from_dict({"age": 70, "osteoporosis": True}).osteoporosis
    with pytest.raises(InvalidInput):
        PatientProfile.from_dict({"smoker": True})


def test_age_is_read_from_the_message_but_not_from_durations() -> None:
    assert age_from_text(analyse("I'm 68 and my back hurts")) == 68
    assert age_from_text(analyse("74 years old, sore back")) == 74
    assert age_from_text(analyse("pain for 12 years")) is None
    assert age_from_text(analyse("I am 38.5 degrees")) is None


def test_denied_suicidality_is_a_routine_word_with_the_care_team_not_an_alarm() -> None:
    denied = triage("not feeling suicidal or anything, just fed up with the pain")
    assert denied.level == "routine"
    assert [f.code for f in denied.findings if f.level == "routine"] == ["mood_mentioned"]
    # a past or hypothetical mention still gets a same-day conversation
    assert triage("I was suicidal last year when the pain was bad").level == "urgent"
    assert triage("I want to end my life").level == "emergency"


def test_fainting_with_back_pain_is_an_emergency_but_a_near_faint_alone_is_not() -> None:
    result = triage("I fainted at the bus stop and now my back is really painful")
    assert result.level == "emergency"
    assert "collapse_with_pain" in {f.code for f in result.findings}
    assert triage("my leg collapsed under me, back hurts").level == "urgent"  # weakness
    assert triage("I feel dizzy on the amitriptyline").level in {"self_care", "routine"}


@pytest.mark.parametrize(
    "text",
    [
        "there's no warning any more, I only notice I've messed myself when I get changed",
        "didn't realise I'd wet my pants until I stood up, my back has flared up again",
        "I never feel that I have to go for a wee now, my knickers are just damp later on",
        "the loo urge has gone, I discover it has already come out before I know",
    ],
)
def test_bladder_or_bowel_found_only_afterwards_is_an_emergency(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    ("text", "benign"),
    [
        ("foot went dead kneeling to weed the garden, fine as soon as I moved", True),
        ("both legs tingly sat cross-legged at yoga, stood up and it wore off at once", True),
        ("my bum goes numb when sitting and it stays numb after I get up", False),
        ("I sat on the toilet and couldn't pee, legs numb, it went away when I stood", False),
    ],
)
def test_positional_numbness_that_passes_at_once_is_not_a_red_flag(text: str, benign: bool) -> None:
    assert (triage(text).level not in RED_FLAG_LEVELS) is benign, text


@pytest.mark.parametrize(
    ("text", "benign"),
    [
        ("little leak when I sneeze, it's been like that for years, nothing new", True),
        ("I leak a bit when I jump on the trampoline, not new, back is ok", True),
        ("I wet myself coughing, been like that since yesterday", False),
        ("wet myself this morning, my back is killing me", False),
    ],
)
def test_long_standing_stress_leak_said_to_be_nothing_new_is_not_escalated(
    text: str, benign: bool
) -> None:
    assert (triage(text).level not in RED_FLAG_LEVELS) is benign, text


def test_totally_normal_is_a_denial() -> None:
    from spinewise.assistant.danger import sentence_cues

    assert triage("sex life is completely normal, just a stiff back").level not in RED_FLAG_LEVELS
    assert sentence_cues(analyse("my erection is perfectly fine, the GP checked")).not_present
    assert triage("I can't get an erection since my back went").level == "emergency"


# --- the classes blind6 found (new wording, not the set's messages) --------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Scots spellings are read as the standard words
        ("ah cannae feel ma bum when ah wipe an ma back is agony", "emergency"),
        # learner English: "I not feel" is "I do not feel"
        ("from 5 days back pain. I not feel when the wee come, I only see wet after", "emergency"),
        # a year can end a sentence: the new pain after it is current
        ("I had breast cancer 2012. Now 3 weeks I have pain in my back", "urgent"),
        # a relative's report in learner English, the person named in another clause
        (
            "my husband 50 he have slipped disc, from yesterday the pain go in both leg and he "
            "say he not feel the bottom",
            "emergency",
        ),
        ("my mother 80 fall in the bathroom, she faint. now she say back very pain", "emergency"),
        # a passive wish not to be alive, even without a plan, is a red flag
        ("some days it would be easier to not be alive, no plan, just the pain", "red flag"),
        # claudication does not hide a bilateral deficit that began today
        ("both legs numb since this morning, it is easier when I sit down", "emergency"),
    ],
)
def test_blind6_failure_classes_are_escalated(text: str, expected: str) -> None:
    got = triage(text).level
    assert got in RED_FLAG_LEVELS if expected == "red flag" else got == expected, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "if one day I get numbness between my legs, do I call 999? now all fine",
        "I had a temperature last week with a cold and my back ached, the temperature has gone now",
        "I do not have problem to pee and no numbness, only back pain from lifting",
        "did the squat workout in the app, legs all wobbly after. normal?",
        "both legs ache and tingle after walking 10 minutes, I sit on a bench and it goes off, "
        "been like this for years",
        "the ibuprofen helps my back but it is giving me terrible tummy ache",
        "fell off my horse in the summer, the x-ray was fine and I have fully recovered",
        "the numb patch on my thigh is worse when I wear tight jeans, had it a month",
    ],
)
def test_blind6_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind7 found (new wording) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # chest pain buried in an everyday message, explained away by the writer
        (
            "logged my pain. also a crushing pain in the centre of my chest since lunch, "
            "probably heartburn. can I change my reminder?",
            "emergency",
        ),
        ("ah've no been able tae pee aw day an nothin comes oot, back is murder", "emergency"),
        ("mi cyaan feel mi batty when mi siddung an mi back a kill mi", "emergency"),
        ("some nights ah think aboot endin it aw", "red flag"),
        # relatives: their body, their ages, their words
        (
            "my lolo is 80, he slipped on the step yesterday and sat down hard, now his back "
            "is so painful po",
            "urgent",
        ),
        ("my wife is 30 weeks and her back is so bad she can hardly walk", "red flag"),
        (
            "my nan had breast cancer 10 years ago, she has been complaining about her back "
            "for three weeks",
            "urgent",
        ),
        (
            "his back has been bad since Saturday and tonight he cannot feel the paper when he "
            "wipes",
            "emergency",
        ),
        (
            "Mum is 84. Her back went last week and today the carer found her pad and the sofa "
            "soaked, she had no idea",
            "emergency",
        ),
    ],
)
def test_blind7_failure_classes_are_escalated(text: str, expected: str) -> None:
    got = triage(text).level
    assert got in RED_FLAG_LEVELS if expected == "red flag" else got == expected, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "my dad has been tearful since his back got bad, no talk of harming himself",
        "back is killing me after the party, danced all night",
        "crashed out on the couch and woke with a dead arm that went back to normal",
        "hypothetically, if I lost control of my bladder, where would I go?",
        "suppose if numbness comes in my legs, what to do? now no numbness",
        "coach made us do suicides at training and my back is sore",
        "the codeine is bunging me up, not been for a poo in 5 days, back the same",
    ],
)
def test_blind7_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind8 found (new wording): what people notice rather than a symptom name ----


@pytest.mark.parametrize(
    ("text", "expected", "profile"),
    [
        ("realised my leggings were soaked at the bus stop, never felt a thing", "emergency", {}),
        (
            "my dad (70) has had back pain since Tuesday, he told me he is leaking when he "
            "coughs and only knows when he feels damp",
            "emergency",
            {},
        ),
        ("the shower water on my bum felt like it was through a rubber glove", "emergency", {}),
        ("like something ripping through my back, came on ten minutes ago", "emergency", {}),
        ("I've saved up my codeine and I'm taking them all on Friday", "emergency", {}),
        ("been reading how many of my tablets it would take", "red flag", {}),
        ("sometimes better to die than have this back", "red flag", {}),
        (
            "had an injection in my back last week. now the spot is hot and some fluid comes out",
            "urgent",
            {},
        ),
        ("I met with an accident on the bike yesterday, back paining a lot", "urgent", {}),
        ("I stand on my left leg and it not hold me, back pain 5 days", "urgent", {}),
        ("pregnant 7 month, today the back pain is very very strong", "red flag", {}),
        ("sat down a bit hard on the step and now my back is sore", "urgent", {"age": 81}),
        (
            "on prednisolone every day for years. sneezed and got a pain that has not gone away",
            "urgent",
            {},
        ),
        ("not gonna lie I inject, my back is killing me this week", "urgent", {}),
    ],
)
def test_blind8_failure_classes_are_escalated(
    text: str, expected: str, profile: dict[str, object]
) -> None:
    got = level(text, **profile)
    assert got in RED_FLAG_LEVELS if expected == "red flag" else got == expected, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "the tip said red flag and I nearly had a heart attack haha, my back is stiff",
        "what would happen if I started losing control of my bowels? just wondering",
        "not ill, did not fall, bladder fine, just a cricked neck and back",
        "no tingly legs no wee problems just a sore back from sleeping funny",
        "the codeine works but I have not pooed in 4 days, I need to go and it just won't come",
    ],
)
def test_blind8_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind9 found (new wording) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "my age is 58" with a first, constant episode (IFOMPT 2020)
        ("my age is 58. first time ever back pain, constant all day, since 3 weeks", "urgent"),
        (
            "me da had bowel cancer years ago, all clear. he's been complaining about his back",
            "urgent",
        ),
        ("pain in my back upper part and also in the chest now, hurts to breathe", "emergency"),
        (
            "my mate fell on his back at football and says both his legs have pins and needles",
            "emergency",
        ),
        ("waking up soaked in sweat every nite and my back aches more and more", "urgent"),
        (
            "my nan is 85 and she missed the chair and sat down heavy, now her back is agony",
            "urgent",
        ),
    ],
)
def test_blind9_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "had a scare two years ago with numbness down below, scan was clear and it went away",
        "do I need to worry about cauda equina? read about it, my bladder is fine",
        "numb legs?? nope. wee problems?? nope. just a stiff back from the garden",
        "had flu last week, fever and aches, fever has gone now and back is fine",
        "my physio kept asking me about numbness when I wipe, I don't have any",
        "can only walk 300 yards before my legs go heavy and tingly, sitting down sorts it",
        "walking 10 minutes makes both legs ache, I have to sit on a bench, then it goes",
    ],
)
def test_blind9_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind10 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my back is paining and my private part is not having feeling since today", "emergency"),
        ("bk pain + cnt feel when i need a wee, hvnt been since yday", "emergency"),
        ("took a boot to the lower back at rugby, hurts to bend", "urgent"),
        ("back rly bad and boiling hot then freezing cold all night", "urgent"),
    ],
)
def test_blind10_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "if my sciatica ever spread to both legs would that be an emergency? it hasn't",
        "I work in a cancer unit and I'm on my feet all day, tips for back ache?",
        "back sore after a long shift, bladder and bowels fine, nothing going down my legs",
        "the app keeps crashing when I open the exercise videos",
        "4 weeks after my back op. scar fine, no redness, nothing leaking, no temperature",
    ],
)
def test_blind10_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind11 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("since my back went I cannot feel much at all when I climax", "emergency"),
        ("61, never had back pain before, constant ache that nothing changes, 3 weeks", "urgent"),
        ("back pain 5 days, today I make xixi in my clothes without feel it", "emergency"),
    ],
)
def test_blind11_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


def test_a_scare_explained_and_fine_now_is_not_escalated() -> None:
    text = (
        "last month I thought I couldn't pee properly, turned out to be an infection, "
        "antibiotics sorted it and it's all fine now. ok to keep training?"
    )
    assert triage(text).level not in RED_FLAG_LEVELS


# --- the classes blind12 found (new wording): emergencies written calmly -----------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my partner (60) has had a bulging disc for a fortnight, tonight he says he is numb "
            "down there, sorry to bother you",
            "emergency",
        ),
        (
            "honestly I use (inject) and my lower back has been bad for a week, getting worse",
            "urgent",
        ),
        ("ah've wet masel twice the day withoot knowin, back's been murder", "emergency"),
        (
            "did my back at training, now can't feel me old fella and can't have a slash, feels blocked",
            "emergency",
        ),
    ],
)
def test_blind12_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "I 'broke' my back moving a wardrobe, lol, it's just achy",
        "the pregabalin makes me so sleepy I can barely get up in the morning",
        "felt like something tore in my back when I was lifting at the gym, it's sore",
        "my uncle had a heart attack last year and it started with back pain, mine is just stiff",
        "sat on a hard bench for 2 hours and my bum went numb, came back as soon as I stood",
    ],
)
def test_blind12_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind13 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my wife is 30 weeks pregnant and since today she has extremely bad pain in her back",
            "urgent",
        ),
        (
            "my husband's right leg has gone weak since his back flared up, he can't climb stairs",
            "urgent",
        ),
    ],
)
def test_blind13_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "none of the warning signs - no toilet problems, nothing numb, no weakness. just stiff",
        "my back is fine now, but I want to know: if one day I cannot feel my bottom, is it serious?",
    ],
)
def test_blind13_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind14 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "profile"),
    [
        ("my mum says with her back like this she sometimes wants to end it all", "red flag", {}),
        (
            "new back pain for 4 days out of the blue, no injury",
            "urgent",
            {"long_term_steroids": True},
        ),
        (
            "the pain was only in my right leg but since this morning it's going down both legs",
            "emergency",
            {},
        ),
        (
            "the numbness started on the side of my foot last week, now it is up past my ankle "
            "to the shin and creeping further every day",
            "emergency",
            {},
        ),
    ],
)
def test_blind14_failure_classes_are_escalated(
    text: str, expected: str, profile: dict[str, object]
) -> None:
    got = level(text, **profile)
    assert got in RED_FLAG_LEVELS if expected == "red flag" else got == expected, (text, got)


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("the app told me to check for numbness around my bottom, I checked, all normal", {}),
        ("I'm scared to strain on the toilet, everything down there works fine", {}),
        (
            "the bright screen hurts my eyes at night, is there a dark mode?",
            {"cancer_history": True},
        ),
        ("can chronic pain make people suicidal? I'm fine myself, just curious", {}),
    ],
)
def test_blind14_benign_classes_are_not_escalated(text: str, profile: dict[str, object]) -> None:
    assert level(text, **profile) not in RED_FLAG_LEVELS, text


# --- the classes blind15 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "landed awkwardly on my lower back in a tackle, pins and needles down my left leg since",
            "emergency",
        ),
        (
            "I care for a 71 year old lady who has had back pain since a fall. Today she has been "
            "incontinent twice and did not feel it",
            "emergency",
        ),
        (
            "is it normal to not feel when you are peeing? asking because it's happening to me",
            "emergency",
        ),
        ("got clattered at hurling, his knee straight into my lower back, sore since", "urgent"),
        ("25 wks pg and the back pain is off the scale today", "urgent"),
    ],
)
def test_blind15_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "I can walk 300 yards then my legs feel like jelly, I sit down for a bit and it goes",
        "my friend said if your foot starts dragging with a slipped disc you need surgery, true?",
    ],
)
def test_blind15_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind16 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "my grandad is 90, he bent to tie his shoe and felt a crack in his back, now can't stand up straight",
            "urgent",
        ),
        (
            "had thoughts of topping myself a couple of months ago, not now, just help with the pain",
            "urgent",
        ),
        (
            "I'm 63, never had a bad back before, lower back started a fortnight ago, constant",
            "urgent",
        ),
        (
            "we had sex last night and I could not finish, could not really feel anything",
            "emergency",
        ),
    ],
)
def test_blind16_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "laughed so hard I nearly wet myself, back is better though",
        "my back has been paining me since March and it does not finish, not serious",
        "pregnant with number 3 and my back aches carrying the twins",
    ],
)
def test_blind16_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind17 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I care for my dad, 85. He has had back pain since a fall on Monday, today his "
            "trousers were soaked twice and he had no idea he needed to go",
            "emergency",
        ),
        (
            "since 3 days back pain and when I am with my wife I no feel nothing in my parts",
            "emergency",
        ),
        (
            "back pain 4 days. I have a problem with my wife, no erection, skin there feels less",
            "emergency",
        ),
        ("my husband's back has been killing him and now his balls feel dead", "emergency"),
        (
            "the sciatica was only in my right leg but tonight the left one has started too",
            "emergency",
        ),
        (
            "my mum (75) was moaning about her back and then she passed out in the kitchen",
            "emergency",
        ),
        (
            "my father is 74, he lose weight a lot, clothes very big, not trying. Also back pain",
            "urgent",
        ),
    ],
)
def test_blind17_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "I wet myself laughing at the exercise names",
        "fell aff ma bike as a wean and broke ma coccyx, 30 year ago. back stiff efter fitba",
        "my uncle passed from bowel cancer, it started with back pain for him. mine is from digging",
        "what shoes are best? I'm on my feet all day at work",
    ],
)
def test_blind17_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind18 found (new wording): thoughts of death in everyday words --------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last week I thought about not being around anymore, it passed", "red flag"),
        ("got my tablets lined up and I'm going to take them tonight", "emergency"),
        ("the thought of not waking up crossed my mind, not gonna do anything", "red flag"),
        ("my mother she is 78, she fall small from the bed and now big pain in the back", "urgent"),
        (
            "my dad (80) got up from his chair and had wet himself without knowing. laid up with his back all week",
            "emergency",
        ),
        ("30 wks preg, back pain unbearable, can't walk properly", "urgent"),
    ],
)
def test_blind18_failure_classes_are_escalated(text: str, expected: str) -> None:
    got = triage(text).level
    assert got in RED_FLAG_LEVELS if expected == "red flag" else got == expected, (text, got)


@pytest.mark.parametrize(
    "text",
    [
        "legs are dead after leg day, back ok, can I stretch?",
        "bum went numb on the bleachers, came back the second I stood up, all normal now",
    ],
)
def test_blind18_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind19 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "4) the last few nights I've woken up wet and didn't feel it, back still rough",
            "emergency",
        ),
        (
            "there is a lump in my tummy that throbs with my heartbeat and my back aches",
            "emergency",
        ),
        (
            "my wife is 28 weeks, her back pain is on another level, she can't move without crying",
            "urgent",
        ),
        (
            "my husband slipped a disc last week and now his willy feels numb and he can't start a wee",
            "emergency",
        ),
        (
            "sciatica was in my left leg, since this morning it's shooting down the right one as well",
            "emergency",
        ),
    ],
)
def test_blind19_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "my dad had a heart attack last year, chest pain and everything, he's fully recovered now",
        "hurt my back moving a chest of drawers, muscly ache",
        "I had flu with a high temperature a while back, fully recovered now. back exercises ok?",
    ],
)
def test_blind19_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind20 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "back pain one week. today not feeling when the stool is coming, it was already out",
            "emergency",
        ),
        ("back pain and now the pain go down my two legs at the same time", "emergency"),
        (
            "my husband had an injection in his spine, the spot is red and oozing, his back is throbbing",
            "urgent",
        ),
        ("since yesterday the place between my legs is not feeling anything", "emergency"),
        ("since my back flared up it's all gone numb down there", "emergency"),
        (
            "I am 64, never had pain in the back before, now a pain in the upper back always there",
            "urgent",
        ),
        (
            "slip disc pain 5 days, the urine is coming very slowly, I have to push to pass urine",
            "emergency",
        ),
    ],
)
def test_blind20_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


@pytest.mark.parametrize(
    "text",
    [
        "years ago I had numbness in my groin from a disc, had surgery and it came back to normal",
        "my little girl has had a fever and I've been carrying her, now my back aches",
        "my back is sore but it's not going down my legs. should I worry about sciatica in both legs?",
        "the codeine has bunged me right up, haven't managed a poo in 4 days",
    ],
)
def test_blind20_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


# --- the classes blind21 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "I look after an 84 year old gentleman with back pain, today he has not passed water "
            "since lunch and keeps trying",
            "emergency",
        ),
        (
            "my husband says he is going to kill himself tonight, he has the pills ready",
            "emergency",
        ),
        (
            "Mum's leg is getting worse by the day, she's dragging it now. She's had back trouble "
            "for years",
            "emergency",
        ),
        (
            "back pain very strong 3 days, now I can't control my caca, it comes out and I don't feel it",
            "emergency",
        ),
    ],
)
def test_blind21_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


def test_a_video_about_tumours_is_not_a_cancer_history() -> None:
    text = (
        "watched a video about spinal tumours and now I'm paranoid, my back ache is from deadlifts"
    )
    assert triage(text).level not in RED_FLAG_LEVELS


# --- the classes blind22 found (new wording) --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I am 24 week pregnant, today back pain too much, I am crying, cannot sleep", "urgent"),
        ("whats the point. been thinking about how id do it. pain never stops", "emergency"),
    ],
)
def test_blind22_failure_classes_are_escalated(text: str, expected: str) -> None:
    assert triage(text).level == expected, text


# --- ordinary messages the rules over-triaged, and blind24's classes (new wording) ------------


@pytest.mark.parametrize(
    "text",
    [
        # constipation on a painkiller is a side effect, however it is put
        "on the co-codamol since monday and I have not had a decent poo in 5 days",
        # cannot stand for long, eased by sitting: neurogenic claudication, not weak legs
        "can't stand for long at the cooker, both legs ache, sitting down fixes it",
        # a joint that cracks is not a broken bone
        "is it bad that I crack my back every morning?",
        "my back cracks when I twist, feels good actually",
        # a figure of speech is not an injury
        "feel like I've been hit by a truck after my first day back at the gym, back aches",
        # a story on the screen is not someone the writer looks after
        "saw a TV drama where someone lost control of their bladder from a bad back, can that happen?",
        # "no new numbness" denies the numbness
        "notes for dad: bladder fine, bowels fine, no new numbness, walked to the shop",
    ],
)
def test_ordinary_wordings_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_general_question_about_suicidal_thoughts_is_urgent_unless_denied_as_ones_own() -> None:
    text = "is there any help for people with suicidal thoughts? I'm asking for myself"
    assert triage(text).level in RED_FLAG_LEVELS
    # asked about (blind authors labelled ten of eleven such questions urgent): someone should
    # ask the writer today
    assert triage("can chronic pain make people suicidal?").level == "urgent"
    denied = "can chronic pain make people suicidal? I'm fine myself, just curious"
    assert triage(denied).level not in RED_FLAG_LEVELS


# --- the class blind25 and blind26 found that neither the rules nor the learned screen caught ---


@pytest.mark.parametrize(
    "text",
    [
        "I am thinking how to do it. Maybe the bridge near my house. Nobody will miss me.",
        "been planning where to do it, no one is going to miss me anyway",
    ],
)
def test_a_plan_in_everyday_words_is_an_emergency(text: str) -> None:
    assert triage(text).level == "emergency", text


# --- the classes blind27 and blind28 found that neither the rules nor the learned screen caught


@pytest.mark.parametrize(
    "text",
    [
        "sorted everything out tonight, letters are written, the cat is going to my mum",
        "won't need this app much longer, thanks for everything",
        "not going to bother with tomorrow. i've made up my mind",
    ],
)
def test_leaving_things_in_order_is_an_emergency(text: str) -> None:
    assert triage(text).level == "emergency", text


def test_a_question_followed_by_the_writers_own_experience_is_the_writers() -> None:
    text = "Is chest pain normal with a bad back? It comes on when I climb the stairs."
    assert triage(text).level == "emergency"
    assert triage("is chest pain normal with back pain?").level not in RED_FLAG_LEVELS
    assert triage("bladder normal, bowels normal, back stiff").level not in RED_FLAG_LEVELS


def test_a_temperature_quoted_in_a_question_is_the_writers_own() -> None:
    assert triage("does 38.6 with a sore back mean anything?").level == "urgent"
    assert triage("what does a fever with back pain mean?").level not in RED_FLAG_LEVELS


# --- over-triage classes blind29 and blind30 found in the rules -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "came off the codeine as I don't need it anymore, back feels normal",
        "the ibuprofen is burning up my stomach, is there something gentler?",
        "had sciatica in both legs 4 yrs ago, operated, fine ever since. squat tips?",
        "came off my scooter last month, scraped knee, back was stiff but all fine now",
    ],
)
def test_blind29_and_blind30_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_checked_minor_fall_in_an_older_patient_is_not_a_fracture_alarm() -> None:
    text = "Tripped on the patio last week, they x-rayed it at the walk-in centre, no fracture."
    assert triage(text, PatientProfile(age=78)).level not in RED_FLAG_LEVELS
    assert triage("Tripped on the patio last week", PatientProfile(age=78)).level == "urgent"


def test_a_note_left_for_the_family_and_a_plan_for_soon_is_an_emergency() -> None:
    text = "left a note for my kids. not going to do anything today but I know I will soon"
    assert triage(text).level == "emergency"
    assert triage("I wrote a note for my physio about the exercises").level not in (RED_FLAG_LEVELS)


# --- over-triage classes blind31 and blind32 found in the rules -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # numbness from a position, passing as soon as they move, told in the next sentence
        "Sat through a 3 hour concert and my bum went numb. Fine as soon as I got up.",
        "My legs go numb if I sit cross-legged too long. Comes back as soon as I stand.",
        "Dead legs from sitting on the coach for 4 hours. Walked it off.",
        # a general question with a lead-in
        "Out of interest, can sciatica go down both legs? Mine was only ever the right one.",
    ],
)
def test_blind31_and_blind32_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


@pytest.mark.parametrize(
    "text",
    [
        "my bum went numb sitting on the loo. it stays numb now",
        "Out of interest, can sciatica go down both legs? Because both of mine are numb now",
    ],
)
def test_numbness_that_stays_or_a_question_about_ones_own_legs_is_still_an_emergency(
    text: str,
) -> None:
    assert triage(text).level == "emergency", text


def test_tablets_counted_out_on_the_table_is_an_emergency_but_a_pill_box_is_not() -> None:
    assert triage("the pain has won. counted the pills out on the table.").level == "emergency"
    assert triage("counted the tablets out for the week into the dosette box").level not in (
        RED_FLAG_LEVELS
    )


# --- classes blind35 to blind64 found (in new words: the sets themselves are asserted by
# test_evaluation through what `ask` does) ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # a numb patch moving up the leg, in lay and clinical words
        ("the tingling was in my toes on sunday, now it is up to my knee", "emergency"),
        ("Monday the paraesthesia was just the hallux, today it is up to my shin", "emergency"),
        ("my left leg is weaker than yesterday and the back is bad", "emergency"),
        # the other leg joins in
        (
            "sciatica in my left leg for a fortnight, today the right one started the same",
            "emergency",
        ),
        # bladder in clinical words
        ("back pain and new hesitancy - I have to bear down to start the stream", "emergency"),
        # a gloss in brackets is not negated by a foreign "no"
        ("dor no peito (pain in chest) and my upper back since an hour", "emergency"),
        ("my husband had a syncopal episode after sudden severe back pain", "emergency"),
        ("this is goodbye. thank you for the exercises", "emergency"),
        ("tonight is the night, I have had enough of this back", "emergency"),
        ("the van went over on its side on the motorway, now my leg tingles", "emergency"),
        # veiled questions about suicide made one's own: someone should ask today
        ("do people ever kill themselves over back pain? just asking", "urgent"),
        ("would it be wrong to wonder whether it is worth going on at all?", "urgent"),
        # injecting, steroids and weight loss in shorthand
        ("been injecting for a year now, back killing me for 3 days", "urgent"),
        ("on pred for yrs, slipped on the step, back agony", "urgent"),
        ("why would I drop 5 kilos in 6 weeks? not dieting. back sore too", "urgent"),
        ("LBP 2/52 with unintentional wt loss 5kg", "urgent"),
        ("a minor car accident but the car was written off, middle back very sore", "urgent"),
    ],
)
def test_blind35_to_blind64_red_flag_classes_are_escalated(text: str, level: str) -> None:
    assert triage(text).level == level, text


@pytest.mark.parametrize(
    "text",
    [
        # a fever with the back explicitly fine
        "back pain has gone now, but I have a fever of 38.5 and a cough",
        "My back's actually been fine for weeks; got a temperature and a sore throat though",
        "got a temperature, back fine, ok to skip exercises?",
        # a normal temperature reading
        "checked my temperature, 36.9, normal. back still sore from the garden",
        # negation lists and asides
        "No leg, bladder, fever or weight issues, just a stiff low back",
        "No chest pain, nothing tearing, just a dull ache after the desk week",
        "back aches from football but it does not go down either leg",
        # figures of speech, other people's stories, resolved past
        "nearly wet myself laughing at the panto and now my back is sore",
        "honestly kill me now lol, teething baby and a sore back",
        "a man at my club fell off a roof and broke his back. I am fine, just worried",
        "my friend says her uncle lost control of his bladder. Is that common? mine is a stiff back",
        "had trouble peeing with a UTI in March, antibiotics sorted it. back stiff from gardening",
        "my bottom went numb on the church pew, right as rain the moment I stood up",
        "I can only get as far as the shop before my leg aches, leaning on the trolley I go further",
        "the codeine has blocked me up, not opened my bowels for 3 days",
        "my back is all better now and I won't need the app any more, thanks for all the help",
        "I thought I was having a heart attack but the ECG was normal, a pulled muscle, no chest pain since",
        "not having any thoughts of harming myself or suicide, just low",
    ],
)
def test_blind35_to_blind64_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_message_mostly_in_another_language_goes_to_a_person_the_same_day() -> None:
    result = triage("Masakit ang likod ko tapos parang may nakadagan sa dibdib, hirap huminga")
    assert result.level == "urgent"
    assert [f.code for f in result.findings] == ["language_unreadable"]
    # short texting stays with the rules
    assert triage("bak hurtin afta footy").level == "self_care"
    # a red flag the rules read is not downgraded or doubled by it
    assert "language_unreadable" not in {
        f.code for f in triage("I cannot pee, back agony").findings
    }


@pytest.mark.parametrize(
    "text",
    [
        "my husband fainted with a tearing pain in his back. mine is just stiff",
        "My dad can't pee since yesterday and his back is bad. My back is only sore from lifting him",
    ],
)
def test_a_relatives_emergency_stays_one_when_the_writer_compares_their_own_back(
    text: str,
) -> None:
    # only a second-hand story about someone further away, told to ask about the writer's own
    # ordinary pain, is set aside ("my partner's uncle had cancer ... mine started after a 10k")
    assert triage(text).level == "emergency", text
