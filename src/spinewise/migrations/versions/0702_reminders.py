"""reminders: schedules, occurrences (unique per schedule and due time), deliveries,
acknowledgements, Web Push subscriptions, calendar feed tokens

Revision ID: 0702
Revises: 0601
Create Date: 2026-11-28 05:45:06.953812
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0702"
down_revision = "0801"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "reminder_calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("include_names", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_reminder_calendar_feeds_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_reminder_calendar_feeds_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_calendar_feeds")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_reminder_calendar_feeds_token_hash")),
    )
    with op.batch_alter_table("reminder_calendar_feeds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_calendar_feeds_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_push_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("endpoint", sa.Text(), nullable=False),
        sa.Column("endpoint_hash", sa.String(length=64), nullable=False),
        sa.Column("p256dh", sa.String(length=200), nullable=False),
        sa.Column("auth", sa.String(length=100), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_success_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_reminder_push_subscriptions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_push_subscriptions")),
        sa.UniqueConstraint(
            "endpoint_hash", name=op.f("uq_reminder_push_subscriptions_endpoint_hash")
        ),
    )
    with op.batch_alter_table("reminder_push_subscriptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_push_subscriptions_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "medication",
                "exercise",
                "posture",
                "other",
                name="schedulekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("dose", sa.String(length=100), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("times", sa.JSON(), nullable=False),
        sa.Column("every_min", sa.Integer(), nullable=True),
        sa.Column("window_start", sa.Time(), nullable=True),
        sa.Column("window_end", sa.Time(), nullable=True),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("once_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("as_needed", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("generated_until", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_reminder_schedules_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_reminder_schedules_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["rehab_programmes.id"],
            name=op.f("fk_reminder_schedules_programme_id_rehab_programmes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_schedules")),
    )
    with op.batch_alter_table("reminder_schedules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_schedules_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "reminder_occurrences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("due_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("snoozed_from_id", sa.Integer(), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("delivered_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_reminder_occurrences_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["reminder_schedules.id"],
            name=op.f("fk_reminder_occurrences_schedule_id_reminder_schedules"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snoozed_from_id"],
            ["reminder_occurrences.id"],
            name=op.f("fk_reminder_occurrences_snoozed_from_id_reminder_occurrences"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_occurrences")),
        sa.UniqueConstraint(
            "schedule_id", "due_at", name=op.f("uq_reminder_occurrences_schedule_id")
        ),
    )
    with op.batch_alter_table("reminder_occurrences", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_occurrences_patient_due", ["patient_id", "due_at"], unique=False
        )
        batch_op.create_index(
            "ix_reminder_occurrences_status_due", ["status", "due_at"], unique=False
        )

    op.create_table(
        "reminder_acknowledgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("occurrence_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("medication", sa.String(length=200), nullable=False),
        sa.Column("at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reminder_occurrences.id"],
            name=op.f("fk_reminder_acknowledgements_occurrence_id_reminder_occurrences"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_reminder_acknowledgements_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_reminder_acknowledgements_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["reminder_schedules.id"],
            name=op.f("fk_reminder_acknowledgements_schedule_id_reminder_schedules"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_acknowledgements")),
    )
    with op.batch_alter_table("reminder_acknowledgements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_acknowledgements_patient_at", ["patient_id", "at"], unique=False
        )

    op.create_table(
        "reminder_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("lease_until", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["reminder_occurrences.id"],
            name=op.f("fk_reminder_deliveries_occurrence_id_reminder_occurrences"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_deliveries")),
        sa.UniqueConstraint(
            "occurrence_id", "target", name=op.f("uq_reminder_deliveries_occurrence_id")
        ),
    )
    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reminder_deliveries_status_next", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("reminder_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_deliveries_status_next")

    op.drop_table("reminder_deliveries")
    with op.batch_alter_table("reminder_acknowledgements", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_acknowledgements_patient_at")

    op.drop_table("reminder_acknowledgements")
    with op.batch_alter_table("reminder_occurrences", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_occurrences_status_due")
        batch_op.drop_index("ix_reminder_occurrences_patient_due")

    op.drop_table("reminder_occurrences")
    with op.batch_alter_table("reminder_schedules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_schedules_patient_id"))

    op.drop_table("reminder_schedules")
    with op.batch_alter_table("reminder_push_subscriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_push_subscriptions_patient_id"))

    op.drop_table("reminder_push_subscriptions")
    with op.batch_alter_table("reminder_calendar_feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_calendar_feeds_patient_id"))

    op.drop_table("reminder_calendar_feeds")
