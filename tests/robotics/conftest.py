"""Shared builders for the robotics tests (small, fast protocols)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from spinewise.robotics.patient import PatientModel
from spinewise.robotics.protocols import TherapyProtocol, load_protocol


def example(name: str) -> Any:
    """An example file shipped as package data."""
    text = resources.files("spinewise.robotics").joinpath("data", name).read_text("utf-8")
    return json.loads(text)


def flexion_protocol(
    *,
    range_deg: tuple[float, float] = (0.0, 30.0),
    repetitions: int = 3,
    period_s: float = 4.0,
    limits: dict[str, Any] | None = None,
    device: dict[str, Any] | None = None,
    controller: dict[str, Any] | None = None,
) -> TherapyProtocol:
    return load_protocol(
        {
            "name": "test flexion-extension",
            "limits": limits or {"angle_deg": [-10, 40], "torque_nm": 80, "velocity_deg_s": 40},
            "exercises": [
                {
                    "kind": "flexion_extension",
                    "range_deg": list(range_deg),
                    "period_s": period_s,
                    "hold_s": 0.5,
                    "repetitions": repetitions,
                    "rest_s": 0.5,
                }
            ],
            "device": device or {},
            "controller": controller or {},
        }
    )


def patient(strength: float, **extra: Any) -> PatientModel:
    return PatientModel(mass_kg=80.0, height_m=1.75, strength=strength, **extra)


# --- the app's part (service, API, pages) ---------------------------------------------------

LIMITS = {"angle_deg": [-10.0, 40.0], "torque_nm": 80.0, "velocity_deg_s": 40.0}
# 1 s upright + 2 × (4 s period + 0.5 s hold + 0.5 s rest) + 1 s upright = 12 s; the range
# starts upright, so there is no transition. Peak speed 1.875 × 20° / 2 s = 18.75°/s, within
# 80 % of the 40°/s limit.
SHORT_PROTOCOL: dict[str, Any] = {
    "name": "Short flexion-extension (test)",
    "exercises": [
        {
            "kind": "flexion_extension",
            "range_deg": [0, 20],
            "period_s": 4,
            "hold_s": 0.5,
            "repetitions": 2,
            "rest_s": 0.5,
        }
    ],
    "device": {"safe_state": "compliant_hold"},
}
SHORT_PROTOCOL_S = 12.0


def prescribe(session_factory: Any, patient_id: int, clinician_id: int) -> None:
    """Limits (80 kg, 1.75 m) and the short protocol for a patient, set by a clinician."""
    from spinewise.accounts.models import Patient, User
    from spinewise.core.audit import Actor
    from spinewise.db import unit_of_work
    from spinewise.robotics import service

    with unit_of_work(session_factory) as session:
        actor = Actor(session.get(User, clinician_id), "test")
        patient = session.get(Patient, patient_id)
        assert patient is not None
        service.set_limits(
            session, actor=actor, patient=patient, limits=LIMITS, mass_kg=80.0, height_m=1.75
        )
        service.assign_protocol(session, actor=actor, patient=patient, document=SHORT_PROTOCOL)
