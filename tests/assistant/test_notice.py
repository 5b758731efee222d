"""The care-team sentence of urgent and emergency answers is true in every surface."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from spinewise.assistant.notice import care_team_sentence, state_care_team, without_alert_claim
from spinewise.assistant.triage import PatientProfile, triage
from spinewise.cli import app

EMERGENCY = "I cannot feel the toilet paper when I wipe"
URGENT = "I have a fever and my back hurts"
# Any claim that someone was told, however phrased.
CLAIM = re.compile(r"care team (?:has|have|was|is) been (?:alerted|notified|told)", re.I)


def test_the_triage_claim_is_removed_and_the_true_sentence_takes_its_place() -> None:
    advice = triage(URGENT, PatientProfile()).advice
    assert CLAIM.search(advice), "the triage wording this module corrects has changed"
    told = state_care_team(advice, "urgent", notified=True)
    untold = state_care_team(advice, "urgent", notified=False)
    alone = state_care_team(advice, "urgent", notified=False, has_care_team=False)
    assert "notified in the app" in told and not CLAIM.search(untold)
    assert "has not alerted anyone" in untold
    assert "no care team in Spinewise yet, so nobody has been alerted" in alone
    # same place: before the emergency safety net, which stays last
    assert untold.split("\n")[-1].startswith("Call 999 or go to A&E at once")
    # applying it again with the real outcome replaces the earlier sentence
    assert state_care_team(untold, "urgent", notified=True) == told


def test_levels_without_an_alert_get_no_care_team_sentence() -> None:
    assert care_team_sentence("self_care", notified=False) == ""
    assert without_alert_claim("Rest.\nYour care team has been alerted to this message.") == "Rest."


@pytest.mark.parametrize("message", [EMERGENCY, URGENT])
def test_the_command_line_never_says_that_anyone_was_alerted(message: str) -> None:
    runner = CliRunner()
    for command in (["ask", message, "--json", "--bm25-only", "--no-llm"], ["triage", message]):
        result = runner.invoke(app, ["assistant", *command])
        assert result.exit_code == 0
        text = json.loads(result.stdout)["answer"] if "--json" in command else result.stdout
        flat = " ".join(text.split())
        assert not CLAIM.search(flat), flat
        assert "has not alerted anyone" in flat
        if "--json" in command:
            [notify] = [
                a for a in json.loads(result.stdout)["actions"] if a["type"] == "notify_care_team"
            ]
            assert notify["notified"] is False
