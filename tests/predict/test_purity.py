"""Pure modules: the predict package's science never imports a web framework or the ORM
(the app's shell modules - tables, schemas, service, routes - sit beside it and may)."""

from __future__ import annotations

import subprocess
import sys


def test_predict_modules_import_no_web_or_database_framework() -> None:
    code = (
        "import sys, pkgutil, importlib, spinewise.predict as p\n"
        "shell = {'models', 'schemas', 'service', 'api', 'pages', 'deps'}\n"
        "for m in pkgutil.iter_modules(p.__path__):\n"
        "    if m.name not in shell:\n"
        "        importlib.import_module('spinewise.predict.' + m.name)\n"
        "bad = sorted(n for n in ('fastapi', 'starlette', 'sqlalchemy') if n in sys.modules)\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""
