"""Imaging use cases: import (upload and DICOM network), the study index, landmarks and their
measurements, export, and the link to the spine classifier.

Services take the session first and everything else keyword-only; they flush, never commit.

What is kept: only de-identified objects (:func:`spinewise.imaging.deidentify.deidentify`,
PS3.15 Annex E basic profile) under ``data_dir/imaging``; the raw upload is spooled to a
temporary file next to them and deleted before the request ends, whatever happens. UIDs are
replaced under a key derived from the application secret, so the files of one study uploaded
separately (or sent again) land in the same study and a resend is recognised as a duplicate.

Access: every route names the patient and resolves it through ``CurrentPatient`` (care
relationship, audited); images, series and landmark sets are then looked up *within that
patient*, so an id of another patient's object is simply not found.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import io
import json
import os
import secrets
import tempfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydicom.dataset import Dataset
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient, Role, User
from spinewise.config import Settings
from spinewise.consults.service import Upload  # a received file: name and chunks
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, InvalidInput, NotFound
from spinewise.imaging import dicom_files
from spinewise.imaging.classifier_inputs import (
    CAVEATS,
    SPINE_CLASSIFIER_COLUMNS,
    spine_classifier_inputs,
)
from spinewise.imaging.deidentify import UidMapper, dataset_to_bytes, deidentify
from spinewise.imaging.measure import LateralMeasurements, measure
from spinewise.imaging.models import (
    DicomPatientLink,
    ImagingInstance,
    ImagingSeries,
    ImagingStudy,
    LandmarkSet,
)
from spinewise.imaging.orthanc import OrthancClient
from spinewise.imaging.schemas import (
    FRONTAL_LANDMARKS,
    LATERAL_LANDMARKS,
    ClassifierLinkRead,
    ImportResult,
    InstanceRead,
    LandmarkSave,
    SeriesRead,
    StudyRead,
)
from spinewise.predict import service as predict
from spinewise.predict.schemas import SpineMeasurement

STORAGE_FOLDER = "imaging"
INCOMING_FOLDER = ".incoming"
CHUNK_BYTES = 1024 * 1024


# --- keys derived from the application secret ---------------------------------------------


def _derived_key(secret_key: str, purpose: str) -> bytes:
    return hmac.new(secret_key.encode("utf-8"), purpose.encode("ascii"), hashlib.sha256).digest()


def uid_mapper(secret_key: str) -> UidMapper:
    """The one UID mapping of this installation (same original UID, same replacement)."""
    return UidMapper(_derived_key(secret_key, "spinewise.imaging.uids"))


def dicom_id_hash(secret_key: str, dicom_patient_id: str) -> str:
    """Keyed hash of a hospital Patient ID (the ID itself is never stored)."""
    key = _derived_key(secret_key, "spinewise.imaging.patient-id")
    return hmac.new(key, dicom_patient_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()


# --- files on disk --------------------------------------------------------------------------


def storage_root(data_dir: Path) -> Path:
    return Path(data_dir) / STORAGE_FOLDER


def path_for(data_dir: Path, key: str) -> Path:
    if len(key) != 32 or any(c not in "0123456789abcdef" for c in key):
        raise NotFound("image not found")
    return storage_root(data_dir) / key[:2] / f"{key}.dcm"


def _write_new_file(data_dir: Path, payload: bytes) -> str:
    """Write de-identified bytes under a fresh random key, atomically; returns the key."""
    key = secrets.token_hex(16)
    final = path_for(data_dir, key)
    final.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".write-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return key


def _remove_files(data_dir: Path, keys: Iterable[str]) -> None:
    for key in keys:
        with contextlib.suppress(FileNotFoundError, NotFound):
            path_for(data_dir, key).unlink()


@contextlib.contextmanager
def _spooled(upload: Upload, *, data_dir: Path, max_bytes: int) -> Iterator[Path]:
    """The raw upload in a temporary file, size-checked while written and always deleted."""
    folder = storage_root(data_dir) / INCOMING_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix="raw-")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(handle, "wb") as out:
            for chunk in upload.chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput("file", f"is larger than {max_bytes // (1024 * 1024)} MB")
                out.write(chunk)
        if size == 0:
            raise InvalidInput("file", "is empty")
        yield path
    finally:
        path.unlink(missing_ok=True)


def _objects_of(
    upload: Upload, *, data_dir: Path, max_bytes: int
) -> Generator[tuple[str, bytes] | str, None, None]:
    """(name, bytes) of every DICOM object in an upload, or the name of a skipped zip member."""
    with _spooled(upload, data_dir=data_dir, max_bytes=max_bytes) as path:
        with path.open("rb") as handle:
            head = handle.read(dicom_files.SNIFF_BYTES)
        kind = dicom_files.sniff_kind(head)
        if kind == "dicom":
            yield upload.filename, path.read_bytes()
        elif kind == "zip":
            limits = dicom_files.ZipLimits(
                max_member_bytes=max_bytes, max_total_bytes=4 * max_bytes
            )
            for member in dicom_files.dicom_members(path, limits=limits):
                yield member if isinstance(member, str) else (member.name, member.data)
        else:
            raise InvalidInput("file", f"type not accepted; send {dicom_files.ACCEPTED}")


# --- import ---------------------------------------------------------------------------------


@dataclass
class _Batch:
    keys: list[str]
    studies: list[int]
    added: int = 0
    duplicates: int = 0
    synthetic: bool = False


def import_uploads(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    uploads: Sequence[Upload],
    data_dir: Path,
    secret_key: str,
    max_bytes: int,
    confirm_burned_in: bool = False,
) -> ImportResult:
    """De-identify and index uploaded DICOM files or zips of them, all or nothing.

    A file that is not DICOM, an object flagged with burned-in annotation (unless a clinician
    confirms), or an object without UIDs refuses the whole upload, and nothing is kept.
    """
    if not uploads:
        raise InvalidInput("files", "choose a DICOM file or a zip of a study")
    if confirm_burned_in and (actor.user is None or actor.user.role != Role.clinician):
        raise Forbidden("only a clinician can confirm an image with burned-in annotation")

    def objects() -> Iterator[tuple[str, bytes] | str]:
        for upload in uploads:
            items = _objects_of(upload, data_dir=data_dir, max_bytes=max_bytes)
            with contextlib.closing(items):  # the raw spool is deleted even on a refusal
                yield from items

    return _import_batch(
        session,
        actor=actor,
        patient=patient,
        objects=objects(),
        source="upload",
        data_dir=data_dir,
        secret_key=secret_key,
        confirm_burned_in=confirm_burned_in,
    )


def import_from_pacs(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    client: OrthancClient,
    dicom_patient_id: str,
    data_dir: Path,
    secret_key: str,
) -> ImportResult:
    """Fetch every study of a hospital Patient ID from the PACS (Orthanc REST) and import it,
    de-identified in memory, all or nothing. Clinicians only; the ID itself is not stored."""
    if actor.user is None or actor.user.role != Role.clinician:
        raise Forbidden("fetching from the PACS is for the patient's clinicians")
    study_ids = client.find_studies(dicom_patient_id)
    if not study_ids:
        raise InvalidInput("dicom_patient_id", "the PACS holds no study for that Patient ID")
    objects = (
        (f"pacs instance {instance_id}", data)
        for instance_id, data in client.instances_of_studies(study_ids)
    )
    return _import_batch(
        session,
        actor=actor,
        patient=patient,
        objects=objects,
        source="pacs",
        data_dir=data_dir,
        secret_key=secret_key,
        confirm_burned_in=False,
    )


def pacs_client(settings: Settings) -> OrthancClient:
    """The configured PACS, or :class:`InvalidInput` when none is."""
    if not settings.imaging_orthanc_url:
        raise InvalidInput("pacs", "no PACS is configured (SPINEWISE_IMAGING_ORTHANC_URL)")
    return OrthancClient(
        settings.imaging_orthanc_url,
        username=settings.imaging_orthanc_user,
        password=settings.imaging_orthanc_password,
    )


def _import_batch(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    objects: Iterator[tuple[str, bytes] | str],
    source: str,
    data_dir: Path,
    secret_key: str,
    confirm_burned_in: bool,
) -> ImportResult:
    batch = _Batch(keys=[], studies=[])
    skipped: list[str] = []
    # A savepoint: a refusal undoes this batch's rows but not the request's audited access.
    try:
        with session.begin_nested():
            for item in objects:
                if isinstance(item, str):
                    skipped.append(item)
                    continue
                name, data = item
                _import_one(
                    session,
                    actor=actor,
                    patient=patient,
                    original=dicom_files.read_dicom_bytes(data, name=name),
                    name=name,
                    batch=batch,
                    data_dir=data_dir,
                    secret_key=secret_key,
                    confirm_burned_in=confirm_burned_in,
                    source=source,
                )
            if batch.added + batch.duplicates == 0:
                raise InvalidInput("file", "holds no DICOM object")
    except BaseException:
        _remove_files(data_dir, batch.keys)
        raise
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="imaging.studies",
        action="create",
        detail=f"{source}: {batch.added} instances, {batch.duplicates} duplicates, "
        f"studies {batch.studies}",
    )
    return ImportResult(
        studies=batch.studies,
        instances_added=batch.added,
        duplicates=batch.duplicates,
        skipped=skipped,
        synthetic=batch.synthetic,
    )


def import_received(
    session: Session,
    *,
    original: Dataset,
    data_dir: Path,
    secret_key: str,
    calling_ae: str,
) -> ImportResult | None:
    """File an object received over the DICOM network for the patient its Patient ID is
    linked to (:class:`DicomPatientLink`); ``None`` (and nothing kept) when no link matches.

    Objects flagged with burned-in annotation are refused here (no clinician has looked).
    """
    patient_id_text = str(original.get("PatientID", "") or "").strip()
    if not patient_id_text:
        return None
    link = session.scalar(
        select(DicomPatientLink).where(
            DicomPatientLink.id_hash == dicom_id_hash(secret_key, patient_id_text)
        )
    )
    if link is None:
        return None
    patient = session.get(Patient, link.patient_id)
    if patient is None:
        return None
    batch = _Batch(keys=[], studies=[])
    actor = Actor(user=None, client_addr=f"dicom:{calling_ae}"[:45])
    try:
        _import_one(
            session,
            actor=actor,
            patient=patient,
            original=original,
            name=str(original.get("SOPInstanceUID", "object")),
            batch=batch,
            data_dir=data_dir,
            secret_key=secret_key,
            confirm_burned_in=False,
            source="dicom",
        )
        session.flush()
    except BaseException:
        _remove_files(data_dir, batch.keys)
        raise
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="imaging.studies",
        action="receive",
        detail=f"C-STORE from {calling_ae}: {batch.added} added, {batch.duplicates} duplicate",
    )
    return ImportResult(
        studies=batch.studies,
        instances_added=batch.added,
        duplicates=batch.duplicates,
        skipped=[],
        synthetic=batch.synthetic,
    )


def _import_one(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    original: Dataset,
    name: str,
    batch: _Batch,
    data_dir: Path,
    secret_key: str,
    confirm_burned_in: bool,
    source: str,
) -> None:
    synthetic = dicom_files.is_synthetic(original)
    try:
        cleaned, report = deidentify(
            original, uids=uid_mapper(secret_key), confirm_burned_in=confirm_burned_in
        )
    except InvalidInput as exc:
        raise InvalidInput(name, exc.message) from exc
    facts = dicom_files.image_facts(cleaned)
    payload = dataset_to_bytes(cleaned)

    study = session.scalar(
        select(ImagingStudy).where(
            ImagingStudy.patient_id == patient.id, ImagingStudy.study_uid == facts.study_uid
        )
    )
    if study is None:
        study = ImagingStudy(
            patient_id=patient.id,
            study_uid=facts.study_uid,
            modality=facts.modality,
            source=source,
            synthetic=synthetic,
            created_by_id=actor.user_id,
        )
        session.add(study)
        session.flush()
    if study.id not in batch.studies:
        batch.studies.append(study.id)
    batch.synthetic = batch.synthetic or synthetic
    existing = session.scalar(
        select(ImagingInstance.id).where(
            ImagingInstance.patient_id == patient.id,
            ImagingInstance.sop_instance_uid == facts.sop_instance_uid,
        )
    )
    if existing is not None:
        batch.duplicates += 1
        return
    series = session.scalar(
        select(ImagingSeries).where(
            ImagingSeries.study_id == study.id, ImagingSeries.series_uid == facts.series_uid
        )
    )
    if series is None:
        series = ImagingSeries(
            study_id=study.id,
            series_uid=facts.series_uid,
            modality=facts.modality,
            body_part=facts.body_part,
            view_position=facts.view_position,
        )
        session.add(series)
        session.flush()
    key = _write_new_file(data_dir, payload)
    batch.keys.append(key)
    spacing = facts.pixel_spacing_mm
    session.add(
        ImagingInstance(
            series_id=series.id,
            patient_id=patient.id,
            sop_instance_uid=facts.sop_instance_uid,
            sop_class_uid=facts.sop_class_uid,
            instance_number=facts.instance_number,
            rows=facts.rows,
            columns=facts.columns,
            frames=facts.frames,
            pixel_spacing_row_mm=spacing[0] if spacing else None,
            pixel_spacing_col_mm=spacing[1] if spacing else None,
            spacing_source=facts.spacing_source,
            patient_orientation=facts.patient_orientation,
            transfer_syntax_uid=facts.transfer_syntax_uid,
            has_pixels=facts.has_pixels,
            burned_in_annotation=report.burned_in_annotation,
            burned_in_confirmed=report.burned_in_confirmed,
            storage_key=key,
            size_bytes=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(),
        )
    )
    session.flush()
    batch.added += 1


# --- the DICOM Patient ID link ---------------------------------------------------------------


def link_dicom_patient_id(
    session: Session, *, actor: Actor, patient: Patient, dicom_patient_id: str, secret_key: str
) -> int:
    """Let objects sent with this hospital Patient ID be filed for ``patient``; returns the
    number of IDs linked to the patient. An ID already linked to another patient is refused."""
    digest = dicom_id_hash(secret_key, dicom_patient_id)
    existing = session.scalar(select(DicomPatientLink).where(DicomPatientLink.id_hash == digest))
    if existing is not None and existing.patient_id != patient.id:
        raise InvalidInput("dicom_patient_id", "is already linked to another patient")
    if existing is None:
        session.add(
            DicomPatientLink(patient_id=patient.id, id_hash=digest, created_by_id=actor.user_id)
        )
        session.flush()
        audit.record(
            session,
            actor=actor,
            patient_id=patient.id,
            resource="imaging.dicom_link",
            action="create",
        )
    return dicom_link_count(session, patient_id=patient.id)


def dicom_link_count(session: Session, *, patient_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(DicomPatientLink)
            .where(DicomPatientLink.patient_id == patient_id)
        )
        or 0
    )


# --- reading the index ------------------------------------------------------------------------


def instance_urls(patient_id: int, instance_id: int) -> dict[str, str]:
    base = f"/api/v1/patients/{patient_id}/imaging/instances/{instance_id}"
    return {
        "file_url": f"{base}/file",
        "viewer_url": f"/patients/{patient_id}/imaging/instances/{instance_id}",
    }


def _instance_read(instance: ImagingInstance) -> InstanceRead:
    return InstanceRead.model_validate(instance).model_copy(
        update=instance_urls(instance.patient_id, instance.id)
    )


def list_studies(
    session: Session, *, patient: Patient, offset: int = 0, limit: int = 50
) -> tuple[list[StudyRead], int]:
    """The patient's studies, newest first, each with its series and instances."""
    total = int(
        session.scalar(
            select(func.count())
            .select_from(ImagingStudy)
            .where(ImagingStudy.patient_id == patient.id)
        )
        or 0
    )
    studies = list(
        session.scalars(
            select(ImagingStudy)
            .where(ImagingStudy.patient_id == patient.id)
            .order_by(ImagingStudy.created_at.desc(), ImagingStudy.id.desc())
            .offset(offset)
            .limit(limit)
        )
    )
    return [_study_read(session, study) for study in studies], total


def get_study(session: Session, *, patient: Patient, study_id: int) -> StudyRead:
    study = session.scalar(
        select(ImagingStudy).where(
            ImagingStudy.id == study_id, ImagingStudy.patient_id == patient.id
        )
    )
    if study is None:
        raise NotFound("study not found")
    return _study_read(session, study)


def _study_read(session: Session, study: ImagingStudy) -> StudyRead:
    series_rows = list(
        session.scalars(
            select(ImagingSeries)
            .where(ImagingSeries.study_id == study.id)
            .order_by(ImagingSeries.id)
        )
    )
    instances = list(
        session.scalars(
            select(ImagingInstance)
            .where(ImagingInstance.series_id.in_([s.id for s in series_rows]))
            .order_by(ImagingInstance.instance_number, ImagingInstance.id)
        )
    )
    series = []
    for row in series_rows:
        read = SeriesRead.model_validate(row)
        read.instances = [_instance_read(i) for i in instances if i.series_id == row.id]
        series.append(read)
    result = StudyRead.model_validate(study)
    result.series = series
    result.instance_count = len(instances)
    return result


def get_instance(session: Session, *, patient: Patient, instance_id: int) -> ImagingInstance:
    """An image of this patient (another patient's id is not found)."""
    instance = session.scalar(
        select(ImagingInstance).where(
            ImagingInstance.id == instance_id, ImagingInstance.patient_id == patient.id
        )
    )
    if instance is None:
        raise NotFound("image not found")
    return instance


def instance_read(instance: ImagingInstance) -> InstanceRead:
    return _instance_read(instance)


def instance_file(instance: ImagingInstance, *, data_dir: Path) -> Path:
    path = path_for(data_dir, instance.storage_key)
    if not path.is_file():
        raise NotFound("image file not found")
    return path


# --- landmarks and measurements ---------------------------------------------------------------


def _checked_landmarks(
    instance: ImagingInstance, data: LandmarkSave
) -> dict[str, list[float] | list[list[float]]]:
    """Known names only, the right shape for the view, inside the image."""
    names = LATERAL_LANDMARKS if data.view == "lateral" else FRONTAL_LANDMARKS
    placed: dict[str, Any] = {}
    for name, value in data.landmarks.items():
        if name not in names:
            raise InvalidInput(f"landmarks.{name}", f"is not a {data.view} landmark")
        if value is None:
            continue
        is_line = isinstance(value[0], list)
        if is_line != (data.view == "frontal"):
            shape = "[[x, y], [x, y]]" if data.view == "frontal" else "[x, y]"
            raise InvalidInput(f"landmarks.{name}", f"must be {shape}")
        points: list[Any] = list(value) if is_line else [value]
        for point in points:
            x, y = float(point[0]), float(point[1])
            if not (-0.5 <= x <= (instance.columns or 0) - 0.5) or not (
                -0.5 <= y <= (instance.rows or 0) - 0.5
            ):
                raise InvalidInput(f"landmarks.{name}", "lies outside the image")
        placed[name] = value
    return placed


def _measure(
    instance: ImagingInstance, view: str, anterior: str | None, landmarks: dict[str, Any]
) -> tuple[dict[str, float] | None, str]:
    spacing = instance.pixel_spacing_mm
    if spacing is None:
        return None, "the image carries no pixel spacing, so it cannot be measured"
    if view == "lateral" and anterior is None:
        return None, "choose the side the patient faces"
    document = {
        "view": view,
        "pixel_spacing_mm": list(spacing),
        "anterior": anterior,
        "landmarks": landmarks,
    }
    try:
        return measure(document).to_dict(), ""
    except InvalidInput as exc:
        return None, exc.message


def save_landmarks(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    instance: ImagingInstance,
    data: LandmarkSave,
) -> LandmarkSet:
    """Save a new version of the landmarks on an image, measured when complete."""
    user = actor.user
    if user is None or user.role != Role.clinician:
        raise Forbidden("landmarks are placed by clinicians")
    if not instance.has_pixels or not instance.rows or not instance.columns:
        raise InvalidInput("instance", "this object has no image to place landmarks on")
    landmarks = _checked_landmarks(instance, data)
    anterior = data.anterior if data.view == "lateral" else None
    measurements, problem = _measure(instance, data.view, anterior, landmarks)
    version = (
        session.scalar(
            select(func.max(LandmarkSet.version)).where(LandmarkSet.instance_id == instance.id)
        )
        or 0
    ) + 1
    landmark_set = LandmarkSet(
        instance_id=instance.id,
        patient_id=patient.id,
        version=version,
        view=data.view,
        anterior=anterior,
        landmarks=landmarks,
        measurements=measurements,
        problem=problem[:500],
        placed_by_id=user.id,
        placed_by_name=(user.name or user.email)[:200],
    )
    session.add(landmark_set)
    try:
        session.flush()
    except IntegrityError as exc:  # two saves at once: the second one is told to retry
        raise InvalidInput("version", "someone saved these landmarks just now; reload") from exc
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="imaging.landmarks",
        action="create",
        detail=f"instance {instance.id} version {version}"
        + (" measured" if measurements else f" not measured: {problem}"[:200]),
    )
    return landmark_set


def landmark_history(session: Session, *, instance: ImagingInstance) -> list[LandmarkSet]:
    """Every saved version, newest first."""
    return list(
        session.scalars(
            select(LandmarkSet)
            .where(LandmarkSet.instance_id == instance.id)
            .order_by(LandmarkSet.version.desc())
        )
    )


def latest_landmarks(session: Session, *, instance: ImagingInstance) -> LandmarkSet | None:
    history = landmark_history(session, instance=instance)
    return history[0] if history else None


EXPORT_COLUMNS = (
    "study_uid",
    "series_uid",
    "sop_instance_uid",
    "instance_id",
    "version",
    "view",
    "anterior",
    "placed_by",
    "placed_at",
    "pixel_spacing_row_mm",
    "pixel_spacing_col_mm",
    "pelvic_incidence_deg",
    "pelvic_tilt_deg",
    "sacral_slope_deg",
    "lumbar_lordosis_deg",
    "pelvic_radius_mm",
    "slip_percent",
    "cobb_deg",
    "problem",
    "landmarks_json",
)


def export_csv(session: Session, *, patient: Patient) -> str:
    """Every landmark version of the patient with its measurements (one row each), so that an
    exported number can be traced to the landmarks, the person and the time behind it."""
    rows = session.execute(
        select(LandmarkSet, ImagingInstance, ImagingSeries, ImagingStudy)
        .join(ImagingInstance, ImagingInstance.id == LandmarkSet.instance_id)
        .join(ImagingSeries, ImagingSeries.id == ImagingInstance.series_id)
        .join(ImagingStudy, ImagingStudy.id == ImagingSeries.study_id)
        .where(LandmarkSet.patient_id == patient.id)
        .order_by(LandmarkSet.instance_id, LandmarkSet.version)
    ).all()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for landmark_set, instance, series, study in rows:
        measured = landmark_set.measurements or {}
        writer.writerow(
            {
                "study_uid": study.study_uid,
                "series_uid": series.series_uid,
                "sop_instance_uid": instance.sop_instance_uid,
                "instance_id": instance.id,
                "version": landmark_set.version,
                "view": landmark_set.view,
                "anterior": landmark_set.anterior or "",
                "placed_by": _csv_safe(landmark_set.placed_by_name),
                "placed_at": landmark_set.created_at.isoformat(),
                "pixel_spacing_row_mm": instance.pixel_spacing_row_mm,
                "pixel_spacing_col_mm": instance.pixel_spacing_col_mm,
                **{name: measured.get(name, "") for name in EXPORT_COLUMNS[11:18]},
                "problem": _csv_safe(landmark_set.problem),
                "landmarks_json": json.dumps(landmark_set.landmarks, separators=(",", ":")),
            }
        )
    return out.getvalue()


def _csv_safe(text: str) -> str:
    """No spreadsheet formula injection from a name or message (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def record_export(session: Session, *, actor: Actor, patient: Patient) -> None:
    audit.record(
        session, actor=actor, patient_id=patient.id, resource="imaging.export", action="read"
    )


# --- the spine classifier ---------------------------------------------------------------------


def classifier_link(
    session: Session,
    *,
    actor: Actor,
    patient: Patient,
    instance: ImagingInstance,
    degree_spondylolisthesis: float | None = None,
) -> ClassifierLinkRead:
    """Fill the spine classifier from the image's newest measured lateral landmarks and, when
    every input is known, classify (audited by the decision-support service)."""
    user: User | None = actor.user
    if user is None or user.role != Role.clinician:
        raise Forbidden("decision support is shown to clinicians only")
    latest = latest_landmarks(session, instance=instance)
    if latest is None or latest.view != "lateral" or not latest.measurements:
        reason = (
            "place and save the lateral landmarks first"
            if latest is None or latest.view == "lateral"
            else "the spine classifier needs a lateral view"
        )
        return ClassifierLinkRead(
            landmark_set_id=latest.id if latest else None,
            landmark_version=latest.version if latest else None,
            values=dict.fromkeys(SPINE_CLASSIFIER_COLUMNS),
            not_measured=list(SPINE_CLASSIFIER_COLUMNS),
            caveats=dict(CAVEATS),
            reason=reason,
            prediction=None,
        )
    m = latest.measurements
    measured = LateralMeasurements(
        pelvic_incidence_deg=m["pelvic_incidence_deg"],
        pelvic_tilt_deg=m["pelvic_tilt_deg"],
        sacral_slope_deg=m["sacral_slope_deg"],
        lumbar_lordosis_deg=m["lumbar_lordosis_deg"],
        pelvic_radius_mm=m["pelvic_radius_mm"],
        slip_percent=m.get("slip_percent"),
    )
    inputs = spine_classifier_inputs(measured, degree_spondylolisthesis=degree_spondylolisthesis)
    prediction = None
    reason = ""
    if inputs.complete:
        values = {k: float(v) for k, v in inputs.values.items() if v is not None}
        try:
            measurement = SpineMeasurement(**values, patient_id=patient.id)
        except ValidationError:
            measurement = None
            reason = "a measured value lies outside the range the classifier accepts"
        if measurement is not None:
            prediction = predict.classify_spine(session, actor=actor, measurement=measurement)
    else:
        reason = (
            "not measured: "
            + ", ".join(name.replace("_", " ") for name in inputs.not_measured)
            + " — enter the grade measured elsewhere, or place the L5 posterior-inferior corner"
        )
    return ClassifierLinkRead(
        landmark_set_id=latest.id,
        landmark_version=latest.version,
        values=inputs.values,
        not_measured=list(inputs.not_measured),
        caveats=inputs.caveats,
        reason=reason,
        prediction=prediction,
    )
