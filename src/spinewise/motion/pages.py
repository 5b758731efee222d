"""Camera coaching in the rehab pages: the player's per-exercise coaching data and the
range-of-motion section of the progress page. Motion has no pages of its own; the rehab
session player and progress page call these helpers.
"""

from __future__ import annotations

import json

from markupsafe import Markup
from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient
from spinewise.core.audit import Actor
from spinewise.motion import service
from spinewise.motion.coaching import coaching_for
from spinewise.outcomes.svgchart import RefLine, Series, line_chart
from spinewise.web.templating import templates

ANGLE_LABELS = {
    "trunk_flexion": "forward bend of the trunk",
    "knee_flexion": "knee bend",
    "bridge_lift": "hip lift",
}


def coaching_json(library_id: str) -> Markup | None:
    """The camera-coaching definition of a library exercise as a JSON data block for the
    player (``None`` when the exercise is not coached with the camera)."""
    coaching = coaching_for(library_id)
    if coaching is None:
        return None
    data = {**coaching.to_browser(), "angle_label": ANGLE_LABELS.get(coaching.definition.angle)}
    text = json.dumps(data, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def camera_progress_section(
    session: Session, *, actor: Actor, patient: Patient, is_self: bool
) -> Markup:
    """Range of motion per session of each camera-coached exercise (empty when there is none)."""
    results = service.list_camera_results(session, actor=actor, patient=patient)
    trends = service.range_trends(results)
    if not trends:
        return Markup("")
    charts = []
    for trend in trends:
        top = max(trend.target_deg, *(m for _, m, _ in trend.points)) * 1.2
        name = ANGLE_LABELS.get(trend.angle, trend.angle)
        svg = line_chart(
            [Series(f"Range of {name} (camera estimate)", [(d, m) for d, m, _ in trend.points])],
            title=f"{trend.exercise_id.replace('_', ' ').capitalize()}: range per session",
            description="; ".join(
                f"{d.isoformat()} {m:.0f} deg over {n} repetitions" for d, m, n in trend.points
            ),
            y_min=0,
            y_max=round(top),
            y_label="degrees (camera estimate)",
            ref_lines=[RefLine(trend.target_deg, f"target {trend.target_deg:g}°", "ref good")],
        )
        charts.append((trend, Markup(svg)))
    template = templates.env.get_template("motion/_progress.html")
    return Markup(template.render(charts=charts, is_self=is_self, results=results[-10:]))
