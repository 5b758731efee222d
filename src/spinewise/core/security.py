"""Password hashing (argon2id), password policy and random tokens. No framework imports."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from spinewise.core.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher()  # argon2id with the library's current RFC 9106 defaults
# A real hash to verify against when the account does not exist, so that timing does not
# reveal which e-mail addresses have accounts.
_DUMMY_HASH = _hasher.hash("spinewise-dummy-password")


@cache
def common_passwords() -> frozenset[str]:
    text = (resources.files("spinewise.core") / "common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password_policy(password: str, *, email: str = "") -> None:
    """At least 10 characters and not a well-known password (NIST SP 800-63B §5.1.1.2)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    if lowered in common_passwords():
        raise InvalidInput("password", "is too common; choose a less guessable one")
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and lowered == local_part:
        raise InvalidInput("password", "must not be your e-mail name")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def new_token() -> tuple[str, str]:
    """A random URL-safe token and the SHA-256 hex digest that is stored instead of it."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
