"""The outcomes package keeps its pure modules pure: only the web and database shell imports frameworks."""

import ast
from pathlib import Path

import spinewise.outcomes

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy")
# The web and database shell of the domain (STYLE habit 1) may import them; nothing else may.
SHELL_FILES = {"models.py", "schemas.py", "service.py", "api.py", "pages.py", "deps.py"}


def test_no_pure_module_imports_a_web_framework_or_the_database():
    root = Path(spinewise.outcomes.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.name in SHELL_FILES:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
