"""Tables of spine imaging: the index of de-identified studies, series and instances (pixel data
stays in files under ``data_dir/imaging``), versioned landmark sets with their measurements,
and the keyed link from a hospital's DICOM Patient ID to a Spinewise patient."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class ImagingStudy(Base):
    """A study as Spinewise holds it: its UID is the de-identified one, never the original."""

    __tablename__ = "imaging_studies"
    __table_args__ = (UniqueConstraint("patient_id", "study_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    study_uid: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(16), default="")
    source: Mapped[str] = mapped_column(String(20), default="upload")  # upload | dicom | pacs
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ImagingSeries(Base):
    __tablename__ = "imaging_series"
    __table_args__ = (UniqueConstraint("study_id", "series_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("imaging_studies.id", ondelete="CASCADE"), index=True
    )
    series_uid: Mapped[str] = mapped_column(String(64))
    modality: Mapped[str] = mapped_column(String(16), default="")
    body_part: Mapped[str] = mapped_column(String(64), default="")
    view_position: Mapped[str] = mapped_column(String(16), default="")


class ImagingInstance(Base):
    """One de-identified DICOM object; its bytes live at ``storage_key`` under data_dir."""

    __tablename__ = "imaging_instances"
    __table_args__ = (UniqueConstraint("patient_id", "sop_instance_uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(
        ForeignKey("imaging_series.id", ondelete="CASCADE"), index=True
    )
    # Repeated from the study so that every access query is one predicate on the patient.
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    sop_instance_uid: Mapped[str] = mapped_column(String(64))
    sop_class_uid: Mapped[str] = mapped_column(String(64), default="")
    instance_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rows: Mapped[int | None] = mapped_column(Integer, nullable=True)
    columns: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frames: Mapped[int] = mapped_column(Integer, default=1)
    pixel_spacing_row_mm: Mapped[float | None] = mapped_column(Float, nullable=True)
    pixel_spacing_col_mm: Mapped[float | None] = mapped_column(Float, nullable=True)
    spacing_source: Mapped[str] = mapped_column(String(40), default="")
    patient_orientation: Mapped[str] = mapped_column(String(32), default="")
    transfer_syntax_uid: Mapped[str] = mapped_column(String(64), default="")
    has_pixels: Mapped[bool] = mapped_column(Boolean, default=True)
    burned_in_annotation: Mapped[str] = mapped_column(String(8), default="unknown")
    burned_in_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    storage_key: Mapped[str] = mapped_column(String(40), unique=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def pixel_spacing_mm(self) -> tuple[float, float] | None:
        if self.pixel_spacing_row_mm is None or self.pixel_spacing_col_mm is None:
            return None
        return self.pixel_spacing_row_mm, self.pixel_spacing_col_mm


class LandmarkSet(Base):
    """One saved version of the landmarks on an image, with what they measured.

    Never updated: an edit is a new version, so every number shown can be traced to the
    landmarks, the person and the time behind it.
    """

    __tablename__ = "imaging_landmark_sets"
    __table_args__ = (
        UniqueConstraint("instance_id", "version"),
        Index("ix_imaging_landmark_sets_patient_created", "patient_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(
        ForeignKey("imaging_instances.id", ondelete="CASCADE"), index=True
    )
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    view: Mapped[str] = mapped_column(String(10))  # lateral | frontal
    anterior: Mapped[str | None] = mapped_column(String(5), nullable=True)
    landmarks: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The LANDMARKS.json result, or None with ``problem`` saying why nothing was measured.
    measurements: Mapped[dict[str, float] | None] = mapped_column(JSON, nullable=True)
    problem: Mapped[str] = mapped_column(String(500), default="")
    placed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    placed_by_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DicomPatientLink(Base):
    """Routes objects received over the DICOM network to a patient without keeping the ID.

    ``id_hash`` is HMAC-SHA256 of the hospital's Patient ID (0010,0020) under a key derived
    from the application secret: a received object whose Patient ID hashes to a known value is
    de-identified and filed for that patient; any other object is refused and not kept.
    """

    __tablename__ = "imaging_dicom_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
