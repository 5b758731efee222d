"""fhir: identifiers of imported records, bulk export jobs

Revision ID: 0801
Revises: 0601
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0801"
down_revision = "0601"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "fhir_identifiers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(length=300), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fhir_identifiers")),
        sa.UniqueConstraint(
            "kind", "system", "value", name="uq_fhir_identifiers_kind_system_value"
        ),
        sa.UniqueConstraint("kind", "local_id", name="uq_fhir_identifiers_kind_local_id"),
    )
    op.create_table(
        "fhir_export_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("request_url", sa.String(length=1000), nullable=False),
        sa.Column("types", sa.JSON(), nullable=False),
        sa.Column("scopes", sa.String(length=500), nullable=False),
        sa.Column("output", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_fhir_export_jobs_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fhir_export_jobs")),
    )
    op.create_index(
        op.f("ix_fhir_export_jobs_user_id"), "fhir_export_jobs", ["user_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_fhir_export_jobs_user_id"), table_name="fhir_export_jobs")
    op.drop_table("fhir_export_jobs")
    op.drop_table("fhir_identifiers")
