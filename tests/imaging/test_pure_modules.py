"""The pure packages of this branch (imaging and motion) import no web framework and no
database (STYLE habit 1); the service layers the platform adds on top may."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy")


@pytest.mark.parametrize("package", ["spinewise.imaging", "spinewise.motion"])
def test_pure_modules_import_no_framework(package: str) -> None:
    folder = Path(importlib.import_module(package).__file__ or "").parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
