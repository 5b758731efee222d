"""``spinewise reminders list`` on a demo-seeded database (subprocess, as a user runs it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import spinewise
from tests.conftest import DEMO_SECRET

pytestmark = pytest.mark.slow

SOURCE_ROOT = str(Path(spinewise.__file__).resolve().parents[1])


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": SOURCE_ROOT,
        "SPINEWISE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "SPINEWISE_SECRET_KEY": DEMO_SECRET,
        "SPINEWISE_LOG_JSON": "true",
    }
    return subprocess.run(
        [sys.executable, "-m", "spinewise", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_reminders_list_shows_the_demo_patients_schedules(
    demo_template: Path, tmp_path: Path
) -> None:
    shutil.copytree(demo_template, tmp_path, dirs_exist_ok=True)  # the demo, seeded once
    answer = _run(tmp_path, "reminders", "list", "--patient", "olivia@demo.spinewise.org", "--json")
    assert answer.returncode == 0, answer.stderr
    listed = json.loads(answer.stdout)
    kinds = sorted(s["kind"] for s in listed["schedules"])
    assert kinds == ["exercise", "medication", "medication", "posture"]
    assert listed["timezone"] == "Europe/London"
    assert any(o["title"] == "Naproxen" for o in listed["occurrences"])
    unknown = _run(tmp_path, "reminders", "list", "--patient", "nobody@example.org")
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "error: no patient with e-mail nobody@example.org"
    once = _run(tmp_path, "reminders", "worker", "--once")
    assert once.returncode == 0 and "delivered" in json.loads(once.stdout)
