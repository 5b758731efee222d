"""Incoming files: recognised by their bytes, zips read within limits, index facts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.imaging.deidentify import dataset_to_bytes
from spinewise.imaging.dicom_files import (
    ZipLimits,
    ZipMember,
    anterior_from_orientation,
    dicom_members,
    image_facts,
    is_synthetic,
    sniff_kind,
)
from spinewise.imaging.phantom import PhantomSpec, build_phantom

PHANTOM = build_phantom(PhantomSpec())


def test_the_kind_comes_from_the_bytes_not_the_name() -> None:
    assert sniff_kind(dataset_to_bytes(PHANTOM.dataset)[:132]) == "dicom"
    assert sniff_kind(b"PK\x03\x04" + b"\0" * 200) == "zip"
    assert sniff_kind(b"\0" * 128 + b"DICX") is None
    assert sniff_kind(b"DICM") is None  # the magic belongs at offset 128, after the preamble


@pytest.mark.parametrize(
    ("orientation", "side"),
    [("A\\F", "right"), ("P\\F", "left"), ("AF\\F", "right"), ("L\\F", None), ("", None)],
)
def test_patient_orientation_names_the_side_the_patient_faces(
    orientation: str, side: str | None
) -> None:
    # PS3.3 C.7.6.1.1.1: the first value is the direction of the rows (towards the right of
    # the image), so "A" puts the anterior side on the right.
    assert anterior_from_orientation(orientation) == side


def test_a_zip_expanding_beyond_the_limit_is_refused_while_reading(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.dcm", b"\0" * 5_000_000)  # about 5 KB compressed
    with pytest.raises(InvalidInput, match="larger than the upload limit"):
        list(dicom_members(bomb, limits=ZipLimits(max_member_bytes=1_000_000)))


def test_a_zip_with_too_many_files_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(4):
            archive.writestr(f"f{i}", b"x")
    with pytest.raises(InvalidInput, match="more than 3 files"):
        list(dicom_members(many, limits=ZipLimits(max_members=3)))


def test_zip_members_are_dicom_objects_or_named_as_skipped(tmp_path: Path) -> None:
    study = tmp_path / "study.zip"
    with zipfile.ZipFile(study, "w") as archive:
        archive.writestr("a/IM1", dataset_to_bytes(PHANTOM.dataset))
        archive.writestr("a/notes.txt", b"hello")
    found = list(dicom_members(study, limits=ZipLimits()))
    assert isinstance(found[0], ZipMember) and found[0].name == "IM1"
    assert found[1] == "notes.txt"


def test_the_index_facts_of_the_phantom() -> None:
    facts = image_facts(PHANTOM.dataset)
    assert (facts.rows, facts.columns, facts.frames) == (760, 600, 1)
    assert facts.pixel_spacing_mm == (0.5, 0.4)
    assert facts.spacing_source == "PixelSpacing"
    assert facts.anterior == "right"
    assert facts.modality == "CR" and facts.has_pixels
    assert is_synthetic(PHANTOM.dataset)
