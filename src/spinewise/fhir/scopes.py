"""SMART-style scopes on API tokens (SMART App Launch 1.0 ``context/Type.permission`` and the
2.0 ``.rs``/``.cruds`` forms), parsed and checked without any web or database code.

- ``patient/…``: only the signed-in patient's own record (a clinician's ``patient/`` scope
  grants nothing, since Spinewise has no launch context that picks a patient);
- ``user/…``: whatever the user may see under the care relationship;
- a token with **no** scopes (browser sessions, tokens issued without ``scope``) is not
  narrowed: the role's access applies, as on the rest of the API.

Scopes only ever narrow access; ``readable_patients`` still decides which patients exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spinewise.core.errors import InvalidInput

_SCOPE = re.compile(r"^(patient|user|system)/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|[cruds]+)$")
OTHER_SCOPES = frozenset({"openid", "fhirUser", "profile", "offline_access", "online_access"})
READ_PERMS = {"read", "*"}
WRITE_PERMS = {"write", "*"}


@dataclass(frozen=True)
class Scope:
    context: str  # patient | user | system
    resource_type: str  # a FHIR type or "*"
    can_read: bool
    can_write: bool

    def covers(self, resource_type: str) -> bool:
        return self.resource_type in ("*", resource_type)


def parse_scope(text: str) -> Scope:
    match = _SCOPE.match(text)
    if match is None:
        raise InvalidInput("scope", f"{text!r} is not a SMART scope such as patient/*.read")
    context, resource_type, permission = match.groups()
    if permission in ("read", "write", "*"):
        can_read, can_write = permission in READ_PERMS, permission in WRITE_PERMS
    else:  # SMART 2: c(reate) r(ead) u(pdate) d(elete) s(earch), in that order
        if "".join(sorted(permission, key="cruds".index)) != permission or len(
            set(permission)
        ) != len(permission):
            raise InvalidInput("scope", f"{text!r}: permissions must be a subset of cruds in order")
        can_read = "r" in permission or "s" in permission
        can_write = bool(set(permission) & set("cud"))
    return Scope(context, resource_type, can_read, can_write)


def parse_scopes(text: str) -> tuple[Scope, ...]:
    """All resource scopes in a space-separated string (identity scopes are accepted, ignored)."""
    return tuple(parse_scope(part) for part in text.split() if part not in OTHER_SCOPES)


def normalise(text: str) -> str:
    """Validate a requested ``scope`` string and return it in canonical spacing."""
    parts = text.split()
    parse_scopes(" ".join(parts))
    if len(" ".join(parts)) > 500:
        raise InvalidInput("scope", "too many scopes (at most 500 characters)")
    return " ".join(parts)


@dataclass(frozen=True)
class Grant:
    """What a token's scopes allow: ``None`` scopes means not narrowed."""

    scopes: tuple[Scope, ...] | None
    is_patient: bool

    @classmethod
    def of(cls, scope_text: str, *, is_patient: bool) -> Grant:
        return cls(parse_scopes(scope_text) if scope_text.strip() else None, is_patient)

    def _usable(self) -> tuple[Scope, ...]:
        assert self.scopes is not None
        return tuple(
            s
            for s in self.scopes
            if s.context == "user" or (s.context == "patient" and self.is_patient)
        )

    def may_read(self, resource_type: str) -> bool:
        if self.scopes is None:
            return True
        return any(s.can_read and s.covers(resource_type) for s in self._usable())

    def may_write(self, resource_type: str) -> bool:
        if self.scopes is None:
            return True
        return any(s.can_write and s.covers(resource_type) for s in self._usable())

    def readable_types(self, types: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t for t in types if self.may_read(t))
