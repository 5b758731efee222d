"""De-identification of DICOM objects (PS3.15 Annex E, Basic Application Level Confidentiality
Profile).

What it does, in order, on a copy of the dataset (the input is never modified):

1. refuse an image flagged ``BurnedInAnnotation = YES`` unless the caller confirms that the
   burned-in text has been checked (the profile cannot clean pixels);
2. apply the Basic Profile table (:mod:`spinewise.imaging.confidentiality`) at every depth of
   nested sequences: remove (X), empty (Z), dummy (D) or replace UIDs (U);
3. remove every private attribute (odd groups, including private creators), curve data,
   overlay data/comments and the trailing padding (which may hold stale bytes);
4. stricter than the profile, for attributes the abridged table may miss: empty every remaining
   person name (PN) and date (DA, DT), and replace every remaining UID that is not a DICOM
   well-known UID (root ``1.2.840.10008``) or a class/coding-scheme UID;
5. record the de-identification: Patient Identity Removed (0012,0062) = ``YES``,
   De-identification Method (0012,0063) and its code sequence (0012,0064) with DCM 113100,
   Longitudinal Temporal Information Modified (0028,0303) = ``REMOVED``.

Pixel data, Pixel Spacing, Imager Pixel Spacing and the image geometry (Image Position and
Orientation, Slice Thickness, Rows, Columns) are not in the profile and are kept byte for byte.

UIDs are replaced by ``2.25.<decimal>`` UIDs (PS3.5 §B.2, UUID-derived) computed as an
HMAC-SHA256 of the original UID under a secret: the same secret gives the same new UID for the
same old UID, so a study de-identified file by file keeps its Study/Series/Frame of Reference
links and its internal references (Referenced SOP Instance UID), while without the secret the
mapping cannot be reversed or recomputed.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import io
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydicom
from pydicom.datadict import tag_for_keyword
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.errors import InvalidDicomError
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence
from pydicom.tag import BaseTag

from spinewise.core.errors import InvalidInput
from spinewise.imaging.confidentiality import (
    BASIC_PROFILE,
    BASIC_PROFILE_CODE,
    REPEATING_GROUPS_REMOVED,
    Resolved,
    resolve_action,
)

DICOM_UID_ROOT = "1.2.840.10008."
"""UIDs under this root are defined by the standard (SOP classes, transfer syntaxes) and
identify nothing about a patient; they are never replaced."""

METHOD_DESCRIPTION = "DICOM PS3.15 E.1 Basic Profile; Spinewise imaging.deidentify"
"""De-identification Method (0012,0063) text (LO, at most 64 characters)."""

# UI attributes that name a class, a syntax or a coding scheme rather than an instance.
CLASS_UID_KEYWORDS = frozenset(
    {
        "SOPClassUID",
        "ReferencedSOPClassUID",
        "ReferencedSOPClassUIDInFile",
        "MediaStorageSOPClassUID",
        "TransferSyntaxUID",
        "ReferencedTransferSyntaxUIDInFile",
        "ImplementationClassUID",
        "CodingSchemeUID",
        "MappingResourceUID",
        "ContextGroupExtensionCreatorUID",
        "RelatedGeneralSOPClassUID",
        "OriginalSpecializedSOPClassUID",
        "PrivateInformationCreatorUID",
    }
)

# Dummy values for the D action, by value representation (PS3.5 §6.2 lengths respected).
_DUMMY_BY_VR: dict[str, Any] = {
    "AE": "ANONYMIZED",
    "AS": "000Y",
    "CS": "ANONYMIZED",
    "DA": "19000101",
    "DS": "0",
    "DT": "19000101000000",
    "IS": "0",
    "LO": "ANONYMIZED",
    "LT": "ANONYMIZED",
    "PN": "ANONYMIZED",
    "SH": "ANONYMIZED",
    "ST": "ANONYMIZED",
    "TM": "000000",
    "UC": "ANONYMIZED",
    "UT": "ANONYMIZED",
    "FL": 0.0,
    "FD": 0.0,
    "SL": 0,
    "SS": 0,
    "UL": 0,
    "US": 0,
}

# File meta attributes that name the sending site or carry private information.
_FILE_META_REMOVED = (
    "SourceApplicationEntityTitle",
    "SendingApplicationEntityTitle",
    "ReceivingApplicationEntityTitle",
    "PrivateInformationCreatorUID",
    "PrivateInformation",
)

_TRAILING_PADDING = 0xFFFCFFFC

_PROFILE_BY_TAG: dict[int, Resolved] = {}
for _entry in BASIC_PROFILE:
    _tag = tag_for_keyword(_entry.keyword)
    if _tag is None:  # pragma: no cover - guarded by a test over the whole table
        raise RuntimeError(f"unknown DICOM keyword in the profile table: {_entry.keyword}")
    _PROFILE_BY_TAG[int(_tag)] = resolve_action(_entry.action)


@dataclass(frozen=True)
class UidMapper:
    """Replace UIDs deterministically under a secret key.

    ``UidMapper(secret)(uid)`` is ``2.25.`` followed by the decimal value of a 128-bit
    identifier taken from HMAC-SHA256(secret, uid), with the RFC 9562 version-8 ("custom")
    and variant bits set so that it is a well-formed UUID (PS3.5 §B.2). Same secret and same
    UID, same answer; at most 44 characters, within the 64 allowed for UI.
    """

    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if len(self.secret) < 16:
            raise InvalidInput("uid_secret", "must be at least 16 bytes")

    @classmethod
    def random(cls) -> UidMapper:
        """A fresh secret: UIDs are consistent within this mapper's life only."""
        return cls(secrets.token_bytes(32))

    @classmethod
    def from_text(cls, text: str) -> UidMapper:
        """A secret given as text (a pass phrase shared by every file of a study)."""
        return cls(hashlib.sha256(text.encode("utf-8")).digest())

    def __call__(self, uid: str) -> str:
        original = str(uid).strip().rstrip("\x00")
        digest = hmac.new(self.secret, original.encode("ascii", "replace"), hashlib.sha256)
        value = int.from_bytes(digest.digest()[:16], "big")
        value &= ~(0xF << 76)  # version field (bits 76..79)
        value |= 0x8 << 76  # version 8: custom
        value &= ~(0x3 << 62)  # variant field (bits 62..63)
        value |= 0x2 << 62  # RFC 9562 variant
        return f"2.25.{value}"


@dataclass
class _Log:
    removed: set[str] = field(default_factory=set)
    emptied: set[str] = field(default_factory=set)
    dummied: set[str] = field(default_factory=set)
    uids_replaced: int = 0
    private_removed: int = 0


@dataclass(frozen=True)
class DeidentificationReport:
    """What was done to one object (attribute keywords only, never values)."""

    removed: tuple[str, ...]
    emptied: tuple[str, ...]
    dummied: tuple[str, ...]
    uids_replaced: int
    private_tags_removed: int
    burned_in_annotation: str  # "YES", "NO" or "unknown" (attribute absent)
    burned_in_confirmed: bool
    sop_instance_uid: str | None
    study_instance_uid: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "sop_instance_uid": self.sop_instance_uid,
            "study_instance_uid": self.study_instance_uid,
            "removed": list(self.removed),
            "emptied": list(self.emptied),
            "dummied": list(self.dummied),
            "uids_replaced": self.uids_replaced,
            "private_tags_removed": self.private_tags_removed,
            "burned_in_annotation": self.burned_in_annotation,
            "burned_in_confirmed": self.burned_in_confirmed,
            "patient_identity_removed": "YES",
            "deidentification_method": METHOD_DESCRIPTION,
        }


def _name(elem: DataElement) -> str:
    return elem.keyword or f"({elem.tag.group:04X},{elem.tag.element:04X})"


def _is_repeating_group_removed(tag: BaseTag) -> str | None:
    for group_base, element, label in REPEATING_GROUPS_REMOVED:
        if tag.group & 0xFF00 == group_base and (element is None or tag.element == element):
            return label
    return None


def _map_uid_value(value: Any, uids: UidMapper) -> tuple[Any, int]:
    if value is None or value == "":
        return value, 0
    if isinstance(value, MultiValue | list | tuple):
        mapped = [uids(v) for v in value if str(v).strip()]
        return mapped, len(mapped)
    return uids(str(value)), 1


def _is_instance_uid(elem: DataElement) -> bool:
    if elem.keyword in CLASS_UID_KEYWORDS or elem.value in (None, ""):
        return False
    values = elem.value if isinstance(elem.value, MultiValue | list) else [elem.value]
    return any(not str(v).startswith(DICOM_UID_ROOT) for v in values)


def _empty(elem: DataElement) -> None:
    elem.value = Sequence([]) if elem.VR == "SQ" else elem.empty_value


def _clean_dataset(ds: Dataset, uids: UidMapper, log: _Log) -> None:
    for elem in list(ds):
        tag = elem.tag
        if tag.is_private:
            del ds[tag]
            log.private_removed += 1
            continue
        if tag == _TRAILING_PADDING:  # free bytes after the dataset may hold stale data
            del ds[tag]
            log.removed.add("DataSetTrailingPadding")
            continue
        label = _is_repeating_group_removed(tag)
        if label is not None:
            del ds[tag]
            log.removed.add(label)
            continue
        resolved = _PROFILE_BY_TAG.get(int(tag))
        if resolved is not None:
            _apply(ds, elem, resolved, uids, log)
        elif elem.VR == "SQ":
            for item in elem.value or []:
                _clean_dataset(item, uids, log)
        elif elem.VR in ("PN", "DA", "DT") and not elem.is_empty:
            _empty(elem)  # stricter than the profile: any name or date it did not list
            log.emptied.add(_name(elem))
        elif elem.VR == "UI" and _is_instance_uid(elem):
            elem.value, count = _map_uid_value(elem.value, uids)
            log.uids_replaced += count


def _apply(ds: Dataset, elem: DataElement, resolved: Resolved, uids: UidMapper, log: _Log) -> None:
    name = _name(elem)
    if resolved is Resolved.REMOVE:
        del ds[elem.tag]
        log.removed.add(name)
    elif resolved is Resolved.EMPTY:
        if not elem.is_empty:
            _empty(elem)
            log.emptied.add(name)
    elif resolved is Resolved.DUMMY:
        dummy = _DUMMY_BY_VR.get(elem.VR)
        if elem.VR == "SQ":
            # A meaningful dummy item cannot be synthesised; an empty sequence is stricter.
            _empty(elem)
            log.emptied.add(name)
        elif dummy is None:
            del ds[elem.tag]
            log.removed.add(name)
        else:
            elem.value = dummy
            log.dummied.add(name)
    elif resolved is Resolved.REPLACE_UID:
        elem.value, count = _map_uid_value(elem.value, uids)
        log.uids_replaced += count
    elif resolved is Resolved.CLEAN_ITEMS:
        for item in elem.value or []:
            _clean_dataset(item, uids, log)


def _burned_in_flag(ds: Dataset) -> str:
    value = str(ds.get("BurnedInAnnotation", "") or "").strip().upper()
    return value if value in ("YES", "NO") else "unknown"


def deidentify(
    ds: Dataset, *, uids: UidMapper, confirm_burned_in: bool = False
) -> tuple[Dataset, DeidentificationReport]:
    """Return a de-identified copy of ``ds`` and a report of what was changed.

    Parameters
    ----------
    ds:
        A dataset as read by :func:`pydicom.dcmread` (file meta optional). Not modified.
    uids:
        The UID mapping; share one mapper (or one secret) across every file of a study so
        that Study, Series and Frame of Reference UIDs and cross-references stay consistent.
    confirm_burned_in:
        The caller has checked an image flagged ``BurnedInAnnotation = YES`` and accepts its
        pixels as they are (this function never alters pixels).

    Raises
    ------
    InvalidInput
        The image is flagged with burned-in annotation and ``confirm_burned_in`` is false.
    """
    burned_in = _burned_in_flag(ds)
    if burned_in == "YES" and not confirm_burned_in:
        raise InvalidInput(
            "BurnedInAnnotation",
            "the image is flagged with burned-in annotation, which de-identification cannot "
            "remove from the pixels; check the image and confirm (--confirm-burned-in)",
        )
    out = copy.deepcopy(ds)
    log = _Log()
    _clean_dataset(out, uids, log)

    meta = getattr(out, "file_meta", None)
    if meta is not None:
        for keyword in _FILE_META_REMOVED:
            if keyword in meta:
                delattr(meta, keyword)
                log.removed.add(keyword)
        if "SOPInstanceUID" in out:
            meta.MediaStorageSOPInstanceUID = out.SOPInstanceUID
        elif "MediaStorageSOPInstanceUID" in meta:
            meta.MediaStorageSOPInstanceUID = uids(meta.MediaStorageSOPInstanceUID)
        meta.ImplementationClassUID = pydicom.uid.PYDICOM_IMPLEMENTATION_UID
        meta.ImplementationVersionName = "SPINEWISE"

    out.PatientIdentityRemoved = "YES"
    out.DeidentificationMethod = METHOD_DESCRIPTION
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = BASIC_PROFILE_CODE
    out.DeidentificationMethodCodeSequence = Sequence([code])
    out.LongitudinalTemporalInformationModified = "REMOVED"

    report = DeidentificationReport(
        removed=tuple(sorted(log.removed)),
        emptied=tuple(sorted(log.emptied)),
        dummied=tuple(sorted(log.dummied)),
        uids_replaced=log.uids_replaced,
        private_tags_removed=log.private_removed,
        burned_in_annotation=burned_in,
        burned_in_confirmed=burned_in == "YES" and confirm_burned_in,
        sop_instance_uid=str(out.SOPInstanceUID) if "SOPInstanceUID" in out else None,
        study_instance_uid=str(out.StudyInstanceUID) if "StudyInstanceUID" in out else None,
    )
    return out, report


def read_dicom(path: Path) -> Dataset:
    """Read a DICOM Part 10 file; anything else is :class:`InvalidInput` (exit 2 in the CLI)."""
    path = Path(path)
    try:
        return pydicom.dcmread(path)
    except InvalidDicomError as exc:
        raise InvalidInput(str(path), "not a DICOM file (no 'DICM' file header)") from exc
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, FileNotFoundError | IsADirectoryError | PermissionError):
            raise
        raise InvalidInput(str(path), f"unreadable DICOM file ({type(exc).__name__})") from exc


def dataset_to_bytes(ds: Dataset) -> bytes:
    """Serialise a dataset as a DICOM Part 10 file in memory (for an atomic write)."""
    buffer = io.BytesIO()
    if getattr(ds, "file_meta", None) is None:
        ds.file_meta = FileMetaDataset()
    try:
        ds.save_as(buffer, enforce_file_format=True)
    except (AttributeError, ValueError) as exc:
        # e.g. a dataset without SOP Class/Instance UID cannot become a Part 10 file
        raise InvalidInput("dicom", f"cannot be written as a DICOM file: {exc}") from exc
    return buffer.getvalue()


def phi_values(ds: Dataset, keywords: Iterable[str]) -> set[str]:
    """The non-empty string values of the named attributes at any depth (for audits/tests)."""
    wanted = set(keywords)
    found: set[str] = set()

    def visit(_ds: Dataset, elem: DataElement) -> None:
        if elem.keyword in wanted and elem.VR != "SQ" and not elem.is_empty:
            values = elem.value if isinstance(elem.value, MultiValue | list) else [elem.value]
            found.update(str(v) for v in values if str(v).strip())

    ds.walk(visit)
    return found
