"""The posture engine is a pure package: no web or database framework is imported."""

from __future__ import annotations

import subprocess
import sys


def test_posture_imports_no_web_or_database_framework() -> None:
    code = (
        "import sys, spinewise.posture, spinewise.posture.simulate, spinewise.posture.report\n"
        "bad = [m for m in ('fastapi', 'starlette', 'sqlalchemy') if m in sys.modules]\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
