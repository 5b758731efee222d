"""FastAPI dependencies, declared once as typed ``Annotated`` aliases and reused by every route.

``SessionDep`` owns the request's transaction (commit on success, roll back on error).
``CurrentUser`` accepts an API bearer token or a browser session cookie; for the cookie, every
unsafe method must carry the session's CSRF token (form field ``csrf_token`` or header
``X-CSRF-Token``), so a cross-site form cannot act for a signed-in user.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlparse

from fastapi import Depends, Path, Request, WebSocket
from fastapi.requests import HTTPConnection
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient, Role, User
from spinewise.accounts.service import resolve_token
from spinewise.config import Settings
from spinewise.core.audit import Actor
from spinewise.core.errors import Forbidden, NotAuthenticated
from spinewise.core.events import EventBus
from spinewise.core.mail import Mailer
from spinewise.core.models import AuthToken, TokenKind
from spinewise.core.permissions import get_patient
from spinewise.core.security import tokens_equal
from spinewise.db import unit_of_work

SESSION_COOKIE = "spinewise_session"


@dataclass(frozen=True)
class Viewer:
    """Plain facts about the signed-in user for templates: safe to use after the session closes
    (an error page is rendered after the transaction has been rolled back)."""

    id: int
    email: str
    name: str
    role: str
    csrf_token: str


CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """The request's one transaction: the same ``unit_of_work`` that jobs and ingestion use."""
    with unit_of_work(request.app.state.session_factory) as session:
        yield session


def get_bus(request: Request) -> EventBus:
    bus: EventBus = request.app.state.bus
    return bus


def get_mailer(request: Request) -> Mailer:
    mailer: Mailer = request.app.state.mailer
    return mailer


SettingsDep = Annotated[Settings, Depends(get_settings)]
MailerDep = Annotated[Mailer, Depends(get_mailer)]
# scope="function": the transaction commits when the route function returns, BEFORE the response
# is sent, so a client that follows a redirect at once always reads what was just written.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
BusDep = Annotated[EventBus, Depends(get_bus)]


def resolve_caller(session: Session, request: HTTPConnection) -> tuple[User, AuthToken] | None:
    """The user behind a bearer token or a browser session cookie (no CSRF check here)."""
    header = request.headers.get("authorization", "")
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw:
        return resolve_token(session, raw=raw.strip(), kind=TokenKind.api)
    if cookie := request.cookies.get(SESSION_COOKIE):
        return resolve_token(session, raw=cookie, kind=TokenKind.session)
    return None


async def _credentials(request: Request, session: SessionDep) -> tuple[User, AuthToken] | None:
    """Resolve the caller once per request (cached on ``request.state``)."""
    if hasattr(request.state, "credentials"):
        cached: tuple[User, AuthToken] | None = request.state.credentials
        return cached
    resolved = resolve_caller(session, request)
    if (
        resolved is not None
        and resolved[1].kind == TokenKind.session
        and request.method not in SAFE_METHODS
    ):
        await _check_csrf(request, resolved[1])
    request.state.credentials = resolved
    if resolved is not None:
        user, token = resolved
        request.state.viewer = Viewer(
            user.id, user.email, user.name, str(user.role), token.csrf_token
        )
    return resolved


async def _check_csrf(request: Request, token: AuthToken) -> None:
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token", "")
        sent = value if isinstance(value, str) else ""
    if not sent or not tokens_equal(sent, token.csrf_token):
        raise Forbidden("the form's security token is missing or stale; reload the page")


CredentialsDep = Annotated[tuple[User, AuthToken] | None, Depends(_credentials)]


def _optional_user(credentials: CredentialsDep) -> User | None:
    return credentials[0] if credentials else None


def _current_user(credentials: CredentialsDep) -> User:
    if credentials is None:
        raise NotAuthenticated("sign in first")
    return credentials[0]


def _client_addr(request: Request) -> str:
    return request.client.host if request.client else ""


def _actor(request: Request, user: Annotated[User, Depends(_current_user)]) -> Actor:
    return Actor(user=user, client_addr=_client_addr(request))


def _clinician(user: Annotated[User, Depends(_current_user)]) -> User:
    if user.role != Role.clinician:
        raise Forbidden("clinicians only")
    return user


def _admin(user: Annotated[User, Depends(_current_user)]) -> User:
    if user.role != Role.admin:
        raise Forbidden("administrators only")
    return user


def _csrf_token(credentials: CredentialsDep) -> str:
    if credentials and credentials[1].kind == TokenKind.session:
        return credentials[1].csrf_token
    return ""


OptionalUser = Annotated[User | None, Depends(_optional_user)]
CurrentUser = Annotated[User, Depends(_current_user)]
CurrentActor = Annotated[Actor, Depends(_actor)]
CurrentClinician = Annotated[User, Depends(_clinician)]
CurrentAdmin = Annotated[User, Depends(_admin)]
CsrfToken = Annotated[str, Depends(_csrf_token)]
ClientAddr = Annotated[str, Depends(_client_addr)]


# A 64-bit id: larger numbers cannot be bound on SQLite (an OverflowError, i.e. a 500).
PatientIdPath = Annotated[int, Path(ge=-(2**63), lt=2**63)]


def _patient_in_path(
    request: Request,
    patient_id: PatientIdPath,
    session: SessionDep,
    actor: Annotated[Actor, Depends(_actor)],
) -> Patient:
    """The patient named in the path, if the caller may see them; audited with the route as resource."""
    route = request.scope.get("route")
    resource = getattr(route, "path", request.url.path)
    action = "read" if request.method in SAFE_METHODS else "write"
    return get_patient(
        session, actor=actor, patient_id=patient_id, resource=resource, action=action
    )


CurrentPatient = Annotated[Patient, Depends(_patient_in_path)]


def authorize_patient_stream(connection: HTTPConnection, *, patient_id: int, resource: str) -> None:
    """Access check for long-lived streams (SSE, WebSocket), in a short transaction of its own,
    so that no database session stays open for the life of the stream."""
    with unit_of_work(connection.app.state.session_factory) as session:
        caller = resolve_caller(session, connection)
        if caller is None:
            raise NotAuthenticated("sign in first")
        client = connection.client.host if connection.client else ""
        get_patient(
            session, actor=Actor(caller[0], client), patient_id=patient_id, resource=resource
        )


def same_origin(websocket: WebSocket) -> bool:
    """Refuse cross-site WebSocket hijacking: a browser sends cookies with a cross-site WebSocket
    handshake (no CORS applies), so a page elsewhere must not be able to open one; its Origin
    must be this very host. Clients without an Origin are not browsers (they use bearer tokens)."""
    origin = websocket.headers.get("origin")
    if origin is None:
        return True
    return urlparse(origin).netloc == websocket.headers.get("host", "")
