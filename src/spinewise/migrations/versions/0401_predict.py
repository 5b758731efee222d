"""predict: clinical assessments that feed decision support

Revision ID: 0401
Revises: 0002
Create Date: 2026-11-28 03:33:10.662608
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0401"
down_revision = "0501"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "predict_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("clinician_name", sa.String(length=200), nullable=False),
        sa.Column("odi_pct", sa.Float(), nullable=True),
        sa.Column("odi_answers", sa.JSON(), nullable=True),
        sa.Column("nprs", sa.Integer(), nullable=True),
        sa.Column("startback_total", sa.Integer(), nullable=True),
        sa.Column("startback_psychosocial", sa.Integer(), nullable=True),
        sa.Column("startback_risk", sa.String(length=10), nullable=True),
        sa.Column("startback_answers", sa.JSON(), nullable=True),
        sa.Column("age_years", sa.Float(), nullable=True),
        sa.Column("symptom_duration_days", sa.Float(), nullable=True),
        sa.Column("symptoms_distal_to_knee", sa.Boolean(), nullable=True),
        sa.Column("fabq_work", sa.Integer(), nullable=True),
        sa.Column("fabq_pa", sa.Integer(), nullable=True),
        sa.Column("hip_internal_rotation_left_deg", sa.Float(), nullable=True),
        sa.Column("hip_internal_rotation_right_deg", sa.Float(), nullable=True),
        sa.Column("lumbar_hypomobility", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_predict_assessments_clinician_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_predict_assessments_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_predict_assessments")),
    )
    with op.batch_alter_table("predict_assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_predict_assessments_patient_date", ["patient_id", "assessed_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("predict_assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_predict_assessments_patient_date")

    op.drop_table("predict_assessments")
