"""The binary engine state restores a stream that continues exactly as the original."""

from __future__ import annotations

import gc
import itertools
import json
import zlib
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinewise.posture.state_codec import (
    StateCodecError,
    decode_state,
    encode_state,
    is_encoded_state,
)
from spinewise.posture.stream import PostureStream
from tests.posture.test_stream import CONFIG, assert_identical, batch, recording


def run_with_binary_restarts(cuts: list[int], restarts: set[int]) -> dict[str, Any]:
    samples = recording()
    stream = PostureStream(CONFIG, emit_frames=True, keep_history=True)
    got: dict[str, Any] = {"minutes": [], "episodes": [], "alerts": [], "flexion": []}

    def collect(update: Any) -> None:
        got["minutes"] += update.minutes
        got["episodes"] += update.episodes
        got["alerts"] += update.alerts
        if update.frames is not None:
            got["flexion"].append(update.frames.flexion_deg)

    bounds = [0, *cuts, len(samples)]
    for i, (a, b) in enumerate(itertools.pairwise(bounds)):
        collect(stream.feed(samples.slice(a, b)))
        if i in restarts:  # a restart from the stored bytes (as a device's engine after a crash)
            stream = PostureStream.from_state(decode_state(encode_state(stream.get_raw_state())))
    collect(stream.close())
    got["flexion"] = np.concatenate(got["flexion"])
    got["report"] = stream.report()
    return got


@given(st.data())
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_restarting_from_the_binary_state_gives_exactly_the_batch_result(
    data: st.DataObject,
) -> None:
    n = len(recording())
    cuts = sorted(data.draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=40)))
    restarts = data.draw(st.sets(st.integers(0, len(cuts))))
    assert_identical(run_with_binary_restarts(cuts, restarts), batch())


def test_restarting_after_every_one_second_chunk_gives_exactly_the_batch_result() -> None:
    n = len(recording())
    cuts = list(range(25, n, 25))  # 25 Hz: one-second chunks, a restart after each
    assert_identical(run_with_binary_restarts(cuts, set(range(len(cuts) + 1))), batch())


def test_binary_and_json_states_decode_to_the_same_values() -> None:
    stream = PostureStream(CONFIG, emit_frames=True, keep_history=False)
    stream.feed(recording().slice(0, 2000))
    from_json = PostureStream.from_state(json.loads(json.dumps(stream.get_state())))
    from_binary = PostureStream.from_state(decode_state(encode_state(stream.get_raw_state())))
    assert from_json.get_state() == from_binary.get_state()
    # and about as small as the zlib-compressed JSON form it replaces
    binary = encode_state(stream.get_raw_state())
    assert len(binary) < 1.5 * len(zlib.compress(json.dumps(stream.get_state()).encode(), 3))


def test_arrays_keep_dtype_shape_and_bits_and_are_writable() -> None:
    state = {
        "f": np.array([[0.1, -0.0, np.inf], [np.nan, 1e-308, 3.0]]),
        "i": np.arange(5, dtype=np.int8),
        "empty": np.empty((0, 3)),
        "scalar": np.float64(2.5),
        "nested": [{"x": np.array([1, 2], dtype=np.int64)}, (1, "a", None)],
    }
    back = decode_state(encode_state(state))
    for key in ("f", "i", "empty"):
        assert back[key].dtype == state[key].dtype
        assert back[key].shape == state[key].shape
        assert back[key].tobytes() == state[key].tobytes()
        assert back[key].flags.writeable
    assert back["scalar"] == 2.5 and type(back["scalar"]) is float
    assert back["nested"][0]["x"].tolist() == [1, 2]
    assert back["nested"][1] == [1, "a", None]


def test_anything_else_is_refused() -> None:
    assert not is_encoded_state(zlib.compress(b"{}"))
    with pytest.raises(StateCodecError):
        decode_state(b"not a state")
    with pytest.raises(StateCodecError):
        decode_state(b"SWPS" + b"garbage")
    with pytest.raises(TypeError):
        encode_state({"a": np.array([object()])})


def test_non_finite_numbers_outside_arrays_survive() -> None:
    state = {"a": float("nan"), "b": [float("inf"), -float("inf")], "c": np.float64(-1e300)}
    back = decode_state(encode_state(state))
    assert np.isnan(back["a"]) and back["b"] == [float("inf"), -float("inf")]
    assert back["c"] == -1e300


def test_encoding_and_decoding_leave_no_garbage_for_the_collector() -> None:
    # Once per ingested batch: a recursive closure here was a reference cycle every call, the
    # main source of the collector's work in a busy server (docs/live-monitoring.md).
    stream = PostureStream(CONFIG)
    stream.feed(recording().slice(0, 1000))
    state = stream.get_raw_state()
    gc.collect()
    for _ in range(20):
        decode_state(encode_state(state))
    assert gc.collect() == 0
