"""Zones and activity context per frame, with hysteresis and minimum durations.

Zones (ISO 11226:2000 trunk inclination): 0 neutral (< 20°), 1 flexed (20–60°),
2 severe (> 60°), thresholds per patient (``ZoneThresholds``).

*Hysteresis* is the play (backlash) operator: with the thresholds shifted up and down by
``hysteresis_deg`` the frame's zone must lie between the two shifted zones and otherwise
keeps the previous zone, ``z_f = clip(z_{f-1}, zone(θ − h), zone(θ + h))`` — computed here
without a Python loop. *Minimum durations*: a run of one label shorter than
``min_zone_s`` (covered time) is absorbed into the last stable label, so a noisy crossing
does not flicker; a run that lasts long enough is labelled from its first frame. Labels are
therefore final up to ``min_zone_s`` after the fact, which the stream accounts for.

Activity context (codes 0 still, 1 moving, 2 walking, 3 lying), from the frame statistics:
- lying: the trunk axis is more than ``lying_inclination_deg`` from vertical *and* not bent
  forward (a single upper-back sensor cannot tell lying prone from a 90° stoop; we report
  such frames as severe flexion, the safer error);
- walking: upright and the acceleration magnitude varies by more than ``walk_accel_g`` rms
  (gait: ~0.2 g rms vertical pelvic acceleration);
- still: angular rate and acceleration both nearly constant; otherwise moving.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.posture.config import FilterSettings, ZoneThresholds

FloatArray = NDArray[np.float64]
Int8Array = NDArray[np.int8]

ZONES = ("neutral", "flexed", "severe")
ACTIVITIES = ("still", "moving", "walking", "lying")
LYING = 3


def zone_with_hysteresis(
    flexion_deg: FloatArray, thresholds: ZoneThresholds, previous: int = 0
) -> Int8Array:
    """Zone codes with the play operator; ``previous`` is the zone before the first frame."""
    t1, t2, h = thresholds.neutral_max_deg, thresholds.severe_min_deg, thresholds.hysteresis_deg
    f = flexion_deg
    z_up = (f >= t1 + h).astype(np.int8) + (f > t2 + h)
    z_dn = (f >= t1 - h).astype(np.int8) + (f > t2 - h)
    decisive = z_up == z_dn
    if decisive.all():
        return z_dn
    n = f.shape[0]
    last = np.maximum.accumulate(np.where(decisive, np.arange(n), -1))
    has_last = last >= 0
    last0 = np.maximum(last, 0)
    z0 = np.where(has_last, z_dn[last0], np.int8(previous))
    band_a = ~decisive & (z_up == 0)
    band_b = ~decisive & (z_up == 1)
    ca, cb = np.cumsum(band_a), np.cumsum(band_b)
    seen_a = (ca - np.where(has_last, ca[last0], 0)) > 0
    seen_b = (cb - np.where(has_last, cb[last0], 0)) > 0
    band = np.where(
        seen_a & seen_b, 1, np.where(seen_a, np.minimum(z0, 1), np.maximum(z0, 1))
    ).astype(np.int8)
    return np.where(decisive, z_dn, band).astype(np.int8)


def activity_codes(
    up_body: FloatArray,
    flexion_deg: FloatArray,
    lateral_deg: FloatArray,
    accel_mag_var_g2: FloatArray,
    still: NDArray[np.bool_],
    settings: FilterSettings,
) -> Int8Array:
    """Raw (not yet debounced) activity code per frame."""
    tilted = up_body[:, 1] < math.cos(math.radians(settings.lying_inclination_deg))
    stooped = (flexion_deg > 0.0) & (np.abs(lateral_deg) < 45.0)
    lying = tilted & ~stooped
    walking = ~lying & (accel_mag_var_g2 > settings.walk_accel_g**2) & (flexion_deg < 45.0)
    codes = np.where(still, 0, 1).astype(np.int8)
    codes[walking] = 2
    codes[lying] = LYING
    return codes


class Debouncer:
    """Minimum-duration filter on a label sequence; state survives any chunking.

    ``push`` returns the labels of the frames it has *decided*, in order; a run that has
    not yet lasted ``min_s`` is held back until it does (then labelled with its own label)
    or ends (then labelled with the last stable label).
    """

    def __init__(self, min_s: float) -> None:
        self.min_ns = round(min_s * 1e9)
        self.stable = -1  # last stable label (-1: none yet)
        self.run_label = -1
        self.run_ns = 0
        self.run_stable = False
        self.pending = 0  # frames of the current, still undecided run

    def push(
        self, labels: Int8Array, dur_ns: NDArray[np.int64], seg_start: NDArray[np.bool_]
    ) -> Int8Array:
        n = labels.shape[0]
        if n == 0:
            return labels
        change = np.empty(n, dtype=bool)
        change[0] = True
        np.not_equal(labels[1:], labels[:-1], out=change[1:])
        change |= seg_start
        starts = change.nonzero()[0]
        bounds = np.empty(starts.size + 1, dtype=np.int64)
        bounds[:-1] = starts
        bounds[-1] = n
        csum = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(dur_ns, out=csum[1:])
        run_cov = (csum[bounds[1:]] - csum[bounds[:-1]]).tolist()
        run_lab = labels[starts].tolist()
        run_len = (bounds[1:] - bounds[:-1]).tolist()
        continues = self.run_label == run_lab[0] and not bool(seg_start[0]) and self.run_label >= 0
        out_lab: list[int] = []
        out_len: list[int] = []
        min_ns = self.min_ns
        for i, (lab, cov, length) in enumerate(zip(run_lab, run_cov, run_len, strict=True)):
            if i > 0 or not continues:
                if self.pending:  # the previous run ended before it became stable
                    out_lab.append(self.stable)
                    out_len.append(self.pending)
                    self.pending = 0
                self.run_label, self.run_ns, self.run_stable = lab, 0, False
                if self.stable < 0:
                    self.stable, self.run_stable = lab, True
            self.run_ns += cov
            if self.run_stable:
                out_lab.append(lab)
                out_len.append(length)
            elif self.run_ns >= min_ns:
                self.run_stable, self.stable = True, lab
                out_lab.append(lab)
                out_len.append(self.pending + length)
                self.pending = 0
            else:
                self.pending += length
        return np.repeat(np.asarray(out_lab, dtype=np.int8), out_len)

    def flush(self) -> Int8Array:
        """Decide the held-back frames at the end of a recording."""
        if not self.pending:
            return np.empty(0, dtype=np.int8)
        label = self.stable if self.stable >= 0 else self.run_label
        out = np.full(self.pending, label, dtype=np.int8)
        self.pending = 0
        return out

    def get_state(self) -> dict[str, Any]:
        return {
            k: getattr(self, k) for k in ("stable", "run_label", "run_ns", "run_stable", "pending")
        }

    def set_state(self, state: dict[str, Any]) -> None:
        for key, value in state.items():
            setattr(self, key, value)
