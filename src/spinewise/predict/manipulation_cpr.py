"""Clinical prediction rule for spinal manipulation in low back pain (Flynn 2002; Childs 2004).

Five criteria, each scored from the history and examination:

1. duration of the current episode < 16 days;
2. no symptoms distal to the knee;
3. Fear-Avoidance Beliefs Questionnaire work subscale (FABQ-W, 0-42) < 19;
4. at least one hip with > 35 degrees of internal rotation;
5. hypomobility of at least one lumbar segment on spring testing.

With at least 4 of 5 present the rule is positive. In the derivation cohort (Flynn T, Fritz J,
Whitman J, et al. A clinical prediction rule for classifying patients with low back pain who
demonstrate short-term improvement with spinal manipulation. Spine 2002;27(24):2835-2843)
71 patients received up to two sessions of a lumbopelvic thrust manipulation; 32 (45 %) had
success (>= 50 % improvement of the Oswestry disability score within about a week). A positive
rule had sensitivity 0.63 and specificity 0.97, positive likelihood ratio 24.38 (95 % CI
4.63-139.41), raising the probability of success from 45 % to 95 %.

Validation (Childs JD, Fritz JM, Flynn TW, et al. A clinical prediction rule to identify
patients with low back pain most likely to benefit from spinal manipulation: a validation
study. Ann Intern Med 2004;141(12):920-928): in a randomised trial of 131 patients
(manipulation + exercise vs exercise alone), rule-positive patients who received manipulation
had odds of success of 60.8 (95 % CI 5.2-704.7) relative to rule-negative patients who received
exercise, a 92 % chance of success and a number needed to treat of 1.9 (1.4-3.5) at 4 weeks.

Limits: an independent trial in 239 patients with acute low back pain in Australian general
practice, who received a course of spinal manipulative therapy or placebo, found the rule no
better than chance (Hancock MJ, Maher CG, Latimer J, et al. Independent evaluation of a clinical
prediction rule for spinal manipulative therapy: a randomised controlled trial. Eur Spine J
2008;17(7):936-943). The rule therefore applies, at best, to populations and techniques like
those of Flynn and Childs (US physical-therapy clinics, lumbopelvic thrust manipulation, outcome
within 1-4 weeks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from spinewise.core.errors import InvalidInput

# --- Thresholds of the rule (Flynn et al. 2002, Table 4; Childs et al. 2004) ---
DURATION_LESS_THAN_DAYS = 16.0
FABQ_WORK_LESS_THAN = 19.0
HIP_INTERNAL_ROTATION_GREATER_THAN_DEG = 35.0
POSITIVE_AT_LEAST = 4
N_CRITERIA = 5

# FABQ work subscale: items 6, 7, 9, 10, 11, 12 and 15, each 0-6 (Waddell et al. 1993, Pain 52).
FABQ_WORK_MAX = 42.0
# Goniometric hip internal rotation in prone (Flynn 2002 method); wider values are not a
# plausible measurement and more likely a typing error.
HIP_INTERNAL_ROTATION_MAX_DEG = 90.0

# --- Published figures ---
FLYNN_2002 = (
    "Flynn T, Fritz J, Whitman J, et al. A clinical prediction rule for classifying patients "
    "with low back pain who demonstrate short-term improvement with spinal manipulation. "
    "Spine 2002;27(24):2835-2843."
)
CHILDS_2004 = (
    "Childs JD, Fritz JM, Flynn TW, et al. A clinical prediction rule to identify patients with "
    "low back pain most likely to benefit from spinal manipulation: a validation study. "
    "Ann Intern Med 2004;141(12):920-928."
)
HANCOCK_2008 = (
    "Hancock MJ, Maher CG, Latimer J, Herbert RD, McAuley JH. Independent evaluation of a "
    "clinical prediction rule for spinal manipulative therapy: a randomised controlled trial. "
    "Eur Spine J 2008;17(7):936-943."
)
FRITZ_2005 = (
    "Fritz JM, Childs JD, Flynn TW. Pragmatic application of a clinical prediction rule in "
    "primary care to identify patients with low back pain with a good prognosis following a "
    "brief spinal manipulation intervention. BMC Fam Pract 2005;6:29."
)

# Flynn 2002: 32 of 71 patients had success; >= 4 criteria: sensitivity 0.63 (20/32),
# specificity 0.97 (38/39), +LR 24.38 (95 % CI 4.63-139.41).
FLYNN_PRETEST_PROBABILITY = 32 / 71
FLYNN_POSITIVE_LR = 24.38
FLYNN_POSITIVE_LR_CI95 = (4.63, 139.41)
FLYNN_SENSITIVITY = 0.63
FLYNN_SPECIFICITY = 0.97
FLYNN_REPORTED_POST_TEST = 0.95

SUCCESS_DEFINITION = (
    "Success in Flynn 2002: >= 50 % improvement of the modified Oswestry disability score after "
    "up to two sessions of lumbopelvic thrust manipulation (about one week)."
)

LIMITS: tuple[str, ...] = (
    "Derived in 71 patients (Flynn 2002); the 95 % CI of the positive likelihood ratio is very "
    "wide (4.63-139.41), so the 95 % post-test probability is imprecise.",
    "Predicts short-term (1-4 week) response to a lumbopelvic thrust manipulation with exercise, "
    "in US physical-therapy clinics (Flynn 2002; Childs 2004); not long-term outcome.",
    "Did not generalise to acute low back pain in Australian general practice treated with a "
    "course of spinal manipulative therapy: rule status did not modify the effect "
    "(Hancock 2008, 239 patients; pain P = 0.805, disability P = 0.600).",
    "A rule-negative patient may still benefit from manipulation; the rule does not replace "
    "screening for red flags and contraindications, nor patient preference.",
    "A pragmatic two-item version (duration < 16 days, no symptoms distal to the knee) had "
    "+LR 7.2 (95 % CI 3.2-16.1) in 141 patients (Fritz 2005).",
)

VALIDATION: tuple[dict[str, str], ...] = (
    {
        "study": "Childs 2004 (validation RCT, n = 131)",
        "finding": (
            "Rule-positive patients who received manipulation: odds of success 60.8 "
            "(95 % CI 5.2-704.7) vs rule-negative patients who received exercise; 92 % chance "
            "of success; number needed to treat 1.9 (1.4-3.5) at 4 weeks."
        ),
        "citation": CHILDS_2004,
    },
    {
        "study": "Hancock 2008 (independent RCT, n = 239, acute LBP, general practice)",
        "finding": (
            "Rule performed no better than chance; at 1 week the extra effect of manipulation "
            "in rule-positive patients was 0.3 points less on a 0-10 pain scale "
            "(95 % CI -0.8 to 1.4)."
        ),
        "citation": HANCOCK_2008,
    },
)

RuleStatus = Literal["positive", "negative", "indeterminate"]


def post_test_probability(pretest_probability: float, likelihood_ratio: float) -> float:
    """Bayes' theorem in odds form: post-test odds = pre-test odds x likelihood ratio.

    Parameters
    ----------
    pretest_probability : float
        Probability before the test, strictly between 0 and 1.
    likelihood_ratio : float
        Positive (or negative) likelihood ratio of the observed result, > 0.
    """
    if not (0.0 < pretest_probability < 1.0) or not math.isfinite(pretest_probability):
        raise InvalidInput("pretest_probability", "must be strictly between 0 and 1")
    if not (likelihood_ratio > 0.0) or not math.isfinite(likelihood_ratio):
        raise InvalidInput("likelihood_ratio", "must be a positive number")
    odds = pretest_probability / (1.0 - pretest_probability) * likelihood_ratio
    return odds / (1.0 + odds)


@dataclass(frozen=True)
class ManipulationRuleInput:
    """The findings the rule needs; ``None`` means not assessed.

    Attributes
    ----------
    symptom_duration_days : float | None
        Duration of the current episode of low back pain, days (>= 0).
    symptoms_distal_to_knee : bool | None
        Whether any symptom extends below the knee.
    fabq_work : float | None
        FABQ work subscale score, 0-42.
    hip_internal_rotation_left_deg, hip_internal_rotation_right_deg : float | None
        Passive hip internal rotation measured prone with a goniometer, degrees (0-90).
    lumbar_hypomobility : bool | None
        At least one hypomobile lumbar segment on posterior-anterior spring testing.
    """

    symptom_duration_days: float | None = None
    symptoms_distal_to_knee: bool | None = None
    fabq_work: float | None = None
    hip_internal_rotation_left_deg: float | None = None
    hip_internal_rotation_right_deg: float | None = None
    lumbar_hypomobility: bool | None = None

    def __post_init__(self) -> None:
        _check_range("symptom_duration_days", self.symptom_duration_days, 0.0, math.inf)
        _check_range("fabq_work", self.fabq_work, 0.0, FABQ_WORK_MAX)
        for name in ("hip_internal_rotation_left_deg", "hip_internal_rotation_right_deg"):
            _check_range(name, getattr(self, name), 0.0, HIP_INTERNAL_ROTATION_MAX_DEG)
        for name in ("symptoms_distal_to_knee", "lumbar_hypomobility"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise InvalidInput(name, "must be true, false or null")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ManipulationRuleInput:
        """Build from a JSON object; unknown keys are refused so typos do not pass silently."""
        if not isinstance(data, dict):
            raise InvalidInput(None, "the rule input must be a JSON object")
        allowed = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidInput(unknown[0], f"unknown field; expected some of {sorted(allowed)}")
        return cls(**data)


def _check_range(name: str, value: float | None, low: float, high: float) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(name, "must be a number or null")
    if not math.isfinite(value):
        raise InvalidInput(name, "must be a finite number")
    if value < low:
        raise InvalidInput(name, f"must be >= {low:g}; got {value:g}")
    if value > high:
        raise InvalidInput(name, f"must be <= {high:g}; got {value:g}")


@dataclass(frozen=True)
class CriterionResult:
    key: str
    description: str
    met: bool | None  # None = not assessed

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "description": self.description, "met": self.met}


@dataclass(frozen=True)
class ManipulationRuleResult:
    """Outcome of the rule with the evidence a clinician needs to weigh it."""

    status: RuleStatus
    positive_count: int
    unknown_count: int
    criteria: tuple[CriterionResult, ...]
    likelihood: dict[str, Any] | None
    limits: tuple[str, ...] = LIMITS
    validation: tuple[dict[str, str], ...] = VALIDATION
    success_definition: str = SUCCESS_DEFINITION
    citations: tuple[str, ...] = field(default=(FLYNN_2002, CHILDS_2004, HANCOCK_2008, FRITZ_2005))

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": "spinal-manipulation-cpr",
            "status": self.status,
            "positive_count": self.positive_count,
            "unknown_count": self.unknown_count,
            "threshold": POSITIVE_AT_LEAST,
            "criteria": [c.to_dict() for c in self.criteria],
            "likelihood": self.likelihood,
            "success_definition": self.success_definition,
            "validation": [dict(v) for v in self.validation],
            "limits": list(self.limits),
            "citations": list(self.citations),
        }


def _hip_criterion(left: float | None, right: float | None) -> bool | None:
    known = [v for v in (left, right) if v is not None]
    if any(v > HIP_INTERNAL_ROTATION_GREATER_THAN_DEG for v in known):
        return True
    if len(known) == 2:
        return False
    return None  # no hip above the threshold and at least one hip not measured


def evaluate_manipulation_rule(
    findings: ManipulationRuleInput, pretest_probability: float | None = None
) -> ManipulationRuleResult:
    """Apply the five-criterion rule of Flynn et al. (2002).

    The status is ``"positive"`` when at least 4 criteria are met, ``"negative"`` when even
    the unassessed criteria could not bring the count to 4, and ``"indeterminate"`` otherwise
    (assess the missing findings).

    When positive, ``likelihood`` reports Flynn's positive likelihood ratio (24.38, 95 % CI
    4.63-139.41) and the post-test probability from Flynn's pretest probability (32/71, about
    45 % -> 95 %); if ``pretest_probability`` is given (e.g. a clinic's own success rate) the
    post-test probability for that prior, and its range over the LR's CI, are added. No
    likelihood is shown for a negative rule: Flynn's figures support only the positive result.
    """

    def _not(value: bool | None) -> bool | None:
        return None if value is None else not value

    def _lt(value: float | None, limit: float) -> bool | None:
        return None if value is None else value < limit

    criteria = (
        CriterionResult(
            "duration_lt_16_days",
            "Duration of the current episode < 16 days",
            _lt(findings.symptom_duration_days, DURATION_LESS_THAN_DAYS),
        ),
        CriterionResult(
            "no_symptoms_distal_to_knee",
            "No symptoms distal to the knee",
            _not(findings.symptoms_distal_to_knee),
        ),
        CriterionResult(
            "fabq_work_lt_19",
            "FABQ work subscale < 19",
            _lt(findings.fabq_work, FABQ_WORK_LESS_THAN),
        ),
        CriterionResult(
            "hip_ir_gt_35_deg",
            "At least one hip with > 35 degrees internal rotation",
            _hip_criterion(
                findings.hip_internal_rotation_left_deg, findings.hip_internal_rotation_right_deg
            ),
        ),
        CriterionResult(
            "lumbar_hypomobility",
            "Hypomobility of at least one lumbar segment (spring test)",
            findings.lumbar_hypomobility,
        ),
    )
    positive = sum(1 for c in criteria if c.met is True)
    unknown = sum(1 for c in criteria if c.met is None)
    status: RuleStatus
    if positive >= POSITIVE_AT_LEAST:
        status = "positive"
    elif positive + unknown < POSITIVE_AT_LEAST:
        status = "negative"
    else:
        status = "indeterminate"

    likelihood: dict[str, Any] | None = None
    if status == "positive":
        likelihood = {
            "positive_likelihood_ratio": FLYNN_POSITIVE_LR,
            "positive_likelihood_ratio_ci95": list(FLYNN_POSITIVE_LR_CI95),
            "sensitivity": FLYNN_SENSITIVITY,
            "specificity": FLYNN_SPECIFICITY,
            "pretest_probability": FLYNN_PRETEST_PROBABILITY,
            "post_test_probability": post_test_probability(
                FLYNN_PRETEST_PROBABILITY, FLYNN_POSITIVE_LR
            ),
            "source": FLYNN_2002,
        }
        if pretest_probability is not None:
            low, high = FLYNN_POSITIVE_LR_CI95
            likelihood["local_pretest_probability"] = pretest_probability
            likelihood["local_post_test_probability"] = post_test_probability(
                pretest_probability, FLYNN_POSITIVE_LR
            )
            likelihood["local_post_test_probability_range"] = [
                post_test_probability(pretest_probability, low),
                post_test_probability(pretest_probability, high),
            ]
    elif pretest_probability is not None:
        post_test_probability(pretest_probability, 1.0)  # validate the argument all the same

    return ManipulationRuleResult(
        status=status,
        positive_count=positive,
        unknown_count=unknown,
        criteria=criteria,
        likelihood=likelihood,
    )
