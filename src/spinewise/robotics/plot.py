"""Clinician chart of one session: angle against target within the limits, torques,
assistance, and the safety events."""

from __future__ import annotations

from typing import Any

import numpy as np

from spinewise.robotics.metrics import SessionMetrics
from spinewise.robotics.protocols import TherapyProtocol
from spinewise.robotics.session import SessionTrace


def plot_session(trace: SessionTrace, metrics: SessionMetrics, protocol: TherapyProtocol) -> Any:
    """A three-panel matplotlib figure (angle, torque, assistance) sharing the time axis."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = trace.t_s
    limits = protocol.limits
    fig, (ax_angle, ax_torque, ax_assist) = plt.subplots(
        3, 1, sharex=True, figsize=(10, 7.5), gridspec_kw={"height_ratios": [3, 2, 1]}
    )
    ax_angle.plot(t, np.degrees(trace.target_rad), color="0.55", lw=1.2, ls="--", label="target")
    ax_angle.plot(t, np.degrees(trace.angle_rad), color="tab:blue", lw=1.4, label="trunk angle")
    for bound in limits.angle_deg:
        ax_angle.axhline(bound, color="tab:red", lw=1.0, ls=":")
    ax_angle.set_ylabel("flexion (°)")
    ax_angle.legend(loc="lower right", fontsize=8)
    title = protocol.name or "Robotic trunk therapy session"
    ax_angle.set_title(f"{title} (simulated)", fontsize=10)

    ax_torque.plot(t, trace.motor_torque_nm, color="tab:orange", lw=1.0, label="robot")
    if np.any(np.isfinite(trace.patient_torque_nm)):
        ax_torque.plot(t, trace.patient_torque_nm, color="tab:green", lw=1.0, label="patient")
    for bound in (-limits.torque_nm, limits.torque_nm):
        ax_torque.axhline(bound, color="tab:red", lw=1.0, ls=":")
    ax_torque.set_ylabel("torque (N·m)")
    ax_torque.legend(loc="lower right", fontsize=8)

    ax_assist.plot(t, trace.assistance, color="tab:purple", lw=1.2)
    ax_assist.set_ylim(0.0, 1.05)
    ax_assist.set_ylabel("assistance")
    ax_assist.set_xlabel("time (s)")

    for rep in metrics.repetitions:
        ax_assist.axvspan(rep.start_s, rep.end_s, color="0.92" if rep.index % 2 else "0.97")
    for event in metrics.safety_events:
        for ax in (ax_angle, ax_torque, ax_assist):
            ax.axvline(event.t_s, color="black", lw=1.0)
        ax_angle.annotate(
            f"{event.kind} → {event.action}",
            (event.t_s, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(-3, -12),
            textcoords="offset points",
            ha="right",
            fontsize=8,
        )
    fig.tight_layout()
    return fig
