"""assistant: conversations, messages with their answers and triage, confirmable app actions

Revision ID: 0701
Revises: 0601
Create Date: 2026-11-28 05:44:17.305590
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0701"
down_revision = "0901"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_conversations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("started_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("highest_level", sa.String(length=20), nullable=False),
        sa.Column("handover_thread_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handover_thread_id"],
            ["message_threads.id"],
            name=op.f("fk_assistant_conversations_handover_thread_id_message_threads"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_assistant_conversations_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_conversations")),
    )
    with op.batch_alter_table("assistant_conversations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assistant_conversations_patient_last", ["patient_id", "last_at"], unique=False
        )

    op.create_table(
        "assistant_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("generator", sa.String(length=20), nullable=False),
        sa.Column("care_team_notified", sa.Boolean(), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("acknowledged_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["users.id"],
            name=op.f("fk_assistant_messages_acknowledged_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["assistant_conversations.id"],
            name=op.f("fk_assistant_messages_conversation_id_assistant_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_assistant_messages_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_messages")),
    )
    with op.batch_alter_table("assistant_messages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistant_messages_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            "ix_assistant_messages_patient_level",
            ["patient_id", "level", "acknowledged_at"],
            unique=False,
        )

    op.create_table(
        "assistant_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "done",
                "declined",
                "unavailable",
                "failed",
                name="actionstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["assistant_messages.id"],
            name=op.f("fk_assistant_actions_message_id_assistant_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_assistant_actions_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_actions")),
    )
    with op.batch_alter_table("assistant_actions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assistant_actions_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_assistant_actions_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("assistant_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assistant_actions_patient_id"))
        batch_op.drop_index(batch_op.f("ix_assistant_actions_message_id"))

    op.drop_table("assistant_actions")
    with op.batch_alter_table("assistant_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_assistant_messages_patient_level")
        batch_op.drop_index(batch_op.f("ix_assistant_messages_conversation_id"))

    op.drop_table("assistant_messages")
    with op.batch_alter_table("assistant_conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_assistant_conversations_patient_last")

    op.drop_table("assistant_conversations")
