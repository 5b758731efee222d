"""`spinewise motion analyze` through the main app (DESIGN §5 contract)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

from .fixture_cases import FIXTURES

runner = CliRunner()


def _one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    return lines[0]


def test_analyze_prints_the_contract() -> None:
    path = FIXTURES / "squat_faults.keypoints.json"
    result = runner.invoke(app, ["motion", "analyze", str(path), "--exercise", "squat", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"reps", "repetitions", "form_flags"} <= set(data)
    assert data["reps"] == len(data["repetitions"]) == 4
    assert {"start_s", "end_s", "peak_deg"} <= set(data["repetitions"][0])
    assert all({"t_s", "check"} <= set(flag) for flag in data["form_flags"])


def test_target_changes_what_counts() -> None:
    # trunk_flexion_noisy_target40 has bends of 42, 35 and 38 deg: with --target 40 (half =
    # 20) they count; with the default 60 (half = 30) they still do, but with --target 90
    # (half = 45) none does.
    path = str(FIXTURES / "trunk_flexion_noisy_target40.keypoints.json")
    base = ["motion", "analyze", path, "--exercise", "trunk_flexion", "--json"]
    assert json.loads(runner.invoke(app, [*base, "--target", "40"]).stdout)["reps"] == 3
    assert json.loads(runner.invoke(app, [*base, "--target", "90"]).stdout)["reps"] == 0


def test_human_readable_output_says_it_is_a_camera_estimate() -> None:
    path = FIXTURES / "bridge_sagging.keypoints.json"
    result = runner.invoke(app, ["motion", "analyze", str(path), "--exercise", "bridge"])
    assert result.exit_code == 0, result.output
    assert "camera estimate" in result.stdout and "hips_sagging" in result.stdout


@pytest.mark.parametrize(
    "content",
    [
        "not json",
        "[]",
        '{"fps": 30, "layout": "coco", "frames": []}',
        '{"fps": 30, "layout": "mediapipe-pose-33", "frames": [[[1, 2, 0.9]]]}',
        '{"fps": -1, "layout": "mediapipe-pose-33", "frames": []}',
        '{"fps": 30, "layout": "mediapipe-pose-33", "frames": [null, null]}',
    ],
)
def test_malformed_input_exits_2_with_one_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / "keypoints.json"
    path.write_text(content)
    _one_line_error(
        runner.invoke(app, ["motion", "analyze", str(path), "--exercise", "squat", "--json"])
    )


def test_unknown_exercise_and_bad_target_exit_2(tmp_path: Path) -> None:
    path = str(FIXTURES / "squat_faults.keypoints.json")
    line = _one_line_error(runner.invoke(app, ["motion", "analyze", path, "--exercise", "plank"]))
    assert "squat" in line
    _one_line_error(
        runner.invoke(app, ["motion", "analyze", path, "--exercise", "squat", "--target", "0"])
    )


def test_missing_file_exits_2(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    _one_line_error(runner.invoke(app, ["motion", "analyze", missing, "--exercise", "squat"]))
