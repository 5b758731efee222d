"""The motion modules stay pure: no web framework, no database (STYLE habit 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import spinewise.motion

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy")


def test_motion_modules_import_no_framework() -> None:
    folder = Path(spinewise.motion.__file__).parent
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
