"""The session player's JavaScript analysis (``web/static/motion-core.js``) against Python.

Two checks, both running the file the browser loads under Node:

1. Node's own test runner on ``tests/motion/js/`` (the shared fixtures with the same pass rule
   as the Python tests, plus small hand-worked cases);
2. parity: the JavaScript and Python analyses of the same SYNTHETIC recordings (the shared
   fixtures and recordings from random specifications) report the same repetitions, peaks,
   boundaries and flags, up to the rounding of the JSON output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from spinewise.motion.analyze import analyze
from spinewise.motion.exercises import get_exercise
from spinewise.motion.keypoints import parse_recording
from spinewise.motion.synthetic import generate, keypoints_document

from .fixture_cases import CASES, FIXTURES
from .test_analyze import _random_spec

ROOT = Path(__file__).resolve().parents[2]
CORE_JS = ROOT / "src/spinewise/web/static/motion-core.js"
EXERCISES_JSON = ROOT / "src/spinewise/motion/exercises.json"
NODE = shutil.which("node")

RUNNER = """
const motion = require(process.argv[1]);
const definitions = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map((c) => {
  const exercise = { name: c.exercise, ...definitions[c.exercise] };
  if (c.target_deg !== null) exercise.target_deg = c.target_deg;
  const result = motion.analyze(c.recording, exercise);
  delete result.angle_deg;
  return result;
});
process.stdout.write(JSON.stringify(out));
"""


def _node() -> str:
    if NODE is None:
        pytest.skip("node is not installed")
    return NODE


def test_node_test_runner_passes_the_shared_fixtures() -> None:
    done = subprocess.run(
        [_node(), "--test", str(ROOT / "tests/motion/js/")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    counts = dict(
        line.removeprefix("# ").split(" ", 1)
        for line in done.stdout.splitlines()
        if line.startswith(("# pass ", "# fail "))
    )
    assert counts["fail"] == "0"
    assert int(counts["pass"]) >= len(CASES) + 1  # every fixture, plus the other cases


def _run_js(cases: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        [_node(), "-e", RUNNER, str(CORE_JS), str(EXERCISES_JSON)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def _assert_same(js: dict[str, Any], py: dict[str, Any], where: str) -> None:
    assert js["reps"] == py["reps"], where
    assert js["frames"] == py["frames"] and js["frames_with_pose"] == py["frames_with_pose"]
    assert js["rest_deg"] == pytest.approx(py["rest_deg"], abs=0.011), where
    for j, p in zip(js["repetitions"], py["repetitions"], strict=True):
        for key, value in p.items():
            # Both sides round to 2-3 decimals; allow one unit of the last place.
            assert j[key] == pytest.approx(value, abs=0.011), (where, key)
    assert [(f["rep"], f["check"]) for f in js["form_flags"]] == [
        (f["rep"], f["check"]) for f in py["form_flags"]
    ], where
    for j, p in zip(js["form_flags"], py["form_flags"], strict=True):
        assert j["t_s"] == pytest.approx(p["t_s"], abs=0.0011), where


def test_javascript_and_python_agree_on_the_shared_fixtures() -> None:
    cases, expected = [], []
    for name in sorted(CASES):
        spec = json.loads((FIXTURES / f"{name}.expected.json").read_text())
        recording = json.loads((FIXTURES / f"{name}.keypoints.json").read_text())
        cases.append(
            {"exercise": spec["exercise"], "target_deg": spec["target_deg"], "recording": recording}
        )
        definition = get_exercise(spec["exercise"]).with_target(spec["target_deg"])
        expected.append(analyze(parse_recording(recording), definition).to_dict())
    for name, js, py in zip(sorted(CASES), _run_js(cases), expected, strict=True):
        _assert_same(js, py, name)


def test_javascript_and_python_agree_on_unseen_recordings() -> None:
    cases, expected = [], []
    for seed in range(100, 112):
        spec, _ = _random_spec(seed)
        synthetic = generate(spec)
        document = keypoints_document(synthetic)
        cases.append({"exercise": spec.exercise, "target_deg": None, "recording": document})
        # Python analyses the rounded document the browser would receive, not the raw arrays.
        recording = parse_recording(json.loads(json.dumps(document)))
        expected.append(analyze(recording, get_exercise(spec.exercise)).to_dict())
    results = _run_js(cases)
    assert sum(r["reps"] for r in expected) >= 24  # the comparison covers real repetitions
    for seed, js, py in zip(range(100, 112), results, expected, strict=True):
        _assert_same(js, py, f"seed {seed}")
