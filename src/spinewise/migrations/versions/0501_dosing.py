"""dosing: pump programme versions, clinic drug libraries, pump settings, bolus log

Revision ID: 0501
Revises: 0002
Create Date: 2026-11-28 03:40:56.204037
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0501"
down_revision = "0101"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dosing_drug_libraries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clinic", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_by_name", sa.String(length=200), nullable=False),
        sa.Column("uploaded_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_dosing_drug_libraries_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dosing_drug_libraries")),
    )
    with op.batch_alter_table("dosing_drug_libraries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dosing_drug_libraries_clinic"), ["clinic"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dosing_drug_libraries_fingerprint"), ["fingerprint"], unique=False
        )

    op.create_table(
        "dosing_programmes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "awaiting_sign_off",
                "superseded",
                "withdrawn",
                name="programmestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "source",
            sa.Enum("form", "planner", "api", name="programmesource", native_enum=False, length=10),
            nullable=False,
        ),
        sa.Column("programme", sa.JSON(), nullable=False),
        sa.Column("drug", sa.String(length=100), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("basal_daily_dose", sa.Float(), nullable=False),
        sa.Column("max_daily_dose", sa.Float(), nullable=False),
        sa.Column("check_result", sa.JSON(), nullable=False),
        sa.Column("library_id", sa.Integer(), nullable=True),
        sa.Column("library_name", sa.String(length=200), nullable=False),
        sa.Column("library_version", sa.String(length=100), nullable=False),
        sa.Column("library_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("filled_on", sa.Date(), nullable=False),
        sa.Column("refill_due_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("soft_limit_reason", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("signed_off_by_name", sa.String(length=200), nullable=False),
        sa.Column("signed_off_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("activated_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", spinewise.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_dosing_programmes_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["library_id"],
            ["dosing_drug_libraries.id"],
            name=op.f("fk_dosing_programmes_library_id_dosing_drug_libraries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_dosing_programmes_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"],
            ["users.id"],
            name=op.f("fk_dosing_programmes_signed_off_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dosing_programmes")),
        sa.UniqueConstraint("patient_id", "version", name=op.f("uq_dosing_programmes_patient_id")),
    )
    with op.batch_alter_table("dosing_programmes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dosing_programmes_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dosing_programmes_status"), ["status"], unique=False)
        batch_op.create_index(
            "uq_dosing_programmes_one_active",
            ["patient_id"],
            unique=True,
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.create_index(
            "uq_dosing_programmes_one_awaiting_sign_off",
            ["patient_id"],
            unique=True,
            sqlite_where=sa.text("status = 'awaiting_sign_off'"),
            postgresql_where=sa.text("status = 'awaiting_sign_off'"),
        )

    op.create_table(
        "dosing_pump_settings",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("clinic", sa.String(length=100), nullable=True),
        sa.Column("pain_profile", sa.JSON(), nullable=True),
        sa.Column("pain_profile_note", sa.String(length=300), nullable=False),
        sa.Column("updated_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_dosing_pump_settings_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_dosing_pump_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_dosing_pump_settings")),
    )
    op.create_table(
        "dosing_bolus_activations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("taken_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("relief", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("logged_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_dosing_bolus_activations_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["dosing_programmes.id"],
            name=op.f("fk_dosing_bolus_activations_programme_id_dosing_programmes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dosing_bolus_activations")),
    )
    with op.batch_alter_table("dosing_bolus_activations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dosing_bolus_activations_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dosing_bolus_activations_taken_at"), ["taken_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dosing_bolus_activations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dosing_bolus_activations_taken_at"))
        batch_op.drop_index(batch_op.f("ix_dosing_bolus_activations_patient_id"))

    op.drop_table("dosing_bolus_activations")
    op.drop_table("dosing_pump_settings")
    with op.batch_alter_table("dosing_programmes", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_dosing_programmes_one_awaiting_sign_off",
            sqlite_where=sa.text("status = 'awaiting_sign_off'"),
            postgresql_where=sa.text("status = 'awaiting_sign_off'"),
        )
        batch_op.drop_index(
            "uq_dosing_programmes_one_active",
            sqlite_where=sa.text("status = 'active'"),
            postgresql_where=sa.text("status = 'active'"),
        )
        batch_op.drop_index(batch_op.f("ix_dosing_programmes_status"))
        batch_op.drop_index(batch_op.f("ix_dosing_programmes_patient_id"))

    op.drop_table("dosing_programmes")
    with op.batch_alter_table("dosing_drug_libraries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dosing_drug_libraries_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_dosing_drug_libraries_clinic"))

    op.drop_table("dosing_drug_libraries")
