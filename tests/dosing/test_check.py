"""Every check rule at its boundary: exactly at the limit is allowed, just past it is not.

Limits come from the synthetic test library in conftest.py (max concentration 10 mg/mL,
soft 4 / hard 6 mg/day, +20 % a day, bolus <= 0.5 mg, lockout >= 60 min, <= 4 boluses a day,
pump 0.1-2.0 mL/day). Each case isolates one rule (bolus off or previous dose unset where
another rule would also trip) and names the hand calculation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from spinewise.dosing.check import (
    HARD_RULES,
    ProgrammeRejected,
    check_programme,
    ensure_acceptable,
)
from spinewise.dosing.library import DrugLibrary
from spinewise.dosing.programme import Programme

ONE_BOLUS = {"dose": 0.1, "lockout_min": 60, "max_per_day": 1}


def _flat(rate: float) -> list[dict[str, Any]]:
    return [{"start": "00:00", "rate_ml_per_day": rate}]


# (case id, programme changes, rules expected broken)
BOUNDARY_CASES: list[tuple[str, dict[str, Any], set[str]]] = [
    # concentration: 10 mg/mL allowed; 10.001 broken (0.4 mL x 10.001 = 4.0004 mg, under 6).
    ("concentration at limit", {"concentration": 10, "bolus": None}, set()),
    ("concentration above", {"concentration": 10.001, "bolus": None}, {"concentration"}),
    # daily_dose_hard_max: 0.4 x 10 + 0.5 x 4 = 6 allowed; 0.4001 x 10 + 2 = 6.001 broken.
    ("hard max at limit", {"previous_daily_dose": None}, set()),
    (
        "hard max above",
        {"previous_daily_dose": None, "steps": _flat(0.4001)},
        {"daily_dose_hard_max"},
    ),
    # daily_increase: previous 4 mg x 1.2 = 4.8 allowed; 0.48 mL x 10 = 4.8 at the limit.
    (
        "increase at limit",
        {"previous_daily_dose": 4, "bolus": None, "steps": _flat(0.48)},
        set(),
    ),
    (
        "increase above",
        {"previous_daily_dose": 4, "bolus": None, "steps": _flat(0.4801)},
        {"daily_increase"},
    ),
    # bolus_dose: 0.5 mg allowed; 0.501 broken (one a day: 4 + 0.501 < 6).
    (
        "bolus dose at limit",
        {"bolus": {"dose": 0.5, "lockout_min": 60, "max_per_day": 1}},
        set(),
    ),
    (
        "bolus dose above",
        {"bolus": {"dose": 0.501, "lockout_min": 60, "max_per_day": 1}},
        {"bolus_dose"},
    ),
    # bolus_lockout: 60 min allowed; 59.9 broken.
    ("lockout at limit", {"bolus": ONE_BOLUS}, set()),
    (
        "lockout below",
        {"bolus": {"dose": 0.1, "lockout_min": 59.9, "max_per_day": 1}},
        {"bolus_lockout"},
    ),
    # bolus_count: 4 a day allowed; 5 broken (0.1 mg each keeps the dose at 4.5 mg).
    (
        "count at limit",
        {"bolus": {"dose": 0.1, "lockout_min": 60, "max_per_day": 4}},
        set(),
    ),
    (
        "count above",
        {"bolus": {"dose": 0.1, "lockout_min": 60, "max_per_day": 5}},
        {"bolus_count"},
    ),
    # rate_min: 0 (off) allowed; 0.1 allowed; 0.099 broken.
    (
        "rate off allowed",
        {
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.4},
                {"start": "22:00", "rate_ml_per_day": 0},
            ]
        },
        set(),
    ),
    (
        "rate at minimum",
        {
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.4},
                {"start": "22:00", "rate_ml_per_day": 0.1},
            ]
        },
        set(),
    ),
    (
        "rate below minimum",
        {
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.4},
                {"start": "22:00", "rate_ml_per_day": 0.099},
            ]
        },
        {"rate_min"},
    ),
    # rate_max: 2.0 allowed; 2.001 broken (for one hour: 0.3 x 23/24 + 2.001/24 = 0.37 mL/day).
    (
        "rate at maximum",
        {
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.3},
                {"start": "23:00", "rate_ml_per_day": 2.0},
            ]
        },
        set(),
    ),
    (
        "rate above maximum",
        {
            "steps": [
                {"start": "00:00", "rate_ml_per_day": 0.3},
                {"start": "23:00", "rate_ml_per_day": 2.001},
            ]
        },
        {"rate_max"},
    ),
    # unknown_drug: drug limits cannot be checked, pump limits still are.
    ("unknown drug", {"drug": "oxycodone"}, {"unknown_drug"}),
    (
        "unknown drug and pump limit",
        {"drug": "oxycodone", "steps": _flat(2.5)},
        {"unknown_drug", "rate_max"},
    ),
]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [(changes, expected) for _, changes, expected in BOUNDARY_CASES],
    ids=[case for case, _, _ in BOUNDARY_CASES],
)
def test_check_reports_exactly_the_broken_rules(
    library: DrugLibrary,
    make_programme: Callable[..., Programme],
    changes: dict[str, Any],
    expected: set[str],
) -> None:
    result = check_programme(make_programme(**changes), library)
    assert set(result.broken_rules) == expected
    assert result.ok is (not expected)


def test_every_hard_rule_has_a_boundary_case() -> None:
    broken = set().union(*(expected for _, _, expected in BOUNDARY_CASES))
    assert broken == set(HARD_RULES)


def test_exactly_at_the_hard_max_is_allowed_even_where_floats_would_round_above(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    # 0.1 mL/day for 4 h + 0.46 mL/day for 20 h = 0.4/24 + 9.2/24 = 9.6/24 = 0.4 mL -> 4 mg,
    # plus 2 mg of boluses = 6 mg exactly. Summed in binary floats: 6.000000000000001.
    programme = make_programme(
        previous_daily_dose=None,
        steps=[
            {"start": "00:00", "rate_ml_per_day": 0.1},
            {"start": "04:00", "rate_ml_per_day": 0.46},
        ],
    )
    result = check_programme(programme, library)
    assert result.ok
    assert result.max_daily_dose == 6


def test_soft_max_is_a_warning_not_a_violation(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    at_soft = check_programme(make_programme(bolus=None), library)  # 4 mg = soft max
    assert at_soft.ok and at_soft.warnings == ()
    above = check_programme(make_programme(bolus=ONE_BOLUS), library)  # 4.1 mg
    assert above.ok
    assert [w.to_dict() for w in above.warnings] == [
        {"rule": "daily_dose_soft_max", "limit": 4.0, "value": 4.1}
    ]


def test_violation_reports_limit_and_value(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    # previous 4 mg x (1 + 20/100) = 4.8 mg allowed; 0.5 mL x 10 = 5 mg.
    result = check_programme(
        make_programme(previous_daily_dose=4, bolus=None, steps=_flat(0.5)), library
    )
    assert [v.to_dict() for v in result.violations] == [
        {"rule": "daily_increase", "limit": 4.8, "value": 5.0}
    ]


def test_drug_names_match_case_insensitively(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    assert check_programme(make_programme(drug=" TestOrphine "), library).ok


def test_check_result_json_has_exactly_the_contract_keys(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    data = check_programme(make_programme(), library).to_dict()
    assert set(data) == {
        "ok",
        "violations",
        "warnings",
        "basal_daily_dose",
        "max_daily_dose",
        "refill_due_days",
    }
    # 18 mL usable / (0.4 + 0.05 x 4) mL/day = 30 days.
    assert data["refill_due_days"] == 30


def test_ensure_acceptable_raises_with_every_violation_for_the_api(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    programme = make_programme(concentration=12, steps=_flat(2.5))
    with pytest.raises(ProgrammeRejected) as caught:
        ensure_acceptable(programme, library)
    error = caught.value
    assert error.status_code == 422
    rules = [v["rule"] for v in error.to_dict()["violations"]]
    assert rules == ["concentration", "daily_dose_hard_max", "daily_increase", "rate_max"]


def test_ensure_acceptable_returns_the_result_when_safe(
    library: DrugLibrary, make_programme: Callable[..., Programme]
) -> None:
    assert ensure_acceptable(make_programme(), library).ok
