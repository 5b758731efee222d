"""The consultation domain's pure modules import no web or database framework (STYLE.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CONSULTS = Path(__file__).resolve().parents[2] / "src" / "spinewise" / "consults"
PURE = ["scheduling.py", "room.py", "calendar_file.py", "attachments.py"]


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_import_no_framework(name: str) -> None:
    tree = ast.parse((CONSULTS / name).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    frameworks = {m for m in imported if m.split(".")[0] in ("fastapi", "starlette", "sqlalchemy")}
    assert not frameworks, f"{name} imports {sorted(frameworks)}"
