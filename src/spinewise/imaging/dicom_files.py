"""Incoming DICOM files: what a file is (magic bytes), the DICOM objects inside a zip, and the
facts of an image that the index keeps.

Pure (standard library and pydicom). Nothing here trusts a file name or a declared content
type: a DICOM Part 10 file is recognised by ``DICM`` at byte offset 128 (PS3.10 §7.1), a zip
by its local-file-header signature ``PK\\x03\\x04`` (PKWARE APPNOTE §4.3.7). Zip members are
read with limits on their number, on each member's size and on the total uncompressed size,
checked while decompressing, so a "zip bomb" is refused before it fills memory or disk.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.multival import MultiValue

from spinewise.core.errors import InvalidInput

DICOM_PREAMBLE_BYTES = 128
DICOM_MAGIC = b"DICM"
ZIP_MAGIC = b"PK\x03\x04"
SNIFF_BYTES = DICOM_PREAMBLE_BYTES + len(DICOM_MAGIC)
CHUNK_BYTES = 1024 * 1024
ACCEPTED = "DICOM Part 10 files (with the 'DICM' header) or a zip of them"

# What marks the Spinewise phantom (phantom.py) before de-identification removes the comments.
SYNTHETIC_MANUFACTURER = "Spinewise synthetic phantom"

FileKind = Literal["dicom", "zip"]


def sniff_kind(head: bytes) -> FileKind | None:
    """``"dicom"``, ``"zip"`` or ``None`` from the first 132 bytes of a file."""
    if len(head) >= SNIFF_BYTES and head[DICOM_PREAMBLE_BYTES:SNIFF_BYTES] == DICOM_MAGIC:
        return "dicom"
    if head.startswith(ZIP_MAGIC):
        return "zip"
    return None


def read_dicom_bytes(data: bytes, *, name: str) -> Dataset:
    """Parse a DICOM Part 10 object held in memory; anything else is :class:`InvalidInput`."""
    try:
        return pydicom.dcmread(io.BytesIO(data))
    except InvalidDicomError as exc:
        raise InvalidInput(name, "not a DICOM file (no 'DICM' file header)") from exc
    except (EOFError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InvalidInput(name, f"unreadable DICOM file ({type(exc).__name__})") from exc


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 5000
    max_member_bytes: int = 512 * 1024 * 1024
    max_total_bytes: int = 2 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class ZipMember:
    name: str
    data: bytes


def dicom_members(path: Path, *, limits: ZipLimits) -> Iterator[ZipMember | str]:
    """The DICOM objects of a zip file, in archive order.

    Yields a :class:`ZipMember` for each member that is a DICOM Part 10 file and the member's
    name (a ``str``) for each one skipped (folders, DICOMDIR-less extras such as read-me files).
    Raises :class:`InvalidInput` for a damaged or encrypted archive and when a limit is passed.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InvalidInput("file", "is not a readable zip archive") from exc
    with archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        if len(infos) > limits.max_members:
            raise InvalidInput("file", f"the zip holds more than {limits.max_members} files")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise InvalidInput("file", "encrypted zip archives are not accepted")
            data = bytearray()
            try:
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK_BYTES):
                        data += chunk
                        total += len(chunk)
                        if len(data) > limits.max_member_bytes:
                            raise InvalidInput(
                                "file", f"{_base(info.filename)} is larger than the upload limit"
                            )
                        if total > limits.max_total_bytes:
                            raise InvalidInput(
                                "file", "the zip expands beyond the allowed total size"
                            )
            except (zipfile.BadZipFile, EOFError, NotImplementedError) as exc:
                raise InvalidInput("file", f"damaged zip member {_base(info.filename)}") from exc
            name = _base(info.filename)
            if sniff_kind(bytes(data[:SNIFF_BYTES])) == "dicom":
                yield ZipMember(name=name, data=bytes(data))
            else:
                yield name


def _base(name: str) -> str:
    """The last part of a member name, for messages (never used as a path)."""
    return name.replace("\\", "/").rsplit("/", 1)[-1][:120] or "(unnamed)"


# --- the facts the index keeps ------------------------------------------------------------


@dataclass(frozen=True)
class ImageFacts:
    """What the database indexes about one (already de-identified) object."""

    study_uid: str
    series_uid: str
    sop_instance_uid: str
    sop_class_uid: str
    modality: str
    body_part: str
    view_position: str
    instance_number: int | None
    rows: int | None
    columns: int | None
    frames: int
    pixel_spacing_mm: tuple[float, float] | None  # (row, col)
    spacing_source: str  # "PixelSpacing", "ImagerPixelSpacing" or ""
    patient_orientation: str
    transfer_syntax_uid: str
    has_pixels: bool

    @property
    def anterior(self) -> Literal["left", "right"] | None:
        return anterior_from_orientation(self.patient_orientation)


def _text(ds: Dataset, keyword: str, limit: int = 64) -> str:
    value = ds.get(keyword, "")
    if isinstance(value, MultiValue | list | tuple):
        value = "\\".join(str(v) for v in value)
    return str(value or "").strip()[:limit]


def _spacing(ds: Dataset) -> tuple[tuple[float, float] | None, str]:
    """Pixel Spacing (PS3.3 §10.7.1.3), else Imager Pixel Spacing (at the detector)."""
    for keyword in ("PixelSpacing", "ImagerPixelSpacing"):
        value = ds.get(keyword)
        if value is None:
            continue
        try:
            row_mm, col_mm = (float(v) for v in value)
        except (TypeError, ValueError):
            continue
        if row_mm > 0 and col_mm > 0:
            return (row_mm, col_mm), keyword
    return None, ""


def _int(ds: Dataset, keyword: str) -> int | None:
    try:
        value = ds.get(keyword)
        return None if value in (None, "") else int(value)
    except (TypeError, ValueError):
        return None


def image_facts(ds: Dataset) -> ImageFacts:
    """Index facts of a dataset; an object without the three identifying UIDs is refused."""
    missing = [
        k for k in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID") if not ds.get(k)
    ]
    if missing:
        raise InvalidInput("file", "the DICOM object has no " + ", ".join(missing))
    spacing, source = _spacing(ds)
    meta = getattr(ds, "file_meta", None)
    transfer = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    return ImageFacts(
        study_uid=str(ds.StudyInstanceUID),
        series_uid=str(ds.SeriesInstanceUID),
        sop_instance_uid=str(ds.SOPInstanceUID),
        sop_class_uid=str(ds.get("SOPClassUID", "")),
        modality=_text(ds, "Modality", 16),
        body_part=_text(ds, "BodyPartExamined", 64),
        view_position=_text(ds, "ViewPosition", 16),
        instance_number=_int(ds, "InstanceNumber"),
        rows=_int(ds, "Rows"),
        columns=_int(ds, "Columns"),
        frames=_int(ds, "NumberOfFrames") or 1,
        pixel_spacing_mm=spacing,
        spacing_source=source,
        patient_orientation=_text(ds, "PatientOrientation", 32),
        transfer_syntax_uid=transfer,
        has_pixels="PixelData" in ds,
    )


def anterior_from_orientation(patient_orientation: str) -> Literal["left", "right"] | None:
    """The side of the image the patient faces, from Patient Orientation (0020,0020).

    Its first value is the patient direction of the rows, i.e. towards increasing column
    index (to the right of the image), PS3.3 §C.7.6.1.1.1: ``A`` means the right side of the
    image is anterior, ``P`` that the left side is.
    """
    first = patient_orientation.split("\\", 1)[0].strip().upper()
    if first.startswith("A"):
        return "right"
    if first.startswith("P"):
        return "left"
    return None


def is_synthetic(ds: Dataset) -> bool:
    """True for the Spinewise phantom (checked on the original, before de-identification)."""
    comments = str(ds.get("ImageComments", "") or "")
    return str(
        ds.get("Manufacturer", "") or ""
    ) == SYNTHETIC_MANUFACTURER or comments.upper().startswith("SYNTHETIC")
