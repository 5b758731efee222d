"""rehab and outcomes: programmes (versioned), session logs, demo videos, questionnaire
responses and schedules, pain diary

Revision ID: 0201
Revises: 0001
Create Date: 2026-11-28 03:08:33.675660
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0201"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rehab_demo_videos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=80), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_rehab_demo_videos_clinician_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_demo_videos")),
        sa.UniqueConstraint("storage_name", name=op.f("uq_rehab_demo_videos_storage_name")),
    )
    with op.batch_alter_table("rehab_demo_videos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_demo_videos_clinician_id"), ["clinician_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rehab_demo_videos_exercise_id"), ["exercise_id"], unique=False
        )

    op.create_table(
        "outcome_pain_diary",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("back_pain", sa.SmallInteger(), nullable=False),
        sa.Column("leg_pain", sa.SmallInteger(), nullable=True),
        sa.Column("sleep_disturbed", sa.Boolean(), nullable=True),
        sa.Column("medication_taken", sa.Boolean(), nullable=True),
        sa.Column("activity_min", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_outcome_pain_diary_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_pain_diary")),
        sa.UniqueConstraint("patient_id", "day", name=op.f("uq_outcome_pain_diary_patient_id")),
    )
    with op.batch_alter_table("outcome_pain_diary", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_pain_diary_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "outcome_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=20), nullable=False),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["users.id"],
            name=op.f("fk_outcome_responses_entered_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_outcome_responses_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_responses")),
    )
    with op.batch_alter_table("outcome_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_responses_instrument"), ["instrument"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outcome_responses_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "outcome_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("instrument", sa.String(length=20), nullable=False),
        sa.Column("baseline", sa.Date(), nullable=False),
        sa.Column("interval_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("set_by", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_outcome_schedules_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by"],
            ["users.id"],
            name=op.f("fk_outcome_schedules_set_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_schedules")),
        sa.UniqueConstraint(
            "patient_id", "instrument", name=op.f("uq_outcome_schedules_patient_id")
        ),
    )
    with op.batch_alter_table("outcome_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outcome_schedules_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "rehab_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinician_id", sa.Integer(), nullable=True),
        sa.Column("template_id", sa.String(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum("active", "ended", name="programmestatus", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["users.id"],
            name=op.f("fk_rehab_programmes_clinician_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_rehab_programmes_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_programmes")),
    )
    with op.batch_alter_table("rehab_programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_programmes_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "rehab_programme_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sessions_per_week", sa.SmallInteger(), nullable=False),
        sa.Column("duration_weeks", sa.SmallInteger(), nullable=False),
        sa.Column("progression_rule", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("change_note", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_rehab_programme_versions_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programmes.id"],
            name=op.f("fk_rehab_programme_versions_programme_id_rehab_programmes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_programme_versions")),
        sa.UniqueConstraint(
            "programme_id", "version", name=op.f("uq_rehab_programme_versions_programme_id")
        ),
    )
    with op.batch_alter_table("rehab_programme_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_programme_versions_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "rehab_session_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("programme_version", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_rehab_session_logs_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programmes.id"],
            name=op.f("fk_rehab_session_logs_programme_id_rehab_programmes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_rehab_session_logs_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_session_logs")),
        sa.UniqueConstraint(
            "patient_id", "client_id", name=op.f("uq_rehab_session_logs_patient_id")
        ),
    )
    with op.batch_alter_table("rehab_session_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rehab_session_logs_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_rehab_session_logs_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_rehab_session_logs_programme_id"), ["programme_id"], unique=False
        )

    op.create_table(
        "rehab_exercise_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_log_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("sets_done", sa.SmallInteger(), nullable=True),
        sa.Column("pain_during", sa.SmallInteger(), nullable=True),
        sa.Column("difficulty", sa.String(length=12), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["rehab_session_logs.id"],
            name=op.f("fk_rehab_exercise_logs_session_log_id_rehab_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rehab_exercise_logs")),
    )
    with op.batch_alter_table("rehab_exercise_logs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rehab_exercise_logs_session_log_id"), ["session_log_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("rehab_exercise_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_exercise_logs_session_log_id"))

    op.drop_table("rehab_exercise_logs")
    with op.batch_alter_table("rehab_session_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_session_logs_programme_id"))
        batch_op.drop_index(batch_op.f("ix_rehab_session_logs_patient_id"))
        batch_op.drop_index(batch_op.f("ix_rehab_session_logs_day"))

    op.drop_table("rehab_session_logs")
    with op.batch_alter_table("rehab_programme_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_programme_versions_programme_id"))

    op.drop_table("rehab_programme_versions")
    with op.batch_alter_table("rehab_programmes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_programmes_patient_id"))

    op.drop_table("rehab_programmes")
    with op.batch_alter_table("outcome_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_schedules_patient_id"))

    op.drop_table("outcome_schedules")
    with op.batch_alter_table("outcome_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_responses_patient_id"))
        batch_op.drop_index(batch_op.f("ix_outcome_responses_instrument"))

    op.drop_table("outcome_responses")
    with op.batch_alter_table("outcome_pain_diary", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outcome_pain_diary_patient_id"))

    op.drop_table("outcome_pain_diary")
    with op.batch_alter_table("rehab_demo_videos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rehab_demo_videos_exercise_id"))
        batch_op.drop_index(batch_op.f("ix_rehab_demo_videos_clinician_id"))

    op.drop_table("rehab_demo_videos")
