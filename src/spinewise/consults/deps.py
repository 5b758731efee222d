"""Resource dependencies of consultations, declared once for ``api.py`` and ``pages.py``.

Like ``core.deps.CurrentPatient``: the object named in the path is looked up through the
participants-only (appointments) or care-team (threads) predicate, answers 404 when hidden,
and the access is audited with the route template as the resource. Being dependencies, they
run before the request body is validated, so a hidden object is a 404 whatever is sent.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from spinewise.consults import service
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
