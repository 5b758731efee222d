"""Resource aliases of the rehab routes, declared once for ``api.py`` and ``pages.py``.

``ReadableProgramme`` resolves ``{programme_id}`` through the care relationship before the
request body is validated, so a hidden programme is a 404 whatever is sent, and audits the
access with the route template as the resource (like ``CurrentPatient``); for unsafe
methods it then requires a clinician (403 for the patient, who may read but not change).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from spinewise.accounts.models import Role
from spinewise.core.deps import SAFE_METHODS, CurrentActor, SessionDep
from spinewise.core.errors import Forbidden
from spinewise.rehab import service


def _programme_in_path(
    request: Request, programme_id: int, session: SessionDep, actor: CurrentActor
) -> service.ProgrammeView:
    route = request.scope.get("route")
    resource = getattr(route, "path", request.url.path)
    action = "read" if request.method in SAFE_METHODS else "write"
    view = service.get_readable_programme(
        session, actor=actor, programme_id=programme_id, resource=resource, action=action
    )
    if action == "write" and (actor.user is None or actor.user.role != Role.clinician):
        # Seen but not changeable: decided here, before the body is validated.
        raise Forbidden("only the patient's clinicians can change their programme")
    return view


ReadableProgramme = Annotated[service.ProgrammeView, Depends(_programme_in_path)]
