"""Hysteresis and minimum durations: noise must not make zones flicker."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.posture.classify import Debouncer, zone_with_hysteresis
from spinewise.posture.config import ZoneThresholds

TH = ZoneThresholds(neutral_max_deg=20.0, severe_min_deg=60.0, hysteresis_deg=2.0, min_zone_s=0.5)


def play_operator_loop(f: np.ndarray, th: ZoneThresholds, previous: int = 0) -> np.ndarray:
    """The definition, one frame at a time: z = clip(z_prev, zone(θ−h), zone(θ+h))."""
    out = np.empty(f.size, dtype=np.int8)
    z = previous
    for i, v in enumerate(f):
        lo = int(v >= th.neutral_max_deg + th.hysteresis_deg) + int(
            v > th.severe_min_deg + th.hysteresis_deg
        )
        hi = int(v >= th.neutral_max_deg - th.hysteresis_deg) + int(
            v > th.severe_min_deg - th.hysteresis_deg
        )
        z = min(max(z, lo), hi)
        out[i] = z
    return out


def test_noise_inside_the_band_keeps_the_zone() -> None:
    # With a ±2° band around 20°: neutral until 22.5 (beyond 22°), then flexed until 17.5
    # (below 18°); 21, 19 and 18.5 inside the band keep whatever zone came before.
    f = np.array([19.0, 21.0, 19.5, 22.5, 21.0, 19.0, 18.5, 17.5])
    assert zone_with_hysteresis(f, TH).tolist() == [0, 0, 0, 1, 1, 1, 1, 0]


@given(
    st.lists(st.floats(min_value=-30, max_value=100, allow_nan=False), min_size=1, max_size=200),
    st.integers(min_value=0, max_value=2),
)
@settings(max_examples=200, deadline=None)
def test_vectorised_hysteresis_equals_the_sequential_definition(
    values: list[float], prev: int
) -> None:
    f = np.array(values)
    np.testing.assert_array_equal(
        zone_with_hysteresis(f, TH, prev), play_operator_loop(f, TH, prev)
    )


def test_short_excursions_are_absorbed_and_long_ones_back_dated() -> None:
    # Frames of 0.1 s: a 0.3 s blip of zone 1 is absorbed; a 0.6 s run is accepted from its start.
    labels = np.array([0] * 5 + [1] * 3 + [0] * 5 + [1] * 6 + [0] * 5, dtype=np.int8)
    dur = np.full(labels.size, 100_000_000, dtype=np.int64)
    deb = Debouncer(0.5)
    out = np.concatenate([deb.push(labels, dur, np.zeros(labels.size, bool)), deb.flush()])
    expected = [0] * 5 + [0] * 3 + [0] * 5 + [1] * 6 + [0] * 5
    assert out.tolist() == expected


@given(st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=120), st.data())
@settings(max_examples=100, deadline=None)
def test_debouncer_gives_the_same_labels_for_any_chunking(
    labels: list[int], data: st.DataObject
) -> None:
    lab = np.array(labels, dtype=np.int8)
    dur = np.full(lab.size, 100_000_000, dtype=np.int64)
    seg = np.zeros(lab.size, dtype=bool)
    whole = Debouncer(0.5)
    expected = np.concatenate([whole.push(lab, dur, seg), whole.flush()])
    cuts = sorted(data.draw(st.sets(st.integers(1, max(1, lab.size - 1)), max_size=10)))
    deb = Debouncer(0.5)
    parts = []
    for a, b in zip([0, *cuts], [*cuts, lab.size], strict=True):
        parts.append(deb.push(lab[a:b], dur[a:b], seg[a:b]))
    parts.append(deb.flush())
    np.testing.assert_array_equal(np.concatenate(parts), expected)
    assert expected.size == lab.size
