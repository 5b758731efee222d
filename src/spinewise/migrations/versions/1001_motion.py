"""camera coaching: results kept with the session log (derived numbers only)

Revision ID: 1001
Revises: 0601
Create Date: 2026-11-28 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "1001"
down_revision = "0701"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "motion_camera_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("session_log_id", sa.Integer(), nullable=False),
        sa.Column("exercise_log_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("exercise", sa.String(length=32), nullable=False),
        sa.Column("angle", sa.String(length=32), nullable=False),
        sa.Column("target_deg", sa.Float(), nullable=False),
        sa.Column("reps", sa.SmallInteger(), nullable=False),
        sa.Column("mean_rom_deg", sa.Float(), nullable=True),
        sa.Column("max_peak_deg", sa.Float(), nullable=True),
        sa.Column("repetitions", sa.JSON(), nullable=False),
        sa.Column("form_flags", sa.JSON(), nullable=False),
        sa.Column("tracked_s", sa.Float(), nullable=False),
        sa.Column("frames_with_pose", sa.Integer(), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_motion_camera_results_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["rehab_session_logs.id"],
            name=op.f("fk_motion_camera_results_session_log_id_rehab_session_logs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exercise_log_id"],
            ["rehab_exercise_logs.id"],
            name=op.f("fk_motion_camera_results_exercise_log_id_rehab_exercise_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_camera_results")),
        sa.UniqueConstraint(
            "exercise_log_id", name=op.f("uq_motion_camera_results_exercise_log_id")
        ),
    )
    op.create_index(
        op.f("ix_motion_camera_results_patient_id"),
        "motion_camera_results",
        ["patient_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_motion_camera_results_session_log_id"),
        "motion_camera_results",
        ["session_log_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_motion_camera_results_day"), "motion_camera_results", ["day"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_motion_camera_results_day"), table_name="motion_camera_results")
    op.drop_index(
        op.f("ix_motion_camera_results_session_log_id"), table_name="motion_camera_results"
    )
    op.drop_index(op.f("ix_motion_camera_results_patient_id"), table_name="motion_camera_results")
    op.drop_table("motion_camera_results")
