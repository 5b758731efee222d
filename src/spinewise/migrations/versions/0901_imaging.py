"""spine imaging: de-identified studies, series and instances (files under data_dir),
versioned landmark sets with measurements, keyed DICOM Patient ID links

Revision ID: 0901
Revises: 0601
Create Date: 2026-11-28 05:45:48.891604
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import spinewise.db

revision = "0901"
down_revision = "0702"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "imaging_dicom_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_imaging_dicom_links_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_imaging_dicom_links_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imaging_dicom_links")),
        sa.UniqueConstraint("id_hash", name=op.f("uq_imaging_dicom_links_id_hash")),
    )
    with op.batch_alter_table("imaging_dicom_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imaging_dicom_links_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "imaging_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("study_uid", sa.String(length=64), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_imaging_studies_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_imaging_studies_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imaging_studies")),
        sa.UniqueConstraint("patient_id", "study_uid", name=op.f("uq_imaging_studies_patient_id")),
    )
    with op.batch_alter_table("imaging_studies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imaging_studies_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "imaging_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("series_uid", sa.String(length=64), nullable=False),
        sa.Column("modality", sa.String(length=16), nullable=False),
        sa.Column("body_part", sa.String(length=64), nullable=False),
        sa.Column("view_position", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["imaging_studies.id"],
            name=op.f("fk_imaging_series_study_id_imaging_studies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imaging_series")),
        sa.UniqueConstraint("study_id", "series_uid", name=op.f("uq_imaging_series_study_id")),
    )
    with op.batch_alter_table("imaging_series", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imaging_series_study_id"), ["study_id"], unique=False)

    op.create_table(
        "imaging_instances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("sop_instance_uid", sa.String(length=64), nullable=False),
        sa.Column("sop_class_uid", sa.String(length=64), nullable=False),
        sa.Column("instance_number", sa.Integer(), nullable=True),
        sa.Column("rows", sa.Integer(), nullable=True),
        sa.Column("columns", sa.Integer(), nullable=True),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("pixel_spacing_row_mm", sa.Float(), nullable=True),
        sa.Column("pixel_spacing_col_mm", sa.Float(), nullable=True),
        sa.Column("spacing_source", sa.String(length=40), nullable=False),
        sa.Column("patient_orientation", sa.String(length=32), nullable=False),
        sa.Column("transfer_syntax_uid", sa.String(length=64), nullable=False),
        sa.Column("has_pixels", sa.Boolean(), nullable=False),
        sa.Column("burned_in_annotation", sa.String(length=8), nullable=False),
        sa.Column("burned_in_confirmed", sa.Boolean(), nullable=False),
        sa.Column("storage_key", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_imaging_instances_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["imaging_series.id"],
            name=op.f("fk_imaging_instances_series_id_imaging_series"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imaging_instances")),
        sa.UniqueConstraint(
            "patient_id", "sop_instance_uid", name=op.f("uq_imaging_instances_patient_id")
        ),
        sa.UniqueConstraint("storage_key", name=op.f("uq_imaging_instances_storage_key")),
    )
    with op.batch_alter_table("imaging_instances", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imaging_instances_patient_id"), ["patient_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_imaging_instances_series_id"), ["series_id"], unique=False
        )

    op.create_table(
        "imaging_landmark_sets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("view", sa.String(length=10), nullable=False),
        sa.Column("anterior", sa.String(length=5), nullable=True),
        sa.Column("landmarks", sa.JSON(), nullable=False),
        sa.Column("measurements", sa.JSON(), nullable=True),
        sa.Column("problem", sa.String(length=500), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("placed_by_name", sa.String(length=200), nullable=False),
        sa.Column("created_at", spinewise.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["imaging_instances.id"],
            name=op.f("fk_imaging_landmark_sets_instance_id_imaging_instances"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"],
            ["patients.id"],
            name=op.f("fk_imaging_landmark_sets_patient_id_patients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placed_by_id"],
            ["users.id"],
            name=op.f("fk_imaging_landmark_sets_placed_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imaging_landmark_sets")),
        sa.UniqueConstraint(
            "instance_id", "version", name=op.f("uq_imaging_landmark_sets_instance_id")
        ),
    )
    with op.batch_alter_table("imaging_landmark_sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_imaging_landmark_sets_instance_id"), ["instance_id"], unique=False
        )
        batch_op.create_index(
            "ix_imaging_landmark_sets_patient_created", ["patient_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("imaging_landmark_sets", schema=None) as batch_op:
        batch_op.drop_index("ix_imaging_landmark_sets_patient_created")
        batch_op.drop_index(batch_op.f("ix_imaging_landmark_sets_instance_id"))

    op.drop_table("imaging_landmark_sets")
    with op.batch_alter_table("imaging_instances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imaging_instances_series_id"))
        batch_op.drop_index(batch_op.f("ix_imaging_instances_patient_id"))

    op.drop_table("imaging_instances")
    with op.batch_alter_table("imaging_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imaging_series_study_id"))

    op.drop_table("imaging_series")
    with op.batch_alter_table("imaging_studies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imaging_studies_patient_id"))

    op.drop_table("imaging_studies")
    with op.batch_alter_table("imaging_dicom_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imaging_dicom_links_patient_id"))

    op.drop_table("imaging_dicom_links")
