"""The dosing core stays pure: no web framework or database import (STYLE habit 1)."""

from __future__ import annotations

import subprocess
import sys


def test_dosing_modules_import_no_web_or_database_framework() -> None:
    code = (
        "import sys\n"
        "import spinewise.dosing.check, spinewise.dosing.cli, spinewise.dosing.planner\n"
        "import spinewise.dosing.pk, spinewise.dosing.plot, spinewise.dosing.library\n"
        "import spinewise.dosing.chart, spinewise.dosing.refill, spinewise.dosing.doses\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'fastapi', 'starlette', 'sqlalchemy'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == ""
