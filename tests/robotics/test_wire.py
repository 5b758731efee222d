"""The wire format: frames round-trip, corruption is caught, streams resynchronise."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinewise.robotics.wire import (
    Ack,
    Arm,
    Disarm,
    EmergencyStop,
    FrameDecoder,
    Heartbeat,
    SafetyEventReport,
    SequenceTracker,
    SetLimits,
    StateReport,
    TorqueCommand,
    WireError,
    crc16,
    decode,
    encode,
)

f32 = st.floats(width=32, allow_nan=False, allow_infinity=False)
messages = st.one_of(
    st.builds(Heartbeat, st.integers(0, 2**32 - 1)),
    st.builds(SetLimits, f32, f32, f32, f32, st.integers(0, 1)),
    st.just(Arm()),
    st.just(Disarm()),
    st.builds(TorqueCommand, f32),
    st.just(EmergencyStop()),
    st.builds(
        StateReport,
        st.integers(0, 2**64 - 1), f32, f32, f32, st.integers(0, 2**32 - 1), st.integers(0, 15),
    ),
    st.builds(Ack, st.integers(0, 0xFFFF), st.integers(0, 255), st.integers(0, 2)),
    st.builds(SafetyEventReport, st.integers(0, 2**64 - 1), st.integers(0, 8), st.integers(0, 1)),
)  # fmt: skip


def test_crc_is_ccitt_false_by_its_published_check_value() -> None:
    # CRC catalogue (Williams/Cook): CRC-16/CCITT-FALSE of "123456789" is 0x29B1.
    assert crc16(b"123456789") == 0x29B1


def test_a_torque_command_frame_byte_by_byte() -> None:
    frame = encode(TorqueCommand(1.5), seq=0x0102)
    # SOF, version 1, type 0x05, seq 0x0102 LE, length 4 LE, 1.5f LE = 00 00 C0 3F, CRC LE.
    assert frame[:11] == bytes([0xA5, 0x01, 0x05, 0x02, 0x01, 0x04, 0x00, 0x00, 0x00, 0xC0, 0x3F])
    crc = crc16(frame[1:11])
    assert frame[11:] == bytes([crc & 0xFF, crc >> 8])


@given(messages, st.integers(0, 0xFFFF))
def test_every_message_round_trips(message: object, seq: int) -> None:
    frame = decode(encode(message, seq))  # type: ignore[arg-type]
    assert frame.seq == seq
    assert frame.message == message


@given(messages, st.integers(0, 0xFFFF), st.data())
def test_any_single_bit_flip_is_detected(message: object, seq: int, data: st.DataObject) -> None:
    raw = bytearray(encode(message, seq))  # type: ignore[arg-type]
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    raw[bit // 8] ^= 1 << (bit % 8)
    decoder = FrameDecoder()
    assert decoder.feed(bytes(raw)) == []  # never a wrong frame, at worst nothing


@settings(max_examples=50)
@given(
    st.lists(messages, min_size=1, max_size=20),
    st.binary(max_size=30),
    st.lists(st.integers(1, 40), min_size=1, max_size=50),
)
def test_a_byte_stream_split_anywhere_with_garbage_in_front_yields_the_frames(
    batch: list[object], garbage: bytes, cuts: list[int]
) -> None:
    stream = garbage.replace(b"\xa5", b"") + b"".join(
        encode(m, i)
        for i, m in enumerate(batch)  # type: ignore[arg-type]
    )
    decoder = FrameDecoder()
    frames, i = [], 0
    for size in cuts * (len(stream) // sum(cuts) + 1):
        frames += decoder.feed(stream[i : i + size])
        i += size
        if i >= len(stream):
            break
    assert [f.message for f in frames] == batch
    assert [f.seq for f in frames] == list(range(len(batch)))


def test_a_corrupted_frame_is_dropped_and_the_next_one_still_decodes() -> None:
    first = bytearray(encode(TorqueCommand(2.0), 1))
    first[8] ^= 0xFF
    second = encode(TorqueCommand(3.0), 2)
    decoder = FrameDecoder()
    frames = decoder.feed(bytes(first) + second)
    assert [f.message for f in frames] == [TorqueCommand(3.0)]
    assert decoder.crc_errors == 1


def test_non_finite_floats_still_travel_so_the_monitor_can_see_them() -> None:
    frame = decode(encode(TorqueCommand(math.nan), 0))
    assert math.isnan(frame.message.torque_nm)  # type: ignore[union-attr]


def test_a_value_that_does_not_fit_its_field_is_refused() -> None:
    with pytest.raises(WireError):
        encode(Heartbeat(-1), 0)


def test_sequence_tracker_counts_gaps_and_rejects_duplicates_across_the_wrap() -> None:
    tracker = SequenceTracker()
    assert tracker.accept(65534)
    assert tracker.accept(65535)
    assert not tracker.accept(65535)  # duplicate
    assert tracker.accept(2)  # wrapped: 0 and 1 were lost
    assert tracker.lost == 2
    assert not tracker.accept(65530)  # stale
    assert tracker.rejected == 2
