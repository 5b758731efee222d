"""`spinewise imaging …` through the main app (DESIGN §5 contracts)."""

from __future__ import annotations

import json
from pathlib import Path

import pydicom
import pytest
from pydicom.data import get_testdata_file
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()

LATERAL = {
    "view": "lateral",
    "pixel_spacing_mm": [1.0, 1.0],
    "anterior": "right",
    # Case A of test_measure: SS 36.8699, PT 11.3099, PI 48.1798, LL 50.9061 deg, PR 121.7580 mm
    "landmarks": {
        "femoral_head_1": [100, 285],
        "s1_anterior": [100, 200],
        "s1_posterior": [60, 170],
        "l1_anterior": [90, 20],
        "l1_posterior": [50, 30],
    },
}


def _write(tmp_path: Path, data: object, name: str = "landmarks.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def _one_line_error(result: object) -> str:
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "Traceback" not in result.stderr  # type: ignore[attr-defined]
    return lines[0]


def test_measure_prints_the_lateral_contract(tmp_path: Path) -> None:
    result = runner.invoke(app, ["imaging", "measure", str(_write(tmp_path, LATERAL)), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {
        "pelvic_incidence_deg",
        "pelvic_tilt_deg",
        "sacral_slope_deg",
        "lumbar_lordosis_deg",
        "pelvic_radius_mm",
    }
    assert data["pelvic_incidence_deg"] == pytest.approx(48.1798, abs=0.01)
    assert data["pelvic_radius_mm"] == pytest.approx(121.7580, abs=0.01)


def test_measure_prints_the_frontal_contract(tmp_path: Path) -> None:
    frontal = {
        "view": "frontal",
        "pixel_spacing_mm": [1.0, 1.0],
        "landmarks": {
            "upper_endplate": [[10, 50], [110, 30]],
            "lower_endplate": [[20, 300], [120, 340]],
        },
    }
    result = runner.invoke(app, ["imaging", "measure", str(_write(tmp_path, frontal)), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"cobb_deg": pytest.approx(33.1113, abs=0.01)}


def test_missing_landmarks_exit_2_naming_them(tmp_path: Path) -> None:
    doc = {**LATERAL, "landmarks": {"s1_anterior": [1, 2]}}
    line = _one_line_error(runner.invoke(app, ["imaging", "measure", str(_write(tmp_path, doc))]))
    assert "femoral_head_1" in line and "l1_posterior" in line


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"view": "lateral"}'])
def test_malformed_landmark_files_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    _one_line_error(runner.invoke(app, ["imaging", "measure", str(path)]))


def test_deidentify_writes_a_clean_file_and_reports_it(tmp_path: Path) -> None:
    source = get_testdata_file("MR_small.dcm")
    target = tmp_path / "out" / "clean.dcm"
    result = runner.invoke(app, ["imaging", "deidentify", str(source), str(target), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["patient_identity_removed"] == "YES"
    assert report["uid_mapping"] == "random"
    written = pydicom.dcmread(target)
    assert written.PatientName == "" and written.PatientIdentityRemoved == "YES"
    assert str(written.SOPInstanceUID) == report["sop_instance_uid"]


def test_the_same_secret_links_the_files_of_a_study(tmp_path: Path) -> None:
    source = str(get_testdata_file("CT_small.dcm"))
    args = ["imaging", "deidentify", source]
    secret = ["--uid-secret", "study secret for this export"]
    first = runner.invoke(app, [*args, str(tmp_path / "a.dcm"), *secret, "--json"])
    second = runner.invoke(app, [*args, str(tmp_path / "b.dcm"), *secret, "--json"])
    assert (
        json.loads(first.stdout)["study_instance_uid"]
        == json.loads(second.stdout)["study_instance_uid"]
    )


def test_a_file_that_is_not_dicom_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.dcm"
    source.write_text("not an image")
    target = tmp_path / "out.dcm"
    line = _one_line_error(runner.invoke(app, ["imaging", "deidentify", str(source), str(target)]))
    assert "not a DICOM file" in line
    assert not target.exists()


def test_burned_in_annotation_needs_confirmation(tmp_path: Path) -> None:
    ds = pydicom.dcmread(get_testdata_file("CT_small.dcm"))
    ds.BurnedInAnnotation = "YES"
    source = tmp_path / "burned.dcm"
    ds.save_as(source)
    target = tmp_path / "out.dcm"
    target.write_bytes(b"previous content")
    line = _one_line_error(runner.invoke(app, ["imaging", "deidentify", str(source), str(target)]))
    assert "burned-in" in line
    assert target.read_bytes() == b"previous content"  # nothing partial or replaced
    confirmed = runner.invoke(
        app, ["imaging", "deidentify", str(source), str(target), "--confirm-burned-in", "--json"]
    )
    assert confirmed.exit_code == 0, confirmed.output
    assert json.loads(confirmed.stdout)["burned_in_confirmed"] is True


def test_phantom_command_writes_an_image_and_its_truth(tmp_path: Path) -> None:
    image, landmarks = tmp_path / "ph.dcm", tmp_path / "ph.json"
    result = runner.invoke(
        app,
        ["imaging", "phantom", str(image), str(landmarks), "--pi", "60", "--pt", "20", "--json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["truth"]["sacral_slope_deg"] == pytest.approx(40.0)
    measured = runner.invoke(app, ["imaging", "measure", str(landmarks), "--json"])
    assert json.loads(measured.stdout)["pelvic_incidence_deg"] == pytest.approx(60.0, abs=0.5)
    assert pydicom.dcmread(image).Modality == "CR"


def test_classifier_inputs_command_states_what_is_not_measured(tmp_path: Path) -> None:
    path = _write(tmp_path, LATERAL)
    result = runner.invoke(app, ["imaging", "classifier-inputs", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["not_measured"] == ["degree_spondylolisthesis"]
    assert data["values"]["sacral_slope"] == pytest.approx(36.8699, abs=0.01)
