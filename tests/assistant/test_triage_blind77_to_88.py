"""Classes the rules missed or over-called on blind77-blind82 and blind83-blind88 (first readings:
`ask` escalated 453 and 455 of 456 red flags; the rules alone 411 and 430). Each is specified here
in words that are not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.triage import RED_FLAG_LEVELS, triage

from .triage_helpers import codes

# --- what `ask` missed on first reading ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a last entry, last words passed on
        "That's my final... no: this is my last entry. Tell my son I love him.",
        "please tell my wife it was not her fault. thank you all for trying",
        # an overdose counted out
        "would taking all 40 of my tramadol be enough, asking for real",
        # a plan with a date is not a resolution: "sorted for" a day
        "worked out how I'll end it, all sorted for Friday",
        # last words, a date, a place
        "I'm going to walk into the sea tonight",
        "my tablets are saved up and I'm taking them tonight",
        "told my brother 'goodbye, I'm sorry'. I've decided, it's tomorrow",
        "I wish I just didn't exist any more, the pain never stops",
    ],
)
def test_farewells_plans_and_counted_out_overdoses_are_emergencies(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        "tell my physio I'm sorry I missed Tuesday, the bus was late",
        "this is my last log before the op on Monday",
        "the new sofa is all sorted for Saturday, will my back cope with the lifting?",
        "I take all of my tablets with breakfast, is that ok?",
    ],
)
def test_the_everyday_versions_of_those_words_are_not(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_vehicle_that_rolled_or_left_the_road_is_significant_trauma() -> None:
    assert "fracture_significant_trauma" in codes(
        "van slid on the ice and rolled on Tuesday, walked away but my back is worse daily"
    )
    assert "fracture_significant_trauma" in codes(
        "the pickup skidded into a ditch this morning, back's stiff now"
    )
    assert triage("the car rolled back into the garage door, no harm done").level == "self_care"


# --- relatives, writing for someone --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # their back named after the symptom, as the cause, or only in the first sentence
        "this afternoon a sudden awful pain in her back and belly, mum says it's like ripping",
        "hubby keeps catching his toes on the step, his foot just flops. he blames his back",
        "Typing for my wife. She can't feel the loo roll when she wipes. Back's been bad all week.",
        "mum fainted in the garden. she'd been on about her back since breakfast",
        "gran is 85. she slipped getting off the bus and landed on her bum, now she can't stand",
    ],
)
def test_a_relatives_red_flags_are_read_when_their_back_is_named_anywhere(text: str) -> None:
    assert triage(text).level in RED_FLAG_LEVELS, text


def test_hearsay_about_somebodys_relative_is_not_the_writers_patient() -> None:
    text = "a friend said her dad couldn't feel his legs after his spinal op. is that common?"
    assert triage(text).level not in RED_FLAG_LEVELS


# --- the rules alone used to miss these (the learned screen caught them) -------------------


@pytest.mark.parametrize(
    "text",
    [
        # progression over hours, or told a few sentences on
        "my left leg is weaker every hour since lunch",
        "Tingling began in my heel on Friday. By Sunday up past my knee. It keeps creeping.",
        # cauda equina in other words
        "i can't get it up and it's numb down there?? never had that before",
        "can't tell if I need a poo or not anymore, it just comes out",
        "my bum and inner thighs feel like the dentist's local anaesthetic",
        "both my legs are like wet sand since this morning",
        # trauma with a nerve symptom
        "fell off the trailer about two metres, my leg's gone numb",
        "took a hard hit in the vets hockey, two blokes landed on me, now my foot's numb",
    ],
)
def test_emergencies_the_rules_now_read(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "slipped back into using, injecting again, my back's been sore for days",
            "infection_iv_drug_use",
        ),
        (
            "clean 3 years but relapsed at Christmas (injecting), now my back aches",
            "infection_iv_drug_use",
        ),
        ("lost 9kg without trying and my back aches all the time", "malignancy_weight_loss"),
        (
            "breast cancer survivor (2015), new ache in my back this week",
            "malignancy_cancer_history",
        ),
        (
            "can't do a single-leg calf raise on my right any more since my back went",
            "new_leg_weakness",
        ),
        ("I overdosed two years ago. the pain is creeping back", "suicide_mentioned"),
    ],
)
def test_urgent_classes_the_rules_now_read(text: str, code: str) -> None:
    assert code in codes(text), text


def test_a_general_question_made_personal_counts_for_the_writer() -> None:
    assert triage("do people in pain think about dying? because I do").level in RED_FLAG_LEVELS
    # asked only in general it is still a mention of suicide: a person checks in
    assert triage("do people in pain think about dying?").level == "urgent"
    assert triage("is it normal to think 'I wish I didn't exist'? asking for me").level in (
        RED_FLAG_LEVELS
    )


# --- false alarms on first reading -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # a fever with the back explicitly fine (NICE: fever without back pain is routine)
        "temp of 38.6 and a cough, back's actually fine for once",
        "running a temperature since Sunday, back pain zero today",
        "flu and a fever, my back has been no bother at all",
        "I've got a fever but that's nothing to do with my back, which has been grand",
    ],
)
def test_a_fever_with_the_back_said_to_be_fine_is_not_a_spinal_infection(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text
    # with back pain it still is
    assert triage("temp of 38.6 and my back is agony").level == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        # resolved, in the next sentence or clause
        "Had a temperature on Monday and my back ached with it. Both gone now.",
        "had a fever last week, long gone, back just stiff from the sofa",
        "had a fever at the weekend but it's gone, temp 36.9 today",
        # a quoted question answered no
        'the pharmacist asked "any fever?" - no. Just a stiff back.',
        # a mistaken belief explained
        "thought I'd wet myself but it was the dog's water bowl I knelt in",
        "I thought I couldn't feel my bladder but it was only because I'd drunk so much tea",
        # checklists answered with a dash, a list denied in the next sentence
        "numbness down below - no. bladder - fine. fever - no. back 3/10",
        'Leaflet said "numb bottom, trouble peeing". None of those, thankfully.',
        # joking
        "can't feel my legs after that squat session (joking, just wrecked)",
        # someone else's pain that was heartburn; a letter's normal scan
        "my gf had chest pain on Sunday but it was just indigestion",
        "the discharge letter: 'aorta normal, musculoskeletal chest wall pain'",
        # a claim quoted from social media
        'saw "numb legs = emergency" on TikTok. mine just went to sleep sitting cross-legged',
        # dated or healed injuries
        "RTC two summers ago, whiplash. All sorted now.",
        "broke a vertebra skiing back in the 80s, healed fine",
        "wound got infected after my fusion. That was 2019, all healed.",
        # words that only look like findings
        "pregnant with number 3, ache in my back and one bum cheek",
        "doing the exercises every night, back feels stiff still",
        "used to get sciatica, nothing since I lost the weight",
        "Slimming club weigh-in: lost 6kg! does that help backs?",
        "midwife's notes say 28/40, my back is sore turning over in bed",
    ],
)
def test_blind77_to_blind82_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_the_same_words_with_a_present_finding_still_count() -> None:
    assert triage("thought it was nothing but I have wet myself twice today").level == "emergency"
    assert triage("numbness down below - yes, since this morning").level == "emergency"
    text = "is this normal?? numb down there since this morning, never had that before"
    assert triage(text).level == "emergency"


# --- blind83-blind88 (first reading: `ask` escalated 455 of 456 red flags; the rules alone 430) --


@pytest.mark.parametrize(
    "text",
    [
        # the one miss: an all-terrain vehicle rolled
        "flipped my quad bike on the hill yesterday, back's really bruised",
    ],
)
def test_a_rolled_atv_or_quad_is_significant_trauma(text: str) -> None:
    assert "fracture_significant_trauma" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        # plans and places in few words
        "thinking of driving off the flyover on the way home",
        "I've bought a rope and I'm going to use it Sunday",
        "after my shift I'll go to the top of the car park and jump",
        "This'll be my last message, thank you for trying",
        # a relative told it: "he's thought about killing himself"
        "my dad says he's been thinking about killing himself since the op",
        # signs the rules read now: a pulsing lump a few words from the belly, a rolled vehicle
        "found a lump in my belly lying in bed last night, it beats in time with my heartbeat",
        "my husband (80, bad heart years ago) has sudden awful pain in his back and tummy and "
        "has gone grey",
        "the parts of me that touch the bike seat are still numb two days later",
        "soiled my pant this morning without feeling it, back very painful",
        "the numb patch on my calf was small on Monday, now it's the whole outside of my leg",
    ],
)
def test_blind83_to_blind88_emergencies(text: str) -> None:
    assert triage(text).level == "emergency", text


@pytest.mark.parametrize(
    "text",
    [
        # a known long-term condition, its symptoms as they always are
        "Tingling in both feet as always, it's the diabetes. Back just stiff in the mornings.",
        "My MS legs are wobbly as usual but the hamstring video helped, thanks",
        "Spina bifida, I self-catheterise five times a day. Can the app remind me?",
        "Had a CES decompression in 2019, the numb patch on my bottom is unchanged since.",
        # that a search or a nurse named a sign is not having it
        "I googled my back ache and it said kidney cancer, I'm 25 and it started after rugby",
        "the nurse told me to watch for bladder changes - all normal so far",
        # stories that are over, people nobody here cares for now
        "my late grandad had an aneurysm, is my back pain from the gym linked?",
        "my colleague had foot drop after his op last year, what does it look like?",
        "my wife had foot drop for a while but surgery fixed it and she's running again",
        # idioms
        "the fish went in the chilly bin and I pulled my back, I'm 30",
        "got shivers down my spine at the concert, back's fine",
        "practically collapsed into bed after nights, back just achy",
        "did the crash course in manual handling, still sore after lifting",
        "this deadline is killing me, back stiff from the desk",
        "I volunteer for a suicide prevention charity, can I recommend the app?",
    ],
)
def test_blind83_to_blind88_benign_classes_are_not_escalated(text: str) -> None:
    assert triage(text).level not in RED_FLAG_LEVELS, text


def test_a_changed_symptom_in_a_known_condition_still_counts() -> None:
    text = "pins and needles in my feet is old news (diabetes) but since Sunday my thighs are numb"
    assert triage(text).level in RED_FLAG_LEVELS
    assert triage("My MS legs are much weaker today and I can't lift my right foot").level == (
        "emergency"
    )
    # a cancer history with back pain said to be different is still urgent
    text = "had lymphoma, finished chemo last year, and this back pain is different now"
    assert triage(text).level == "urgent"
