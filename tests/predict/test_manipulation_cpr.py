"""Spinal-manipulation clinical prediction rule (Flynn 2002, Spine 27:2835; Childs 2004)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict.manipulation_cpr import (
    FLYNN_POSITIVE_LR,
    ManipulationRuleInput,
    evaluate_manipulation_rule,
    post_test_probability,
)

ALL_MET: dict[str, Any] = {
    "symptom_duration_days": 5,
    "symptoms_distal_to_knee": False,
    "fabq_work": 10,
    "hip_internal_rotation_left_deg": 40,
    "hip_internal_rotation_right_deg": 30,
    "lumbar_hypomobility": True,
}


def rule(**changes: Any) -> Any:
    return evaluate_manipulation_rule(ManipulationRuleInput(**{**ALL_MET, **changes}))


def met(result: Any, key: str) -> bool | None:
    return {c.key: c.met for c in result.criteria}[key]


# --- every criterion on its boundary -------------------------------------------------------


@pytest.mark.parametrize(("days", "expected"), [(0, True), (15, True), (15.9, True), (16, False)])
def test_duration_must_be_strictly_less_than_16_days(days: float, expected: bool) -> None:
    assert met(rule(symptom_duration_days=days), "duration_lt_16_days") is expected


@pytest.mark.parametrize(("score", "expected"), [(0, True), (18, True), (19, False), (42, False)])
def test_fabq_work_must_be_strictly_less_than_19(score: float, expected: bool) -> None:
    assert met(rule(fabq_work=score), "fabq_work_lt_19") is expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        (35, 35, False),  # exactly 35 is not "> 35"
        (35.5, 20, True),
        (20, 36, True),
        (10, None, None),  # the unmeasured hip could still exceed 35
        (None, 36, True),  # one hip above the threshold is enough
        (None, None, None),
    ],
)
def test_at_least_one_hip_must_exceed_35_degrees_internal_rotation(
    left: float | None, right: float | None, expected: bool | None
) -> None:
    result = rule(hip_internal_rotation_left_deg=left, hip_internal_rotation_right_deg=right)
    assert met(result, "hip_ir_gt_35_deg") is expected


def test_symptoms_below_the_knee_fail_that_criterion() -> None:
    assert met(rule(symptoms_distal_to_knee=True), "no_symptoms_distal_to_knee") is False
    assert met(rule(symptoms_distal_to_knee=False), "no_symptoms_distal_to_knee") is True


def test_no_hypomobility_fails_that_criterion() -> None:
    assert met(rule(lumbar_hypomobility=False), "lumbar_hypomobility") is False


# --- the count threshold: >= 4 of 5 -------------------------------------------------------


def test_five_of_five_is_positive() -> None:
    result = rule()
    assert (result.status, result.positive_count) == ("positive", 5)


def test_four_of_five_is_positive() -> None:
    result = rule(fabq_work=19)
    assert (result.status, result.positive_count) == ("positive", 4)


def test_three_of_five_is_negative_and_shows_no_likelihood() -> None:
    result = rule(fabq_work=19, symptom_duration_days=16)
    assert (result.status, result.positive_count) == ("negative", 3)
    assert result.likelihood is None


def test_three_met_with_one_unassessed_is_indeterminate() -> None:
    result = rule(fabq_work=None, symptom_duration_days=16)
    assert (result.status, result.positive_count, result.unknown_count) == (
        "indeterminate",
        3,
        1,
    )


def test_four_met_is_positive_even_if_the_fifth_is_unassessed() -> None:
    result = rule(lumbar_hypomobility=None)
    assert result.status == "positive"


def test_two_met_and_one_unassessed_cannot_reach_four_so_it_is_negative() -> None:
    result = rule(fabq_work=30, symptom_duration_days=40, lumbar_hypomobility=None)
    assert (result.status, result.positive_count, result.unknown_count) == ("negative", 2, 1)


def test_nothing_assessed_is_indeterminate() -> None:
    result = evaluate_manipulation_rule(ManipulationRuleInput())
    assert (result.status, result.unknown_count) == ("indeterminate", 5)


# --- the published likelihood --------------------------------------------------------------


def test_positive_rule_shows_flynns_likelihood_ratio_and_95_percent_post_test() -> None:
    likelihood = rule().likelihood
    assert likelihood is not None
    assert likelihood["positive_likelihood_ratio"] == 24.38
    assert likelihood["positive_likelihood_ratio_ci95"] == [4.63, 139.41]
    # Flynn 2002: 32 of 71 successes (45 %); odds 32/39 x 24.38 = 20.00 -> 20.00/21.00 = 0.952.
    assert likelihood["pretest_probability"] == pytest.approx(0.4507, abs=1e-4)
    assert likelihood["post_test_probability"] == pytest.approx(0.952, abs=1e-3)


def test_the_stored_likelihood_ratio_agrees_with_flynns_counts() -> None:
    # Sensitivity 20/32 and 1 - specificity 1/39: 0.625 / 0.02564 = 24.375 ~ 24.38.
    assert pytest.approx((20 / 32) / (1 / 39), abs=0.01) == FLYNN_POSITIVE_LR


def test_a_local_pretest_probability_gives_a_local_post_test_with_its_range() -> None:
    likelihood = evaluate_manipulation_rule(
        ManipulationRuleInput(**ALL_MET), pretest_probability=0.2
    ).likelihood
    assert likelihood is not None
    # odds 0.25 x 24.38 = 6.095 -> 0.859; with LR 4.63: 1.1575 -> 0.536; 139.41: 34.85 -> 0.972
    assert likelihood["local_post_test_probability"] == pytest.approx(0.859, abs=1e-3)
    low, high = likelihood["local_post_test_probability_range"]
    assert low == pytest.approx(0.536, abs=1e-3)
    assert high == pytest.approx(0.972, abs=1e-3)


def test_the_result_states_the_failed_external_validation() -> None:
    data = rule().to_dict()
    assert any("Hancock" in limit for limit in data["limits"])
    assert any("Eur Spine J 2008" in c for c in data["citations"])
    assert {v["study"].split()[0] for v in data["validation"]} == {"Childs", "Hancock"}


# --- Bayes in odds form ---------------------------------------------------------------------


def test_post_test_probability_with_lr_1_leaves_the_probability_unchanged() -> None:
    assert post_test_probability(0.3, 1.0) == pytest.approx(0.3)


def test_post_test_probability_by_hand() -> None:
    # 50 % pretest (odds 1) with LR 3 -> odds 3 -> 0.75
    assert post_test_probability(0.5, 3.0) == pytest.approx(0.75)


@pytest.mark.parametrize(("p", "lr"), [(0.0, 2.0), (1.0, 2.0), (0.5, 0.0), (0.5, -1.0)])
def test_post_test_probability_refuses_degenerate_arguments(p: float, lr: float) -> None:
    with pytest.raises(InvalidInput):
        post_test_probability(p, lr)


# --- input validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("symptom_duration_days", -1),
        ("symptom_duration_days", math.inf),
        ("fabq_work", 43),
        ("fabq_work", -0.5),
        ("hip_internal_rotation_left_deg", 91),
        ("hip_internal_rotation_right_deg", -5),
        ("fabq_work", "12"),
        ("lumbar_hypomobility", "yes"),
    ],
)
def test_implausible_findings_are_refused(field: str, value: Any) -> None:
    with pytest.raises(InvalidInput, match=field):
        ManipulationRuleInput(**{field: value})


def test_from_dict_refuses_unknown_fields() -> None:
    with pytest.raises(InvalidInput, match="fabq"):
        ManipulationRuleInput.from_dict({"fabq": 10})
