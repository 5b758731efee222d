"""docs/imaging.md shows the profile table the code applies."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinewise.imaging.confidentiality import BASIC_PROFILE, resolve_action

DOC = Path(__file__).resolve().parents[2] / "docs" / "imaging.md"


def test_the_documented_table_is_the_applied_table() -> None:
    if not DOC.exists():
        pytest.skip("docs/imaging.md is not next to the tests")
    text = DOC.read_text(encoding="utf-8")
    for entry in BASIC_PROFILE:
        row = f"| `{entry.keyword}` | {entry.action.value} | {resolve_action(entry.action).value} |"
        assert row in text, entry.keyword
