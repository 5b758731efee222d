"""The physiotherapy section of the clinician's video-call panel (``consults.panel`` hook):
adherence, questionnaire progress and the programme's exercises with links to their animated
demonstrations, so the clinician can show an exercise during the call."""

from __future__ import annotations

from sqlalchemy.orm import Session

from spinewise.accounts.models import Patient
from spinewise.consults.panel import PanelSection
from spinewise.outcomes import service as outcomes
from spinewise.rehab import service


def progress_section(session: Session, patient: Patient) -> PanelSection | None:
    view = service.active_programme(session, patient_id=patient.id)
    progress = [p for p in outcomes.progress(session, patient=patient) if p.message is not None]
    if view is None and not progress:
        return None
    report = (
        service.adherence_report(
            session, patient_id=patient.id, today=service.today_for(patient), view=view
        )
        if view
        else None
    )
    exercises = (
        [(item.exercise_id, service.get_exercise(item.exercise_id).name) for item in view.items]
        if view
        else []
    )
    return PanelSection(
        "Progress and exercises",
        "rehab/call_progress.html",
        {
            "programme": view,
            "adherence": report,
            "progress": progress,
            "exercises": exercises,
            "patient_id": patient.id,
        },
    )
