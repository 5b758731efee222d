"""Resource dependencies of consultations, declared once for ``api.py`` and ``pages.py``.

Like ``core.deps.CurrentPatient``: the object named in the path is looked up through the
participants-only (appointments) or care-team (threads) predicate, answers 404 when hidden,
and the access is audited with the route template as the resource. Being dependencies, they
run before the request body is validated, so a hidden object is a 404 whatever is sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, BinaryIO

from fastapi import Depends, Request, UploadFile

from spinewise.consults import service
from spinewise.consults.attachments import CHUNK_BYTES
from spinewise.consults.models import Appointment, MessageThread
from spinewise.core.deps import SAFE_METHODS, CurrentActor, SessionDep


def _resource(request: Request) -> tuple[str, str]:
    route = request.scope.get("route")
    action = "read" if request.method in SAFE_METHODS else "write"
    return getattr(route, "path", request.url.path), action


def _appointment_in_path(
    request: Request, appointment_id: int, session: SessionDep, actor: CurrentActor
) -> Appointment:
    resource, action = _resource(request)
    return service.get_readable_appointment(
        session, actor=actor, appointment_id=appointment_id, resource=resource, action=action
    )


def _thread_in_path(
    request: Request, thread_id: int, session: SessionDep, actor: CurrentActor
) -> MessageThread:
    resource, action = _resource(request)
    return service.get_readable_thread(
        session, actor=actor, thread_id=thread_id, resource=resource, action=action
    )


CurrentAppointment = Annotated[Appointment, Depends(_appointment_in_path)]
CurrentThread = Annotated[MessageThread, Depends(_thread_in_path)]


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK_BYTES):
        yield chunk


def uploads_of(files: list[UploadFile] | None) -> list[service.Upload]:
    """The files of a multipart form as the service takes them, read in chunks; the empty part
    a browser sends for a file field left blank is skipped."""
    return [
        service.Upload(filename=f.filename or "attachment", chunks=_chunks(f.file))
        for f in files or []
        if f.filename or f.size
    ]
