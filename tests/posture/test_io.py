"""Readers: columns by header name, unit conversion, and one clear error per problem."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest

from spinewise.core.errors import InvalidInput
from spinewise.posture.io import (
    STANDARD_GRAVITY_M_S2,
    ImuSamples,
    Units,
    iter_csv,
    read_csv,
    split_segments,
    validate_samples,
)
from spinewise.posture.io import iter_jsonl as read_jsonl

HEADER = "t,ax,ay,az,gx,gy,gz\n"


def rows(n: int = 20, rate_hz: float = 50.0) -> str:
    return "".join(f"{i / rate_hz:.4f},0.0,1.0,0.0,0.5,0.0,-0.5\n" for i in range(n))


def test_csv_columns_are_found_by_header_name_in_any_order() -> None:
    text = "gz,gy,gx,az,ay,ax,t,extra\n" + "".join(
        f"3,2,1,0.1,0.9,0.2,{i / 50:.2f},x\n" for i in range(10)
    )
    s = read_csv(io.StringIO(text))
    assert len(s) == 10
    np.testing.assert_allclose(s.acc[0], [0.2, 0.9, 0.1])
    np.testing.assert_allclose(s.gyr[0], [1.0, 2.0, 3.0])
    assert s.t[1] == pytest.approx(0.02)


def test_units_are_converted_to_g_deg_per_s_and_seconds() -> None:
    # 9.80665 m/s² is 1 g; π rad/s is 180 °/s; 20 ms is 0.02 s.
    text = HEADER + "".join(
        f"{i * 20},0,{STANDARD_GRAVITY_M_S2},0,{math.pi},0,0\n" for i in range(10)
    )
    s = read_csv(io.StringIO(text), Units(accel="m/s2", gyro="rad/s", time="ms"))
    assert s.acc[0, 1] == pytest.approx(1.0)
    assert s.gyr[0, 0] == pytest.approx(180.0)
    assert s.t[1] == pytest.approx(0.02)


def test_missing_columns_are_named() -> None:
    with pytest.raises(InvalidInput, match=r"missing column.*gy, gz"):
        read_csv(io.StringIO("t,ax,ay,az,gx\n0,0,1,0,0\n"))


def test_a_non_numeric_cell_is_reported_with_its_line_and_column() -> None:
    text = HEADER + rows(5) + "0.2,0,1,zero,0,0,0\n"
    with pytest.raises(InvalidInput, match="line 7: column az is not a number: 'zero'"):
        read_csv(io.StringIO(text))


def test_an_empty_cell_is_reported() -> None:
    text = HEADER + rows(3) + "0.2,0,1,0,,0,0\n"
    with pytest.raises(InvalidInput, match="line 5: column gx is empty"):
        read_csv(io.StringIO(text))


def test_nan_rows_are_refused() -> None:
    text = HEADER + rows(3) + "0.2,nan,1,0,0,0,0\n"
    with pytest.raises(InvalidInput, match="line 5: NaN"):
        read_csv(io.StringIO(text))


def test_time_that_goes_backwards_is_refused_even_across_chunks() -> None:
    text = HEADER + rows(6) + "0.05,0,1,0,0,0,0\n"
    with pytest.raises(InvalidInput, match="does not increase"):
        list(iter_csv(io.StringIO(text), chunk_rows=3))


def test_implausible_magnitudes_are_refused() -> None:
    text = HEADER + rows(5) + "0.2,0,40,0,0,0,0\n"
    with pytest.raises(InvalidInput, match="beyond ±32 g"):
        read_csv(io.StringIO(text))
    text = HEADER + rows(5) + "0.2,0,1,0,5000,0,0\n"
    with pytest.raises(InvalidInput, match="gyroscope value beyond"):
        read_csv(io.StringIO(text))


def test_accelerometer_in_m_s2_read_as_g_gets_advice() -> None:
    text = HEADER + "".join(f"{i / 50},0,9.81,0,0,0,0\n" for i in range(10))
    with pytest.raises(InvalidInput, match="looks like m/s²"):
        read_csv(io.StringIO(text))


def test_milliseconds_read_as_seconds_gets_advice() -> None:
    text = HEADER + "".join(f"{i * 20},0,1,0,0,0,0\n" for i in range(10))
    with pytest.raises(InvalidInput, match="milliseconds"):
        read_csv(io.StringIO(text))


def test_header_without_samples_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no samples"):
        read_csv(io.StringIO(HEADER))


def test_json_lines_are_read_like_csv() -> None:
    text = "".join(
        f'{{"t": {i / 50}, "ax": 0, "ay": 1, "az": 0, "gx": 1.5, "gy": 0, "gz": 0}}\n'
        for i in range(10)
    )
    s = ImuSamples.concatenate(list(read_jsonl(io.StringIO(text))))
    assert len(s) == 10
    assert s.gyr[3, 0] == 1.5


def test_json_lines_errors_name_the_line() -> None:
    text = '{"t": 0, "ax": 0, "ay": 1, "az": 0, "gx": 0, "gy": 0, "gz": 0}\n{"t": 0.02, "ax": 0}\n'
    with pytest.raises(InvalidInput, match="line 2: missing key"):
        list(read_jsonl(io.StringIO(text)))


def test_gaps_longer_than_half_a_second_split_segments() -> None:
    t = np.array([0.0, 0.01, 0.02, 0.6, 0.61, 0.62, 0.63, 2.0])
    segments = split_segments(t)
    assert [(s.start, s.stop) for s in segments] == [(0, 3), (3, 7), (7, 8)]


def test_validate_samples_points_at_the_first_bad_sample() -> None:
    t = np.array([0.0, 0.01, 0.01])
    s = ImuSamples.from_arrays(t, np.tile([0, 1.0, 0], (3, 1)), np.zeros((3, 3)))
    with pytest.raises(InvalidInput, match="sample 2"):
        validate_samples(s)
