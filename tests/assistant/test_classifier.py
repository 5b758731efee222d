"""The learned red-flag screen: a text classifier that can only raise the rules' level."""

from __future__ import annotations

import pytest

from spinewise.assistant.classifier import (
    LEARNED_CATEGORY,
    RedFlagClassifier,
    ScreenScore,
    default_classifier,
    profile_words,
    screened,
)
from spinewise.assistant.evaluation import (
    cross_validate_learned_screen,
    load_triage_set,
    training_messages,
)
from spinewise.assistant.triage import PatientProfile, triage

# A toy corpus: the words, not the grammar, separate the classes, so a linear model must learn it.
_TOY = [
    ("I cannot feel anything down below when I wipe", "emergency"),
    ("numb down below and I cannot feel myself wipe", "emergency"),
    ("cannot feel the toilet paper down below", "emergency"),
    ("feverish and shivering with my back pain", "urgent"),
    ("shivering and feverish, back is sore", "urgent"),
    ("back sore and feverish since yesterday", "urgent"),
    ("which chair is best for my desk", "self_care"),
    ("thanks, the stretches are helping", "self_care"),
    ("can I move my exercise reminder to six", "self_care"),
    ("my desk chair is too low, any tips", "self_care"),
    ("the stretches help, thanks a lot", "self_care"),
    ("how do I change my reminder", "routine"),
]


def _toy() -> RedFlagClassifier:
    texts, levels = zip(*_TOY, strict=True)
    return RedFlagClassifier().fit(texts, levels)


def test_the_screen_learns_red_flag_words_from_labelled_messages() -> None:
    emergency, urgent, benign = _toy().score(
        [
            "down below I cannot feel a thing when I wipe",
            "so feverish and shivering tonight",
            "any tips for my desk chair",
        ]
    )
    assert emergency.level == "emergency"
    assert urgent.level == "urgent"
    assert benign.level is None


def test_a_level_needs_the_red_flag_probability_first() -> None:
    assert ScreenScore(red_flag=0.49, emergency=0.99).level is None
    assert ScreenScore(red_flag=0.5, emergency=0.59).level == "urgent"
    assert ScreenScore(red_flag=0.9, emergency=0.6).level == "emergency"


def test_training_needs_every_kind_of_message() -> None:
    with pytest.raises(ValueError, match="red-flag, emergency and benign"):
        RedFlagClassifier().fit(["a", "b"], ["self_care", "routine"])
    with pytest.raises(ValueError, match="same length"):
        RedFlagClassifier().fit(["a"], ["self_care", "urgent"])
    with pytest.raises(RuntimeError, match="fit"):
        RedFlagClassifier().score(["a"])


def test_the_profile_becomes_words_the_model_can_weigh() -> None:
    assert profile_words(None) == []
    assert profile_words(PatientProfile(age=75, osteoporosis=True)) == [
        "profileage70plus",
        "profileosteoporosis",
    ]
    assert profile_words(PatientProfile(age=55, cancer_history=True)) == [
        "profileage50to69",
        "profilecancerhistory",
    ]


def test_the_screen_raises_a_level_and_says_it_cannot_name_the_sign() -> None:
    toy = _toy()
    message = "I cannot feel anything down below when I wipe"
    rules = triage("how do I change my reminder")
    raised = screened(rules, message, classifier=toy)
    assert raised.level == "emergency" and raised.notify_care_team
    (finding,) = [f for f in raised.findings if f.category == LEARNED_CATEGORY]
    assert "cannot say which warning sign" in finding.reason
    assert "P(emergency)" in finding.evidence[0]
    assert "Tell them in your own words" in raised.advice
    assert "Samaritans" in raised.advice  # it cannot tell a crisis from the rest


def test_the_screen_never_lowers_and_adds_nothing_at_the_same_level() -> None:
    toy = _toy()
    emergency = triage("I can't feel my bum when I wipe and I can't pee")
    assert emergency.level == "emergency"
    assert screened(emergency, "thanks, the stretches are helping", classifier=toy) is emergency
    urgent = triage("I have a fever of 39 and my back is agony")
    assert urgent.level == "urgent"
    same = screened(urgent, "feverish and shivering with my back pain", classifier=toy)
    assert same.level == "urgent"
    assert all(f.category != LEARNED_CATEGORY for f in same.findings)


def test_the_packaged_screen_is_trained_on_every_asserted_set() -> None:
    screen = default_classifier()
    assert screen.n_messages == len(training_messages())
    assert screen.n_features > 1000


def test_questions_that_arrive_while_the_screen_trains_wait_for_that_one_training(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a server's warm-up and the first patients' questions all ask for the screen at once:
    # one 16-second training, not one each (lru_cache alone lets every caller start its own)
    import threading
    import time
    from functools import lru_cache

    from spinewise.assistant import classifier

    trainings: list[int] = []

    @lru_cache(maxsize=1)
    def slow_training() -> RedFlagClassifier:
        trainings.append(1)
        time.sleep(0.3)
        return RedFlagClassifier()

    monkeypatch.setattr(classifier, "_trained_classifier", slow_training)
    got: list[RedFlagClassifier] = []
    callers = [
        threading.Thread(target=lambda: got.append(classifier.default_classifier()))
        for _ in range(4)
    ]
    for caller in callers:
        caller.start()
    for caller in callers:
        caller.join()
    assert len(trainings) == 1
    assert len(got) == 4 and all(screen is got[0] for screen in got)


def test_cross_validation_scores_each_set_with_a_screen_that_never_saw_it() -> None:
    splits = ("dev", "heldout", "heldout2")
    report = cross_validate_learned_screen(splits)
    assert report["method"] == "leave-one-set-out"
    assert list(report["splits"]) == list(splits)
    pooled = report["pooled"]["learned_screen"]
    assert pooled["messages"] == sum(len(load_triage_set(s)) for s in splits)
    for split in splits:
        union = report["splits"][split]["rules_and_learned_screen"]
        alone = report["splits"][split]["learned_screen"]
        # the union can only add escalations to the screen's (and to the rules')
        assert set(union["missed"]) <= set(alone["missed"])
        assert set(alone["over_triaged"]) <= set(union["over_triaged"])
