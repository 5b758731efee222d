"""Pure modules import no web framework or database (STYLE habit 1)."""

from __future__ import annotations

import ast
from pathlib import Path

import spinewise.assistant

FORBIDDEN = {"fastapi", "starlette", "sqlalchemy"}
# The application layer lives beside the pure core under the house's fixed file names.
SHELL_FILES = {"models.py", "schemas.py", "service.py", "api.py", "pages.py", "deps.py"}


def test_assistant_modules_do_not_import_web_or_database_packages() -> None:
    package = Path(spinewise.assistant.__file__).parent
    for path in package.glob("*.py"):
        if path.name in SHELL_FILES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
