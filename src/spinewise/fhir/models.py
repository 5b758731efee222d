"""Tables of the FHIR interface: identifiers that came with imported records, bulk export jobs.

Every domain object exported to FHIR carries a business identifier. Objects created here get the
server's own (``<base_url>/fhir/sid/<kind>`` | local id); an object that was *imported* keeps the
identifier it arrived with, recorded in ``fhir_identifiers``, so that exporting it again gives
the same identifier and importing the same bundle twice updates instead of duplicating.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spinewise.db import Base, UTCDateTime, utcnow


class FhirIdentifier(Base):
    """The external identifier of one imported domain object (``kind`` names its table)."""

    __tablename__ = "fhir_identifiers"
    __table_args__ = (
        UniqueConstraint("kind", "system", "value", name="uq_fhir_identifiers_kind_system_value"),
        UniqueConstraint("kind", "local_id", name="uq_fhir_identifiers_kind_local_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    local_id: Mapped[int] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(300))
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExportStatus(enum.StrEnum):
    running = "running"
    completed = "completed"
    failed = "failed"


class ExportJob(Base):
    """One asynchronous bulk export (FHIR Bulk Data Access), owned by the user who asked."""

    __tablename__ = "fhir_export_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # random hex, in the URLs
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[ExportStatus] = mapped_column(
        Enum(ExportStatus, native_enum=False, length=12), default=ExportStatus.running
    )
    request_url: Mapped[str] = mapped_column(String(1000))
    types: Mapped[list[str]] = mapped_column(JSON, default=list)
    scopes: Mapped[str] = mapped_column(String(500), default="")
    # [{"type": "Patient", "count": 3, "file": "Patient.ndjson"}], written when the job ends.
    output: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
