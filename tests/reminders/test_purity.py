"""The reminders core stays pure: schedules, policy, adherence, calendar and messages import no
web or database framework (STYLE habit 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import spinewise.reminders

PURE = ("schedule.py", "policy.py", "adherence.py", "calendar.py", "messages.py")
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "spinewise.db", "spinewise.reminders.models")


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_framework(name: str) -> None:
    path = Path(spinewise.reminders.__file__).parent / name
    imported: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    assert [m for m in imported if m.startswith(FORBIDDEN)] == []
