"""The robotics core stays pure: no web framework, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import spinewise.robotics

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy"}


def test_no_robotics_module_imports_a_web_framework_or_a_database() -> None:
    package = Path(spinewise.robotics.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
