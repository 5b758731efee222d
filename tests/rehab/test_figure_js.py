"""The browser's demonstration renderer (``web/static/rehab-figure.js``) computes the same
joint positions as the Python reference (``spinewise rehab pose``) for every exercise.

Node runs the JavaScript file itself (the one the browser loads) on the resolved keyframes
of each exercise; the CLI prints the reference at the same times (rounded to 1e-4 H).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinewise.cli import app
from spinewise.rehab.library import default_library

FIGURE_JS = Path(__file__).resolve().parents[2] / "src/spinewise/web/static/rehab-figure.js"
NODE = shutil.which("node")
TIMES = (0.0, 0.7, 1.9, 3.3, 5.25)

RUNNER = """
const figure = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = cases.map((c) => {
  const state = figure.demonstrationPoints(c.demonstration, c.t_s);
  return { id: c.id, t_s: c.t_s, cue: state.cue, points: state.points };
});
process.stdout.write(JSON.stringify(out));
"""


def _run_js(cases: list[dict]) -> list[dict]:
    if NODE is None:
        pytest.skip("node is not installed")
    done = subprocess.run(
        [NODE, "-e", RUNNER, str(FIGURE_JS)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: list[dict] = json.loads(done.stdout)
    return result


def test_the_js_renderer_matches_the_python_reference_for_every_exercise() -> None:
    library = default_library()
    cases = [
        {"id": ex.id, "t_s": t, "demonstration": ex.demonstration.to_dict()}
        for ex in library
        for t in TIMES
    ]
    runner = CliRunner()
    mismatches = []
    for js in _run_js(cases):
        reference = runner.invoke(app, ["rehab", "pose", js["id"], "--t", str(js["t_s"]), "--json"])
        assert reference.exit_code == 0, reference.output
        expected = json.loads(reference.output)
        assert js["cue"] == expected["cue"], (js["id"], js["t_s"])
        for name, (x, y) in expected["points"].items():
            jx, jy = js["points"][name]
            if abs(jx - x) > 6e-5 or abs(jy - y) > 6e-5:  # the CLI rounds to 1e-4
                mismatches.append((js["id"], js["t_s"], name, (x, y), (jx, jy)))
    assert len(cases) == len(library) * len(TIMES) >= 200
    assert mismatches == []


def test_the_js_renderer_wraps_looping_time_like_python() -> None:
    exercise = default_library().get("bird_dog")
    demo = exercise.demonstration
    cases = [{"id": exercise.id, "t_s": t, "demonstration": demo.to_dict()} for t in (-1.5, 0.0)]
    negative, _ = _run_js(cases)
    angles, cue = demo.angles_at(-1.5)  # Python's % maps −1.5 s into the last loop
    assert negative["cue"] == cue
    from spinewise.rehab.figure import pose

    expected = pose(angles, demo.view, anchor=demo.anchor, floor=demo.floor)
    for name, (x, y) in expected.items():
        assert negative["points"][name] == pytest.approx([x, y], abs=1e-9)
