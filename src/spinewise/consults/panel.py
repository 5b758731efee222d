"""The clinician's side panel during a video call: a hook other domains plug sections into.

The panel shows the patient's profile and the consultation note form today. Progress charts
and exercise demonstrations belong to the remote-physiotherapy work (``rehab``), which is not
built yet; when it lands it registers a provider here, for example::

    from spinewise.consults import panel

    def progress_section(session, patient):
        return panel.PanelSection("Progress", "rehab/call_progress.html", {...})

    panel.register(progress_section)

and its section appears under the profile in every call, with nothing in ``consults`` to
change. A provider receives a patient the clinician was already admitted to (participant of
the appointment, audited); it returns ``None`` to show nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from spinewise.accounts.models import Patient


@dataclass(frozen=True)
class PanelSection:
    title: str
    template: str  # a template name such as "rehab/call_progress.html"
    context: dict[str, Any] = field(default_factory=dict)


PanelProvider = Callable[["Session", "Patient"], PanelSection | None]
_PROVIDERS: list[PanelProvider] = []


def register(provider: PanelProvider) -> PanelProvider:
    """Add a section provider (idempotent; usable as a decorator)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def sections(session: Session, patient: Patient) -> list[PanelSection]:
    """The extra sections for this patient, in registration order."""
    found = (provider(session, patient) for provider in list(_PROVIDERS))
    return [section for section in found if section is not None]
