"""Outcome records: the responder definition on its boundary, validation, CSV provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict.outcome_records import (
    SYNTHETIC_LABEL,
    OutcomeRecord,
    PatientFeatures,
    read_outcome_csv,
    records_to_csv,
)

BASE: dict[str, Any] = {
    "odi_baseline": 40.0,
    "nprs_baseline": 6.0,
    "startback_risk": "medium",
    "age_years": 45.0,
    "symptom_duration_weeks": 8.0,
    "treatment": "exercise_therapy",
    "odi_12_weeks": 28.0,
}


def record(**changes: Any) -> OutcomeRecord:
    return OutcomeRecord(**{**BASE, **changes})


@pytest.mark.parametrize(
    ("odi_12", "responder"),
    [(28.0, True), (28.1, False), (0.0, True), (40.0, False), (55.0, False)],
)
def test_a_responder_improves_by_at_least_30_percent_of_baseline(
    odi_12: float, responder: bool
) -> None:
    # Ostelo 2008: 30 % of a baseline ODI of 40 is 12 points, so 28 is exactly on the line
    assert record(odi_12_weeks=odi_12).responder is responder


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("odi_baseline", 0.0),
        ("odi_baseline", 101.0),
        ("nprs_baseline", 11.0),
        ("age_years", 17.0),
        ("symptom_duration_weeks", 0.0),
        ("fabq_pa", 25.0),
        ("adherence_fraction", 1.2),
        ("odi_12_weeks", -1.0),
        ("startback_risk", "severe"),
        ("treatment", " "),
    ],
)
def test_out_of_range_values_are_refused(field: str, value: Any) -> None:
    with pytest.raises(InvalidInput, match=field):
        record(**{field: value})


def test_a_synthetic_record_cannot_drop_its_label() -> None:
    with pytest.raises(InvalidInput, match="label"):
        record(synthetic=True, data_label="")


def test_csv_round_trip_keeps_values_and_provenance(tmp_path: Path) -> None:
    rows = [
        record(),
        record(fabq_pa=12.0, sex="female", synthetic=True, data_label=SYNTHETIC_LABEL),
    ]
    path = tmp_path / "records.csv"
    path.write_text(records_to_csv(rows))
    back = read_outcome_csv(path)
    assert back == rows


def test_a_row_whose_label_says_synthetic_is_read_as_synthetic(tmp_path: Path) -> None:
    text = records_to_csv([record()]).replace(",false,", ",false,synthetic demo")
    path = tmp_path / "r.csv"
    path.write_text(text)
    (read,) = read_outcome_csv(path)
    assert read.synthetic is True
    assert read.data_label == SYNTHETIC_LABEL


def test_csv_errors_name_the_row(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(records_to_csv([record()]).replace("40.0", "forty", 1))
    with pytest.raises(InvalidInput, match="row 2"):
        read_outcome_csv(path)
    path.write_text("odi_baseline,treatment\n40,x\n")
    with pytest.raises(InvalidInput, match="missing column"):
        read_outcome_csv(path)


def test_patient_from_dict_requires_the_baseline_and_refuses_unknown_fields() -> None:
    data = {k: v for k, v in BASE.items() if k not in ("treatment", "odi_12_weeks")}
    assert PatientFeatures.from_dict(data).odi_baseline == 40.0
    with pytest.raises(InvalidInput, match="age_years"):
        PatientFeatures.from_dict({k: v for k, v in data.items() if k != "age_years"})
    with pytest.raises(InvalidInput, match="odi"):
        PatientFeatures.from_dict({**data, "odi": 3})
