"""Domain exceptions.

Services and pure modules raise these; each entry point has exactly one translator:
the JSON API turns them into 4xx answers, the HTML pages into an error fragment and
the CLI into exit code 2 with one line on stderr. Nothing here imports a framework,
so pure science modules may raise them too.
"""

from __future__ import annotations

from typing import Any


class SpinewiseError(Exception):
    """Base of every error that a user can cause and deserves a clear message for."""

    status_code = 400
    code = "error"
    # Most errors undo the transaction; a few must keep what was written before them (the
    # failed sign-in counter that drives lockout). The session owner reads this flag.
    keep_changes = False

    def __init__(self, message: str, *, keep_changes: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.keep_changes = keep_changes

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "detail": self.message}


class InvalidInput(SpinewiseError):
    """Input that cannot be used as given (bad file, value out of range, missing field)."""

    status_code = 422
    code = "invalid_input"

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(f"{field}: {message}" if field else message)
        self.field = field

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "field": self.field}


class NotFound(SpinewiseError):
    """The object does not exist *or the caller may not see it* (hidden means 404)."""

    status_code = 404
    code = "not_found"


class NotAuthenticated(SpinewiseError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(SpinewiseError):
    """The caller may see the object but not do this to it (a patient editing a programme)."""

    status_code = 403
    code = "forbidden"


class Conflict(SpinewiseError):
    status_code = 409
    code = "conflict"


class TooManyAttempts(SpinewiseError):
    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, retry_after_s: int, *, keep_changes: bool = False) -> None:
        super().__init__(message, keep_changes=keep_changes)
        self.retry_after_s = retry_after_s


class SafetyLimitExceeded(SpinewiseError):
    """A hard clinical or device safety limit would be broken; the action is refused."""

    status_code = 422
    code = "safety_limit_exceeded"

    def __init__(
        self, rule: str, limit: float | str, value: float | str, message: str = ""
    ) -> None:
        super().__init__(message or f"{rule}: {value} exceeds the limit {limit}")
        self.rule = rule
        self.limit = limit
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        return {**super().to_dict(), "rule": self.rule, "limit": self.limit, "value": self.value}
