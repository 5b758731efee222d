"""Account use cases: create users, sign in with lockout, tokens, care teams, invitations.

Services take the session first and everything else keyword-only; they flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinewise.accounts.models import CareTeamMember, Invite, Patient, Role, Sex, User
from spinewise.core import audit
from spinewise.core.audit import Actor
from spinewise.core.errors import (
    Conflict,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TooManyAttempts,
)
from spinewise.core.mail import Mailer
from spinewise.core.models import AuthToken, TokenKind
from spinewise.core.security import (
    check_password_policy,
    hash_password,
    hash_token,
    new_token,
    password_needs_rehash,
    verify_password,
)
from spinewise.db import utcnow


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput("email", str(exc)) from None


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("timezone", f"unknown time zone {name!r}") from None
    return name


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role | str,
    name: str = "",
    date_of_birth: date | None = None,
    sex: Sex | str = Sex.unknown,
    timezone: str = "UTC",
) -> User:
    email = normalise_email(email)
    try:
        role = Role(role)
    except ValueError:
        raise InvalidInput("role", f"must be one of {', '.join(r.value for r in Role)}") from None
    check_password_policy(password, email=email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"an account with e-mail {email} already exists")
    user = User(email=email, password_hash=hash_password(password), role=role, name=name.strip())
    session.add(user)
    session.flush()
    if role == Role.patient:
        session.add(
            Patient(
                user_id=user.id,
                date_of_birth=date_of_birth,
                sex=Sex(sex),
                timezone=check_timezone(timezone),
            )
        )
        session.flush()
    return user


def authenticate(
    session: Session,
    *,
    email: str,
    password: str,
    threshold: int,
    cooldown_s: int,
    now: datetime | None = None,
) -> User:
    """Check a password; after ``threshold`` failures the account is locked for ``cooldown_s``.

    A locked account answers TooManyAttempts even to the right password, so that a guessing
    attacker learns nothing during the cooling period. Unknown e-mails cost the same argon2
    verification as known ones.
    """
    now = now or utcnow()
    try:
        user = get_user_by_email(session, email)
    except InvalidInput:
        user = None
    if user is not None and user.locked_until is not None and user.locked_until > now:
        retry = int((user.locked_until - now).total_seconds()) + 1
        raise TooManyAttempts("too many failed sign-ins; try again later", retry_after_s=retry)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= threshold:
                user.locked_until = now + timedelta(seconds=cooldown_s)
                user.failed_logins = 0
            session.flush()
        raise NotAuthenticated("wrong e-mail or password", keep_changes=True)
    if not user.is_active:
        raise NotAuthenticated("this account is deactivated")
    user.failed_logins = 0
    user.locked_until = None
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def issue_token(
    session: Session, *, user: User, kind: TokenKind, max_age_s: int, scopes: str = ""
) -> tuple[str, AuthToken]:
    raw, digest = new_token()
    csrf = new_token()[0] if kind == TokenKind.session else ""
    token = AuthToken(
        user_id=user.id,
        kind=kind,
        token_hash=digest,
        csrf_token=csrf,
        scopes=scopes,
        expires_at=utcnow() + timedelta(seconds=max_age_s),
    )
    session.add(token)
    session.flush()
    return raw, token


def resolve_token(session: Session, *, raw: str, kind: TokenKind) -> tuple[User, AuthToken] | None:
    row = session.execute(
        select(User, AuthToken)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == hash_token(raw), AuthToken.kind == kind)
    ).first()
    if row is None:
        return None
    user, token = row
    if token.revoked_at is not None or token.expires_at <= utcnow() or not user.is_active:
        return None
    return user, token


def revoke_token(session: Session, *, token: AuthToken) -> None:
    token.revoked_at = utcnow()
    session.flush()


def add_to_care_team(session: Session, *, clinician_email: str, patient_email: str) -> bool:
    """Give a clinician access to a patient. Returns False when they were already in the team."""
    clinician = get_user_by_email(session, clinician_email)
    if clinician is None or clinician.role != Role.clinician:
        raise NotFound(f"no clinician with e-mail {clinician_email}")
    patient_user = get_user_by_email(session, patient_email)
    if patient_user is None or patient_user.role != Role.patient:
        raise NotFound(f"no patient with e-mail {patient_email}")
    patient_id = session.scalar(select(Patient.id).where(Patient.user_id == patient_user.id))
    assert patient_id is not None  # every patient user has a profile (create_user)
    exists = session.scalar(
        select(CareTeamMember.id).where(
            CareTeamMember.patient_id == patient_id, CareTeamMember.clinician_id == clinician.id
        )
    )
    if exists is not None:
        return False
    session.add(CareTeamMember(patient_id=patient_id, clinician_id=clinician.id))
    session.flush()
    return True


def care_team(session: Session, *, patient_id: int) -> list[User]:
    query = (
        select(User)
        .join(CareTeamMember, CareTeamMember.clinician_id == User.id)
        .where(CareTeamMember.patient_id == patient_id)
        .order_by(User.name)
    )
    return list(session.scalars(query))


def patient_of(session: Session, *, user: User) -> Patient | None:
    return session.scalar(select(Patient).where(Patient.user_id == user.id))


def create_invite(
    session: Session, *, clinician: User, email: str, name: str, max_age_s: int
) -> str:
    """Record a one-time sign-up invitation and return the raw token for the link."""
    if clinician.role != Role.clinician:
        raise NotFound("only clinicians invite patients")
    email = normalise_email(email)
    if get_user_by_email(session, email) is not None:
        raise Conflict(f"an account with e-mail {email} already exists")
    raw, digest = new_token()
    session.add(
        Invite(
            email=email,
            name=name.strip(),
            clinician_id=clinician.id,
            token_hash=digest,
            expires_at=utcnow() + timedelta(seconds=max_age_s),
        )
    )
    session.flush()
    return raw


def pending_invite(session: Session, *, raw: str) -> Invite:
    invite = session.scalar(select(Invite).where(Invite.token_hash == hash_token(raw)))
    if invite is None or invite.used_at is not None or invite.expires_at <= utcnow():
        raise NotFound(
            "this invitation link is not valid any more; ask your clinician for a new one"
        )
    return invite


def accept_invite(
    session: Session,
    *,
    raw: str,
    password: str,
    name: str,
    date_of_birth: date | None,
    sex: Sex | str,
    timezone: str,
) -> User:
    """Create the patient account from an invitation and put the inviting clinician in its team."""
    invite = pending_invite(session, raw=raw)
    user = create_user(
        session,
        email=invite.email,
        password=password,
        role=Role.patient,
        name=name or invite.name,
        date_of_birth=date_of_birth,
        sex=sex,
        timezone=timezone,
    )
    patient_id = session.scalar(select(Patient.id).where(Patient.user_id == user.id))
    assert patient_id is not None
    session.add(CareTeamMember(patient_id=patient_id, clinician_id=invite.clinician_id))
    invite.used_at = utcnow()
    session.flush()
    audit.record(
        session, actor=Actor(user), patient_id=patient_id, resource="patient", action="create"
    )
    return user


def update_profile(
    session: Session, *, actor: Actor, patient: Patient, changes: dict[str, object]
) -> Patient:
    allowed = {
        "date_of_birth",
        "sex",
        "timezone",
        "cancer_history",
        "osteoporosis",
        "spinal_surgery",
        "long_term_steroids",
        "immunosuppressed",
        "history_notes",
    }
    for key, value in changes.items():
        if key not in allowed:
            raise InvalidInput(key, "cannot be changed here")
        if key == "timezone":
            value = check_timezone(str(value))
        setattr(patient, key, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        patient_id=patient.id,
        resource="patient",
        action="update",
        detail=",".join(sorted(changes)),
    )
    return patient


def count_users(session: Session) -> dict[str, int]:
    rows = session.execute(select(User.role, func.count()).group_by(User.role)).all()
    return {str(role): n for role, n in rows}


def age_on(date_of_birth: date | None, today: date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def user_of(session: Session, *, patient: Patient) -> User:
    user = session.get(User, patient.user_id)
    assert user is not None  # patients.user_id is a non-null foreign key
    return user


def list_patients(
    session: Session, *, actor: Actor, offset: int = 0, limit: int = 50, search: str = ""
) -> tuple[list[tuple[Patient, User]], int]:
    """The patients the actor may see, with their accounts, each listing audited."""
    from spinewise.core.permissions import readable_patients

    assert actor.user is not None
    query = readable_patients(actor.user).join(User, User.id == Patient.user_id)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(func.lower(User.name).like(pattern) | User.email.like(pattern))
    total = session.scalar(query.with_only_columns(func.count(Patient.id))) or 0
    rows = session.execute(
        query.add_columns(User).order_by(User.name, Patient.id).offset(offset).limit(limit)
    ).all()
    result = [(patient, user) for patient, user in rows]
    for patient, _ in result:
        audit.record(session, actor=actor, patient_id=patient.id, resource="patient", action="list")
    return result, total


def list_users(session: Session, *, offset: int = 0, limit: int = 100) -> list[User]:
    return list(session.scalars(select(User).order_by(User.id).offset(offset).limit(limit)))


def set_active(session: Session, *, user_id: int, active: bool) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user not found")
    user.is_active = active
    if not active:
        for token in session.scalars(
            select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
        ):
            token.revoked_at = utcnow()
    session.flush()
    return user


def send_invite(mailer: Mailer, *, email: str, raw: str, clinician: User) -> None:
    """The invitation e-mail: a link and nothing about the patient's health."""
    settings = mailer.settings
    link = f"{settings.base_url.rstrip('/')}/signup/{raw}"
    days = settings.invite_max_age_s // 86400
    mailer.send(
        to=email,
        subject="Your Spinewise invitation",
        body=(
            f"{clinician.name or 'Your clinician'} has invited you to Spinewise.\n\n"
            f"Create your account here (the link works once and expires in {days} days):\n"
            f"{link}\n"
        ),
    )
