"""``spinewise dosing …`` through the main app: contracts, exit codes, one-line errors."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

from .conftest import BASE_PROGRAMME, FLAT_MORPHINE, MORNING_PEAK_PAIN, SYNTHETIC_LIBRARY

WriteJson = Callable[[str, Any], Path]
runner = CliRunner()


def _run(*args: str) -> Any:
    return runner.invoke(app, ["dosing", *args])


def _assert_one_line_error(result: Any, code: int = 2) -> None:
    assert result.exit_code == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "Traceback" not in result.output


@pytest.fixture
def library_file(write_json: WriteJson) -> Path:
    return write_json("library.json", SYNTHETIC_LIBRARY)


def test_check_ok_exits_0_with_the_json_contract(write_json: WriteJson, library_file: Path) -> None:
    program = write_json("p.json", BASE_PROGRAMME)
    result = _run("check", str(program), "--library", str(library_file), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "ok": True,
        "violations": [],
        "warnings": [{"rule": "daily_dose_soft_max", "limit": 4.0, "value": 6.0}],
        "basal_daily_dose": 4.0,  # 0.4 mL/day x 10 mg/mL
        "max_daily_dose": 6.0,  # + 0.5 mg x 4
        "refill_due_days": 30.0,  # (20 - 2) mL / 0.6 mL/day
    }


def test_check_exits_1_and_lists_the_broken_rules(
    write_json: WriteJson, library_file: Path
) -> None:
    program = write_json("p.json", {**BASE_PROGRAMME, "concentration": 12})
    result = _run("check", str(program), "--library", str(library_file), "--json")
    assert result.exit_code == 1
    # 0.4 x 12 + 2 = 6.8 mg > 6 hard max and > 5 x 1.2 = 6 allowed increase.
    assert [v["rule"] for v in json.loads(result.stdout)["violations"]] == [
        "concentration",
        "daily_dose_hard_max",
        "daily_increase",
    ]


def test_check_human_output_names_the_refusal(write_json: WriteJson, library_file: Path) -> None:
    program = write_json("p.json", {**BASE_PROGRAMME, "drug": "oxycodone"})
    result = _run("check", str(program), "--library", str(library_file))
    assert result.exit_code == 1
    assert "REFUSED" in result.stdout and "unknown_drug" in result.stdout


def test_check_uses_the_packaged_library_by_default(write_json: WriteJson) -> None:
    result = _run("check", str(write_json("p.json", FLAT_MORPHINE)), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["max_daily_dose"] == 6.75  # 0.6 x 10 + 0.25 x 3


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "invalid JSON"),
        (json.dumps({**BASE_PROGRAMME, "steps": []}), "steps"),
        (json.dumps({k: v for k, v in BASE_PROGRAMME.items() if k != "bolus"}), "bolus"),
    ],
)
def test_check_malformed_programme_exits_2_with_one_line(
    tmp_path: Path, library_file: Path, content: str, fragment: str
) -> None:
    program = tmp_path / "p.json"
    program.write_text(content, encoding="utf-8")
    result = _run("check", str(program), "--library", str(library_file))
    _assert_one_line_error(result)
    assert fragment in result.stderr


def test_check_an_absurd_magnitude_exits_2_instead_of_overflowing(
    write_json: WriteJson, library_file: Path
) -> None:
    # 1e308 mg/mL x 24 mL/day has no float: refused as malformed, never a traceback.
    data = {**copy.deepcopy(BASE_PROGRAMME), "concentration": 1e308}
    result = _run("check", str(write_json("p.json", data)), "--library", str(library_file))
    _assert_one_line_error(result)
    assert "concentration" in result.stderr


def test_check_missing_file_and_malformed_library_exit_2(
    tmp_path: Path, write_json: WriteJson
) -> None:
    program = write_json("p.json", BASE_PROGRAMME)
    _assert_one_line_error(_run("check", str(tmp_path / "missing.json")))
    bad = copy.deepcopy(SYNTHETIC_LIBRARY)
    bad["drugs"]["testorphine"]["unit"] = "grains"
    result = _run("check", str(program), "--library", str(write_json("bad.json", bad)))
    _assert_one_line_error(result)
    assert "drugs.testorphine.unit" in result.stderr


def test_simulate_json_matches_the_closed_form_within_1_percent(
    write_json: WriteJson, library_file: Path
) -> None:
    # Synthetic drug: t1/2 2 h, 100 mL. 0.48 mL/day x 10 mg/mL = 0.2 mg/h;
    # C(t) = 0.2 / (k x 100) x (1 - e^(-kt)), k = ln 2 / 2.
    program = write_json(
        "p.json", {**BASE_PROGRAMME, "steps": [{"start": "00:00", "rate_ml_per_day": 0.48}]}
    )
    result = _run(
        "simulate",
        str(program),
        "--library",
        str(library_file),
        "--days",
        "2",
        "--step-min",
        "30",
        "--json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"t_h", "concentration"}
    assert len(data["t_h"]) == 2 * 48 + 1
    k = math.log(2) / 2
    for t, c in zip(data["t_h"][1:], data["concentration"][1:], strict=True):
        assert c == pytest.approx(0.2 / (k * 100) * (1 - math.exp(-k * t)), rel=0.01)


def test_simulate_writes_a_plot_with_the_pain_profile(
    tmp_path: Path, write_json: WriteJson
) -> None:
    program = write_json("p.json", FLAT_MORPHINE)
    pain = write_json("pain.json", MORNING_PEAK_PAIN)
    out = tmp_path / "figs" / "level.png"
    result = _run(
        "simulate",
        str(program),
        "--days",
        "3",
        "--bolus-at",
        "07:00",
        "--bolus-at",
        "15:00",
        "--plot",
        str(out),
        "--pain",
        str(pain),
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "last day" in result.stdout
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--days", "0"], "days"),
        (["--days", "1", "--bolus-at", "25:00"], "bolus_at"),
        (["--days", "1", "--bolus-at", "07:00", "--bolus-at", "08:00"], "lockout"),
        (["--days", "1", "--step-min", "-5"], "step_min"),
    ],
)
def test_simulate_bad_options_exit_2_with_one_line(
    write_json: WriteJson, args: list[str], fragment: str
) -> None:
    result = _run("simulate", str(write_json("p.json", FLAT_MORPHINE)), *args)
    _assert_one_line_error(result)
    assert fragment in result.stderr


def test_simulate_unknown_drug_is_bad_input(write_json: WriteJson) -> None:
    program = write_json("p.json", {**FLAT_MORPHINE, "drug": "oxycodone"})
    result = _run("simulate", str(program), "--days", "1")
    _assert_one_line_error(result)
    assert "not in the drug library" in result.stderr


def test_plan_json_has_programme_check_levels_and_explanation(write_json: WriteJson) -> None:
    program = write_json("p.json", FLAT_MORPHINE)
    pain = write_json("pain.json", MORNING_PEAK_PAIN)
    result = _run("plan", str(program), "--pain", str(pain), "--max-steps", "4", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["check"]["ok"] is True
    assert data["changed"] is True
    assert data["basal_daily_dose_after"] == data["basal_daily_dose_before"] == 6.0
    assert data["mean_level_after"] > data["mean_level_before"]
    assert data["painful_hours"] == [6, 7, 8, 9]
    assert len(data["programme"]["steps"]) <= 4
    assert data["explanation"].startswith("Moves ")
    # The suggested programme is itself a valid PROGRAM.json that passes `check`.
    again = _run("check", str(write_json("planned.json", data["programme"])))
    assert again.exit_code == 0


def test_plan_refuses_a_programme_that_already_breaks_a_limit(write_json: WriteJson) -> None:
    program = write_json("p.json", {**FLAT_MORPHINE, "concentration": 25})
    pain = write_json("pain.json", MORNING_PEAK_PAIN)
    result = _run("plan", str(program), "--pain", str(pain))
    _assert_one_line_error(result, code=1)
    assert "concentration" in result.stderr


def test_plan_bad_pain_profile_exits_2(write_json: WriteJson) -> None:
    program = write_json("p.json", FLAT_MORPHINE)
    result = _run("plan", str(program), "--pain", str(write_json("pain.json", [1, 2, 3])))
    _assert_one_line_error(result)
    assert "24 numbers" in result.stderr
