"""robotic therapy: prescriptions (limits, body size, protocol), sessions, repetitions,
safety events

Revision ID: 0601
Revises: 0002
Create Date: 2026-11-28 03:36:11.574349
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0601"
down_revision = "0401"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "robotics_prescriptions",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("limits", sa.JSON(), nullable=False),
        sa.Column("mass_kg", sa.Float(), nullable=False),
        sa.Column("height_m", sa.Float(), nullable=False),
        sa.Column("protocol", sa.JSON(), nullable=True),
        sa.Column("protocol_name", sa.String(length=200), nullable=False),
        sa.Column("protocol_source", sa.String(length=60), nullable=False),
        sa.Column("updated_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_robotics_prescriptions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_robotics_prescriptions")),
    )
    op.create_table(
        "robotics_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "completed",
                "stopped",
                "interrupted",
                name="sessionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("simulated", sa.Boolean(), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("started_by_name", sa.String(length=200), nullable=False),
        sa.Column("started_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("progress_s", sa.Float(), nullable=False),
        sa.Column("protocol_name", sa.String(length=200), nullable=False),
        sa.Column("protocol", sa.JSON(), nullable=False),
        sa.Column("patient_model", sa.JSON(), nullable=False),
        sa.Column("simulated_patient", sa.String(length=40), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("faults", sa.JSON(), nullable=False),
        sa.Column("planned_duration_s", sa.Float(), nullable=False),
        sa.Column("planned_repetitions", sa.Integer(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("completed_repetitions", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("trace", sa.JSON(), nullable=True),
        sa.Column("stop_cause", sa.String(length=40), nullable=True),
        sa.Column("stop_action", sa.String(length=20), nullable=True),
        sa.Column("stop_t_s", sa.Float(), nullable=True),
        sa.Column("stop_detail", sa.Text(), nullable=False),
        sa.Column("stop_requested_by", sa.Integer(), nullable=True),
        sa.Column("stop_requested_by_name", sa.String(length=200), nullable=False),
        sa.Column("stop_requested_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_robotics_sessions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_robotics_sessions")),
    )
    with op.batch_alter_table("robotics_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_robotics_sessions_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_robotics_sessions_started_at"), ["started_at"], unique=False
        )
        batch_op.create_index(
            "uq_robotics_sessions_running_patient",
            ["patient_id"],
            unique=True,
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )

    op.create_table(
        "robotics_repetitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("rep_index", sa.Integer(), nullable=False),
        sa.Column("exercise", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("start_s", sa.Float(), nullable=False),
        sa.Column("end_s", sa.Float(), nullable=False),
        sa.Column("assistance", sa.Float(), nullable=True),
        sa.Column("rom_deg", sa.Float(), nullable=True),
        sa.Column("tracking_rmse_deg", sa.Float(), nullable=True),
        sa.Column("patient_work_fraction", sa.Float(), nullable=True),
        sa.Column("sparc", sa.Float(), nullable=True),
        sa.Column("log_dimensionless_jerk", sa.Float(), nullable=True),
        sa.Column("patient_positive_work_j", sa.Float(), nullable=True),
        sa.Column("robot_positive_work_j", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["robotics_sessions.id"],
            name=op.f("fk_robotics_repetitions_session_id_robotics_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_robotics_repetitions")),
        sa.UniqueConstraint(
            "session_id", "rep_index", name=op.f("uq_robotics_repetitions_session_id")
        ),
    )
    with op.batch_alter_table("robotics_repetitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_robotics_repetitions_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "robotics_safety_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("t_s", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["robotics_sessions.id"],
            name=op.f("fk_robotics_safety_events_session_id_robotics_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_robotics_safety_events")),
    )
    with op.batch_alter_table("robotics_safety_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_robotics_safety_events_session_id"), ["session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("robotics_safety_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_robotics_safety_events_session_id"))

    op.drop_table("robotics_safety_events")
    with op.batch_alter_table("robotics_repetitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_robotics_repetitions_session_id"))

    op.drop_table("robotics_repetitions")
    with op.batch_alter_table("robotics_sessions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_robotics_sessions_running_patient",
            sqlite_where=sa.text("status = 'running'"),
            postgresql_where=sa.text("status = 'running'"),
        )
        batch_op.drop_index(batch_op.f("ix_robotics_sessions_started_at"))
        batch_op.drop_index(batch_op.f("ix_robotics_sessions_patient_id"))

    op.drop_table("robotics_sessions")
    op.drop_table("robotics_prescriptions")
