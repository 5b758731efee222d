"""Pydantic shapes of camera coaching: the summary the session player sends with a session log
(``exercises[].camera`` of ``POST /api/v1/patients/{id}/sessions``) and the stored results.

Only derived numbers: there is no field for keypoints, images or video, and unknown fields are
refused (``extra="forbid"``).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.motion.coaching import MAX_REPETITIONS, MAX_TRACKED_S

Seconds = Field(ge=0, le=MAX_TRACKED_S)


class RepetitionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start_s: float = Seconds
    end_s: float = Seconds
    peak_deg: float = Field(ge=-180, le=180)
    rom_deg: float = Field(ge=0, le=360)
    hold_s: float = Seconds


class FormFlagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    t_s: float = Seconds
    check: Literal["too_fast", "knees_past_toes", "hips_sagging"]
    rep: int = Field(ge=1, le=MAX_REPETITIONS)


class CameraSummaryIn(BaseModel):
    """What the browser's analysis of one exercise found (estimates from a 2-D camera view)."""

    model_config = ConfigDict(extra="forbid")

    exercise: Literal["trunk_flexion", "squat", "bridge"]
    angle: str = Field(max_length=32)
    target_deg: float = Field(ge=1, le=180)
    reps: int = Field(ge=0, le=MAX_REPETITIONS)
    repetitions: list[RepetitionIn] = Field(max_length=MAX_REPETITIONS)
    form_flags: list[FormFlagIn] = Field(max_length=4 * MAX_REPETITIONS)
    tracked_s: float = Seconds
    frames_with_pose: int = Field(ge=0, le=10**6)


class CameraResultRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    session_log_id: int
    day: dt.date
    exercise_id: str
    exercise: str
    angle: str
    target_deg: float
    reps: int
    mean_rom_deg: float | None
    max_peak_deg: float | None
    repetitions: list[dict[str, float]]
    form_flags: list[dict[str, float | str | int]]
    tracked_s: float
    frames_with_pose: int
    estimate: str = "camera estimate (2-D, one view), not a clinical measurement"
