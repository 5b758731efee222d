"""The robotics core stays pure: no web framework, no database (only the app's shell files,
which build on it, may import them)."""

from __future__ import annotations

import ast
from pathlib import Path

import spinewise.robotics

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy"}
SHELL = {"models.py", "schemas.py", "service.py", "api.py", "pages.py", "tasks.py"}


def test_no_robotics_module_imports_a_web_framework_or_a_database() -> None:
    package = Path(spinewise.robotics.__file__).parent
    offenders = []
    for path in package.rglob("*.py"):
        if path.name in SHELL:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
