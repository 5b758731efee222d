"""Wire format between the host and a real trunk-rehabilitation device.

The same binary frames travel over a serial port (a byte stream, so the receiver must find
frame boundaries and resynchronise after noise) and over a WebSocket (one frame per binary
message). All integers and floats are little-endian; floats are IEEE-754 binary32.

Frame::

    offset size field
    0      1    SOF      0xA5
    1      1    VERSION  1
    2      1    TYPE     message type (below)
    3      2    SEQ      u16 sequence number, per sender, +1 per frame, wraps at 65536
    5      2    LEN      u16 payload length (at most 1024)
    7      LEN  PAYLOAD
    7+LEN  2    CRC      CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over VERSION..PAYLOAD

Messages (host → device 0x01–0x7F, device → host 0x80–0xFF)::

    0x01 HEARTBEAT       u32 uptime_ms                      both directions, every 50 ms
    0x02 SET_LIMITS      f32 angle_lo_rad, f32 angle_hi_rad, f32 torque_nm,
                         f32 velocity_rad_s, u8 safe_state (0 compliant_hold, 1 torque_off)
    0x03 ARM             (empty)                             refused without SET_LIMITS
    0x04 DISARM          (empty)                             safe torque off + brake
    0x05 TORQUE_COMMAND  f32 torque_nm                       every control cycle while armed
    0x06 EMERGENCY_STOP  (empty)
    0x81 STATE           u64 t_us, f32 angle_rad, f32 velocity_rad_s, f32 motor_torque_nm,
                         u32 sensor_counter, u8 flags (bit0 armed, bit1 brake engaged,
                         bit2 stop button, bit3 emergency-stopped)   every control cycle
    0x82 ACK             u16 acked_seq, u8 acked_type, u8 status (0 ok, 1 refused, 2 invalid)
                         for SET_LIMITS, ARM, DISARM and EMERGENCY_STOP
    0x83 SAFETY_EVENT    u64 t_us, u8 kind (index in FAULT_CODES), u8 action
                         (0 compliant_hold, 1 torque_off)

Rules: the device's own safety monitor enforces the limits it received, so it protects the
patient even when the host misbehaves; while armed it expects a TORQUE_COMMAND every control
cycle (its watchdog); while disarmed the HEARTBEAT keeps the link alive and three missed
heartbeats (150 ms) count as a lost link. Receivers count gaps in SEQ as lost frames and drop
duplicates and frames older than the last one (within half the sequence space). A frame
with a bad CRC is dropped and the decoder resynchronises on the next SOF byte.
"""

from __future__ import annotations

import binascii
import dataclasses
import struct
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar

SOF = 0xA5
VERSION = 1
MAX_PAYLOAD = 1024
HEARTBEAT_PERIOD_S = 0.05
MISSED_HEARTBEATS_FOR_LINK_LOSS = 3
_HEADER = struct.Struct("<BBBHH")
_CRC = struct.Struct("<H")

#: Safety-event kinds by wire code (append only; the codes are part of the format).
FAULT_CODES = (
    "sensor_dropout",
    "sensor_stuck",
    "sensor_nan",
    "comm_loss",
    "runaway",
    "stop_button",
    "emergency_stop",
    "angle_limit",
    "velocity_limit",
)
SAFE_STATE_CODES = ("compliant_hold", "torque_off")


class MessageType(IntEnum):
    HEARTBEAT = 0x01
    SET_LIMITS = 0x02
    ARM = 0x03
    DISARM = 0x04
    TORQUE_COMMAND = 0x05
    EMERGENCY_STOP = 0x06
    STATE = 0x81
    ACK = 0x82
    SAFETY_EVENT = 0x83


class FlagBits(IntEnum):
    ARMED = 1
    BRAKE_ENGAGED = 2
    STOP_BUTTON = 4
    ESTOPPED = 8


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (check value for b"123456789" is 0x29B1)."""
    return binascii.crc_hqx(data, 0xFFFF)


@dataclass(frozen=True, slots=True)
class Heartbeat:
    TYPE: ClassVar[MessageType] = MessageType.HEARTBEAT
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<I")
    uptime_ms: int


@dataclass(frozen=True, slots=True)
class SetLimits:
    TYPE: ClassVar[MessageType] = MessageType.SET_LIMITS
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<ffffB")
    angle_lo_rad: float
    angle_hi_rad: float
    torque_nm: float
    velocity_rad_s: float
    safe_state: int


@dataclass(frozen=True, slots=True)
class Arm:
    TYPE: ClassVar[MessageType] = MessageType.ARM
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<")


@dataclass(frozen=True, slots=True)
class Disarm:
    TYPE: ClassVar[MessageType] = MessageType.DISARM
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<")


@dataclass(frozen=True, slots=True)
class TorqueCommand:
    TYPE: ClassVar[MessageType] = MessageType.TORQUE_COMMAND
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<f")
    torque_nm: float


@dataclass(frozen=True, slots=True)
class EmergencyStop:
    TYPE: ClassVar[MessageType] = MessageType.EMERGENCY_STOP
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<")


@dataclass(frozen=True, slots=True)
class StateReport:
    TYPE: ClassVar[MessageType] = MessageType.STATE
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<QfffIB")
    t_us: int
    angle_rad: float
    velocity_rad_s: float
    motor_torque_nm: float
    sensor_counter: int
    flags: int


@dataclass(frozen=True, slots=True)
class Ack:
    TYPE: ClassVar[MessageType] = MessageType.ACK
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<HBB")
    acked_seq: int
    acked_type: int
    status: int


@dataclass(frozen=True, slots=True)
class SafetyEventReport:
    TYPE: ClassVar[MessageType] = MessageType.SAFETY_EVENT
    FORMAT: ClassVar[struct.Struct] = struct.Struct("<QBB")
    t_us: int
    kind: int
    action: int


Message = (
    Heartbeat
    | SetLimits
    | Arm
    | Disarm
    | TorqueCommand
    | EmergencyStop
    | StateReport
    | Ack
    | SafetyEventReport
)
_BY_TYPE: dict[int, Any] = {
    cls.TYPE: cls
    for cls in (
        Heartbeat, SetLimits, Arm, Disarm, TorqueCommand, EmergencyStop, StateReport, Ack,
        SafetyEventReport,
    )
}  # fmt: skip


class WireError(ValueError):
    """A frame that cannot be encoded or decoded."""


@dataclass(frozen=True, slots=True)
class Frame:
    seq: int
    message: Message


def encode(message: Message, seq: int) -> bytes:
    """One complete frame carrying ``message`` with sequence number ``seq`` (mod 65536)."""
    fields = [getattr(message, f.name) for f in dataclasses.fields(message)]
    try:
        payload = message.FORMAT.pack(*fields)
    except struct.error as exc:
        raise WireError(f"{type(message).__name__}: {exc}") from None
    body = _HEADER.pack(SOF, VERSION, int(message.TYPE), seq & 0xFFFF, len(payload)) + payload
    return body + _CRC.pack(crc16(body[1:]))


def decode_payload(msg_type: int, payload: bytes) -> Message:
    """The message of type ``msg_type`` from its payload bytes."""
    cls = _BY_TYPE.get(msg_type)
    if cls is None:
        raise WireError(f"unknown message type 0x{msg_type:02X}")
    if len(payload) != cls.FORMAT.size:
        raise WireError(f"{cls.__name__} payload must be {cls.FORMAT.size} bytes")
    message: Message = cls(*cls.FORMAT.unpack(payload))
    return message


class FrameDecoder:
    """Incremental decoder for a byte stream: feed bytes as they arrive, get whole frames.

    Tolerates frames split across reads, several frames per read, garbage between frames
    and corrupted frames (dropped, counted, resynchronised on the next SOF).
    """

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.crc_errors = 0
        self.invalid_frames = 0
        self.discarded_bytes = 0

    def feed(self, data: bytes) -> list[Frame]:
        self._buffer += data
        frames: list[Frame] = []
        buf = self._buffer
        while True:
            start = buf.find(SOF)
            if start < 0:
                self.discarded_bytes += len(buf)
                buf.clear()
                break
            if start:
                self.discarded_bytes += start
                del buf[:start]
            if len(buf) < _HEADER.size:
                break
            _, version, msg_type, seq, length = _HEADER.unpack_from(buf)
            if version != VERSION or length > MAX_PAYLOAD:
                self.discarded_bytes += 1
                del buf[:1]  # not a frame start after all
                continue
            end = _HEADER.size + length + _CRC.size
            if len(buf) < end:
                break
            (crc,) = _CRC.unpack_from(buf, end - _CRC.size)
            if crc != crc16(bytes(buf[1 : end - _CRC.size])):
                self.crc_errors += 1
                self.discarded_bytes += 1
                del buf[:1]
                continue
            payload = bytes(buf[_HEADER.size : end - _CRC.size])
            del buf[:end]
            try:
                frames.append(Frame(seq, decode_payload(msg_type, payload)))
            except WireError:
                self.invalid_frames += 1
        return frames


def decode(data: bytes) -> Frame:
    """Exactly one frame (a WebSocket binary message)."""
    decoder = FrameDecoder()
    frames = decoder.feed(data)
    if len(frames) != 1 or decoder.discarded_bytes or decoder._buffer:
        raise WireError("not exactly one valid frame")
    return frames[0]


class SequenceTracker:
    """Counts lost frames from sequence gaps and rejects duplicates and stale frames."""

    def __init__(self) -> None:
        self.last: int | None = None
        self.lost = 0
        self.rejected = 0

    def accept(self, seq: int) -> bool:
        """True if the frame is new; gaps since the last accepted frame count as lost."""
        if self.last is None:
            self.last = seq
            return True
        ahead = (seq - self.last) & 0xFFFF
        if ahead == 0 or ahead >= 0x8000:  # duplicate, or behind within half the space
            self.rejected += 1
            return False
        self.lost += ahead - 1
        self.last = seq
        return True
