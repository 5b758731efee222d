"""Rules of a video room: when it is open, and which signalling messages it relays.

Pure (standard library only). The WebSocket handler in ``api.py`` applies these rules; the
browser (``web/static/consults-call.js``) speaks the protocol below.

Protocol (JSON text frames, at most ``MAX_SIGNAL_BYTES`` each):

- server → client ``{"type": "welcome", "role", "ice_servers", "closes_at"}`` once, after the
  server has checked the session cookie and that the user is a participant;
- client → server ``{"type": "offer"|"answer"|"candidate"|"here"|"bye", "data": …}``; the
  server stamps the sender (``from_role``) itself and relays it to the other participant, so a
  client can never claim to be someone else;
- server → client ``{"type": "join"|"leave", "from_role"}`` when the other participant's
  connection opens or closes, ``{"type": "error", "reason"}`` then a close code from
  ``CLOSE_CODES`` when the room refuses or ends the connection.

The clinician's browser makes the WebRTC offer and the patient's answers, so the two never
make offers at the same time ("glare").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# The room opens a little before the start, so both can check camera and sound, and stays open
# a while after the planned end, so an overrunning consultation is not cut off.
OPENS_BEFORE = timedelta(minutes=15)
CLOSES_AFTER = timedelta(minutes=30)

MAX_SIGNAL_BYTES = 64 * 1024  # an SDP offer with several codecs is a few kilobytes
CLIENT_TYPES = frozenset({"offer", "answer", "candidate", "here", "bye"})

# WebSocket close codes in the application range 4000–4999 (RFC 6455 §7.4.2), read by the JS.
CLOSE_CODES = {
    "not_authenticated": 4401,
    "not_found": 4404,
    "not_open": 4409,
    "replaced": 4410,
    "ended": 4411,
    "bad_message": 4400,
}


@dataclass(frozen=True)
class RoomWindow:
    opens_at: datetime
    closes_at: datetime

    def state(self, now: datetime) -> str:
        """``"early"``, ``"open"`` or ``"closed"`` at ``now``."""
        if now < self.opens_at:
            return "early"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now: datetime) -> bool:
        return self.state(now) == "open"


def room_window(start: datetime, end: datetime) -> RoomWindow:
    """From ``OPENS_BEFORE`` the start to ``CLOSES_AFTER`` the end of the appointment."""
    return RoomWindow(start - OPENS_BEFORE, end + CLOSES_AFTER)


class BadSignal(ValueError):
    """A client frame the room will not relay."""


def parse_client_message(text: str) -> dict[str, Any]:
    """Validate a frame from a browser and keep only what is relayed: ``type`` and ``data``.

    Any ``from``, ``user_id`` or ``role`` the client adds is dropped; the server stamps the
    sender from the authenticated connection.
    """
    if len(text.encode("utf-8")) > MAX_SIGNAL_BYTES:
        raise BadSignal(f"message larger than {MAX_SIGNAL_BYTES} bytes")
    try:
        message = json.loads(text)
    except json.JSONDecodeError:
        raise BadSignal("message is not JSON") from None
    if not isinstance(message, dict):
        raise BadSignal("message must be a JSON object")
    kind = message.get("type")
    if kind not in CLIENT_TYPES:
        raise BadSignal(f"unknown message type {kind!r}")
    data = message.get("data")
    if kind in ("offer", "answer") and not (
        isinstance(data, dict) and data.get("type") == kind and isinstance(data.get("sdp"), str)
    ):
        raise BadSignal(f"{kind} needs data {{type: {kind!r}, sdp: string}}")
    if kind == "candidate" and data is not None and not isinstance(data, dict):
        raise BadSignal("candidate data must be an object or null")
    return {"type": kind, "data": data}
