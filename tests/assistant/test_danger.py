"""The broad danger vocabulary (danger.py): high recall per red-flag family, with context.

Every message here is new (in none of the labelled sets) so that the tests probe how the
vocabulary generalises, and each family has hard negatives that use its words harmlessly.
"""

from __future__ import annotations

import pytest

from spinewise.assistant.concepts import analyse
from spinewise.assistant.danger import broad_hits
from spinewise.assistant.triage import BROAD_EVIDENCE_NOTE, PatientProfile, triage


def level(text: str, **profile: object) -> str:
    return triage(text, PatientProfile(**profile)).level  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("my undies were damp this morning and I never felt a thing", "ces_bladder_bowel"),
        ("been on the pot forever and zilch, nothing will come out", "ces_bladder_bowel"),
        ("no can make wee since yesterday, back very bad", "ces_bladder_bowel"),
        ("my nether regions feel like cardboard", "ces_saddle_anaesthesia"),
        ("sitting on the loo I can't sense the seat under my backside", "ces_saddle_anaesthesia"),
        ("since the back went I can't keep it up in the bedroom", "ces_sexual_dysfunction"),
        ("the sciatica is now in the left and the right leg", "ces_bilateral_sciatica"),
        ("my toes scuff the pavement and my foot slaps down", "foot_drop"),
        ("the tingling has crept from my ankle up to my knee", "progressive_neuro_deficit"),
        ("got t-boned at a junction, now my feet feel numb", "trauma_with_neuro_deficit"),
        ("I got bucked off a pony onto the track, my back hurts", "fracture_significant_trauma"),
        ("I've got a known triple A and now my back aches", "aaa_severe_abdominal_back_pain"),
        ("band of pressure across my chest going into my jaw", "chest_pain"),
        ("nobody would miss me if I was gone, I've been saving my pills", "suicidal_thoughts"),
        ("I'm roasting then freezing and my spine is killing me", "infection_fever"),
        ("the wound from my back op smells and has green stuff", "infection_after_procedure"),
        ("my belt needs a new hole, not dieting, and my back aches", "malignancy_weight_loss"),
    ],
)
def test_each_family_is_found_in_words_no_precise_rule_lists(text: str, code: str) -> None:
    result = triage(text)
    assert code in {f.code for f in result.findings}, result.findings
    assert result.level in {"urgent", "emergency"}


@pytest.mark.parametrize(
    "text",
    [
        # negation
        "no leaks, no accidents, wee and poo all normal; back is stiff",
        "my bum isn't numb and I can feel the toilet paper fine",
        # resolved past and long-standing
        "I had a wobbly bladder after my prostate op in 2019, sorted since, now just back ache",
        # someone else
        "my grandson wet the bed and carrying the sheets hurt my back",
        "my neighbour came off his motorbike and can't feel his legs, how do I help him?",
        # hypothetical or general questions
        "What happens if someone can't feel their saddle area?",
        "I'm worried I might slip on the ice, any tips for my back?",
        # ordinary toilet, sex and exercise talk
        "getting up off the toilet is hard with my stiff back",
        "sex makes my back ache, which position is kinder?",
        "my legs feel like jelly after the spin class",
        "my bum goes numb on the bike but comes back after a minute off it",
        # everyday words that sound like danger
        "this back pain is killing me, can I take more ibuprofen?",
        "it's boiling in the office and the chair hurts my back",
        "I've lost weight since I started the swimming plan and my back feels better",
    ],
)
def test_benign_messages_with_danger_words_are_not_escalated(text: str) -> None:
    assert level(text) in {"self_care", "routine"}, triage(text).findings


def test_vocabulary_findings_say_where_they_come_from() -> None:
    result = triage("my undies were damp this morning and I never felt a thing")
    finding = next(f for f in result.findings if f.code == "ces_bladder_bowel")
    assert BROAD_EVIDENCE_NOTE in finding.evidence
    assert "GIRFT CES 2023" in finding.sources
    assert "999" in result.advice


def test_a_symptom_is_attributed_to_the_nearest_body_site() -> None:
    # tingling in one foot with buttock pain is sciatica (routine), not saddle numbness
    text = "pain in my left buttock going down to my calf with tingling in my foot"
    assert level(text) == "routine"
    assert not broad_hits(analyse(text))


def test_profile_risk_factors_reach_the_vocabulary() -> None:
    text = "I reached for the kettle and felt something go in my back"
    assert level(text) in {"self_care", "routine"}
    assert level(text, osteoporosis=True) == "urgent"
    assert level(text, age=83) == "urgent"


# --- the failure classes of the blind set, in wording that is in none of the labelled sets ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # retention and hesitancy
        ("I sit on the toilet and try but nothing happens, my back is so sore", "emergency"),
        ("been straining on the loo for ages, only a few drops, lower back pain", "emergency"),
        ("pee won't start no matter how long I wait, back pain since friday", "emergency"),
        ("i dont feel when i am peeing anymore, back pain", "emergency"),
        ("not feeling the urge to wee at all today, back is bad", "emergency"),
        ("urine doesnt want to come out, back hurts a lot", "emergency"),
        # fainting or collapse with back pain
        ("I passed out on the bathroom floor and my back is hurting a lot", "emergency"),
        ("blacked out for a minute this morning, back pain since then", "emergency"),
        ("I keeled over in the shop and now my back is aching and I'm clammy", "emergency"),
        ("I must have fainted, woke up on the kitchen floor with my back in agony", "emergency"),
        # falls from stairs or height
        ("tumbled down the whole flight of stairs last night, my back hurts", "urgent"),
        ("fell off a ladder clearing the gutters, back is very sore", "urgent"),
        ("fell from the first floor window onto the patio, back pain", "urgent"),
        # immunosuppression and relapsed injecting
        ("I'm a kidney transplant patient and my back started hurting badly this week", "urgent"),
        ("on biologics for my Crohn's, new back pain for 5 days that won't ease", "urgent"),
        ("HIV positive, my lower back has been getting worse and worse", "urgent"),
        ("I'm on humira and my back has become really painful", "urgent"),
        ("I was clean for a year but I'm injecting again and my back is killing me", "urgent"),
        ("relapsed on heroin recently, now bad pain in my spine", "urgent"),
        # weakness shown by what the leg cannot do
        ("can't push up onto my toes on the right since my back went", "urgent"),
        ("my right leg won't take me up the stairs anymore, back pain", "urgent"),
        ("hard to stand on the ball of my left foot, sciatica", "urgent"),
        ("my left foot slaps the floor when I walk", "emergency"),
    ],
)
def test_the_blind_sets_failure_classes_are_found_in_new_wording(text: str, expected: str) -> None:
    result = triage(text)
    assert result.level == expected or (expected == "urgent" and result.level == "emergency"), (
        result.findings
    )


@pytest.mark.parametrize(
    "text",
    [
        # long-standing, stable one-sided numbness
        "numb patch on my left shin for 2 months, no change at all",
        "my right foot has been numb on the outside for a number of weeks, stable",
        "pins and needles in the outside of my right foot for weeks, not changing",
        # negated lists across organs
        "nothing in my legs and nothing with the toilet, just stiff back",
        "No tingling, nothing down below, waterworks fine, just my back",
        "I have no leg symptoms and nothing wrong with my waterworks",
        # suicidality denied
        "I'm not suicidal, just tired of this pain",
        "no thoughts of harming myself, just frustrated",
        # a past infection that has resolved
        "I had a water infection last month, all cleared up now, back a bit sore",
        "had a kidney infection two years ago, sorted with antibiotics, back is stiff today",
        # tired muscles after exercise with the back fine
        "legs were like lead after the hike but back is good",
        "both legs burning after squats yesterday, back is ok",
        "after football my legs felt really weak and wobbly, back fine",
        # words that used to be read as danger
        "I've had weeks of difficulty sleeping because of the pain",
        "my sheets are soaked with sweat some nights, no fever, back okay",
        "I went down the stairs this morning and my back ached",
        "my friend came round and my back is sore",
        "I nearly fainted at the sight of blood at my physio's, back fine",
        "I had an HIV test and it was negative, back pain from gardening",
        "I used to inject heroin 10 years ago, clean since, back ache from work",
    ],
)
def test_the_blind_sets_false_alarm_classes_stay_calm_in_new_wording(text: str) -> None:
    assert level(text) in {"self_care", "routine"}, triage(text).findings


def test_a_profile_with_a_weak_immune_system_makes_new_back_pain_urgent() -> None:
    assert level("my back started hurting on Tuesday", immunosuppressed=True) == "urgent"
    assert level("my back started hurting on Tuesday") == "self_care"
    # the usual, long-standing pain is a review, not an alarm
    assert level("same old back ache I've had for years", immunosuppressed=True) == "routine"
