"""Imaging fills the spine classifier's columns it can measure and names the others."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from spinewise.imaging.classifier_inputs import SPINE_CLASSIFIER_COLUMNS, spine_classifier_inputs
from spinewise.imaging.measure import LateralMeasurements

MEASURED = LateralMeasurements(
    pelvic_incidence_deg=52.0,
    pelvic_tilt_deg=13.0,
    sacral_slope_deg=39.0,
    lumbar_lordosis_deg=50.0,
    pelvic_radius_mm=121.4,
)
DATASET = Path("/work/shared/data/vertebral_column/vertebral_column_train.csv")


def test_columns_match_the_vertebral_column_data_set() -> None:
    if not DATASET.exists():
        pytest.skip(f"{DATASET} is not on this machine")
    with DATASET.open() as handle:
        header = next(csv.reader(handle))
    assert tuple(c for c in header if c != "class") == SPINE_CLASSIFIER_COLUMNS


def test_measured_angles_fill_their_columns() -> None:
    inputs = spine_classifier_inputs(MEASURED)
    assert inputs.values["pelvic_incidence"] == 52.0
    assert inputs.values["pelvic_tilt"] == 13.0
    assert inputs.values["sacral_slope"] == 39.0
    assert inputs.values["lumbar_lordosis_angle"] == 50.0
    assert inputs.values["pelvic_radius"] == 121.4


def test_spondylolisthesis_is_stated_as_not_measured_by_default() -> None:
    inputs = spine_classifier_inputs(MEASURED)
    assert inputs.values["degree_spondylolisthesis"] is None
    assert inputs.not_measured == ("degree_spondylolisthesis",)
    assert not inputs.complete


def test_a_measured_slip_or_a_given_grade_completes_the_inputs() -> None:
    with_slip = LateralMeasurements(**{**MEASURED.__dict__, "slip_percent": 25.0})
    assert spine_classifier_inputs(with_slip).values["degree_spondylolisthesis"] == 25.0
    given = spine_classifier_inputs(MEASURED, degree_spondylolisthesis=3.1)
    assert given.complete and given.values["degree_spondylolisthesis"] == 3.1


def test_definition_differences_are_disclosed() -> None:
    caveats = spine_classifier_inputs(MEASURED).caveats
    assert "Berthonnaud" in caveats["pelvic_radius"]
    assert "Cobb" in caveats["lumbar_lordosis_angle"]
