"""What a reminder says on each channel (pure).

Health details stay inside the signed-in app. A push notification is end-to-end encrypted to
the patient's browser but shows on a locked phone, and an e-mail passes through mail servers
and is read over shoulders, so both say only what *kind* of reminder is due ("Time for your
medicine"), never the medicine, dose or programme. The in-app card (after sign-in) shows the
details.
"""

from __future__ import annotations

import datetime as dt
import json

KIND_LABELS = {
    "medication": "Time for your medicine",
    "exercise": "Time for your exercises",
    "posture": "Posture break: stand up and move",
    "other": "You have a reminder",
}
EMAIL_SUBJECT = "Spinewise reminder"


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, KIND_LABELS["other"])


def push_payload(*, occurrence_id: int, kind: str, url: str) -> str:
    """The JSON the service worker shows; ``tag`` makes a resent notification replace the first."""
    return json.dumps(
        {
            "title": "Spinewise",
            "body": kind_label(kind),
            "tag": f"reminder-{occurrence_id}",
            "url": url,
        },
        separators=(",", ":"),
    )


def email_body(*, due_local: dt.datetime, url: str) -> str:
    """No medicine, dose or programme: only that something is due and where to look."""
    return (
        "Hello,\n\n"
        f"You have a reminder due at {due_local:%H:%M} ({due_local:%a %d %b}).\n"
        f"Open Spinewise to see it and mark it done: {url}\n\n"
        "You receive this because you turned on e-mail reminders in Spinewise. "
        "You can turn them off on the reminders page.\n"
    )
