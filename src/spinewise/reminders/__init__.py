"""Reminders: medication, exercise and posture-break schedules, the persisted scheduler,
delivery (in-app, Web Push, e-mail), acknowledgements, adherence and the iCalendar feed."""
