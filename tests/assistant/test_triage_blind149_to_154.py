"""Classes the rules missed or over-called on blind149-blind154 (first reading: `ask` escalated 453
of 456 red flags, 237 of 240 emergencies as emergencies, benign 91.3 %, two sets under 90 %: people
after spinal surgery and people living with obesity). Each is specified here in words that are
not the blind authors'."""

from __future__ import annotations

import pytest

from spinewise.assistant.concepts import analyse
from spinewise.assistant.danger import sentence_cues
from spinewise.assistant.semantic import Exemplar, SemanticSafetyNet, sentence_view
from spinewise.assistant.triage import RED_FLAG_LEVELS, PatientProfile

from .conftest import HashingEncoder
from .triage_helpers import codes, level

# --- the three misses and the emergency read as urgent ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # back pain that spreads round to the front of the chest, asked about, then described
        "Can back pain spread round into the front of your chest? Kind of a squeezing ache.",
        "my back pain goes right through to my chest when I walk uphill",
        "pain between the shoulder blades and now across the front of my chest as well",
    ],
)
def test_back_pain_reaching_the_chest_is_chest_pain(text: str) -> None:
    assert "chest_pain" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "how many of the co-codamol is too many? I'm going to swallow the whole box tonight",
        "I just want to go to sleep forever, done with this spine",
        "thinking about taking every last tablet in the cupboard",
    ],
)
def test_a_whole_supply_meant_to_be_taken_is_thoughts_of_suicide(text: str) -> None:
    assert "suicidal_thoughts" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to take all of them at breakfast, is that alright?",
        "can I take them all at once or spread them over the day",
        "I could sleep forever after that long walk",
    ],
)
def test_taking_tablets_together_or_being_tired_is_not(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


def test_a_leg_weaker_than_it_was_is_new_weakness() -> None:
    assert level("Since Tuesday my right leg is not as strong as it was, no change today") == (
        "urgent"
    )
    # the writer's youth is not a new weakness
    assert level("my legs are not as strong as they were when I was 20, getting old") != "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "the part I sit on is like sitting on a block of ice, barely any feeling in it",
        "after the injection the area where I sit has gone like wood",
        "since Sunday the area where you sit feels like after the dentist's injection",
    ],
)
def test_the_seat_described_without_the_word_saddle_is_saddle_numbness(text: str) -> None:
    assert level(text) == "emergency"


# --- more red flags the rules now read ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "lower back agony and now I have to strain and strain to pee",
        "back went on Friday, I must to push for to urinate now",
        "only a trickle comes out when I go since my back went, and it feels like there's more "
        "left",
        "I don't get the 'need the toilet' feeling any more since the op",
        "at my pelvic floor class I couldn't feel myself clenching at all, back bad since Monday",
    ],
)
def test_new_bladder_and_pelvic_floor_trouble_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "fell down a full flight of stairs at work, back very sore, legs fine",
        "came down about twelve steps on my back last night, legs okay",
        "was hit by a reversing van in the car park, my back is painful",
        "had an accident on my scooter on Friday, back hurts when I breathe",
        "the tackle: a defender came down on top of me, back sore since",
        "went down hard on my tailbone on the ice rink, really painful now",
    ],
)
def test_significant_trauma_in_other_words_is_urgent(text: str) -> None:
    assert level(text) == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "our minibus went off the road, I'm in the ditch and my right leg has gone numb",
        "a big lad landed on my back at rugby and now there's like ants crawling in my leg",
    ],
)
def test_trauma_with_altered_feeling_is_an_emergency(text: str) -> None:
    assert level(text) == "emergency"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("it feels like something is tearing inside my back, worst ever", "aaa_tearing_pain"),
        (
            "the skin over my stimulator's battery pocket is red and hot",
            "infection_after_procedure",
        ),
        ("honestly I still inject. back has been bad for a week", "infection_iv_drug_use"),
        ("my weight keeps dropping off and I'm not dieting, back aches", "malignancy_weight_loss"),
        (
            "I can't sleep for the pain at night, nothing takes the edge off",
            "malignancy_night_pain",
        ),
        (
            "my uncle was without consciousness for a minute and now his back hurts",
            "collapse_with_pain",
        ),
        (
            "Sciatica? Both legs now, all the way down the back of each to my heels",
            "ces_bilateral_sciatica",
        ),
        ("my left ankle won't push down when I walk since the strain", "new_leg_weakness"),
        (
            "The tingling began in my big toe on Friday. Now it goes up the front of my shin.",
            "progressive_neuro_deficit",
        ),
        (
            "I can't rise onto my toes on the left today, yesterday I barely could",
            "progressive_neuro_deficit",
        ),
    ],
)
def test_red_flags_in_other_words_are_found(text: str, code: str) -> None:
    assert code in codes(text)


def test_long_standing_pain_that_has_changed_counts_as_new_after_cancer() -> None:
    text = "I've had back ache for ages but it has changed, a different kind of pain, deeper"
    assert "malignancy_cancer_history" in codes(text, PatientProfile(cancer_history=True))
    assert "malignancy_cancer_history" in codes(text + ". I had melanoma removed in 2012.")


def test_a_balcony_and_going_over_it_is_thoughts_of_suicide() -> None:
    assert level("up all night by the balcony thinking it'd be simpler to go over the edge") == (
        "emergency"
    )
    assert level("the balcony door sticks, would it be easier to go out the back?") == "self_care"


def test_a_form_about_an_employee_is_written_for_them() -> None:
    text = (
        "Incident form: employee reported back pain after lifting boxes. This afternoon he wet "
        "himself at the workstation without noticing."
    )
    assert level(text) == "emergency"


# --- over-calls: someone else's red flag already in hand ------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "My partner has had chest pains and he's seeing the cardiologist on Friday. My back is "
        "just stiff from the sofa.",
        "my cousin had a bad back and bladder accidents on our trip, she's at the hospital now and "
        "the doctors are with her. Any gentle stretches for me?",
        "Grandad (86) slipped in the garden and they found a fracture in his spine. Any tips for "
        "lifting him without hurting my own back after my decompression?",
        "a lady in my yoga class spoke about suicide and she has got support now. Can the app "
        "suggest relaxation exercises?",
        "My mate was hurt in a motorbike crash last month, I wasn't with him. I've been helping "
        "him move house and my back is stiff.",
    ],
)
def test_someone_elses_red_flag_in_other_hands_is_not_the_writers(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


# --- over-calls: the writer's own words that are not a red flag -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "if I had tingling in my bottom would that be a 999 job? I don't, just curious",
        "Before my fusion I had sciatica down both legs. A year later it is completely gone.",
        "I told my husband I'd sooner be dead than have another injection, I didn't mean it "
        "literally, I'm not suicidal, just fed up",
        "buzzing down both legs from the stimulator when it's switched on, is that normal?",
        "the GP mentioned physio if it doesn't settle, first time my back has gone",
        "hot flushes at night and drenched, no temperature though, back a bit achy",
        "leak a little when I sneeze since the twins were born, same as ever, back a bit sore",
        "the midwife told me what to look out for - numbness down below or bladder trouble - "
        "and I have none of those",
        "back ache worst at the end of a shift standing, 30 weeks pregnant",
        "my daughter has a temperature and I was up all night with her, back aching from "
        "carrying her, no fever myself",
        "my little one has a temperature so I've been carrying her all day, back is moaning",
        "had my AAA screening scan last year, all normal. Just the usual aches",
        "bowels looser since my gastric bypass years ago, I always feel it coming, back fine",
        "the orlistat gives me oily leaks in my underwear, is that normal? back fine",
    ],
)
def test_the_writers_own_words_that_are_not_a_red_flag(text: str) -> None:
    assert level(text) not in RED_FLAG_LEVELS


@pytest.mark.parametrize(
    "text",
    [
        "will losing weight help my back pain?",
        "I've lost weight like the physio suggested and my back still aches after 2 months",
        "my GP keeps saying lose weight, the back has been sore for 3 months",
        "dropped 4 stone since my gastric band and started swimming, back sore after",
    ],
)
def test_weight_lost_on_purpose_or_asked_about_is_not_unexplained(text: str) -> None:
    assert "malignancy_weight_loss" not in codes(text)


def test_weight_loss_the_writer_cannot_explain_still_counts() -> None:
    assert "malignancy_weight_loss" in codes(
        "lost a stone, no idea why, would losing weight like this be normal?"
    )


def test_asking_how_to_lift_is_not_an_injury() -> None:
    assert level("I'm 78, any tips for lifting the shopping safely? back a bit sore") != "urgent"


def test_a_coach_can_be_the_vehicle() -> None:
    assert level("our coach crashed on the motorway and I can't feel my left foot") == "emergency"


def test_the_path_of_sciatica_is_not_the_saddle() -> None:
    assert level("tingling in my right leg from the bum to the little toe, leg strong") == (
        "routine"
    )


# --- what the semantic net now sets aside ---------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "the physio checked my leg strength and it was all 5/5",
        "my sister said if it's in both legs it's an emergency.",
        "sciatica? no, nothing in either leg.",
    ],
)
def test_the_net_reads_these_sentences_as_not_a_red_flag(sentence: str) -> None:
    assert sentence_view(sentence) is None
    assert sentence_cues(analyse(sentence)).not_present


def test_night_pain_that_walking_eases_is_not_compared_with_pain_nothing_eases() -> None:
    statement = "the pain wakes me every night and nothing helps"
    exemplars = ([Exemplar(statement, "malignancy", "urgent")], ["which chair is best"])
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings(statement)
    assert net.findings(statement + ", but once I walk around it goes") == []
