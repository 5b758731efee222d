"""Import direction (STYLE.md): pure science never imports a web or database framework,
services never import the web framework, and only the session owner commits."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "spinewise"
SHELL_FILES = {
    "models.py",
    "schemas.py",
    "service.py",
    "api.py",
    "pages.py",
    "deps.py",
    "tasks.py",
    "jobs.py",
    "receiver.py",  # imaging: the DICOM network receiver files what it receives
    "delivery.py",  # reminders: push and e-mail senders working from the service's jobs
    "__init__.py",
}
PURE_DOMAINS = [
    "assistant",
    "posture",
    "dosing",
    "robotics",
    "motion",
    "outcomes",
    "predict",
    "imaging",
    "rehab",
    "reminders",
]
FRAMEWORKS = ("fastapi", "starlette", "sqlalchemy")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _pure_modules() -> list[Path]:
    files: list[Path] = []
    for domain in PURE_DOMAINS:
        folder = SRC / domain
        if folder.is_dir():
            files += [
                p for p in folder.rglob("*.py") if p.name not in SHELL_FILES and p.name != "cli.py"
            ]
    return files


@pytest.mark.parametrize("path", _pure_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_modules_import_no_web_or_database_framework(path: Path) -> None:
    bad = {name for name in _imports(path) if name.split(".")[0] in FRAMEWORKS}
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_pure_modules_pull_in_no_framework_even_indirectly() -> None:
    """Importing every pure module in a fresh interpreter loads none of the frameworks (a pure
    module importing a shell module of its domain would, for instance)."""
    modules = [
        "spinewise." + ".".join(p.relative_to(SRC).with_suffix("").parts) for p in _pure_modules()
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    "path", sorted(SRC.rglob("service.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_services_do_not_import_the_web_framework(path: Path) -> None:
    bad = {name for name in _imports(path) if name.split(".")[0] in ("fastapi", "starlette")}
    assert not bad, f"{path.relative_to(SRC)} imports {sorted(bad)}"


def test_only_the_session_owner_commits() -> None:
    offenders = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if ".commit(" in p.read_text(encoding="utf-8") and p.relative_to(SRC).as_posix() != "db.py"
    ]
    assert offenders == []
