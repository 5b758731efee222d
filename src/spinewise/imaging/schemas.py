"""Pydantic input and output of the imaging routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from spinewise.imaging.measure import FEMORAL_HEADS, LATERAL_REQUIRED, SLIP_LANDMARK
from spinewise.predict.schemas import SpinePredictionRead

LATERAL_LANDMARKS = (*FEMORAL_HEADS, *LATERAL_REQUIRED, SLIP_LANDMARK)
FRONTAL_LANDMARKS = ("upper_endplate", "lower_endplate")

Coordinate = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Point = Annotated[list[Coordinate], Field(min_length=2, max_length=2)]
Line = Annotated[list[Point], Field(min_length=2, max_length=2)]


class ImportResult(BaseModel):
    """What an upload (or a network transfer) added to the patient's imaging."""

    studies: list[int]
    instances_added: int
    duplicates: int
    skipped: list[str] = Field(description="Files in a zip that are not DICOM objects.")
    synthetic: bool


class InstanceRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sop_instance_uid: str
    sop_class_uid: str
    instance_number: int | None
    rows: int | None
    columns: int | None
    frames: int
    pixel_spacing_row_mm: float | None
    pixel_spacing_col_mm: float | None
    spacing_source: str
    patient_orientation: str
    transfer_syntax_uid: str
    has_pixels: bool
    burned_in_annotation: str
    burned_in_confirmed: bool
    size_bytes: int
    created_at: datetime
    file_url: str = ""
    viewer_url: str = ""


class SeriesRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    series_uid: str
    modality: str
    body_part: str
    view_position: str
    instances: list[InstanceRead] = []


class StudyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    study_uid: str
    modality: str
    source: str
    synthetic: bool
    created_at: datetime
    instance_count: int = 0
    series: list[SeriesRead] = []


class StudyPage(BaseModel):
    items: list[StudyRead]
    total: int


class LandmarkSave(BaseModel):
    """Landmarks in image pixels (x right, y down) in the LANDMARKS.json names; ``null`` or an
    absent name is a landmark not placed yet (the set is saved, and measured once complete)."""

    model_config = ConfigDict(extra="forbid")

    view: Literal["lateral", "frontal"]
    anterior: Literal["left", "right"] | None = None
    landmarks: dict[str, Point | Line | None] = Field(default_factory=dict, max_length=10)


class LandmarkSetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    instance_id: int
    version: int
    view: str
    anterior: str | None
    landmarks: dict[str, Any]
    measurements: dict[str, float] | None
    problem: str
    placed_by_name: str
    created_at: datetime


class LandmarkHistory(BaseModel):
    items: list[LandmarkSetRead]
    pixel_spacing_mm: list[float] | None
    suggested_anterior: str | None


class ClassifierLinkRead(BaseModel):
    """The spine classifier's inputs filled from a measured lateral radiograph."""

    landmark_set_id: int | None
    landmark_version: int | None
    values: dict[str, float | None]
    not_measured: list[str]
    caveats: dict[str, str]
    reason: str = Field(description="Why there is no prediction, when there is none.")
    prediction: SpinePredictionRead | None


class DicomLinkSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dicom_patient_id: str = Field(min_length=1, max_length=64)


class DicomLinkRead(BaseModel):
    linked: bool
    links: int
