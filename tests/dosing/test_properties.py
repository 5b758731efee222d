"""Property tests: over random libraries and programmes nothing that breaks a hard limit is
accepted — not by ``check_programme``, not by the CLI, not from the planner.

The oracle below recomputes every rule from the raw JSON dictionaries in exact rational
arithmetic, independently of the package's models. Generated values are decimals with a
few places and often land exactly on a limit, where "at the limit is allowed" matters.
"""

from __future__ import annotations

import json
import math
import tempfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spinewise.cli import app
from spinewise.dosing.check import HARD_RULES, check_programme
from spinewise.dosing.doses import basal_daily_dose, max_daily_dose
from spinewise.dosing.library import library_from_dict
from spinewise.dosing.planner import plan_schedule
from spinewise.dosing.programme import programme_from_dict

DRUG_NAMES = ("alpha", "beta")


def _q(x: Any) -> Fraction:
    return Fraction(str(x))


def oracle(programme: dict[str, Any], library: dict[str, Any]) -> list[str]:
    """Hard rules broken, in the documented reporting order."""
    entry = library["drugs"].get(programme["drug"])
    pump = library["pump"]
    starts = [int(s["start"][:2]) * 60 + int(s["start"][3:]) for s in programme["steps"]]
    ends = [*starts[1:], 1440]
    volume = sum(
        _q(s["rate_ml_per_day"]) * Fraction(e - a, 1440)
        for s, a, e in zip(programme["steps"], starts, ends, strict=True)
    )
    bolus = programme["bolus"]
    max_dose = volume * _q(programme["concentration"]) + (
        _q(bolus["dose"]) * bolus["max_per_day"] if bolus else 0
    )
    broken = set()
    if entry is None:
        broken.add("unknown_drug")
    else:
        if _q(programme["concentration"]) > _q(entry["max_concentration"]):
            broken.add("concentration")
        if max_dose > _q(entry["daily_dose_hard_max"]):
            broken.add("daily_dose_hard_max")
        previous = programme.get("previous_daily_dose")
        if previous is not None and max_dose > _q(previous) * (
            1 + _q(entry["max_daily_increase_pct"]) / 100
        ):
            broken.add("daily_increase")
        if bolus:
            if _q(bolus["dose"]) > _q(entry["bolus_dose_hard_max"]):
                broken.add("bolus_dose")
            if _q(bolus["lockout_min"]) < _q(entry["bolus_min_lockout_min"]):
                broken.add("bolus_lockout")
            if bolus["max_per_day"] > entry["bolus_max_per_day"]:
                broken.add("bolus_count")
    for step in programme["steps"]:
        rate = _q(step["rate_ml_per_day"])
        if 0 < rate < _q(pump["min_rate_ml_per_day"]):
            broken.add("rate_min")
        if rate > _q(pump["max_rate_ml_per_day"]):
            broken.add("rate_max")
    return [rule for rule in HARD_RULES if rule in broken]


def decimal(lo: float, hi: float, places: int = 3) -> st.SearchStrategy[float]:
    """Decimals with ``places`` places in [lo, hi], as the floats a JSON file would hold."""
    return st.decimals(min_value=Decimal(str(lo)), max_value=Decimal(str(hi)), places=places).map(
        float
    )


def near(limit: float, hi_factor: float = 2.0) -> st.SearchStrategy[float]:
    """Exactly the limit, a hair either side of it, or anywhere up to ``hi_factor`` x it."""
    return st.one_of(
        st.just(limit),
        st.just(round(limit + 0.001, 3)),
        st.just(max(round(limit - 0.001, 3), 0.0)),
        decimal(0, max(limit * hi_factor, 0.01)),
    )


@st.composite
def libraries(draw: st.DrawFn) -> dict[str, Any]:
    pump_min = draw(decimal(0, 0.5))
    pump = {
        "min_rate_ml_per_day": pump_min,
        "max_rate_ml_per_day": draw(decimal(max(pump_min, 0.001), 30)),
        "low_reservoir_alarm_ml": draw(decimal(0, 5)),
    }
    drugs = {}
    for name in DRUG_NAMES:
        hard = draw(decimal(0, 50))
        drugs[name] = {
            "unit": draw(st.sampled_from(["mg", "mcg"])),
            "max_concentration": draw(decimal(0.01, 100)),
            "daily_dose_soft_max": draw(decimal(0, hard)),
            "daily_dose_hard_max": hard,
            "max_daily_increase_pct": draw(decimal(0, 100)),
            "bolus_dose_hard_max": draw(decimal(0, 2)),
            "bolus_min_lockout_min": draw(decimal(0, 240, places=1)),
            "bolus_max_per_day": draw(st.integers(0, 12)),
            "pk": {"half_life_h": draw(decimal(0.2, 10)), "volume_ml": draw(decimal(10, 300))},
        }
    return {"name": "random synthetic library", "version": "h", "pump": pump, "drugs": drugs}


@st.composite
def steps_for(draw: st.DrawFn, pump: dict[str, float], max_steps: int = 5) -> list[dict[str, Any]]:
    later = draw(st.lists(st.integers(1, 1439), max_size=max_steps - 1, unique=True))
    starts = [0, *sorted(later)]
    rate = st.one_of(
        st.just(0.0),
        near(pump["min_rate_ml_per_day"]),
        near(pump["max_rate_ml_per_day"], 1.2),
    )
    return [{"start": f"{m // 60:02d}:{m % 60:02d}", "rate_ml_per_day": draw(rate)} for m in starts]


@st.composite
def library_and_programme(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    library = draw(libraries())
    drug = draw(st.sampled_from([*DRUG_NAMES, "gamma"]))
    entry = library["drugs"].get(drug, library["drugs"]["alpha"])
    bolus = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "dose": near(entry["bolus_dose_hard_max"]).filter(lambda x: x > 0),
                "lockout_min": near(entry["bolus_min_lockout_min"]),
                "max_per_day": st.integers(0, entry["bolus_max_per_day"] + 2),
            }
        )
    )
    reservoir = draw(decimal(1, 40))
    programme = {
        "drug": drug,
        "concentration": draw(near(entry["max_concentration"]).filter(lambda x: x > 0)),
        "reservoir_ml": reservoir,
        "fill_volume_ml": draw(decimal(0, reservoir)),
        "steps": draw(steps_for(library["pump"])),
        "bolus": bolus,
    }
    if draw(st.booleans()):
        programme["previous_daily_dose"] = draw(decimal(0, 60))
    return library, programme


@settings(max_examples=200, deadline=None)
@given(library_and_programme())
def test_check_accepts_exactly_the_programmes_that_break_no_hard_limit(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    library_data, programme_data = case
    result = check_programme(programme_from_dict(programme_data), library_from_dict(library_data))
    expected = oracle(programme_data, library_data)
    event("accepted" if not expected else f"{len(expected)} rule(s) broken")
    assert result.broken_rules == expected
    assert result.ok is (not expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(library_and_programme())
def test_cli_check_exits_1_for_exactly_the_programmes_that_break_a_hard_limit(
    case: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    library_data, programme_data = case
    expected = oracle(programme_data, library_data)
    with tempfile.TemporaryDirectory() as tmp:
        lib_path, prog_path = Path(tmp, "lib.json"), Path(tmp, "prog.json")
        lib_path.write_text(json.dumps(library_data), encoding="utf-8")
        prog_path.write_text(json.dumps(programme_data), encoding="utf-8")
        result = CliRunner().invoke(
            app, ["dosing", "check", str(prog_path), "--library", str(lib_path), "--json"]
        )
    assert result.exit_code == (1 if expected else 0), result.output
    assert [v["rule"] for v in json.loads(result.stdout)["violations"]] == expected


def _ceil3(x: Fraction) -> float:
    """Smallest 3-place decimal >= x (a limit the programme sits at or under)."""
    return math.ceil(x * 1000) / 1000


@st.composite
def safe_cases(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], list[float], int]:
    """A library and a programme that passes it (limits drawn at or above the programme)."""
    library = draw(libraries())
    pump = library["pump"]
    lo, hi = pump["min_rate_ml_per_day"], pump["max_rate_ml_per_day"]
    rate = st.one_of(st.just(0.0), st.just(lo), st.just(hi), decimal(lo, hi))
    later = draw(st.lists(st.integers(1, 1439), max_size=5, unique=True))
    steps = [
        {"start": f"{m // 60:02d}:{m % 60:02d}", "rate_ml_per_day": draw(rate)}
        for m in [0, *sorted(later)]
    ]
    programme: dict[str, Any] = {
        "drug": "alpha",
        "concentration": draw(decimal(0.01, 100)),
        "reservoir_ml": 20,
        "fill_volume_ml": 20,
        "steps": steps,
        "bolus": draw(
            st.none()
            | st.fixed_dictionaries(
                {
                    "dose": decimal(0.001, 1),
                    "lockout_min": decimal(0, 120, places=1),
                    "max_per_day": st.integers(0, 6),
                }
            )
        ),
    }
    maximum = max_daily_dose(programme_from_dict(programme))
    entry = library["drugs"]["alpha"]
    entry["max_concentration"] = draw(st.sampled_from([1, 1.5])) * programme["concentration"]
    entry["daily_dose_hard_max"] = _ceil3(maximum * draw(st.sampled_from([1, 2])))
    entry["daily_dose_soft_max"] = min(entry["daily_dose_soft_max"], entry["daily_dose_hard_max"])
    if programme["bolus"]:
        entry["bolus_dose_hard_max"] = programme["bolus"]["dose"]
        entry["bolus_min_lockout_min"] = programme["bolus"]["lockout_min"]
        entry["bolus_max_per_day"] = programme["bolus"]["max_per_day"]
    if draw(st.booleans()):
        programme["previous_daily_dose"] = _ceil3(maximum)
    pain = draw(st.lists(decimal(0, 10, places=1), min_size=24, max_size=24))
    max_steps = draw(st.integers(1, 6))
    return library, programme, pain, max_steps


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(safe_cases())
def test_planner_only_suggests_programmes_that_pass_and_never_raise_the_dose(
    case: tuple[dict[str, Any], dict[str, Any], list[float], int],
) -> None:
    library_data, programme_data, pain, max_steps = case
    library = library_from_dict(library_data)
    before = programme_from_dict(programme_data)
    assume(check_programme(before, library).ok)
    plan = plan_schedule(before, library, pain, max_steps=max_steps)
    event("changed" if plan.changed else "kept: " + plan.explanation.split(": ", 1)[1][:40])
    after = plan.programme
    assert oracle(after.to_dict(), library_data) == []
    assert plan.check.ok and check_programme(after, library).ok
    assert basal_daily_dose(after) <= basal_daily_dose(before)
    assert max_daily_dose(after) <= max_daily_dose(before)
    assert (after.drug, after.concentration, after.bolus) == (
        before.drug,
        before.concentration,
        before.bolus,
    )
    assert plan.mean_level_after >= plan.mean_level_before
    if plan.changed:
        assert len(after.steps) <= max_steps
        assert plan.mean_level_after > plan.mean_level_before
        assert all(s.start.endswith(":00") for s in after.steps)
