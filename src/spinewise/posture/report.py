"""Human-readable output and the flexion plot of a posture analysis."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from spinewise.posture.config import ZoneThresholds
from spinewise.posture.stream import PostureReport

MAX_PLOT_POINTS = 20_000


def format_text(report: PostureReport) -> str:
    """A short plain-text summary for the terminal."""
    d = report.duration_s or 0.0
    lines = [
        f"samples          {report.samples}  ({report.segments} segment(s))",
        f"duration         {d:.1f} s"
        + (f" at {report.sample_rate_hz:.1f} Hz" if report.sample_rate_hz else ""),
    ]
    if report.calibration is not None:
        lines.append(f"mounting tilt    {report.calibration.mount_tilt_deg:.1f}° (removed)")
    for zone, seconds in report.time_in_zone_s.items():
        share = seconds / d if d > 0 else 0.0
        lines.append(f"{zone:<16} {seconds:9.1f} s  {share:6.1%}")
    f = report.flexion_deg
    if f["p50"] is not None:
        lines.append(
            f"flexion          p50 {f['p50']:.1f}°  p90 {f['p90']:.1f}°  max {f['max']:.1f}°"
        )
    lines.append(
        "activity         " + "  ".join(f"{k} {v:.0f} s" for k, v in report.activity_s.items())
    )
    lines.append(f"episodes         {len(report.episodes)}")
    for e in report.episodes:
        lines.append(
            f"  {e.zone:<7} {e.start_s:9.1f}–{e.end_s:9.1f} s  peak {e.peak_flexion_deg:.0f}°"
            f"  alerts {e.alerts}"
        )
    lines.append(f"alerts           {len(report.alerts)}")
    return "\n".join(lines)


def plot_report(
    report: PostureReport,
    t_s: NDArray[np.float64],
    flexion_deg: NDArray[np.float64],
    thresholds: ZoneThresholds,
) -> Any:
    """Flexion over time with the zones shaded, episodes marked and alerts ticked."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t, f = t_s, flexion_deg
    if t.size > MAX_PLOT_POINTS:  # keep the peaks: maximum per bucket
        k = int(np.ceil(t.size / MAX_PLOT_POINTS))
        m = t.size // k * k
        t = t[:m].reshape(-1, k)[:, 0]
        f = f[:m].reshape(-1, k).max(axis=1)
    scale, unit = (60.0, "min") if (t[-1] - t[0] if t.size else 0) > 1200 else (1.0, "s")
    t0 = float(t[0]) if t.size else 0.0
    fig, ax = plt.subplots(figsize=(11, 4))
    top = max(90.0, float(np.nanmax(f)) + 5 if f.size else 90.0)
    bottom = min(-20.0, float(np.nanmin(f)) - 5 if f.size else -20.0)
    ax.axhspan(thresholds.neutral_max_deg, thresholds.severe_min_deg, color="#f6d55c", alpha=0.25,
               label="flexed zone")  # fmt: skip
    ax.axhspan(thresholds.severe_min_deg, top, color="#ed553b", alpha=0.2, label="severe zone")
    ax.plot((t - t0) / scale, f, color="#20639b", lw=0.8, label="flexion")
    for e in report.episodes:
        color = "#ed553b" if e.zone == "severe" else "#c49a00"
        ax.axvspan((e.start_s - t0) / scale, (e.end_s - t0) / scale, ymin=0.0, ymax=0.04,
                   color=color)  # fmt: skip
    for a in report.alerts:
        ax.axvline((a.t_s - t0) / scale, color="black", lw=0.6, alpha=0.6)
    ax.set_ylim(bottom, top)
    ax.set_xlabel(f"time since start ({unit}); bars = episodes, lines = alerts")
    ax.set_ylabel("trunk flexion (°)")
    ax.set_title("Trunk flexion relative to neutral")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig
