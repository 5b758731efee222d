"""HTML pages: sign-in and sign-out, patient home and profile, clinician patient list, invitations,
sign-up from an invitation, and account administration. Pages only translate; services decide."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, BackgroundTasks, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinewise.accounts import service
from spinewise.accounts.models import Role, Sex, User
from spinewise.core.deps import (
    SESSION_COOKIE,
    CredentialsDep,
    CurrentActor,
    CurrentAdmin,
    CurrentClinician,
    CurrentPatient,
    CurrentUser,
    MailerDep,
    OptionalUser,
    SessionDep,
    SettingsDep,
)
from spinewise.core.errors import Forbidden, NotFound, SpinewiseError
from spinewise.core.models import TokenKind
from spinewise.core.security import tokens_equal
from spinewise.web.templating import render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "spinewise_login_csrf"


def home_for(user: User) -> str:
    return {Role.patient: "/me", Role.clinician: "/clinician/patients", Role.admin: "/admin/users"}[
        user.role
    ]


def _safe_next(target: str) -> str:
    """Only same-site relative paths, so the sign-in form cannot redirect elsewhere."""
    parsed = urlparse(target)
    if target.startswith("/") and not target.startswith("//") and not parsed.netloc:
        return target
    return ""


@router.get("/", response_class=HTMLResponse)
def index(user: OptionalUser) -> Response:
    return RedirectResponse(home_for(user) if user else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, user: OptionalUser, next: str = "") -> Response:
    if user is not None:
        return RedirectResponse(home_for(user), status_code=303)
    token = secrets.token_urlsafe(24)
    response = render(
        request, "accounts/login.html", {"login_csrf": token, "next": _safe_next(next)}
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    login_csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    # Double-submit token: a cross-site form cannot read our cookie to copy it into the form.
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not tokens_equal(cookie, login_csrf):
        raise Forbidden("the sign-in form expired; reload the page and try again")
    try:
        user = service.authenticate(
            session,
            email=email,
            password=password,
            threshold=settings.lockout_threshold,
            cooldown_s=settings.lockout_cooldown_s,
        )
    except SpinewiseError as exc:
        response = render(
            request,
            "accounts/login.html",
            {
                "login_csrf": login_csrf,
                "next": _safe_next(next),
                "error": exc.message,
                "email": email,
            },
            exc.status_code,
        )
        if exc.status_code == 429:
            response.headers["Retry-After"] = str(getattr(exc, "retry_after_s", 60))
        return response
    raw, _ = service.issue_token(
        session, user=user, kind=TokenKind.session, max_age_s=settings.session_max_age_s
    )
    redirect = RedirectResponse(_safe_next(next) or home_for(user), status_code=303)
    redirect.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_max_age_s,
    )
    redirect.delete_cookie(LOGIN_CSRF_COOKIE)
    return redirect


@router.post("/logout")
def logout(credentials: CredentialsDep, session: SessionDep) -> Response:
    if credentials is not None:
        service.revoke_token(session, token=credentials[1])
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- patients -------------------------------------------------------------------------------


@router.get("/me", response_class=HTMLResponse)
def patient_home(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    patient = service.patient_of(session, user=user)
    if patient is None:
        return RedirectResponse(home_for(user), status_code=303)
    return RedirectResponse(f"/patients/{patient.id}", status_code=303)


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request, patient: CurrentPatient, user: CurrentUser, session: SessionDep
) -> Response:
    """The patient's own home, or the clinician's view of one of their patients."""
    patient_user = service.user_of(session, patient=patient)
    context = {
        "patient": patient,
        "patient_user": patient_user,
        "age": service.age_on(patient.date_of_birth, date.today()),
        "team": service.care_team(session, patient_id=patient.id),
        "is_self": patient.user_id == user.id,
    }
    return render(request, "accounts/patient.html", context)


@router.get("/me/profile", response_class=HTMLResponse)
def profile_form(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    patient = service.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have a health profile")
    return render(request, "accounts/profile.html", {"patient": patient, "sexes": list(Sex)})


@router.post("/me/profile", response_class=HTMLResponse)
def profile_save(
    request: Request,
    user: CurrentUser,
    actor: CurrentActor,
    session: SessionDep,
    timezone: Annotated[str, Form(max_length=64)],
    sex: Annotated[Sex, Form()],
    date_of_birth: Annotated[date | None, Form()] = None,
    cancer_history: Annotated[bool, Form()] = False,
    osteoporosis: Annotated[bool, Form()] = False,
    spinal_surgery: Annotated[bool, Form()] = False,
    long_term_steroids: Annotated[bool, Form()] = False,
    immunosuppressed: Annotated[bool, Form()] = False,
    history_notes: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    patient = service.patient_of(session, user=user)
    if patient is None:
        raise NotFound("only patients have a health profile")
    service.update_profile(
        session,
        actor=actor,
        patient=patient,
        changes={
            "timezone": timezone,
            "sex": sex,
            "date_of_birth": date_of_birth,
            "cancer_history": cancer_history,
            "osteoporosis": osteoporosis,
            "spinal_surgery": spinal_surgery,
            "long_term_steroids": long_term_steroids,
            "immunosuppressed": immunosuppressed,
            "history_notes": history_notes,
        },
    )
    return render(
        request,
        "accounts/profile.html",
        {"patient": patient, "sexes": list(Sex), "messages": ["Your profile is saved."]},
    )


# --- clinicians -----------------------------------------------------------------------------

SORTS = {"name", "age"}


@router.get("/clinician/patients", response_class=HTMLResponse)
def clinician_patients(
    request: Request,
    clinician: CurrentClinician,
    actor: CurrentActor,
    session: SessionDep,
    q: Annotated[str, Query(max_length=100)] = "",
    sort: Annotated[str, Query(max_length=10)] = "name",
) -> Response:
    rows, total = service.list_patients(session, actor=actor, limit=500, search=q)
    today = date.today()
    items = [
        {"patient": p, "user": u, "age": service.age_on(p.date_of_birth, today)} for p, u in rows
    ]
    if sort == "age":
        items.sort(key=lambda row: (row["age"] is None, row["age"] or 0))
    template = (
        "accounts/patient_rows.html"
        if request.headers.get("HX-Request")
        else "accounts/patients.html"
    )
    return render(request, template, {"items": items, "total": total, "q": q, "sort": sort})


@router.get("/clinician/invite", response_class=HTMLResponse)
def invite_form(request: Request, clinician: CurrentClinician) -> Response:
    return render(request, "accounts/invite.html", {})


@router.post("/clinician/invite", response_class=HTMLResponse)
def invite_send(
    request: Request,
    clinician: CurrentClinician,
    session: SessionDep,
    settings: SettingsDep,
    mailer: MailerDep,
    background: BackgroundTasks,
    email: Annotated[str, Form(max_length=254)],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        raw = service.create_invite(
            session,
            clinician=clinician,
            email=email,
            name=name,
            max_age_s=settings.invite_max_age_s,
        )
    except SpinewiseError as exc:
        return render(
            request,
            "accounts/invite.html",
            {"error": exc.message, "email": email, "name": name},
            exc.status_code,
        )
    address = service.normalise_email(email)
    background.add_task(service.send_invite, mailer, email=address, raw=raw, clinician=clinician)
    return render(request, "accounts/invite.html", {"messages": [f"Invitation sent to {address}."]})


@router.get("/signup/{token}", response_class=HTMLResponse)
def signup_form(request: Request, token: str, session: SessionDep) -> Response:
    invite = service.pending_invite(session, raw=token)
    return render(
        request, "accounts/signup.html", {"invite": invite, "token": token, "sexes": list(Sex)}
    )


@router.post("/signup/{token}", response_class=HTMLResponse)
def signup(
    request: Request,
    token: str,
    session: SessionDep,
    settings: SettingsDep,
    password: Annotated[str, Form(max_length=200)],
    password_again: Annotated[str, Form(max_length=200)],
    name: Annotated[str, Form(max_length=200)] = "",
    date_of_birth: Annotated[date | None, Form()] = None,
    sex: Annotated[Sex, Form()] = Sex.unknown,
    timezone: Annotated[str, Form(max_length=64)] = "UTC",
) -> Response:
    invite = service.pending_invite(session, raw=token)
    context = {"invite": invite, "token": token, "sexes": list(Sex), "name": name}
    if password != password_again:
        return render(
            request, "accounts/signup.html", {**context, "error": "The two passwords differ."}, 422
        )
    try:
        # Validation happens before any row is written, so a refusal leaves nothing behind.
        service.accept_invite(
            session,
            raw=token,
            password=password,
            name=name,
            date_of_birth=date_of_birth,
            sex=sex,
            timezone=timezone,
        )
    except SpinewiseError as exc:
        return render(
            request, "accounts/signup.html", {**context, "error": exc.message}, exc.status_code
        )
    return render(request, "accounts/login_after_signup.html", {"email": invite.email})


# --- administrators ---------------------------------------------------------------------------


@router.get("/admin/users", response_class=HTMLResponse)
def admin_users(request: Request, admin: CurrentAdmin, session: SessionDep) -> Response:
    return render(
        request,
        "accounts/admin_users.html",
        {"users": service.list_users(session, limit=500), "roles": list(Role)},
    )


@router.post("/admin/users", response_class=HTMLResponse)
def admin_create_user(
    request: Request,
    admin: CurrentAdmin,
    session: SessionDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[Role, Form()],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    messages: list[str] = []
    error = ""
    try:
        user = service.create_user(session, email=email, password=password, role=role, name=name)
        messages.append(f"Account created for {user.email}.")
    except SpinewiseError as exc:
        error = exc.message
    return render(
        request,
        "accounts/admin_users.html",
        {
            "users": service.list_users(session, limit=500),
            "roles": list(Role),
            "messages": messages,
            "error": error,
        },
        422 if error else 200,
    )


@router.post("/admin/users/{user_id}/deactivate")
def admin_deactivate(user_id: int, admin: CurrentAdmin, session: SessionDep) -> Response:
    if user_id == admin.id:
        raise Forbidden("you cannot deactivate your own account")
    service.set_active(session, user_id=user_id, active=False)
    return RedirectResponse("/admin/users", status_code=303)
