"""A :class:`~.device.DeviceDriver` that speaks the wire format, and a device-side emulator.

:class:`WireDevice` is the host's driver for a real device on any byte transport (a serial
port, or a WebSocket carrying one frame per binary message). :class:`FirmwareEmulator` plays
the device: it decodes the host's frames, runs its **own** :class:`~.safety.SafetyMonitor`
with the limits the host sent (so the patient is protected even if the host misbehaves or
falls silent), drives a :class:`~.simulator.SimulatedTrunkDevice` and reports its state
every control cycle. :class:`LoopbackLink` joins the two in memory, which is how the tests
exercise the whole protocol without hardware.
"""

from __future__ import annotations

import math
from typing import Protocol

from spinewise.robotics.device import DeviceConfig, DeviceState, SafeState
from spinewise.robotics.protocols import PatientLimits
from spinewise.robotics.safety import SafetyMonitor
from spinewise.robotics.simulator import SimulatedTrunkDevice
from spinewise.robotics.wire import (
    FAULT_CODES,
    HEARTBEAT_PERIOD_S,
    MISSED_HEARTBEATS_FOR_LINK_LOSS,
    SAFE_STATE_CODES,
    Ack,
    Arm,
    Disarm,
    EmergencyStop,
    FlagBits,
    FrameDecoder,
    Heartbeat,
    Message,
    SafetyEventReport,
    SequenceTracker,
    SetLimits,
    StateReport,
    TorqueCommand,
    encode,
)

ACK_OK, ACK_REFUSED, ACK_INVALID = 0, 1, 2


class Transport(Protocol):
    """A byte pipe: ``send`` writes, ``receive`` returns whatever arrived (maybe nothing)."""

    def send(self, data: bytes) -> None: ...

    def receive(self) -> bytes: ...


class _Endpoint:
    def __init__(self) -> None:
        self.inbox = bytearray()
        self.peer: _Endpoint | None = None
        self.connected = True

    def send(self, data: bytes) -> None:
        if self.connected and self.peer is not None:
            self.peer.inbox += data

    def receive(self) -> bytes:
        data = bytes(self.inbox)
        self.inbox.clear()
        return data


class LoopbackLink:
    """Two in-memory endpoints back to back; ``cut()`` silences the host's sending side."""

    def __init__(self) -> None:
        self.host = _Endpoint()
        self.device = _Endpoint()
        self.host.peer, self.device.peer = self.device, self.host

    def cut(self) -> None:
        self.host.connected = False


class _Sender:
    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.seq = 0

    def send(self, message: Message) -> int:
        seq = self.seq
        self.transport.send(encode(message, seq))
        self.seq = (seq + 1) & 0xFFFF
        return seq


class WireDevice:
    """Host-side driver over a transport (implements :class:`~.device.DeviceDriver`).

    ``connect`` sends a heartbeat and the patient's limits, which the device's own monitor
    enforces; ``read_state`` returns the newest STATE frame received since the last call, or
    ``None`` if none arrived this cycle. Safety events and acknowledgements reported by the
    device are collected in :attr:`device_events` and :attr:`acks`.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        limits: PatientLimits,
        safe_state: SafeState = "compliant_hold",
        state_rate_hz: float = 1000.0,
    ) -> None:
        self._sender = _Sender(transport)
        self._transport = transport
        self._decoder = FrameDecoder()
        self.sequence = SequenceTracker()
        self.limits = limits
        self.safe_state = safe_state
        self._rate = state_rate_hz
        self.device_events: list[SafetyEventReport] = []
        self.acks: list[Ack] = []
        self.armed = False

    @property
    def state_rate_hz(self) -> float:
        return self._rate

    def connect(self) -> None:
        lo, hi = self.limits.angle_rad
        self._sender.send(Heartbeat(0))
        self._sender.send(
            SetLimits(
                lo,
                hi,
                self.limits.torque_nm,
                self.limits.velocity_rad_s,
                SAFE_STATE_CODES.index(self.safe_state),
            )
        )

    def arm(self) -> None:
        self._sender.send(Arm())

    def disarm(self) -> None:
        self._sender.send(Disarm())

    def emergency_stop(self) -> None:
        self._sender.send(EmergencyStop())

    def command_torque(self, torque_nm: float) -> None:
        self._sender.send(TorqueCommand(torque_nm))

    def heartbeat(self, uptime_ms: int) -> None:
        self._sender.send(Heartbeat(uptime_ms & 0xFFFFFFFF))

    def read_state(self) -> DeviceState | None:
        newest: StateReport | None = None
        for frame in self._decoder.feed(self._transport.receive()):
            if not self.sequence.accept(frame.seq):
                continue
            message = frame.message
            if isinstance(message, StateReport):
                newest = message
            elif isinstance(message, SafetyEventReport):
                self.device_events.append(message)
            elif isinstance(message, Ack):
                self.acks.append(message)
        if newest is None:
            return None
        self.armed = bool(newest.flags & FlagBits.ARMED)
        return DeviceState(
            t_s=newest.t_us * 1e-6,
            angle_rad=newest.angle_rad,
            velocity_rad_s=newest.velocity_rad_s,
            motor_torque_nm=newest.motor_torque_nm,
            sensor_counter=newest.sensor_counter,
            armed=self.armed,
            brake_engaged=bool(newest.flags & FlagBits.BRAKE_ENGAGED),
            stop_button=bool(newest.flags & FlagBits.STOP_BUTTON),
        )


class FirmwareEmulator:
    """The device's side of the link, around a simulated trunk.

    Call :meth:`poll` to handle frames from the host and :meth:`tick` once per control
    cycle: the device's monitor checks the newest sample and the command received this
    cycle (none → its watchdog trips), the decision is applied, the plant advances and a
    STATE frame goes out.
    """

    def __init__(
        self,
        transport: Transport,
        device: SimulatedTrunkDevice,
        *,
        config: DeviceConfig | None = None,
    ) -> None:
        self.device = device
        self.config = config or device.config
        self._sender = _Sender(transport)
        self._transport = transport
        self._decoder = FrameDecoder()
        self.sequence = SequenceTracker()
        self.monitor: SafetyMonitor | None = None
        self._command: float | None = None
        self._reported = 0
        self._silent_s = 0.0
        device.connect()

    @property
    def link_lost(self) -> bool:
        """No frame from the host for three heartbeat periods (150 ms)."""
        return self._silent_s > MISSED_HEARTBEATS_FOR_LINK_LOSS * HEARTBEAT_PERIOD_S

    def poll(self) -> None:
        for frame in self._decoder.feed(self._transport.receive()):
            self._silent_s = 0.0
            if not self.sequence.accept(frame.seq):
                continue
            self._handle(frame.seq, frame.message)

    def _handle(self, seq: int, message: Message) -> None:
        status = ACK_OK
        if isinstance(message, SetLimits):
            try:
                limits = PatientLimits(
                    angle_deg=(
                        math.degrees(message.angle_lo_rad),
                        math.degrees(message.angle_hi_rad),
                    ),
                    torque_nm=message.torque_nm,
                    velocity_deg_s=math.degrees(message.velocity_rad_s),
                )
                config = self.config.model_copy(
                    update={"safe_state": SAFE_STATE_CODES[message.safe_state]}
                )
                self.monitor = SafetyMonitor(limits, config, self.device.segment)
            except (ValueError, IndexError):
                status = ACK_INVALID
        elif isinstance(message, Arm):
            if self.monitor is None or self.device.estopped:
                status = ACK_REFUSED
            else:
                self.device.arm()
        elif isinstance(message, Disarm):
            self.device.disarm()
        elif isinstance(message, EmergencyStop):
            self.device.emergency_stop()
            if self.monitor is not None:
                self.monitor.request_stop("emergency_stop")
        elif isinstance(message, TorqueCommand):
            self._command = message.torque_nm
            return  # streamed every cycle: not acknowledged
        elif isinstance(message, Heartbeat):
            return
        self._sender.send(Ack(seq, int(message.TYPE), status))

    def tick(self) -> None:
        """One control cycle on the device."""
        self.poll()
        device, monitor = self.device, self.monitor
        if device.armed and monitor is not None:
            decision = monitor.check(device.t_s, device.read_state(), self._command)
            if decision.torque_enabled:
                device.command_torque(decision.torque_nm)
            else:
                device.disarm()
            for event in monitor.events[self._reported :]:
                self._sender.send(
                    SafetyEventReport(
                        round(event.t_s * 1e6),
                        FAULT_CODES.index(event.kind),
                        SAFE_STATE_CODES.index(event.action),
                    )
                )
            self._reported = len(monitor.events)
        self._command = None
        device.advance()
        self._silent_s += device.dt_s
        self.send_state()

    def send_state(self) -> None:
        state = self.device.read_state()
        flags = (
            FlagBits.ARMED * state.armed
            | FlagBits.BRAKE_ENGAGED * state.brake_engaged
            | FlagBits.STOP_BUTTON * state.stop_button
            | FlagBits.ESTOPPED * self.device.estopped
        )
        self._sender.send(
            StateReport(
                round(state.t_s * 1e6),
                state.angle_rad,
                state.velocity_rad_s,
                state.motor_torque_nm,
                state.sensor_counter & 0xFFFFFFFF,
                int(flags),
            )
        )


class EmulatedWireDevice(WireDevice):
    """A :class:`WireDevice` whose far end is a :class:`FirmwareEmulator` in this process.

    ``advance()`` runs the emulated device's control cycle, so a
    :class:`~.session.TherapySession` can drive a simulated patient through the whole wire
    protocol, with a safety monitor on each side of the link.
    """

    def __init__(
        self,
        simulated: SimulatedTrunkDevice,
        *,
        limits: PatientLimits,
        safe_state: SafeState = "compliant_hold",
    ) -> None:
        self.link = LoopbackLink()
        super().__init__(
            self.link.host,
            limits=limits,
            safe_state=safe_state,
            state_rate_hz=simulated.state_rate_hz,
        )
        self.firmware = FirmwareEmulator(self.link.device, simulated)

    def connect(self) -> None:
        super().connect()
        self.firmware.poll()
        self.firmware.send_state()

    def arm(self) -> None:
        super().arm()
        self.firmware.poll()

    def advance(self) -> None:
        self.firmware.tick()

    def set_patient_goal(self, theta_rad: float, omega_rad_s: float, alpha_rad_s2: float) -> None:
        """Simulation only: what the emulated patient sees on the screen."""
        self.firmware.device.set_patient_goal(theta_rad, omega_rad_s, alpha_rad_s2)
