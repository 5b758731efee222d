"""Reading the vertebral-column CSV format: every problem is one clear InvalidInput."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict.spine_data import FEATURES, parse_spine_csv, read_spine_csv

HEADER = ",".join(FEATURES)
ROW = "63.03,22.55,39.61,40.48,98.67,-0.25"


def test_rows_come_back_in_file_order_and_feature_order() -> None:
    table = parse_spine_csv(f"{HEADER}\n{ROW}\n1,2,3,4,5,6\n")
    assert table.X.shape == (2, 6)
    assert table.X[1].tolist() == [1, 2, 3, 4, 5, 6]
    assert table.y is None


def test_column_order_does_not_matter_and_extra_columns_are_ignored() -> None:
    reordered = ",".join(["patient_id", *reversed(FEATURES)])
    table = parse_spine_csv(f"{reordered}\np1,6,5,4,3,2,1\n")
    assert table.X[0].tolist() == [1, 2, 3, 4, 5, 6]


def test_the_class_column_is_optional_for_prediction_and_required_for_training() -> None:
    assert parse_spine_csv(f"{HEADER}\n{ROW}\n").y is None
    with pytest.raises(InvalidInput, match="class"):
        parse_spine_csv(f"{HEADER}\n{ROW}\n", require_class=True)
    table = parse_spine_csv(f"{HEADER},class\n{ROW},Hernia\n", require_class=True)
    assert table.y is not None and table.y.tolist() == ["hernia"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        (f"{HEADER}\n", "no data rows"),
        ("pelvic_incidence,pelvic_tilt\n1,2\n", "missing column"),
        (f"{HEADER}\n63.03,abc,39.61,40.48,98.67,-0.25\n", "row 2: 'abc' is not a number"),
        (f"{HEADER}\n{ROW}\n63.03,,39.61,40.48,98.67,-0.25\n", "row 3"),
        (f"{HEADER}\n63.03,inf,39.61,40.48,98.67,-0.25\n", "not a finite number"),
        (f"{HEADER}\n63.03,22.55\n", "row 2 has 2 fields"),
        (f"{HEADER},class\n{ROW},fracture\n", "unknown class 'fracture'"),
        (f"{HEADER},pelvic_tilt\n{ROW},1\n", "duplicate column"),
    ],
)
def test_bad_files_are_refused_with_the_row_and_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_spine_csv(text)


def test_the_real_training_file_reads_with_its_published_size(vertebral_csv: Path) -> None:
    # SOURCE.md: a stratified 75 % (232 rows) of the 310 patients.
    table = read_spine_csv(vertebral_csv, require_class=True)
    assert table.n_rows == 232
    assert table.y is not None
    assert len(table.sha256) == 64
    # Pelvic incidence = pelvic tilt + sacral slope (Legaye 1998), to the data's rounding.
    assert np.max(np.abs(table.X[:, 0] - table.X[:, 1] - table.X[:, 3])) < 0.02
