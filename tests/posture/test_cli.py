"""``spinewise posture analyze|simulate`` through the main app (DESIGN §5 contract)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # SYNTHETIC: tilted mounting, 2 °/s gyro bias, walking and lifts; never seen by the engine.
    out = tmp_path_factory.mktemp("rec") / "shift.csv"
    result = runner.invoke(
        app,
        ["posture", "simulate", "--scenario", "warehouse", "--rate", "50", "--duration", "600",
         "--mount-tilt", "30", "--gyro-bias", "2", "--out", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def test_simulate_writes_the_recording_and_its_truth(recording: Path) -> None:
    header = recording.read_text().splitlines()[0]
    assert header == "t,ax,ay,az,gx,gy,gz"
    truth = json.loads(recording.with_name("shift.truth.json").read_text())
    assert truth["model"]["synthetic"] is True
    assert truth["model"]["mount_tilt_deg"] == 30.0
    assert set(truth["time_in_zone_s"]) == {"neutral", "flexed", "severe"}


def test_analyze_json_is_the_contract_and_matches_the_truth(recording: Path) -> None:
    result = runner.invoke(app, ["posture", "analyze", str(recording), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == [
        "samples", "duration_s", "sample_rate_hz", "time_in_zone_s", "flexion_deg", "episodes",
        "alerts",
    ]  # fmt: skip
    assert set(data["time_in_zone_s"]) == {"neutral", "flexed", "severe"}
    assert set(data["flexion_deg"]) == {"p50", "p90", "max"}
    assert all(set(e) == {"start_s", "end_s", "zone", "peak_flexion_deg"} for e in data["episodes"])
    assert all(set(a) == {"t_s", "reason"} for a in data["alerts"])
    assert data["samples"] == 30000
    assert data["sample_rate_hz"] == pytest.approx(50.0, rel=1e-3)
    truth = json.loads(recording.with_name("shift.truth.json").read_text())
    for zone, seconds in truth["time_in_zone_s"].items():
        assert abs(data["time_in_zone_s"][zone] - seconds) < 0.02 * data["duration_s"]
    for p in ("p50", "p90"):
        assert abs(data["flexion_deg"][p] - truth["flexion_deg"][p]) < 3.0


def test_analyze_plot_and_explicit_calibration_window(recording: Path, tmp_path: Path) -> None:
    plot = tmp_path / "flexion.png"
    result = runner.invoke(
        app, ["posture", "analyze", str(recording), "--calibrate", "1:6", "--plot", str(plot)]
    )
    assert result.exit_code == 0, result.output
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "mounting tilt" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("t,ax,ay,az,gx\n0,0,1,0,0\n", "missing column"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,1,0,0,0,0\n0.02,0,one,0,0,0,0\n", "line 3: column ay"),
        ("t,ax,ay,az,gx,gy,gz\n0,0,1,0,0,0,0\n0.02,0,1,0,0,nan,0\n", "line 3: NaN"),
        ("t,ax,ay,az,gx,gy,gz\n0.02,0,1,0,0,0,0\n0.01,0,1,0,0,0,0\n", "does not increase"),
        ("", "empty"),
    ],
)
def test_malformed_files_exit_2_with_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    result = runner.invoke(app, ["posture", "analyze", str(path), "--json"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert "Traceback" not in result.output


def test_bad_calibration_window_and_missing_file_exit_2(recording: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["posture", "analyze", str(recording), "--calibrate", "5"])
    assert result.exit_code == 2 and "START:END" in result.stderr
    result = runner.invoke(app, ["posture", "analyze", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "not found" in result.stderr


def test_unknown_scenario_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["posture", "simulate", "--scenario", "moon", "--out", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 2 and "scenario" in result.stderr
    assert not (tmp_path / "x.csv").exists()


def test_json_lines_give_the_same_analysis_as_csv(recording: Path, tmp_path: Path) -> None:
    lines = recording.read_text().splitlines()
    names = lines[0].split(",")
    jsonl = tmp_path / "shift.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps(dict(zip(names, map(float, row.split(",")), strict=True))) + "\n"
            for row in lines[1:]
        )
    )
    from_csv = runner.invoke(app, ["posture", "analyze", str(recording), "--json"])
    from_jsonl = runner.invoke(app, ["posture", "analyze", str(jsonl), "--json"])
    assert from_jsonl.exit_code == 0, from_jsonl.output
    assert json.loads(from_jsonl.stdout) == json.loads(from_csv.stdout)


def test_per_patient_thresholds_from_a_config_file(recording: Path, tmp_path: Path) -> None:
    default = json.loads(
        runner.invoke(app, ["posture", "analyze", str(recording), "--json"]).stdout
    )
    config = tmp_path / "patient.json"
    config.write_text(json.dumps({"zones": {"neutral_max_deg": 30, "severe_min_deg": 70}}))
    result = runner.invoke(
        app, ["posture", "analyze", str(recording), "--json", "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    custom = json.loads(result.stdout)
    # Raising both thresholds can only move time toward the lower zones.
    assert custom["time_in_zone_s"]["neutral"] >= default["time_in_zone_s"]["neutral"]
    assert custom["time_in_zone_s"]["severe"] <= default["time_in_zone_s"]["severe"]
    config.write_text(json.dumps({"zones": {"neutral_max": 30}}))
    result = runner.invoke(app, ["posture", "analyze", str(recording), "--config", str(config)])
    assert result.exit_code == 2 and "unknown setting" in result.stderr
