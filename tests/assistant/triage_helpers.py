"""Short readers of a triage result for the specification tests of the blind rounds."""

from __future__ import annotations

from spinewise.assistant.triage import PatientProfile, triage


def codes(text: str, profile: PatientProfile | None = None) -> set[str]:
    """The finding codes the rules give ``text``."""
    return {f.code for f in triage(text, profile).findings}


def level(text: str, profile: PatientProfile | None = None) -> str:
    """The level the rules give ``text``."""
    return triage(text, profile).level
