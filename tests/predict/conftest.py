"""Fixtures of the predict tests: the real vertebral-column training data, when present.

The data live outside the repository (``../shared/data/vertebral_column/`` next to the project
root, or ``$SPINEWISE_SPINE_DATA``) and are never copied into it. Outside CI a missing file
skips loudly; in CI it fails, so a green run always means tested.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

RELATIVE = Path("shared/data/vertebral_column/vertebral_column_train.csv")


def find_vertebral_csv() -> Path | None:
    env = os.environ.get("SPINEWISE_SPINE_DATA")
    if env:
        return Path(env) if Path(env).is_file() else None
    root = Path(__file__).resolve().parents[2]
    for base in (root.parent, root.parent.parent):  # main checkout or a worktree under wt/
        if (base / RELATIVE).is_file():
            return base / RELATIVE
    return None


@pytest.fixture(scope="session")
def vertebral_csv() -> Path:
    path = find_vertebral_csv()
    if path is None:
        message = f"vertebral-column data not found (../{RELATIVE} or $SPINEWISE_SPINE_DATA)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip("DATA MISSING: " + message)
    return path
