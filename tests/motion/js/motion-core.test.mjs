// The browser's analysis (src/spinewise/web/static/motion-core.js) on the shared fixtures of
// tests/motion/fixtures: the same files and the same pass rule as the Python tests
// (docs/motion.md, "Synthetic recordings and the shared fixtures"). Run with
//   node --test tests/motion/js/
// (pytest runs it: tests/motion/test_motion_js.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const require = createRequire(import.meta.url);
const motion = require(join(root, "src/spinewise/web/static/motion-core.js"));
const definitions = JSON.parse(readFileSync(join(root, "src/spinewise/motion/exercises.json"), "utf8"));
const fixtures = join(root, "tests/motion/fixtures");
const WINDOW_SLACK_S = 0.1;

function exercise(name, targetDeg) {
  const d = { name, ...definitions[name] };
  if (targetDeg !== null && targetDeg !== undefined) d.target_deg = targetDeg;
  return d;
}

const cases = readdirSync(fixtures).filter((f) => f.endsWith(".expected.json")).map((f) => f.replace(".expected.json", ""));

test("there are shared fixtures to pass", () => {
  assert.ok(cases.length >= 4, `found ${cases.length}`);
});

for (const name of cases) {
  test(`fixture ${name}: counts, peaks, windows and flags as expected`, () => {
    const spec = JSON.parse(readFileSync(join(fixtures, `${name}.expected.json`), "utf8"));
    const recording = JSON.parse(readFileSync(join(fixtures, `${name}.keypoints.json`), "utf8"));
    assert.equal(recording.layout, motion.LAYOUT);
    const result = motion.analyze(recording, exercise(spec.exercise, spec.target_deg));
    const want = spec.expected;
    assert.equal(result.reps, want.reps);
    result.repetitions.forEach((rep, i) => {
      const error = Math.abs(rep.peak_deg - want.peaks_deg[i]);
      assert.ok(error <= want.peak_tolerance_deg, `rep ${i + 1}: peak ${rep.peak_deg} vs ${want.peaks_deg[i]}`);
      const [from, to] = want.rep_windows_s[i];
      assert.ok(rep.start_s >= from - WINDOW_SLACK_S && rep.end_s <= to + WINDOW_SLACK_S,
        `rep ${i + 1}: ${rep.start_s}-${rep.end_s} outside ${from}-${to}`);
    });
    const flags = (list) => list.map((f) => `${f.rep}:${f.check}`).sort();
    assert.deepEqual(flags(result.form_flags), flags(want.form_flags));
  });
}

test("Python's round: halves go to the even neighbour", () => {
  assert.deepEqual([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(motion.pyRound), [0, 2, 2, 4, 2, 3]);
});

test("angles of hand-drawn joints", () => {
  // Hip at (0, 0), shoulder 1 right and 1 up (image y down): 45 deg from the vertical.
  assert.ok(Math.abs(motion.segmentAngleFromVerticalDeg([[0, 0]], [[1, -1]])[0] - 45) < 1e-9);
  // A right angle at the knee: knee flexion 180 - 90 = 90.
  assert.ok(Math.abs(motion.jointAngleDeg([[0, -1]], [[0, 0]], [[1, 0]])[0] - 90) < 1e-9);
  // Shoulder on the floor, hip 1 along and tan(20 deg) up: a 20 deg bridge lift.
  const rise = Math.tan((20 * Math.PI) / 180);
  assert.ok(Math.abs(motion.segmentAngleAboveHorizontalDeg([[0, 0]], [[-1, -rise]])[0] - 20) < 1e-9);
});

test("a short gap is bridged linearly, a long one and the edges stay missing", () => {
  const filled = motion.fillGaps([NaN, 0, NaN, NaN, 3, NaN, NaN, NaN, NaN, 8, NaN], 4, 0.5);
  assert.deepEqual(filled.slice(1, 5), [0, 1, 2, 3]);
  assert.ok(filled.slice(5, 9).every(Number.isNaN)); // 4 frames > floor(0.5 * 4) = 2
  assert.ok(Number.isNaN(filled[0]) && Number.isNaN(filled[10]));
});

test("a one-frame jump is an outlier, a smooth fast movement is not", () => {
  const ramp = Array.from({ length: 30 }, (_, i) => 3 * i);
  assert.deepEqual(motion.hampel(ramp, 30), ramp);
  const spiked = ramp.slice();
  spiked[15] += 40;
  const cleaned = motion.hampel(spiked, 30);
  assert.ok(Number.isNaN(cleaned[15]));
  assert.equal(cleaned.filter(Number.isNaN).length, 1);
});

test("a movement to less than half the target is not a repetition", () => {
  const fps = 10;
  const bend = (peak) => Array.from({ length: 30 }, (_, i) => (peak / 2) * (1 - Math.cos((2 * Math.PI * i) / 30)));
  const series = [0, 0, 0, ...bend(60), 0, 0, ...bend(25), 0, 0, ...bend(45), 0, 0, 0];
  const reps = motion.detectRepetitions(series, fps, 60);
  assert.equal(reps.length, 2);
  assert.ok(Math.abs(reps[0].peak_deg - 60) < 0.5 && Math.abs(reps[1].peak_deg - 45) < 0.5);
});
