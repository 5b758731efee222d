"""Garbage-collector settings for a long-lived server process (``spinewise serve``).

CPython's full collections walk every tracked object. In a server that is the ~1 M objects
created at start-up (FastAPI, SQLAlchemy, pydantic and the FHIR models, NumPy/SciPy …) plus the
per-device posture engines; measured with ``benchmarks/ingest_load.py`` (docs/live-monitoring.md,
"Garbage-collector pauses"), full collections took 230–420 ms every few seconds at 400–800
streaming devices, which alone broke the 100-ms p99 acknowledgement target.

Two standard remedies (Python documentation, ``gc.freeze``; the same is done by large
CPython deployments to keep request latency flat):

- after start-up, collect once and **freeze** what survives: those objects move to a permanent
  generation that later collections skip;
- collect the youngest generation every 10 000 allocations instead of 700, and a full
  collection at most every 100 middle ones, so the frequent collections are fewer and the
  rare full one only walks objects created since start-up.

Reference counting still frees every object that is not part of a reference cycle; the cost
is that cyclic garbage among the frozen start-up objects is never collected (there is none
to speak of: start-up builds things that live as long as the process). Not used by tests or
``TestClient`` apps, which create many short-lived apps in one process.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 10_000
MIDDLE_THRESHOLD = 10
OLD_THRESHOLD = 100


def tune_for_long_lived_process() -> None:
    """Collect, freeze the survivors and raise the thresholds (see the module docstring)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
