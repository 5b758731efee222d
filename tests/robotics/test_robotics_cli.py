"""``spinewise robotics simulate`` through the main app, as a user scripts it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

from .conftest import example

runner = CliRunner()
CONTRACT_KEYS = {
    "duration_s",
    "max_abs_angle_deg",
    "max_abs_torque_nm",
    "max_abs_velocity_deg_s",
    "angle_range_deg",
    "safety_events",
    "repetitions",
}


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    paths = {}
    for name in ["flexion_extension.json", "patient_weak.json", "patient_strong.json"]:
        path = tmp_path / name
        path.write_text(json.dumps(example(name)))
        paths[name] = path
    protocol = example("flexion_extension.json")
    protocol["exercises"][0]["repetitions"] = 3
    (tmp_path / "short.json").write_text(json.dumps(protocol))
    paths["short"] = tmp_path / "short.json"
    return paths


def simulate(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["robotics", "simulate", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_json_output_is_exactly_the_contract(files: dict[str, Path]) -> None:
    code, out, _ = simulate(
        "--protocol", files["short"], "--patient-model", files["patient_weak.json"],
        "--fault", "comm_loss@12.5", "--json",
    )  # fmt: skip
    assert code == 0
    doc = json.loads(out)
    assert set(doc) == CONTRACT_KEYS
    assert doc["safety_events"] == [{"t_s": 12.5, "kind": "comm_loss", "action": "compliant_hold"}]
    assert len(doc["angle_range_deg"]) == 2
    assert doc["max_abs_torque_nm"] <= 80.0
    assert -10.0 <= doc["angle_range_deg"][0] <= doc["angle_range_deg"][1] <= 40.0
    for rep in doc["repetitions"]:
        assert set(rep) == {"assistance", "rom_deg", "tracking_rmse_deg", "patient_work_fraction"}


def test_a_weak_patient_gets_more_assistance_and_a_smaller_work_fraction(
    files: dict[str, Path],
) -> None:
    runs = {}
    for name in ["patient_weak.json", "patient_strong.json"]:
        code, out, _ = simulate(
            "--protocol", files["short"], "--patient-model", files[name], "--json"
        )
        assert code == 0
        runs[name] = json.loads(out)["repetitions"]
    weak, strong = runs["patient_weak.json"], runs["patient_strong.json"]
    assert weak[-1]["assistance"] > strong[-1]["assistance"]
    assert weak[-1]["patient_work_fraction"] < strong[-1]["patient_work_fraction"]


def test_the_same_seed_gives_the_same_session(files: dict[str, Path]) -> None:
    args = ("--protocol", files["short"], "--patient-model", files["patient_weak.json"], "--json")
    assert simulate(*args, "--seed", "5")[1] == simulate(*args, "--seed", "5")[1]
    assert simulate(*args, "--seed", "5")[1] != simulate(*args, "--seed", "6")[1]


def test_plot_and_full_report_are_written(files: dict[str, Path], tmp_path: Path) -> None:
    plot, report = tmp_path / "out" / "session.png", tmp_path / "report.json"
    code, out, _ = simulate(
        "--protocol", files["short"], "--patient-model", files["patient_weak.json"],
        "--fault", "stop_button@10", "--plot", plot, "--report", report,
    )  # fmt: skip
    assert code == 0
    assert "stop_button -> compliant_hold" in out
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    full = json.loads(report.read_text())
    assert full["summary"]["stops_by_cause"] == {"stop_button": 1}
    assert full["braking"]["stopping_distance_at_rest_deg"] > 0.0
    assert {"sparc", "log_dimensionless_jerk"} <= set(full["repetitions"][0])
    assert not list(tmp_path.glob("**/.*.tmp"))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: (d / "p.json").write_text("{not json"), "invalid JSON"),
        (lambda d: (d / "p.json").write_text('{"limits": {}}'), "protocol.limits.angle_deg"),
        (lambda d: (d / "p.json").write_text("[1, 2]"), "protocol"),
        (lambda d: None, "file not found"),
    ],
)
def test_a_malformed_protocol_exits_2_with_one_line(
    setup: Callable[[Path], object], message: str, files: dict[str, Path], tmp_path: Path
) -> None:
    setup(tmp_path)
    code, out, err = simulate(
        "--protocol", tmp_path / "p.json", "--patient-model", files["patient_weak.json"]
    )
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("model", "message"),
    [
        ({"mass_kg": 80, "height_m": 1.75}, "patient_model.strength: required field is missing"),
        ({"mass_kg": 80, "height_m": 1.75, "strength": 1.5}, "patient_model.strength"),
        ({"mass_kg": 80, "height_m": 1.75, "strength": 0.5, "strenght": 1}, "unknown field"),
    ],
)
def test_a_malformed_patient_model_exits_2_with_one_line(
    model: dict, message: str, files: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(model))
    code, _, err = simulate("--protocol", files["short"], "--patient-model", path)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and message in err


@pytest.mark.parametrize("fault", ["gremlin@3", "runaway", "runaway@9999"])
def test_a_bad_fault_exits_2_with_one_line(fault: str, files: dict[str, Path]) -> None:
    code, _, err = simulate(
        "--protocol", files["short"], "--patient-model", files["patient_weak.json"],
        "--fault", fault,
    )  # fmt: skip
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "--fault" in err


def test_examples_are_listed_and_can_be_copied(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["robotics", "examples"])
    assert listed.exit_code == 0 and "stabilisation.json" in listed.stdout
    copied = runner.invoke(app, ["robotics", "examples", "--write", str(tmp_path)])
    assert copied.exit_code == 0
    assert json.loads((tmp_path / "patient_weak.json").read_text())["strength"] == 0.3
