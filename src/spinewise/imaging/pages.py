"""Imaging pages: the patient's studies with the upload form, the viewer (Cornerstone3D, see
``static/imaging-viewer.js``), and the fragments it refreshes (measurements, classifier).
Pages only translate; services decide."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinewise.accounts import service as accounts
from spinewise.accounts.models import Patient, Role
from spinewise.consults.deps import uploads_of
from spinewise.core.deps import CurrentActor, CurrentPatient, CurrentUser, SessionDep, SettingsDep
from spinewise.core.errors import SpinewiseError
from spinewise.imaging import service
from spinewise.imaging.deps import CurrentInstance, ImagingClinician
from spinewise.imaging.dicom_files import anterior_from_orientation
from spinewise.imaging.measure import FEMORAL_HEADS
from spinewise.predict.service import model_card
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)

# Landmarks offered in the viewer, in the order a clinician places them (names of the
# LANDMARKS.json contract; frontal lines are two points each).
LATERAL_STEPS = (
    ("femoral_head_1", "Femoral head centre (1)"),
    ("femoral_head_2", "Femoral head centre (2, optional)"),
    ("s1_anterior", "S1 endplate, anterior corner"),
    ("s1_posterior", "S1 endplate, posterior corner"),
    ("l1_anterior", "L1 superior endplate, anterior corner"),
    ("l1_posterior", "L1 superior endplate, posterior corner"),
    ("l5_posterior_inferior", "L5 posterior-inferior corner (optional, for the slip)"),
)
FRONTAL_STEPS = (
    ("upper_endplate.0", "Upper endplate, first end"),
    ("upper_endplate.1", "Upper endplate, second end"),
    ("lower_endplate.0", "Lower endplate, first end"),
    ("lower_endplate.1", "Lower endplate, second end"),
)
OPTIONAL = {FEMORAL_HEADS[1], "l5_posterior_inferior"}
MEASUREMENT_LABELS = {
    "pelvic_incidence_deg": ("Pelvic incidence", "°"),
    "pelvic_tilt_deg": ("Pelvic tilt", "°"),
    "sacral_slope_deg": ("Sacral slope", "°"),
    "lumbar_lordosis_deg": ("Lumbar lordosis (L1–S1)", "°"),
    "pelvic_radius_mm": ("Pelvic radius", " mm"),
    "slip_percent": ("Slip (Taillard)", " %"),
    "cobb_deg": ("Cobb angle", "°"),
}


def _base_context(session: SessionDep, patient: Patient, user: CurrentUser) -> dict[str, Any]:
    return {
        "patient": patient,
        "patient_user": accounts.user_of(session, patient=patient),
        "is_clinician": user.role == Role.clinician,
    }


def _index(
    request: Request,
    session: SessionDep,
    patient: Patient,
    user: CurrentUser,
    *,
    error: str = "",
    status_code: int = 200,
    messages: list[str] | None = None,
) -> Response:
    studies, total = service.list_studies(session, patient=patient, limit=100)
    context = {
        **_base_context(session, patient, user),
        "studies": studies,
        "total": total,
        "error": error,
        "messages": messages or [],
        "dicom_links": service.dicom_link_count(session, patient_id=patient.id),
        "pacs_configured": bool(request.app.state.settings.imaging_orthanc_url),
    }
    return render(request, "imaging/index.html", context, status_code)


@router.get("/patients/{patient_id}/imaging", response_class=HTMLResponse)
def imaging_page(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    session: SessionDep,
    added: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
    duplicates: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    messages = []
    if added is not None:
        messages.append(
            f"{added} image{'s' if added != 1 else ''} imported and de-identified"
            + (f"; {duplicates} already here" if duplicates else "")
            + "."
        )
    return _index(request, session, patient, user, messages=messages)


@router.post("/patients/{patient_id}/imaging/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    patient: CurrentPatient,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    files: Annotated[list[UploadFile] | None, File()] = None,
    confirm_burned_in: Annotated[bool, Form()] = False,
) -> Response:
    try:
        result = service.import_uploads(
            session,
            actor=actor,
            patient=patient,
            uploads=uploads_of(files),
            data_dir=settings.data_dir,
            secret_key=settings.secret_key,
            max_bytes=settings.imaging_max_upload_bytes,
            confirm_burned_in=confirm_burned_in,
        )
    except SpinewiseError as exc:
        return _index(request, session, patient, user, error=exc.message, status_code=422)
    return _imported(patient.id, result)


@router.post("/patients/{patient_id}/imaging/pacs-import", response_class=HTMLResponse)
def pacs_import(
    request: Request,
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    dicom_patient_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    try:
        result = service.import_from_pacs(
            session,
            actor=actor,
            patient=patient,
            client=service.pacs_client(settings),
            dicom_patient_id=dicom_patient_id,
            data_dir=settings.data_dir,
            secret_key=settings.secret_key,
        )
    except SpinewiseError as exc:
        return _index(request, session, patient, user, error=exc.message, status_code=422)
    return _imported(patient.id, result)


@router.post("/patients/{patient_id}/imaging/dicom-link", response_class=HTMLResponse)
def dicom_link(
    request: Request,
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    settings: SettingsDep,
    dicom_patient_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    if not dicom_patient_id.strip():
        return _index(
            request, session, patient, user, error="enter the hospital Patient ID", status_code=422
        )
    try:
        service.link_dicom_patient_id(
            session,
            actor=actor,
            patient=patient,
            dicom_patient_id=dicom_patient_id,
            secret_key=settings.secret_key,
        )
    except SpinewiseError as exc:
        return _index(request, session, patient, user, error=exc.message, status_code=422)
    return _index(
        request,
        session,
        patient,
        user,
        messages=["Linked: images sent with that Patient ID will be filed here."],
    )


@router.get("/patients/{patient_id}/imaging/instances/{instance_id}", response_class=HTMLResponse)
def viewer(
    request: Request,
    patient: CurrentPatient,
    instance: CurrentInstance,
    user: CurrentUser,
    session: SessionDep,
) -> Response:
    urls = service.instance_urls(patient.id, instance.id)
    api = f"/api/v1/patients/{patient.id}/imaging/instances/{instance.id}"
    context = {
        **_base_context(session, patient, user),
        "instance": instance,
        "file_url": urls["file_url"],
        "landmarks_url": f"{api}/landmarks",
        "results_url": f"/patients/{patient.id}/imaging/instances/{instance.id}/results",
        "suggested_anterior": anterior_from_orientation(instance.patient_orientation) or "",
        "lateral_steps": LATERAL_STEPS,
        "frontal_steps": FRONTAL_STEPS,
        "optional": OPTIONAL,
    }
    return render(request, "imaging/viewer.html", context)


@router.get(
    "/patients/{patient_id}/imaging/instances/{instance_id}/results",
    response_class=HTMLResponse,
)
def results(
    request: Request,
    patient: CurrentPatient,
    instance: CurrentInstance,
    user: CurrentUser,
    session: SessionDep,
) -> Response:
    """The newest measurements and the version history (reloaded by the viewer after a save)."""
    history = service.landmark_history(session, instance=instance)
    context = {
        **_base_context(session, patient, user),
        "instance": instance,
        "latest": history[0] if history else None,
        "history": history,
        "labels": MEASUREMENT_LABELS,
    }
    return render(request, "imaging/results.html", context)


@router.get(
    "/patients/{patient_id}/imaging/instances/{instance_id}/classifier",
    response_class=HTMLResponse,
)
def classifier(
    request: Request,
    _clinician: ImagingClinician,
    patient: CurrentPatient,
    instance: CurrentInstance,
    actor: CurrentActor,
    session: SessionDep,
    degree_spondylolisthesis: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The spine classifier fed by this image's measurements, with its model card."""
    grade: float | None = None
    error = ""
    if degree_spondylolisthesis.strip():
        try:
            grade = float(degree_spondylolisthesis)
            if not -1000 <= grade <= 1000:
                raise ValueError
        except ValueError:
            error = "degree of spondylolisthesis: enter a number between -1000 and 1000"
            grade = None
    link = service.classifier_link(
        session, actor=actor, patient=patient, instance=instance, degree_spondylolisthesis=grade
    )
    card = model_card("spine").to_dict()
    context = {
        "patient": patient,
        "instance": instance,
        "link": link,
        "card": card,
        "grade": degree_spondylolisthesis,
        "error": error,
    }
    return render(request, "imaging/classifier.html", context)


def _imported(patient_id: int, result: service.ImportResult) -> RedirectResponse:
    """Back to the study list, which reports what an upload or PACS fetch added."""
    return RedirectResponse(
        f"/patients/{patient_id}/imaging?added={result.instances_added}"
        f"&duplicates={result.duplicates}",
        status_code=303,
    )
