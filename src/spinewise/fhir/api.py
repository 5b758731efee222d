"""FHIR R4 REST API at ``/fhir`` (JSON, ``application/fhir+json``).

Read and search on the mapped resources, ``Patient/{id}/$everything``, bulk ``$export`` (kick-off,
status, NDJSON download, as in the Bulk Data Access IG) and ``POST /fhir`` transactions. Errors are
OperationOutcomes. Access: the caller's care relationship, narrowed by the token's SMART scopes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import structlog
from fastapi import (
    APIRouter,
    BackgroundTasks,
    Body,
    Depends,
    Header,
    Query,
    Request,
)
from fastapi import (
    Path as PathParam,
)
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.datastructures import State

from spinewise.config import Settings
from spinewise.core.deps import CredentialsDep, CurrentActor, SessionDep, SettingsDep
from spinewise.core.errors import InvalidInput, NotAuthenticated, NotFound, SpinewiseError
from spinewise.db import unit_of_work
from spinewise.fhir import service
from spinewise.fhir.models import ExportStatus
from spinewise.fhir.refs import validate
from spinewise.fhir.service import FHIR_JSON, Caller, FhirOutcome

router = APIRouter(prefix="/fhir", tags=["fhir"])
SEARCHABLE = (*service.SERVED_TYPES, "Questionnaire")
ResourceType = Annotated[str, PathParam(pattern=r"^[A-Z][A-Za-z]{1,40}$")]
LogicalId = Annotated[str, PathParam(pattern=r"^[A-Za-z0-9\-\.]{1,64}$")]
PatientLogicalId = Annotated[int, PathParam(ge=1, lt=2**63)]
JobId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{32}$")]


class FhirJSON(JSONResponse):
    media_type = FHIR_JSON


def _caller(actor: CurrentActor, credentials: CredentialsDep) -> Caller:
    scopes = credentials[1].scopes if credentials else ""
    return Caller.of(actor, scopes)


CallerDep = Annotated[Caller, Depends(_caller)]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/fhir"


def _refs(session: Any, settings: Settings) -> Any:
    return service.make_refs(session, base_url=settings.base_url)


def fhir_error_response(exc: SpinewiseError) -> Response:
    """Domain errors on /fhir as OperationOutcome (the app's error handler calls this)."""
    if isinstance(exc, FhirOutcome):
        body = exc.to_dict()
    else:
        code = {401: "login", 403: "forbidden", 404: "not-found", 409: "conflict"}.get(
            exc.status_code, "invalid"
        )
        body = service.operation_outcome([service.issue(exc.message, code=code)])
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, NotAuthenticated) else {}
    return FhirJSON(body, status_code=exc.status_code, headers=headers)


def fhir_validation_response(errors: Sequence[dict[str, Any]]) -> Response:
    issues = [
        service.issue(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}",
            expression=".".join(str(p) for p in e.get("loc", ())[1:]) or None,
        )
        for e in errors
    ]
    return FhirJSON(service.operation_outcome(issues), status_code=400)


@router.get("/metadata", response_class=FhirJSON)
def metadata(request: Request) -> FhirJSON:
    """The CapabilityStatement: what this server reads, searches, imports and exports."""
    search_params = [
        {"name": "patient", "type": "reference"},
        {"name": "date", "type": "date"},
        {"name": "code", "type": "token"},
        {"name": "_count", "type": "number"},
    ]
    resources = [
        {
            "type": resource_type,
            "interaction": [{"code": "read"}, {"code": "search-type"}]
            + ([{"code": "update"}] if resource_type in service.IMPORTED_TYPES else []),
            "searchParam": [
                p
                for p in search_params
                if not (p["name"] == "code" and resource_type.startswith("Medication"))
            ],
        }
        for resource_type in SEARCHABLE
    ]
    for resource in resources:
        if resource["type"] == "Patient":
            resource["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                },
                {
                    "name": "export",
                    "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
                },
            ]
    statement = {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2026-12-01",
        "kind": "instance",
        "software": {"name": "Spinewise"},
        "implementation": {"description": "Spinewise FHIR API", "url": _base(request)},
        "fhirVersion": "4.3.0",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "service": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                    "code": "SMART-on-FHIR",
                                }
                            ]
                        }
                    ],
                    "description": "Bearer tokens from POST /api/v1/auth/token, optionally narrowed "
                    "with SMART scopes (scope=patient/*.read user/Observation.read …).",
                },
                "resource": resources,
                "interaction": [{"code": "transaction"}],
                "operation": [
                    {
                        "name": "export",
                        "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
                    }
                ],
            }
        ],
    }
    return FhirJSON(validate(statement))


def _kick_off(
    request: Request,
    caller: Caller,
    session: Any,
    settings: Settings,
    background: BackgroundTasks,
    prefer: str | None,
    types: str | None,
    credentials: Any,
) -> Response:
    if "respond-async" not in (prefer or ""):
        raise InvalidInput("Prefer", "bulk export needs the header 'Prefer: respond-async'")
    wanted = [t for t in (types or "").split(",") if t]
    job = service.start_export(
        session,
        caller,
        request_url=str(request.url),
        types=wanted,
        scope_text=credentials[1].scopes if credentials else "",
    )
    background.add_task(
        _run_export, request.app.state, job.id, settings.base_url, Path(settings.data_dir)
    )
    location = f"{_base(request)}/$export-status/{job.id}"
    return Response(status_code=202, headers={"Content-Location": location})


def _run_export(state: State, job_id: str, base_url: str, data_dir: Path) -> None:
    """The export job, in-process, in its own transaction (after the kick-off has committed)."""
    try:
        with unit_of_work(state.session_factory) as session:
            service.run_export(session, job_id=job_id, base_url=base_url, data_dir=data_dir)
    except Exception as exc:  # the job must end in a state the client can see
        structlog.get_logger("spinewise.fhir").exception("fhir.export_failed", job=job_id)
        with unit_of_work(state.session_factory) as session:
            service.fail_export(session, job_id=job_id, message=str(exc))


ExportType = Annotated[str | None, Query(alias="_type", max_length=500)]
PreferHeader = Annotated[str | None, Header()]


@router.get("/$export", status_code=202)
def export_system(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    credentials: CredentialsDep,
    prefer: PreferHeader = None,
    types: ExportType = None,
) -> Response:
    """Bulk export of every patient the caller may read (kick-off; 202 + Content-Location)."""
    return _kick_off(request, caller, session, settings, background, prefer, types, credentials)


@router.get("/Patient/$export", status_code=202)
def export_patients(
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    background: BackgroundTasks,
    credentials: CredentialsDep,
    prefer: PreferHeader = None,
    types: ExportType = None,
) -> Response:
    """Patient-level bulk export (the same set: patients in the caller's care relationship)."""
    return _kick_off(request, caller, session, settings, background, prefer, types, credentials)


@router.get("/$export-status/{job_id}")
def export_status(
    job_id: JobId, request: Request, caller: CallerDep, session: SessionDep
) -> Response:
    job = service.get_job(session, caller, job_id)
    if job.status == ExportStatus.running:
        return Response(status_code=202, headers={"X-Progress": "running", "Retry-After": "2"})
    if job.status == ExportStatus.failed:
        return FhirJSON(
            service.operation_outcome(
                [service.issue(job.error or "export failed", code="exception")]
            ),
            status_code=500,
        )
    return JSONResponse(service.manifest(job, base=_base(request)))


@router.delete("/$export-status/{job_id}", status_code=202)
def export_delete(
    job_id: JobId, caller: CallerDep, session: SessionDep, settings: SettingsDep
) -> Response:
    service.delete_export(session, caller, job_id=job_id, data_dir=Path(settings.data_dir))
    return Response(status_code=202)


@router.get("/$export-file/{job_id}/{name}")
def export_file(
    job_id: JobId,
    name: Annotated[str, PathParam(pattern=r"^[A-Za-z]{1,40}\.ndjson$")],
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """One NDJSON file of a finished job; only its owner (with a token) may download it."""
    path, _ = service.export_file(
        session, caller, job_id=job_id, name=name, data_dir=Path(settings.data_dir)
    )
    return StreamingResponse(service.iter_lines(path), media_type="application/fhir+ndjson")


@router.get("/Patient/{patient_id}/$everything", response_class=FhirJSON)
def everything(
    patient_id: PatientLogicalId,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    count: Annotated[
        int, Query(alias="_count", ge=1, le=service.MAX_COUNT)
    ] = service.DEFAULT_COUNT,
    offset: Annotated[int, Query(alias="_offset", ge=0, le=10**9)] = 0,
) -> FhirJSON:
    """Everything about one patient as a searchset Bundle, paged (``next`` link)."""
    page = service.everything(
        session,
        caller,
        patient_id=patient_id,
        refs=_refs(session, settings),
        offset=offset,
        count=count,
        resource="/fhir/Patient/{patient_id}/$everything",
    )
    return FhirJSON(_bundle(request, page, {"_count": str(count)}))


def _bundle(request: Request, page: service.Page, keep: dict[str, str]) -> dict[str, Any]:
    base = _base(request)
    params = {k: v for k, v in request.query_params.multi_items() if not k.startswith("_")}
    next_url = None
    if page.next_params:
        query = list(params.items()) + list(keep.items()) + list(page.next_params.items())
        next_url = f"{str(request.url).split('?')[0]}?{urlencode(query)}"
    return service.searchset(
        page.resources, base=base, self_url=str(request.url), next_url=next_url, total=page.total
    )


def _patient_param(value: str | None) -> int | None:
    if value is None:
        return None
    text = value.removeprefix("Patient/")
    if not text.isdigit() or len(text) > 18:
        raise NotFound("patient not found")
    return int(text)


@router.get("/{resource_type}", response_class=FhirJSON)
def search(
    resource_type: ResourceType,
    request: Request,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    patient: Annotated[str | None, Query(max_length=80)] = None,
    date: Annotated[list[str] | None, Query(max_length=40)] = None,
    code: Annotated[list[str] | None, Query(max_length=300)] = None,
    count: Annotated[
        int, Query(alias="_count", ge=1, le=service.MAX_COUNT)
    ] = service.DEFAULT_COUNT,
    offset: Annotated[int, Query(alias="_offset", ge=0, le=10**9)] = 0,
    cursor: Annotated[str | None, Query(alias="_cursor", max_length=200)] = None,
) -> FhirJSON:
    """Search by ``patient``, ``date`` (eq/ge/gt/le/lt), ``code`` and ``_count``; paged with a
    keyset cursor (Observation) or an offset (the rest), both in SQL."""
    if resource_type == "Questionnaire":
        from spinewise.fhir import questionnaire

        items = [
            q
            for i in questionnaire.QUESTIONNAIRE_IDS
            if (q := questionnaire.questionnaire_to_fhir(i))
        ]
        return FhirJSON(
            service.searchset(
                items,
                base=_base(request),
                self_url=str(request.url),
                next_url=None,
                total=len(items),
            )
        )
    if resource_type not in service.SERVED_TYPES:
        raise NotFound(f"{resource_type} is not served here")
    page = service.search(
        session,
        caller,
        resource_type=resource_type,
        refs=_refs(session, settings),
        patient_id=_patient_param(patient),
        dates=service.parse_date_params(date or []),
        code=code or [],
        count=count,
        offset=offset,
        cursor=cursor,
        resource=f"/fhir/{resource_type}",
    )
    keep = {"_count": str(count)}
    return FhirJSON(_bundle(request, page, keep))


@router.get("/{resource_type}/{logical_id}", response_class=FhirJSON)
def read(
    resource_type: ResourceType,
    logical_id: LogicalId,
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> FhirJSON:
    if resource_type not in (*SEARCHABLE, "CodeSystem"):
        raise NotFound(f"{resource_type} is not served here")
    resource = service.read(
        session,
        caller,
        resource_type=resource_type,
        logical=logical_id,
        refs=_refs(session, settings),
        resource=f"/fhir/{resource_type}/{{id}}",
    )
    return FhirJSON(resource)


@router.post("", response_class=FhirJSON)
def transaction(
    caller: CallerDep,
    session: SessionDep,
    settings: SettingsDep,
    bundle: Annotated[dict[str, Any], Body()],
) -> FhirJSON:
    """A transaction Bundle of patients, observations and appointments (and the practitioners,
    conditions, care teams and devices they refer to), applied all-or-nothing."""
    result = service.import_bundle(session, caller, bundle=bundle, base_url=settings.base_url)
    return FhirJSON(result)
