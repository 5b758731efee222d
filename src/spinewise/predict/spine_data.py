"""Reading the vertebral-column data format (six spinopelvic parameters, optional class).

Columns (Berthonnaud et al. 2005, J Spinal Disord Tech 18(1):40-47; data set: Rocha Neto &
Barreto 2009, UCI "Vertebral Column", doi:10.24432/C5K89B, licence CC BY 4.0):

==========================  ======  =================================================
column                      unit    meaning
==========================  ======  =================================================
pelvic_incidence            deg     PI = PT + SS (a fixed anatomical parameter)
pelvic_tilt                 deg     PT
lumbar_lordosis_angle       deg     LL
sacral_slope                deg     SS
pelvic_radius               mm      distance hip axis - posterior corner of S1 plateau
degree_spondylolisthesis    (mm)*   slip grade, can be negative (*unit as in the source)
class (optional)            -       normal | hernia | spondylolisthesis
==========================  ======  =================================================

Only the header names matter, not their order; extra columns (an identifier, say) are ignored.
Any problem with the file is an ``InvalidInput`` that names the row and column, so the CLI can
report it in one line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from spinewise.core.errors import InvalidInput

FEATURES: tuple[str, ...] = (
    "pelvic_incidence",
    "pelvic_tilt",
    "lumbar_lordosis_angle",
    "sacral_slope",
    "pelvic_radius",
    "degree_spondylolisthesis",
)
CLASSES: tuple[str, ...] = ("normal", "hernia", "spondylolisthesis")
CLASS_COLUMN = "class"

DATA_SOURCE = (
    "Vertebral Column data set, Rocha Neto AR & Barreto GA (2009), UCI Machine Learning "
    "Repository, doi:10.24432/C5K89B; 310 patients from the Centre Medico-Chirurgical de "
    "Readaptation des Massues, Lyon."
)
DATA_LICENCE = "CC BY 4.0"
DATA_REFERENCE = (
    "Rocha Neto AR, Barreto GA. On the application of ensembles of classifiers to the diagnosis "
    "of pathologies of the vertebral column: a comparative analysis. IEEE Latin America "
    "Transactions 2009;7(4):487-496."
)


@dataclass(frozen=True)
class SpineTable:
    """Feature matrix (rows in file order, columns in ``FEATURES`` order) and optional labels."""

    X: npt.NDArray[np.float64]
    y: npt.NDArray[np.str_] | None
    sha256: str

    @property
    def n_rows(self) -> int:
        return int(self.X.shape[0])


def read_spine_csv(path: Path | str, *, require_class: bool = False) -> SpineTable:
    """Read a CSV of spinopelvic parameters.

    Parameters
    ----------
    path : path to a UTF-8 CSV file with a header row.
    require_class : if True the ``class`` column must be present (training); otherwise it is
        optional and, when present, validated but not needed.

    Raises
    ------
    InvalidInput
        Missing column, empty file, non-numeric or non-finite value, unknown class.
    """
    raw = Path(path).read_bytes()
    return parse_spine_csv(raw.decode("utf-8"), require_class=require_class, sha256=_sha(raw))


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def parse_spine_csv(text: str, *, require_class: bool = False, sha256: str = "") -> SpineTable:
    """Parse CSV text; see :func:`read_spine_csv`."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None or not any(h.strip() for h in header):
        raise InvalidInput("csv", "the file is empty; expected a header row naming " + _names())
    names = [h.strip() for h in header]
    duplicates = sorted({n for n in names if n and names.count(n) > 1})
    if duplicates:
        raise InvalidInput("csv", f"duplicate column {duplicates[0]!r} in the header")
    missing = [f for f in FEATURES if f not in names]
    if missing:
        raise InvalidInput("csv", f"missing column(s) {', '.join(missing)}; expected {_names()}")
    if require_class and CLASS_COLUMN not in names:
        raise InvalidInput("csv", "missing column 'class' (needed for training)")
    index = {n: i for i, n in enumerate(names)}
    has_class = CLASS_COLUMN in index

    rows: list[list[float]] = []
    labels: list[str] = []
    for line_no, record in enumerate(reader, start=2):
        if not record or all(not cell.strip() for cell in record):
            continue  # blank line
        if len(record) < len(names):
            raise InvalidInput(
                "csv", f"row {line_no} has {len(record)} fields; the header has {len(names)}"
            )
        values: list[float] = []
        for feature in FEATURES:
            cell = record[index[feature]].strip()
            try:
                value = float(cell)
            except ValueError:
                raise InvalidInput(feature, f"row {line_no}: {cell!r} is not a number") from None
            if not math.isfinite(value):
                raise InvalidInput(feature, f"row {line_no}: {cell!r} is not a finite number")
            values.append(value)
        rows.append(values)
        if has_class:
            label = record[index[CLASS_COLUMN]].strip().lower()
            if label and label not in CLASSES:
                raise InvalidInput(
                    CLASS_COLUMN, f"row {line_no}: unknown class {label!r}; expected {CLASSES}"
                )
            if require_class and not label:
                raise InvalidInput(CLASS_COLUMN, f"row {line_no}: the class is empty")
            labels.append(label)
    if not rows:
        raise InvalidInput("csv", "no data rows after the header")
    X = np.asarray(rows, dtype=np.float64)
    y = np.asarray(labels, dtype=np.str_) if has_class and require_class else None
    return SpineTable(X=X, y=y, sha256=sha256)


def _names() -> str:
    return ",".join(FEATURES)
