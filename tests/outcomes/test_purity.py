"""The outcomes package stays pure: no web framework or database imports (STYLE habit 1)."""

import ast
from pathlib import Path

import spinewise.outcomes

FORBIDDEN = ("fastapi", "starlette", "sqlalchemy")


def test_no_module_imports_a_web_framework_or_the_database():
    root = Path(spinewise.outcomes.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
