"""The video room: open from 15 minutes before to 30 minutes after, and what it relays."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from spinewise.consults.room import (
    MAX_SIGNAL_BYTES,
    BadSignal,
    parse_client_message,
    room_window,
)


def test_the_room_opens_15_minutes_early_and_closes_30_minutes_after_the_end() -> None:
    start = datetime(2026, 7, 1, 10, tzinfo=UTC)
    window = room_window(start, start + timedelta(minutes=30))
    second = timedelta(seconds=1)
    assert window.opens_at == datetime(2026, 7, 1, 9, 45, tzinfo=UTC)
    assert window.closes_at == datetime(2026, 7, 1, 11, 0, tzinfo=UTC)
    assert window.state(window.opens_at - second) == "early"
    assert window.state(window.opens_at) == "open"
    assert window.state(window.closes_at - second) == "open"
    assert window.state(window.closes_at) == "closed"


def test_the_sender_is_never_taken_from_the_client() -> None:
    frame = json.dumps(
        {
            "type": "offer",
            "data": {"type": "offer", "sdp": "v=0\r\n"},
            "from_role": "clinician",
            "user_id": 1,
        }
    )
    assert parse_client_message(frame) == {
        "type": "offer",
        "data": {"type": "offer", "sdp": "v=0\r\n"},
    }


@pytest.mark.parametrize(
    "frame",
    [
        "not json",
        "[1, 2]",
        json.dumps({"type": "join"}),  # only the server announces joins
        json.dumps({"type": "offer", "data": {"type": "answer", "sdp": "x"}}),
        json.dumps({"type": "answer", "data": "sdp"}),
        json.dumps({"type": "candidate", "data": "x"}),
        json.dumps({"type": "here", "data": "x" * MAX_SIGNAL_BYTES}),
    ],
)
def test_malformed_or_oversized_frames_are_not_relayed(frame: str) -> None:
    with pytest.raises(BadSignal):
        parse_client_message(frame)


def test_end_of_candidates_is_relayed_as_null() -> None:
    assert parse_client_message('{"type": "candidate", "data": null}') == {
        "type": "candidate",
        "data": None,
    }
