"""``spinewise rehab`` commands through the main app."""

import json
import math

from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["rehab", *args])


def test_exercises_filtered_as_json():
    result = run("exercises", "--category", "walking", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {
        "walking_short_bouts",
        "walking_continuous",
        "walking_brisk",
        "marching_on_the_spot",
    }


def test_have_none_means_no_equipment():
    rows = json.loads(run("exercises", "--have", "none", "--json").stdout)
    assert rows and "glute_bridge" not in {r["id"] for r in rows}  # needs a mat


def test_show_returns_full_keyframes():
    data = json.loads(run("show", "glute_bridge", "--json").stdout)
    assert data["id"] == "glute_bridge"
    assert len(data["demonstration"]["keyframes"][0]["angles"]) == 13


def test_pose_gives_renderer_reference_positions():
    result = run("pose", "standing_back_extension", "--t", "0", "--json")
    data = json.loads(result.stdout)
    # first keyframe, feet anchored: the left ankle is the origin on the floor
    assert data["points"]["ankle_l"] == [0.0, 0.0]
    # hands on the small of the back: shoulder extension 45°, elbow flexion 100°
    assert data["angles"]["shoulder_l"] == -45.0
    neck = data["points"]["neck_base"]
    assert math.isclose(neck[1], 0.818, abs_tol=1e-3)  # standing shoulder height 0.818 H


def test_check_and_templates():
    assert run("check").exit_code == 0
    rows = json.loads(run("templates", "--json").stdout)
    assert len(rows) == 6
    template = json.loads(run("template", "startback_high", "--json").stdout)
    assert template["sessions_per_week"] == 5


def test_check_reports_a_broken_directory_in_one_line(tmp_path):
    (tmp_path / "mobility.json").write_text('{"format": "spinewise.exercises/1"}', encoding="utf-8")
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "missing field" in result.stderr


def test_unknown_ids_exit_2():
    for args in (("show", "moonwalk"), ("pose", "moonwalk"), ("template", "nope")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ")
