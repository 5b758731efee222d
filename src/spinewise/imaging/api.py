"""JSON routes of spine imaging under ``/api/v1/patients/{patient_id}/imaging``.

The patient and their care team upload and read; landmarks are placed by clinicians, and the
spine classifier is shown to clinicians only (a patient gets 403 there). Every route resolves
the patient through ``CurrentPatient`` (404 when hidden, audited); the objects below it are
looked up within that patient.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import FileResponse, Response

from spinewise.consults.deps import uploads_of
from spinewise.core.deps import CurrentActor, CurrentPatient, SessionDep, SettingsDep
from spinewise.imaging import service
from spinewise.imaging.deps import CurrentInstance, ImagingClinician, ObjectId
from spinewise.imaging.schemas import (
    ClassifierLinkRead,
    DicomLinkRead,
    DicomLinkSet,
    ImportResult,
    InstanceRead,
    LandmarkHistory,
    LandmarkSave,
    LandmarkSetRead,
    StudyPage,
    StudyRead,
)

router = APIRouter(prefix="/api/v1/patients/{patient_id}/imaging", tags=["imaging"])

DICOM = "application/dicom"  # RFC 3240


@router.post("/studies", response_model=ImportResult, status_code=201)
def upload_studies(
    patient: CurrentPatient,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile], File(description="DICOM files or a zip of a study")],
    confirm_burned_in: Annotated[bool, Form()] = False,
) -> ImportResult:
    """Upload DICOM files or a zip of a study (multipart ``files``). Every object is
    de-identified (PS3.15 Annex E basic profile) before it is stored; the original is not
    kept. An image flagged with burned-in annotation is refused unless a clinician sends
    ``confirm_burned_in=true``."""
    return service.import_uploads(
        session,
        actor=actor,
        patient=patient,
        uploads=uploads_of(files),
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
        max_bytes=settings.imaging_max_upload_bytes,
        confirm_burned_in=confirm_burned_in,
    )


@router.get("/studies", response_model=StudyPage)
def list_studies(
    patient: CurrentPatient,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> StudyPage:
    """The patient's studies, newest first, with series and instances."""
    items, total = service.list_studies(session, patient=patient, offset=offset, limit=limit)
    return StudyPage(items=items, total=total)


@router.get("/studies/{study_id}", response_model=StudyRead)
def get_study(
    patient: CurrentPatient,
    session: SessionDep,
    study_id: ObjectId,
) -> StudyRead:
    return service.get_study(session, patient=patient, study_id=study_id)


@router.get("/instances/{instance_id}", response_model=InstanceRead)
def get_instance(instance: CurrentInstance) -> InstanceRead:
    """One image's index entry (geometry, pixel spacing, de-identification flags)."""
    return service.instance_read(instance)


@router.get(
    "/instances/{instance_id}/file",
    response_class=FileResponse,
    responses={200: {"content": {DICOM: {}}}},
)
def instance_file(instance: CurrentInstance, settings: SettingsDep) -> FileResponse:
    """The de-identified DICOM object (what the viewer loads)."""
    return FileResponse(
        service.instance_file(instance, data_dir=settings.data_dir),
        media_type=DICOM,
        filename=f"image-{instance.id}.dcm",
        content_disposition_type="attachment",
        headers={"Content-Security-Policy": "default-src 'none'; sandbox"},
    )


@router.get("/instances/{instance_id}/landmarks", response_model=LandmarkHistory)
def landmark_history(instance: CurrentInstance, session: SessionDep) -> LandmarkHistory:
    """Every saved version of the landmarks on the image with its measurements, newest first."""
    history = service.landmark_history(session, instance=instance)
    spacing = instance.pixel_spacing_mm
    return LandmarkHistory(
        items=[LandmarkSetRead.model_validate(s) for s in history],
        pixel_spacing_mm=list(spacing) if spacing else None,
        suggested_anterior=service.dicom_files.anterior_from_orientation(
            instance.patient_orientation
        ),
    )


@router.post("/instances/{instance_id}/landmarks", response_model=LandmarkSetRead, status_code=201)
def save_landmarks(
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    instance: CurrentInstance,
    body: LandmarkSave,
    actor: CurrentActor,
    session: SessionDep,
) -> LandmarkSetRead:
    """Save a new version of the landmarks (clinicians). Complete sets are measured with the
    LANDMARKS.json geometry of ``spinewise imaging measure``; incomplete or inconsistent ones
    are kept with ``problem`` saying why nothing was measured."""
    saved = service.save_landmarks(
        session, actor=actor, patient=patient, instance=instance, data=body
    )
    return LandmarkSetRead.model_validate(saved)


@router.get("/instances/{instance_id}/classifier", response_model=ClassifierLinkRead)
def classifier(
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    instance: CurrentInstance,
    actor: CurrentActor,
    session: SessionDep,
    degree_spondylolisthesis: Annotated[
        float | None, Query(ge=-1000, le=1000, allow_inf_nan=False)
    ] = None,
) -> ClassifierLinkRead:
    """The spine classifier's inputs from the newest measured lateral landmarks, what imaging
    cannot measure, and the prediction with its model card when every input is known."""
    return service.classifier_link(
        session,
        actor=actor,
        patient=patient,
        instance=instance,
        degree_spondylolisthesis=degree_spondylolisthesis,
    )


@router.get(
    "/measurements.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def export_measurements(
    patient: CurrentPatient, actor: CurrentActor, session: SessionDep
) -> Response:
    """Every landmark version with its measurements, one CSV row each."""
    service.record_export(session, actor=actor, patient=patient)
    return Response(
        service.export_csv(session, patient=patient),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="imaging-{patient.id}.csv"'},
    )


@router.put("/dicom-link", response_model=DicomLinkRead)
def link_dicom_patient_id(
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    body: DicomLinkSet,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> DicomLinkRead:
    """File objects that a modality or PACS sends with this hospital Patient ID for this
    patient (clinicians). Only a keyed hash of the ID is stored."""
    count = service.link_dicom_patient_id(
        session,
        actor=actor,
        patient=patient,
        dicom_patient_id=body.dicom_patient_id,
        secret_key=settings.secret_key,
    )
    return DicomLinkRead(linked=True, links=count)


@router.post("/pacs-import", response_model=ImportResult, status_code=201)
def import_from_pacs(
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    body: DicomLinkSet,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
) -> ImportResult:
    """Fetch every study of a hospital Patient ID from the configured PACS (Orthanc REST API,
    ``SPINEWISE_IMAGING_ORTHANC_URL``) and import it de-identified (clinicians)."""
    return service.import_from_pacs(
        session,
        actor=actor,
        patient=patient,
        client=service.pacs_client(settings),
        dicom_patient_id=body.dicom_patient_id,
        data_dir=settings.data_dir,
        secret_key=settings.secret_key,
    )
