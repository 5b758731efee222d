"""Recordings for ingestion tests: the posture simulator's output with its known truth."""

from __future__ import annotations

from functools import cache

import numpy as np

from spinewise.posture.simulate import Simulation, simulate

START_S = 1_790_000_000.0  # 2026-09-21: a Unix time, as devices send


@cache
def recording(scenario: str = "office", duration_s: float = 300.0, seed: int = 11) -> Simulation:
    return simulate(scenario, 50.0, duration_s, seed=seed, start_s=START_S)


def batches(sim: Simulation, per_batch: int = 50) -> list[list[list[float]]]:
    """One-second batches of ``[t, ax, ay, az, gx, gy, gz]`` rows."""
    s = sim.samples
    rows = np.column_stack([s.t, s.acc, s.gyr])
    return [rows[i : i + per_batch].tolist() for i in range(0, len(rows), per_batch)]
