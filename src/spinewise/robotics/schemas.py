"""Pydantic shapes of the robotic therapy API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.robotics.models import RoboticsPrescription, RoboticsSession, SessionStatus
from spinewise.robotics.protocols import PatientLimits

ExampleKey = Literal["flexion_extension", "stabilisation", "mixed_session"]
SimulatedPatientKey = Literal["weak", "strong", "improving", "guarded"]


class LimitsUpdate(BaseModel):
    """The clinician's per-patient limits and the patient's body size (the controller's and the
    safety monitor's trunk model)."""

    model_config = ConfigDict(extra="forbid")

    limits: PatientLimits
    mass_kg: float = Field(description="body mass, kg (validated by the robotics core)")
    height_m: float = Field(description="body height, m")


class ProtocolAssign(BaseModel):
    """Either a shipped example (``example``) or a protocol document (``protocol``, the format of
    ``spinewise robotics simulate --protocol``; its ``limits``, if any, are replaced by the
    patient's)."""

    model_config = ConfigDict(extra="forbid")

    example: ExampleKey | None = None
    protocol: dict[str, Any] | None = None


class ExampleProtocolRead(BaseModel):
    key: str
    name: str
    limits: dict[str, Any]
    exercises: list[str]
    planned_duration_s: float
    planned_repetitions: int


class PrescriptionRead(BaseModel):
    limits: dict[str, Any] | None = None
    mass_kg: float | None = None
    height_m: float | None = None
    protocol: dict[str, Any] | None = None
    protocol_name: str = ""
    protocol_source: str = ""
    updated_at: datetime | None = None

    @classmethod
    def from_row(cls, row: RoboticsPrescription | None) -> PrescriptionRead:
        if row is None:
            return cls()
        return cls(
            limits=row.limits,
            mass_kg=row.mass_kg,
            height_m=row.height_m,
            protocol=row.protocol,
            protocol_name=row.protocol_name,
            protocol_source=row.protocol_source,
            updated_at=row.updated_at,
        )


class SessionStart(BaseModel):
    """A session on the simulated device. ``faults`` (``KIND@SECONDS``) inject simulated faults
    for training and demonstration."""

    model_config = ConfigDict(extra="forbid")

    simulated_patient: SimulatedPatientKey = "weak"
    seed: int | None = Field(default=None, ge=0, lt=2**31)
    faults: list[str] = Field(default_factory=list, max_length=5)


class SessionRead(BaseModel):
    id: int
    status: SessionStatus
    simulated: bool
    started_at: datetime
    ended_at: datetime | None
    started_by_name: str
    protocol_name: str
    limits: dict[str, Any]
    simulated_patient: str
    seed: int
    faults: list[str]
    planned_duration_s: float
    planned_repetitions: int
    progress_s: float
    duration_s: float | None
    completed_repetitions: int
    summary: dict[str, Any] | None
    stop_cause: str | None
    stop_action: str | None
    stop_t_s: float | None
    stop_detail: str
    stop_requested_by_name: str
    stop_requested_at: datetime | None
    note: str

    @classmethod
    def fields_of(cls, row: RoboticsSession) -> dict[str, Any]:
        names = set(cls.model_fields) - {"limits"}
        return {name: getattr(row, name) for name in names if hasattr(row, name)} | {
            "limits": row.protocol.get("limits", {})
        }

    @classmethod
    def from_row(cls, row: RoboticsSession) -> SessionRead:
        return cls(**cls.fields_of(row))


class RepetitionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    rep_index: int
    exercise: int
    kind: str
    start_s: float
    end_s: float
    assistance: float | None
    rom_deg: float | None
    tracking_rmse_deg: float | None
    patient_work_fraction: float | None
    sparc: float | None
    log_dimensionless_jerk: float | None
    patient_positive_work_j: float | None
    robot_positive_work_j: float | None


class SafetyEventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    t_s: float
    kind: str
    action: str
    detail: str


class SessionDetail(SessionRead):
    repetitions: list[RepetitionRead]
    safety_events: list[SafetyEventRead]
    trace: dict[str, Any] | None

    @classmethod
    def from_row(cls, row: RoboticsSession) -> SessionDetail:
        return cls(
            **SessionRead.fields_of(row),
            repetitions=[RepetitionRead.model_validate(r) for r in row.repetitions],
            safety_events=[SafetyEventRead.model_validate(e) for e in row.safety_events],
            trace=row.trace,
        )


class SessionPage(BaseModel):
    items: list[SessionRead]
    total: int
