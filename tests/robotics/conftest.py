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
