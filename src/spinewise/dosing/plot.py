"""Figure of the simulated drug level over the last day beside the hourly pain profile."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from spinewise.dosing.pk import Simulation


def level_and_pain_figure(
    simulation: Simulation,
    *,
    level_unit: str,
    drug: str,
    pain: Sequence[float] | None = None,
) -> Figure:
    """Level (line, left axis) over the final 24 h, hourly pain (bars, right axis) if given."""
    last = simulation.last_day()
    hour_of_day = last.t_h - last.t_h[0]
    figure = Figure(figsize=(8, 4))
    axes = figure.add_subplot(1, 1, 1)
    if pain is not None:
        pain_axes = axes.twinx()
        pain_axes.bar(
            np.arange(24) + 0.5, pain, width=0.9, color="tab:red", alpha=0.25, label="pain"
        )
        pain_axes.set_ylim(0, 10)
        pain_axes.set_ylabel("mean pain (0-10)")
        axes.set_zorder(pain_axes.get_zorder() + 1)
        axes.patch.set_visible(False)
    axes.plot(hour_of_day, last.concentration, color="tab:blue", label=f"{drug} level")
    axes.set_xlim(0, 24)
    axes.set_xticks(range(0, 25, 3))
    axes.set_xlabel("hour of day (last simulated day)")
    axes.set_ylabel(f"model level ({level_unit})")
    axes.set_ylim(bottom=0)
    axes.set_title("Simulated level (one-compartment model) - decision support only")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure
