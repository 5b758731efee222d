"""``spinewise predict ...`` through the main app: JSON contracts and the exit-2 rule."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinewise.cli import app
from spinewise.predict import artefacts as art
from spinewise.predict.outcome_records import SYNTHETIC_LABEL
from spinewise.predict.spine_data import FEATURES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["predict", *args])
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(code: int, stderr: str, fragment: str) -> None:
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), stderr
    assert fragment in lines[0]
    assert "Traceback" not in stderr


# --- stratified care and the manipulation rule ------------------------------------------------


def test_startback_json_names_pathway_and_template() -> None:
    code, out, _ = run("startback", "--risk", "high", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["template_id"] == "startback_high"
    assert data["pathway"] == "psychologically informed physiotherapy"


def test_startback_reads_the_outcomes_score_output(tmp_path: Path) -> None:
    score = tmp_path / "sb.json"
    score.write_text(json.dumps({"instrument": "startback", "total": 2, "risk": "low"}))
    code, out, _ = run("startback", "--score-json", str(score), "--json")
    assert code == 0 and json.loads(out)["template_id"] == "acute_nonspecific_lbp"


def test_startback_refuses_an_unknown_risk_in_one_line() -> None:
    code, _, err = run("startback", "--risk", "extreme")
    assert_one_line_error(code, err, "risk")


def test_manipulation_rule_from_flags() -> None:
    code, out, _ = run(
        "manipulation-cpr",
        "--duration-days", "10",
        "--no-symptoms-below-knee",
        "--fabq-work", "12",
        "--hip-ir-left", "40",
        "--hypomobility",
        "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "positive" and data["positive_count"] == 5
    assert data["likelihood"]["positive_likelihood_ratio"] == 24.38


def test_manipulation_rule_from_a_json_file(tmp_path: Path) -> None:
    findings = tmp_path / "f.json"
    findings.write_text(json.dumps({"symptom_duration_days": 30, "fabq_work": 25}))
    code, out, _ = run("manipulation-cpr", "--input", str(findings), "--json")
    assert code == 0
    assert json.loads(out)["status"] == "negative"  # 2 failed, 3 unknown: at most 3 of 5


def test_manipulation_rule_refuses_impossible_values() -> None:
    code, _, err = run("manipulation-cpr", "--fabq-work", "50")
    assert_one_line_error(code, err, "fabq_work")


# --- spine classifier ------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[list[float]], header: list[str] | None = None) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or list(FEATURES))
        writer.writerows(rows)
    return path


ROWS = [
    [63.03, 22.55, 39.61, 40.48, 98.67, -0.25],  # hernia-like
    [74.38, 32.05, 78.77, 42.32, 143.56, 56.13],  # spondylolisthesis-like
    [50.82, 9.06, 56.3, 41.76, 79.0, 0.0],
]


def test_spine_json_contract_in_input_order(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "p.csv", ROWS)
    code, out, _ = run("spine", "--csv", str(path), "--json")
    assert code == 0
    data = json.loads(out)
    assert len(data["predictions"]) == 3
    for prediction in data["predictions"]:
        assert prediction["class"] in ("normal", "hernia", "spondylolisthesis")
        assert set(prediction["probabilities"]) == {"normal", "hernia", "spondylolisthesis"}
        assert sum(prediction["probabilities"].values()) == pytest.approx(1.0)
    # a slip grade of 56 is unmistakably spondylolisthesis
    assert data["predictions"][1]["class"] == "spondylolisthesis"
    # order: reversing the input reverses the output
    reversed_path = _write_csv(tmp_path / "r.csv", ROWS[::-1])
    _, out_rev, _ = run("spine", "--csv", str(reversed_path), "--json")
    assert json.loads(out_rev)["predictions"] == data["predictions"][::-1]


def test_spine_accepts_the_class_column(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "c.csv",
        [[*ROWS[0], "hernia"]],  # type: ignore[list-item]
        header=[*FEATURES, "class"],
    )
    code, out, _ = run("spine", "--csv", str(path), "--json")
    assert code == 0 and len(json.loads(out)["predictions"]) == 1


def test_spine_flags_and_optionally_refuses_rows_far_from_the_training_data(
    tmp_path: Path,
) -> None:
    path = _write_csv(tmp_path / "o.csv", [ROWS[0], [300.0, 10.0, 40.0, 40.0, 100.0, 0.0]])
    _, out, _ = run("spine", "--csv", str(path), "--json")
    flagged = json.loads(out)["predictions"]
    assert flagged[0]["out_of_distribution"] is False
    assert flagged[1]["out_of_distribution"] is True
    assert flagged[1]["class"] is not None
    _, out, _ = run("spine", "--csv", str(path), "--json", "--refuse-out-of-distribution")
    refused = json.loads(out)["predictions"][1]
    assert refused["class"] is None and refused["refused"] is True


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("pelvic_incidence,pelvic_tilt\n1,2\n", "missing column"),
        (",".join(FEATURES) + "\n1,2,x,4,5,6\n", "row 2: 'x' is not a number"),
        ("", "empty"),
    ],
)
def test_spine_bad_csv_exits_2_with_one_line(tmp_path: Path, content: str, fragment: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, _, err = run("spine", "--csv", str(path), "--json")
    assert_one_line_error(code, err, fragment)


def test_spine_missing_file_exits_2(tmp_path: Path) -> None:
    code, _, err = run("spine", "--csv", str(tmp_path / "nope.csv"))
    assert_one_line_error(code, err, "file not found")


def test_report_and_card_of_the_shipped_classifier() -> None:
    code, out, _ = run("report", "spine", "--json")
    assert code == 0
    report = json.loads(out)
    assert "lr_baseline" in report["families"] and "selected_procedure" in report["families"]
    assert report["verdict"]
    code, out, _ = run("card", "spine")
    assert code == 0 and "CC BY 4.0" in out and "sex or age" in out


def test_train_spine_writes_a_versioned_artefact(tmp_path: Path, vertebral_csv: Path) -> None:
    out_dir = tmp_path / "spine"
    code, out, err = run(
        "train", "spine",
        "--data", str(vertebral_csv),
        "--out", str(out_dir),
        "--families", "lr_baseline,lda_engineered",
        "--repeats", "1", "--folds", "3", "--inner-folds", "3",
        "--json",
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["version"].startswith("spine-")
    _, metrics, _ = art.load_artefact(out_dir)
    assert metrics["data"]["n_rows"] == 232
    assert (out_dir / "reliability.png").read_bytes()[:4] == b"\x89PNG"
    assert "sex or age" in (out_dir / "model_card.md").read_text()


def test_train_spine_refuses_to_overwrite_a_foreign_directory(
    tmp_path: Path, vertebral_csv: Path
) -> None:
    (tmp_path / "keep.txt").write_text("x")
    code, _, err = run(
        "train", "spine", "--data", str(vertebral_csv), "--out", str(tmp_path),
        "--families", "lr_baseline", "--repeats", "1", "--folds", "3", "--inner-folds", "3",
    )  # fmt: skip
    assert_one_line_error(code, err, "not a model artefact")


# --- treatment response ----------------------------------------------------------------------


def test_synth_cohort_is_labelled_on_every_row_and_in_json(tmp_path: Path) -> None:
    out_file = tmp_path / "cohort.csv"
    code, out, _ = run("synth-cohort", "--n", "40", "--out", str(out_file), "--json")
    assert code == 0
    assert json.loads(out)["label"] == SYNTHETIC_LABEL
    rows = list(csv.DictReader(out_file.open()))
    assert len(rows) == 40 and {r["data_label"] for r in rows} == {SYNTHETIC_LABEL}


def test_train_and_predict_response_end_to_end(tmp_path: Path) -> None:
    cohort = tmp_path / "cohort.csv"
    run("synth-cohort", "--n", "1200", "--seed", "3", "--out", str(cohort))
    model_dir = tmp_path / "response"
    code, out, err = run(
        "train", "response", "--records", str(cohort), "--out", str(model_dir),
        "--bootstrap", "20", "--json",
    )  # fmt: skip
    assert code == 0, err
    trained = json.loads(out)
    assert trained["synthetic"] is True and trained["data_label"] == SYNTHETIC_LABEL
    patient = json.dumps(
        {
            "odi_baseline": 40,
            "nprs_baseline": 6,
            "startback_risk": "medium",
            "age_years": 45,
            "symptom_duration_weeks": 6,
        }
    )
    code, out, err = run("response", "--patient", patient, "--model", str(model_dir), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["status"] == "ok" and data["data_label"] == SYNTHETIC_LABEL
    assert len(data["options"]) == 4
    code, out, _ = run("card", "response", "--model", str(model_dir))
    assert code == 0 and "SYNTHETIC DATA - NOT CLINICAL EVIDENCE" in out


def test_train_response_refuses_too_few_records_in_one_line(tmp_path: Path) -> None:
    cohort = tmp_path / "small.csv"
    run("synth-cohort", "--n", "50", "--out", str(cohort))
    code, _, err = run("train", "response", "--records", str(cohort), "--out", str(tmp_path / "m"))
    assert_one_line_error(code, err, "50 outcome records; at least 200")
    assert not (tmp_path / "m").exists()


def test_response_refuses_a_bad_patient_in_one_line() -> None:
    patient = {
        "odi_baseline": 140,
        "nprs_baseline": 6,
        "startback_risk": "medium",
        "age_years": 45,
        "symptom_duration_weeks": 6,
    }
    code, _, err = run("response", "--patient", json.dumps(patient))
    assert_one_line_error(code, err, "odi_baseline")
    code, _, err = run("response", "--patient", '{"odi_baseline": 40}')
    assert_one_line_error(code, err, "is required")
