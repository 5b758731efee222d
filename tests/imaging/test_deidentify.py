"""De-identification on pydicom's own sample files, checking every attribute of the profile."""

from __future__ import annotations

import copy
import io
import re
import uuid
from typing import Any

import pydicom
import pytest
from pydicom.data import get_testdata_file
from pydicom.datadict import keyword_for_tag, tag_for_keyword
from pydicom.dataelem import DataElement
from pydicom.dataset import Dataset
from pydicom.multival import MultiValue
from pydicom.sequence import Sequence

from spinewise.core.errors import InvalidInput
from spinewise.imaging.confidentiality import BASIC_PROFILE, Resolved, resolve_action
from spinewise.imaging.deidentify import (
    CLASS_UID_KEYWORDS,
    METHOD_DESCRIPTION,
    UidMapper,
    dataset_to_bytes,
    deidentify,
    phi_values,
)

# Sample files shipped inside pydicom (no download): images of several modalities, an RT
# plan, structured reports (with PHI in nested sequences), a waveform, compressed pixels.
SAMPLES = [
    "CT_small.dcm",
    "MR_small.dcm",
    "rtplan.dcm",
    "test-SR.dcm",
    "reportsi.dcm",
    "SC_rgb_small_odd.dcm",
    "waveform_ecg.dcm",
    "JPEG2000.dcm",
    "examples_overlay.dcm",
    "liver_1frame.dcm",
]

ACTION_BY_KEYWORD = {e.keyword: resolve_action(e.action) for e in BASIC_PROFILE}
UID_PATTERN = re.compile(r"^2\.25\.[1-9][0-9]*$")
MAPPER = UidMapper.from_text("a per-study secret for the tests")


def _load(name: str) -> Dataset:
    path = get_testdata_file(name)
    assert path is not None, f"pydicom sample {name} is not installed"
    return pydicom.dcmread(path)


def _values(elem: DataElement) -> list[Any]:
    if elem.is_empty:
        return []
    return list(elem.value) if isinstance(elem.value, MultiValue | list) else [elem.value]


def _all_elements(ds: Dataset) -> list[DataElement]:
    found: list[DataElement] = []
    ds.walk(lambda _ds, elem: found.append(elem))
    return found


@pytest.fixture(scope="module", params=SAMPLES)
def sample(request: pytest.FixtureRequest) -> tuple[str, Dataset, Dataset]:
    original = _load(request.param)
    cleaned, _ = deidentify(original, uids=MAPPER)
    # What is checked is what would be written: serialise and read back.
    written = pydicom.dcmread(io.BytesIO(dataset_to_bytes(cleaned)))
    return request.param, original, written


def test_every_profile_attribute_is_handled_as_the_table_says(
    sample: tuple[str, Dataset, Dataset],
) -> None:
    name, original, written = sample
    originals = {elem.keyword: elem for elem in _all_elements(original)}
    checked = 0
    for elem in _all_elements(written):
        action = ACTION_BY_KEYWORD.get(elem.keyword)
        if action is None:
            continue
        checked += 1
        where = f"{name}: {elem.keyword}"
        assert action is not Resolved.REMOVE, f"{where} should have been removed"
        if action is Resolved.EMPTY or (action is Resolved.DUMMY and elem.VR == "SQ"):
            assert elem.is_empty, f"{where} should be empty"
        elif action is Resolved.DUMMY:
            dummies = ([], ["ANONYMIZED"], ["19000101"], ["19000101000000"], ["000000"], ["0"])
            assert _values(elem) in dummies, where
        elif action is Resolved.REPLACE_UID:
            for value in _values(elem):
                assert UID_PATTERN.match(str(value)), where
            if elem.keyword in originals and not originals[elem.keyword].is_empty:
                assert _values(elem) != _values(originals[elem.keyword]), where
    present = {e.keyword for e in _all_elements(written)}
    for keyword, action in ACTION_BY_KEYWORD.items():
        if action is Resolved.REMOVE:
            assert keyword not in present, f"{name}: {keyword}"
    assert checked > 0


def test_patient_identifying_attributes_are_empty(sample: tuple[str, Dataset, Dataset]) -> None:
    name, _, written = sample
    for keyword in ("PatientName", "PatientID", "PatientBirthDate", "PatientSex"):
        if keyword in written:
            assert written[keyword].is_empty, f"{name}: {keyword}"
    for keyword in (
        "PatientAddress",
        "OtherPatientIDs",
        "OtherPatientNames",
        "PatientAge",
        "PatientTelephoneNumbers",
        "InstitutionAddress",
        "PerformingPhysicianName",
        "NameOfPhysiciansReadingStudy",
    ):
        assert keyword not in written, f"{name}: {keyword}"


def test_no_identifying_value_survives_anywhere(sample: tuple[str, Dataset, Dataset]) -> None:
    """A value that only existed in a profile attribute (or a name/date) is gone at every
    depth. Values that the input also held in kept attributes (a Series Number of "1") are
    not identifying and are skipped."""
    name, original, written = sample
    phi_keywords = set(ACTION_BY_KEYWORD) - {
        k for k, a in ACTION_BY_KEYWORD.items() if a is Resolved.REPLACE_UID
    }
    phi = phi_values(original, phi_keywords)
    phi |= {
        str(v)
        for elem in _all_elements(original)
        if elem.VR in ("PN", "DA", "DT")
        for v in _values(elem)
    }
    kept_in_input = {
        str(v)
        for elem in _all_elements(original)
        if elem.keyword not in ACTION_BY_KEYWORD
        and elem.VR not in ("PN", "DA", "DT", "SQ", "OB", "OW", "UN")
        and not elem.tag.is_private
        for v in _values(elem)
    }
    output = {
        str(v)
        for elem in _all_elements(written)
        if elem.VR not in ("SQ", "OB", "OW", "UN")
        for v in _values(elem)
    }
    leaked = (phi - kept_in_input) & output
    assert not leaked, f"{name}: {sorted(leaked)}"


def test_no_private_tags_remain(sample: tuple[str, Dataset, Dataset]) -> None:
    name, _, written = sample
    assert not [e.tag for e in _all_elements(written) if e.tag.is_private], name


def test_every_person_name_and_date_is_empty_or_a_dummy(
    sample: tuple[str, Dataset, Dataset],
) -> None:
    name, _, written = sample
    for elem in _all_elements(written):
        if elem.VR == "PN":
            assert _values(elem) in ([], ["ANONYMIZED"]), f"{name}: {elem.keyword}"
        if elem.VR in ("DA", "DT"):
            assert _values(elem) in ([], ["19000101"], ["19000101000000"]), f"{name}: {elem}"


def test_every_instance_uid_is_replaced(sample: tuple[str, Dataset, Dataset]) -> None:
    name, original, written = sample
    before = {
        str(v)
        for elem in _all_elements(original)
        if elem.VR == "UI"
        for v in _values(elem)
        if not str(v).startswith("1.2.840.10008.")
    }
    after = {str(v) for elem in _all_elements(written) if elem.VR == "UI" for v in _values(elem)}
    class_uids = {  # SOP classes and coding schemes name no instance and are kept
        str(v)
        for elem in _all_elements(original)
        if elem.VR == "UI" and elem.keyword in CLASS_UID_KEYWORDS
        for v in _values(elem)
    }
    assert not (before - class_uids) & after, name
    assert written.file_meta.MediaStorageSOPInstanceUID == written.SOPInstanceUID
    assert "SourceApplicationEntityTitle" not in written.file_meta


def test_the_deidentification_is_recorded(sample: tuple[str, Dataset, Dataset]) -> None:
    _, _, written = sample
    assert written.PatientIdentityRemoved == "YES"
    assert written.DeidentificationMethod == METHOD_DESCRIPTION
    code = written.DeidentificationMethodCodeSequence[0]
    # PS3.16 CID 7050: DCM 113100 "Basic Application Confidentiality Profile"
    assert (code.CodeValue, code.CodingSchemeDesignator) == ("113100", "DCM")
    assert written.LongitudinalTemporalInformationModified == "REMOVED"


def test_pixels_spacing_and_geometry_are_kept_byte_for_byte(
    sample: tuple[str, Dataset, Dataset],
) -> None:
    name, original, written = sample
    for keyword in (
        "PixelData",
        "PixelSpacing",
        "ImagerPixelSpacing",
        "ImagePositionPatient",
        "ImageOrientationPatient",
        "SliceThickness",
        "Rows",
        "Columns",
        "BitsAllocated",
        "PhotometricInterpretation",
        "WaveformSequence",
    ):
        if keyword in original:
            assert written[keyword].value == original[keyword].value, f"{name}: {keyword}"


def test_decoded_pixels_are_identical() -> None:
    original = _load("CT_small.dcm")
    cleaned, _ = deidentify(original, uids=MAPPER)
    written = pydicom.dcmread(io.BytesIO(dataset_to_bytes(cleaned)))
    assert (written.pixel_array == original.pixel_array).all()
    assert [float(v) for v in written.PixelSpacing] == [0.661468, 0.661468]


def test_the_input_dataset_is_not_modified() -> None:
    original = _load("MR_small.dcm")
    before = copy.deepcopy(original)
    deidentify(original, uids=MAPPER)
    assert original == before


def test_every_table_keyword_is_a_dicom_attribute() -> None:
    keywords = [e.keyword for e in BASIC_PROFILE]
    assert len(keywords) == len(set(keywords))
    for keyword in keywords:
        tag = tag_for_keyword(keyword)
        assert tag is not None and keyword_for_tag(tag) == keyword, keyword


# --- UIDs --------------------------------------------------------------------------------


def _second_instance_of(ds: Dataset) -> Dataset:
    """Another image of the same study and series that references the first one."""
    other = copy.deepcopy(ds)
    other.SOPInstanceUID = ds.SOPInstanceUID + ".2"
    other.file_meta.MediaStorageSOPInstanceUID = other.SOPInstanceUID
    reference = Dataset()
    reference.ReferencedSOPClassUID = ds.SOPClassUID
    reference.ReferencedSOPInstanceUID = ds.SOPInstanceUID
    other.ReferencedImageSequence = Sequence([reference])
    return other


def test_uids_are_replaced_consistently_within_a_study() -> None:
    first = _load("CT_small.dcm")
    second = _second_instance_of(first)
    a, _ = deidentify(first, uids=MAPPER)
    b, _ = deidentify(second, uids=MAPPER)
    assert a.StudyInstanceUID == b.StudyInstanceUID != first.StudyInstanceUID
    assert a.SeriesInstanceUID == b.SeriesInstanceUID
    assert a.FrameOfReferenceUID == b.FrameOfReferenceUID
    assert a.SOPInstanceUID != b.SOPInstanceUID
    # The reference inside the second image follows the first image's new UID (U*).
    assert b.ReferencedImageSequence[0].ReferencedSOPInstanceUID == a.SOPInstanceUID
    assert b.ReferencedImageSequence[0].ReferencedSOPClassUID == first.SOPClassUID


def test_another_secret_gives_unlinkable_uids() -> None:
    ds = _load("CT_small.dcm")
    a, _ = deidentify(ds, uids=MAPPER)
    b, _ = deidentify(ds, uids=UidMapper.from_text("another study's secret"))
    assert a.StudyInstanceUID != b.StudyInstanceUID


def test_new_uids_are_uuid_derived_and_short_enough() -> None:
    new = MAPPER("1.2.840.113619.2.1.1.322987881.621.736170080.681")
    assert UID_PATTERN.match(new)
    assert len(new) <= 64  # PS3.5 §9.1
    parsed = uuid.UUID(int=int(new.removeprefix("2.25.")))
    assert parsed.variant == uuid.RFC_4122 and parsed.version == 8


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(InvalidInput, match="uid_secret"):
        UidMapper(b"short")


# --- burned-in annotation ------------------------------------------------------------------


def test_burned_in_annotation_is_refused_unless_confirmed() -> None:
    ds = _load("CT_small.dcm")
    ds.BurnedInAnnotation = "YES"
    with pytest.raises(InvalidInput, match="burned-in"):
        deidentify(ds, uids=MAPPER)
    cleaned, report = deidentify(ds, uids=MAPPER, confirm_burned_in=True)
    assert report.burned_in_annotation == "YES" and report.burned_in_confirmed
    assert cleaned.PixelData == ds.PixelData


def test_an_absent_burned_in_flag_is_reported_as_unknown() -> None:
    _, report = deidentify(_load("CT_small.dcm"), uids=MAPPER)
    assert report.burned_in_annotation == "unknown"
    assert report.private_tags_removed > 0  # CT_small carries GE private groups
