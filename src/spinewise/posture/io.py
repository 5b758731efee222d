"""Reading IMU recordings: CSV with a header, JSON lines, unit conversion and validation.

The canonical sample (DESIGN §4) is ``t`` in seconds (strictly increasing), accelerometer
``ax, ay, az`` in g, gyroscope ``gx, gy, gz`` in degrees/second and an optional magnetometer
``mx, my, mz`` (any unit; carried but not used, see ``docs/posture.md``). Readers convert
m/s², rad/s and milliseconds when told so, and refuse files whose numbers cannot be trusted:
missing columns, non-numeric or empty cells, NaN, time that does not increase, and
magnitudes no wearable sensor produces. Gaps longer than ``MAX_GAP_S`` are *not* errors:
the engine splits the recording into segments there and never interpolates across them.

Files are read in chunks, so a 24-hour recording never has to be held in memory.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

import numpy as np
from numpy.typing import NDArray

from spinewise.core.errors import InvalidInput

FloatArray = NDArray[np.float64]

STANDARD_GRAVITY_M_S2 = 9.80665  # CGPM 1901 conventional value, m/s² per g
MAX_GAP_S = 0.5  # a longer gap between samples starts a new segment (issue 4)
MAX_ABS_ACCEL_G = 32.0  # twice the ±16 g full scale of common wearable accelerometers
MAX_ABS_GYRO_DPS = 4000.0  # twice the ±2000 °/s full scale of common MEMS gyroscopes
MIN_RATE_HZ, MAX_RATE_HZ = 10.0, 1000.0  # outside this, the time unit is almost surely wrong

REQUIRED_COLUMNS = ("t", "ax", "ay", "az", "gx", "gy", "gz")
MAG_COLUMNS = ("mx", "my", "mz")

AccelUnit = Literal["g", "m/s2"]
GyroUnit = Literal["deg/s", "rad/s"]
TimeUnit = Literal["s", "ms"]


@dataclass(frozen=True)
class Units:
    """Units of a file's columns; readers convert to g, deg/s and seconds."""

    accel: AccelUnit = "g"
    gyro: GyroUnit = "deg/s"
    time: TimeUnit = "s"

    def __post_init__(self) -> None:
        if self.accel not in ("g", "m/s2"):
            raise InvalidInput("accel_unit", f"must be 'g' or 'm/s2', not {self.accel!r}")
        if self.gyro not in ("deg/s", "rad/s"):
            raise InvalidInput("gyro_unit", f"must be 'deg/s' or 'rad/s', not {self.gyro!r}")
        if self.time not in ("s", "ms"):
            raise InvalidInput("time_unit", f"must be 's' or 'ms', not {self.time!r}")

    @property
    def accel_to_g(self) -> float:
        return 1.0 if self.accel == "g" else 1.0 / STANDARD_GRAVITY_M_S2

    @property
    def gyro_to_dps(self) -> float:
        return 1.0 if self.gyro == "deg/s" else 180.0 / math.pi

    @property
    def time_to_s(self) -> float:
        return 1.0 if self.time == "s" else 1e-3


@dataclass(frozen=True)
class ImuSamples:
    """A block of IMU samples in canonical units.

    Attributes:
        t: shape (n,), seconds, strictly increasing.
        acc: shape (n, 3), accelerometer in g (x right, y up the spine, z posterior).
        gyr: shape (n, 3), gyroscope in degrees/second, same axes.
        mag: shape (n, 3) or None, magnetometer (unused by the tilt engine).
    """

    t: FloatArray
    acc: FloatArray
    gyr: FloatArray
    mag: FloatArray | None = None

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def slice(self, start: int, stop: int) -> ImuSamples:
        mag = None if self.mag is None else self.mag[start:stop]
        return ImuSamples(self.t[start:stop], self.acc[start:stop], self.gyr[start:stop], mag)

    @classmethod
    def from_arrays(
        cls,
        t: Iterable[float] | FloatArray,
        acc: Iterable[Iterable[float]] | FloatArray,
        gyr: Iterable[Iterable[float]] | FloatArray,
        mag: Iterable[Iterable[float]] | FloatArray | None = None,
    ) -> ImuSamples:
        """Build and shape-check a block (values are validated by ``validate_samples``)."""
        t_arr = np.ascontiguousarray(np.asarray(t, dtype=np.float64))
        acc_arr = np.ascontiguousarray(np.asarray(acc, dtype=np.float64))
        gyr_arr = np.ascontiguousarray(np.asarray(gyr, dtype=np.float64))
        n = t_arr.shape[0] if t_arr.ndim == 1 else -1
        if t_arr.ndim != 1:
            raise InvalidInput("t", "must be a one-dimensional array of times")
        for name, arr in (("acc", acc_arr), ("gyr", gyr_arr)):
            if arr.shape != (n, 3):
                raise InvalidInput(name, f"must have shape ({n}, 3), not {arr.shape}")
        mag_arr = None
        if mag is not None:
            mag_arr = np.ascontiguousarray(np.asarray(mag, dtype=np.float64))
            if mag_arr.shape != (n, 3):
                raise InvalidInput("mag", f"must have shape ({n}, 3), not {mag_arr.shape}")
        return cls(t_arr, acc_arr, gyr_arr, mag_arr)

    @staticmethod
    def concatenate(blocks: list[ImuSamples]) -> ImuSamples:
        if not blocks:
            return ImuSamples(np.empty(0), np.empty((0, 3)), np.empty((0, 3)))
        mags = [b.mag for b in blocks if b.mag is not None]
        mag: FloatArray | None = np.concatenate(mags) if len(mags) == len(blocks) else None
        return ImuSamples(
            np.concatenate([b.t for b in blocks]),
            np.concatenate([b.acc for b in blocks]),
            np.concatenate([b.gyr for b in blocks]),
            mag,
        )


def validate_samples(
    samples: ImuSamples, previous_t: float | None = None, first_line: int | None = None
) -> None:
    """Raise ``InvalidInput`` naming the first offending sample (or file line).

    Checks: finite values, strictly increasing time (also across blocks via ``previous_t``)
    and plausible magnitudes. Gaps are allowed (they split segments).
    """

    def where(i: int) -> str:
        return f"line {first_line + i}" if first_line is not None else f"sample {i}"

    # Fast paths first (one reduction each); locate the culprit only when one fails.
    # Finite values below the plausibility limits cannot overflow these sums.
    if not (
        np.isfinite(samples.t.sum())
        and np.isfinite(samples.acc.sum())
        and np.isfinite(samples.gyr.sum())
    ):
        bad = ~np.isfinite(samples.t) | ~np.isfinite(samples.acc).all(axis=1)
        bad |= ~np.isfinite(samples.gyr).all(axis=1)
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidInput(None, f"{where(i)}: NaN or infinite value")
    if len(samples) and previous_t is not None and not samples.t[0] > previous_t:
        raise InvalidInput(
            "t", f"{where(0)}: time {samples.t[0]!r} does not increase (previous {previous_t!r})"
        )
    t = samples.t
    if t.size > 1 and not (t[1:] > t[:-1]).all():
        i = int(np.argmax(~(t[1:] > t[:-1]))) + 1
        raise InvalidInput(
            "t",
            f"{where(i)}: time {t[i]!r} does not increase "
            f"(previous {t[i - 1]!r}); timestamps must be strictly increasing",
        )
    if not len(samples):
        return
    if samples.acc.max() > MAX_ABS_ACCEL_G or samples.acc.min() < -MAX_ABS_ACCEL_G:
        i = int(np.argmax((np.abs(samples.acc) > MAX_ABS_ACCEL_G).any(axis=1)))
        raise InvalidInput(
            "acc",
            f"{where(i)}: accelerometer value beyond ±{MAX_ABS_ACCEL_G:g} g is implausible "
            "(is the unit m/s²? then use the m/s2 option)",
        )
    if samples.gyr.max() > MAX_ABS_GYRO_DPS or samples.gyr.min() < -MAX_ABS_GYRO_DPS:
        i = int(np.argmax((np.abs(samples.gyr) > MAX_ABS_GYRO_DPS).any(axis=1)))
        raise InvalidInput(
            "gyr", f"{where(i)}: gyroscope value beyond ±{MAX_ABS_GYRO_DPS:g} °/s is implausible"
        )


def check_units_plausible(samples: ImuSamples) -> None:
    """Catch the usual unit mistakes on the first block of a file, with advice."""
    if len(samples) < 3:
        return
    median_acc = float(np.median(np.linalg.norm(samples.acc, axis=1)))
    if 6.0 < median_acc < 14.0:
        raise InvalidInput(
            "acc",
            f"accelerometer magnitude is about {median_acc:.1f}, which looks like m/s²; "
            "use the m/s2 unit option",
        )
    if not 0.3 < median_acc < 3.0:
        raise InvalidInput(
            "acc", f"accelerometer magnitude at rest should be about 1 g, got {median_acc:.3g}"
        )
    rate_hz = 1.0 / float(np.median(np.diff(samples.t)))
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        hint = " (are the times in milliseconds? use the ms time unit)" if rate_hz < 1 else ""
        raise InvalidInput(
            "t",
            f"sample rate {rate_hz:.3g} Hz is outside {MIN_RATE_HZ:g}–{MAX_RATE_HZ:g} Hz{hint}",
        )


def split_segments(t: FloatArray, max_gap_s: float = MAX_GAP_S) -> list[slice]:
    """Index ranges of the gap-free segments (a gap is a step longer than ``max_gap_s``)."""
    if t.size == 0:
        return []
    cuts = np.flatnonzero(np.diff(t) > max_gap_s) + 1
    bounds = [0, *cuts.tolist(), int(t.size)]
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


# --------------------------------------------------------------------------- CSV


def _header_indices(header: str) -> tuple[list[int], bool]:
    names = [name.strip().lower() for name in header.strip().lstrip("\ufeff").split(",")]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise InvalidInput(
            None,
            f"missing column(s) {', '.join(missing)} in the header; "
            f"expected {','.join(REQUIRED_COLUMNS)} (optional {','.join(MAG_COLUMNS)})",
        )
    has_mag = all(c in names for c in MAG_COLUMNS)
    wanted = list(REQUIRED_COLUMNS) + (list(MAG_COLUMNS) if has_mag else [])
    return [names.index(c) for c in wanted], has_mag


def _parse_lines(
    lines: list[str], cols: list[int], names: list[str], first_line: int
) -> FloatArray:
    try:
        data = np.loadtxt(lines, delimiter=",", usecols=cols, dtype=np.float64, ndmin=2)
    except ValueError:
        data = None
    if data is None or data.shape != (len(lines), len(cols)):
        # Find the exact culprit for a message a person can act on.
        for offset, line in enumerate(lines):
            cells = line.rstrip("\r\n").split(",")
            for col, name in zip(cols, names, strict=True):
                cell = cells[col].strip() if col < len(cells) else ""
                if cell == "":
                    raise InvalidInput(None, f"line {first_line + offset}: column {name} is empty")
                try:
                    float(cell)
                except ValueError:
                    raise InvalidInput(
                        None,
                        f"line {first_line + offset}: column {name} is not a number: {cell!r}",
                    ) from None
        raise InvalidInput(None, f"lines {first_line}–{first_line + len(lines) - 1}: unreadable")
    return data


def _to_samples(data: FloatArray, has_mag: bool, units: Units) -> ImuSamples:
    t = data[:, 0] * units.time_to_s
    acc = data[:, 1:4] * units.accel_to_g
    gyr = data[:, 4:7] * units.gyro_to_dps
    mag = data[:, 7:10] if has_mag else None
    return ImuSamples.from_arrays(t, acc, gyr, mag)


def iter_csv(
    source: Path | str | TextIO, units: Units | None = None, chunk_rows: int = 20_000
) -> Iterator[ImuSamples]:
    """Yield validated blocks of a CSV recording (header naming the columns, any order)."""
    units = units or Units()
    if isinstance(source, Path | str):
        with open(source, encoding="utf-8", newline="") as handle:
            yield from iter_csv(handle, units, chunk_rows)
        return
    header = source.readline()
    if not header.strip():
        raise InvalidInput(None, "the file is empty (expected a header line t,ax,ay,az,gx,gy,gz)")
    cols, has_mag = _header_indices(header)
    names = list(REQUIRED_COLUMNS) + (list(MAG_COLUMNS) if has_mag else [])
    line_no, previous_t, first = 2, None, True
    while True:
        lines = [line for line in itertools.islice(source, chunk_rows)]
        if not lines:
            break
        n_read = len(lines)
        kept = [line for line in lines if line.strip()]
        if kept:
            samples = _to_samples(_parse_lines(kept, cols, names, line_no), has_mag, units)
            first_line = line_no if len(kept) == n_read else None
            validate_samples(samples, previous_t, first_line)
            if first:
                check_units_plausible(samples)
                first = False
            previous_t = float(samples.t[-1])
            yield samples
        line_no += n_read
    if first:
        raise InvalidInput(None, "the file has a header but no samples")


def read_csv(source: Path | str | TextIO, units: Units | None = None) -> ImuSamples:
    """Read a whole CSV recording (see ``iter_csv`` to stream a large file)."""
    return ImuSamples.concatenate(list(iter_csv(source, units)))


# --------------------------------------------------------------------------- JSON lines


def iter_jsonl(
    source: Path | str | TextIO, units: Units | None = None, chunk_rows: int = 20_000
) -> Iterator[ImuSamples]:
    """Yield validated blocks of a JSON-lines recording: one object per line with keys
    ``t, ax, ay, az, gx, gy, gz`` (optional ``mx, my, mz``)."""
    units = units or Units()
    if isinstance(source, Path | str):
        with open(source, encoding="utf-8") as handle:
            yield from iter_jsonl(handle, units, chunk_rows)
        return
    previous_t: float | None = None
    first = True
    line_no = 0
    has_mag: bool | None = None
    while True:
        rows: list[list[float]] = []
        start_line = line_no + 1
        for raw in itertools.islice(source, chunk_rows):
            line_no += 1
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InvalidInput(None, f"line {line_no}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise InvalidInput(None, f"line {line_no}: expected a JSON object")
            missing = [c for c in REQUIRED_COLUMNS if c not in obj]
            if missing:
                raise InvalidInput(None, f"line {line_no}: missing key(s) {', '.join(missing)}")
            if has_mag is None:
                has_mag = all(c in obj for c in MAG_COLUMNS)
            keys = list(REQUIRED_COLUMNS) + (list(MAG_COLUMNS) if has_mag else [])
            row = []
            for key in keys:
                value = obj.get(key)
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise InvalidInput(None, f"line {line_no}: {key} is not a number: {value!r}")
                row.append(float(value))
            rows.append(row)
        if not rows:
            if line_no < start_line:
                break
            continue
        samples = _to_samples(np.asarray(rows, dtype=np.float64), bool(has_mag), units)
        validate_samples(samples, previous_t)
        if first:
            check_units_plausible(samples)
            first = False
        previous_t = float(samples.t[-1])
        yield samples
    if first:
        raise InvalidInput(None, "the file contains no samples")


def iter_recording(
    path: Path | str, units: Units | None = None, chunk_rows: int = 20_000
) -> Iterator[ImuSamples]:
    """Pick the reader from the suffix: ``.jsonl``/``.ndjson`` are JSON lines, else CSV."""
    suffix = Path(path).suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return iter_jsonl(path, units, max(1, chunk_rows // 5))
    return iter_csv(path, units, chunk_rows)


def format_csv(samples: ImuSamples, decimals: int = 6) -> str:
    """Render samples as CSV text with the canonical header (used by the simulator)."""
    cols = [samples.t[:, None], samples.acc, samples.gyr]
    header = list(REQUIRED_COLUMNS)
    if samples.mag is not None:
        cols.append(samples.mag)
        header += list(MAG_COLUMNS)
    data = np.hstack(cols)
    body = "\n".join(",".join(f"{v:.{decimals}f}" for v in row) for row in data.tolist())
    return ",".join(header) + "\n" + (body + "\n" if body else "")
