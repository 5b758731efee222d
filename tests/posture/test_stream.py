"""The streaming engine gives exactly the batch result, for any chunking, and restarts."""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinewise.core.errors import InvalidInput
from spinewise.posture.config import FeedbackRules, PostureConfig
from spinewise.posture.io import ImuSamples
from spinewise.posture.simulate import SensorModel, simulate
from spinewise.posture.stream import PostureStream, analyze

# Short holding times so that a 3-minute recording has episodes, alerts and escalations.
CONFIG = PostureConfig(
    feedback=FeedbackRules(flexed_hold_s=10, severe_hold_s=2, cooldown_s=15, escalate_after_s=5)
)


@cache
def recording() -> ImuSamples:
    # SYNTHETIC: 3 minutes of warehouse work at 25 Hz with two gaps (three segments).
    return simulate("warehouse", 25.0, 180.0, seed=11, sensor=SensorModel(gaps=2)).samples


def run(
    samples: ImuSamples, cuts: list[int], restart_after: int | None = None, batch_s: float = 0.0
) -> dict[str, Any]:
    stream = PostureStream(CONFIG, emit_frames=True, keep_history=True, batch_s=batch_s)
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
        if restart_after == i:  # a server restart: state through JSON and back
            stream = PostureStream.from_state(json.loads(json.dumps(stream.get_state())))
    collect(stream.close())
    got["flexion"] = np.concatenate(got["flexion"])
    got["report"] = stream.report()
    return got


@cache
def batch() -> dict[str, Any]:
    return run(recording(), [])


def assert_identical(got: dict[str, Any], expected: dict[str, Any]) -> None:
    assert got["minutes"] == expected["minutes"]
    assert got["episodes"] == expected["episodes"]
    assert got["alerts"] == expected["alerts"]
    np.testing.assert_array_equal(got["flexion"], expected["flexion"])  # bit for bit
    assert got["report"] == expected["report"]


def test_the_fixture_exercises_every_stage() -> None:
    b = batch()
    assert b["report"].segments == 3
    assert len(b["minutes"]) >= 3
    assert b["episodes"] and b["alerts"]
    assert any(a.level > 1 for a in b["alerts"])


@given(st.data())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_any_chunking_gives_exactly_the_batch_result(data: st.DataObject) -> None:
    n = len(recording())
    cuts = sorted(data.draw(st.sets(st.integers(1, n - 1), min_size=1, max_size=40)))
    restart = data.draw(st.none() | st.integers(0, len(cuts)))
    batch_s = data.draw(st.sampled_from([0.0, 0.0, 1.0, 5.0]))  # optional batching of calls
    assert_identical(run(recording(), cuts, restart, batch_s), batch())


def test_sample_by_sample_feeding_gives_the_batch_result() -> None:
    samples = recording().slice(0, 1200)  # 48 s, one sample per call
    assert_identical(run(samples, list(range(1, 1200))), run(samples, []))


def test_analyze_is_the_stream_fed_once() -> None:
    assert analyze(recording(), CONFIG) == batch()["report"]


def test_memory_is_bounded_by_the_hold_back_not_the_recording() -> None:
    sim = simulate("office", 50.0, 900.0, seed=2)
    stream = PostureStream(keep_history=False)
    for a in range(0, len(sim.samples), 50):
        stream.feed(sim.samples.slice(a, a + 50))
    state = stream.get_state()
    held = len(state["label_buffer"]["t_end"]["data"]) if state["label_buffer"] else 0
    # At most the longest minimum duration (2 s = 20 frames) plus one chunk is held back.
    assert held <= 40
    assert state["cal_buffer"] is None
    assert len(state["minutes"]["flex"]["data"]) <= 600  # one minute of 10 Hz frames


def test_state_is_plain_json() -> None:
    stream = PostureStream(CONFIG)
    stream.feed(recording().slice(0, 500))
    text = json.dumps(stream.get_state(), allow_nan=False)
    assert json.loads(text)["version"] == 1


def test_a_closed_stream_refuses_samples() -> None:
    stream = PostureStream()
    stream.feed(recording().slice(0, 300))
    stream.close()
    with pytest.raises(InvalidInput, match="closed"):
        stream.feed(recording().slice(300, 310))


def test_time_must_keep_increasing_between_chunks() -> None:
    stream = PostureStream()
    stream.feed(recording().slice(0, 300))
    with pytest.raises(InvalidInput, match="does not increase"):
        stream.feed(recording().slice(299, 310))


def test_a_calibration_event_can_be_given_instead_of_the_first_window() -> None:
    from spinewise.posture.angles import NeutralCalibration

    samples = recording()
    first_5_s = samples.slice(0, int(np.searchsorted(samples.t, samples.t[0] + 5.0)))
    neutral = NeutralCalibration.from_accelerometer(first_5_s.acc)
    given = analyze(samples, CONFIG, neutral=neutral)
    default = batch()["report"]
    assert given.calibration is neutral
    for zone, seconds in default.time_in_zone_s.items():
        assert abs(given.time_in_zone_s[zone] - seconds) < 0.001 * default.duration_s
