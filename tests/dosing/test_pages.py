"""Pump pages: the live check beside the form, refusal with reasons, saving, the planner's
suggestion loaded into the form, sign-off, the printable sheet, settings, libraries, and the
patient's page (refill date and bolus log, never a programme change)."""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Person, World

from .conftest import MORNING_PEAK_PAIN, SYNTHETIC_LIBRARY

pytestmark = pytest.mark.parametrize("engine_name", ["sqlite"], indirect=True)

# Flat morphine 10 mg/mL at 0.6 mL/day (6 mg) + 3 boluses of 0.25 mg = 6.75 mg/day.
VALID_FORM: dict[str, Any] = {
    "drug": "morphine",
    "concentration": "10",
    "reservoir_ml": "20",
    "fill_volume_ml": "20",
    "filled_on": "2026-03-01",
    "step_start": ["00:00", "", ""],
    "step_rate": ["0.6", "", ""],
    "bolus_dose": "0.25",
    "bolus_lockout_min": "120",
    "bolus_max_per_day": "3",
    "reason": "started after a successful trial",
}
# 0.6 mL/day until 06:00, then 2 mL/day: 0.6 x 0.25 x 10 + 2 x 0.75 x 10 = 16.5 mg basal,
# + 0.75 mg of boluses = 17.25 mg/day > 15 mg/day (PACC 2017 morphine maximum).
TOO_MUCH = {**VALID_FORM, "step_start": ["00:00", "06:00"], "step_rate": ["0.6", "2"]}


def _page(world: World) -> str:
    return f"/patients/{world.patient_1.patient_id}/pump"


def _total(client: TestClient, world: World) -> int:
    url = f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes"
    return int(client.get(url, headers=world.clinician_a.headers).json()["total"])


def _text(html: str) -> str:
    """Visible text, whitespace collapsed (SVG charts dropped)."""
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_pump_page_has_the_form_a_live_check_beside_it_and_the_history(
    client: TestClient, world: World
) -> None:
    page = client.get(_page(world), headers=world.clinician_a.headers)
    assert page.status_code == 200
    html = page.text
    assert 'id="programme-form"' in html and 'id="check-result"' in html
    assert f'hx-post="{_page(world)}/check"' in html and "input delay:400ms" in html
    assert "No active programme yet" in html and "Spinewise default intrathecal" in html
    assert "verify every figure against local policy" in _text(html)


def test_the_live_check_shows_the_broken_limit_with_its_units_and_stores_nothing(
    client: TestClient, world: World
) -> None:
    answer = client.post(f"{_page(world)}/check", data=TOO_MUCH, headers=world.clinician_a.headers)
    assert answer.status_code == 200
    text = _text(answer.text)
    assert "Breaks a hard limit — cannot be saved" in text
    assert "above the hard maximum: 17.25 mg/day (limit 15 mg/day)" in text
    assert "<svg" not in answer.text  # no chart for a programme that cannot be saved
    assert _total(client, world) == 0


def test_the_live_check_of_a_valid_programme_shows_doses_refill_and_the_chart(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        f"{_page(world)}/check", data=VALID_FORM, headers=world.clinician_a.headers
    )
    text = _text(answer.text)
    assert "Within every limit" in text
    assert "Maximum daily dose 6.75 mg" in text
    assert "Refill due 27 Mar 2026" in text  # 18 mL / 0.675 mL/day = 26.7 days, rounded down
    assert '<svg class="chart level-chart"' in answer.text


def test_an_incomplete_form_is_reported_not_refused(client: TestClient, world: World) -> None:
    answer = client.post(
        f"{_page(world)}/check",
        data={**VALID_FORM, "concentration": ""},
        headers=world.clinician_a.headers,
    )
    assert "Not complete yet: concentration: is required" in _text(answer.text)


def test_saving_a_programme_that_breaks_a_limit_is_refused_with_the_reason_and_kept_in_the_form(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        f"{_page(world)}/programmes", data=TOO_MUCH, headers=world.clinician_a.headers
    )
    assert answer.status_code == 422
    text = _text(answer.text)
    assert "Refused — not saved" in text
    assert "above the hard maximum: 17.25 mg/day (limit 15 mg/day)" in text
    assert 'name="step_rate" value="2"' in answer.text  # the typed values come back
    assert _total(client, world) == 0


def test_a_valid_programme_is_saved_as_a_version_and_shown_with_its_chart(
    client: TestClient, world: World
) -> None:
    answer = client.post(
        f"{_page(world)}/programmes",
        data=VALID_FORM,
        headers=world.clinician_a.headers,
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("?saved=1#history")
    page = client.get(_page(world) + "?saved=1", headers=world.clinician_a.headers)
    text = _text(page.text)
    assert "Version 1 saved and active." in text
    assert "Refill due 27 Mar 2026" in text
    assert "started after a successful trial" in text and "Dr Ada Clinician" in text
    assert page.text.count('<svg class="chart level-chart"') == 1  # the active programme
    assert _total(client, world) == 1


def test_above_the_soft_maximum_the_page_asks_for_a_reason_then_for_another_clinician(
    client: TestClient, world: World, second_clinician: Person
) -> None:
    # 1.0 mL/day x 10 = 10 mg + 0.75 = 10.75 mg/day: above the 10 mg soft maximum.
    above_soft = {**VALID_FORM, "step_rate": ["1.0", "", ""]}
    check = client.post(f"{_page(world)}/check", data=above_soft, headers=world.clinician_a.headers)
    assert "needs a reason and a second clinician" in _text(check.text)
    missing = client.post(
        f"{_page(world)}/programmes", data=above_soft, headers=world.clinician_a.headers
    )
    assert missing.status_code == 422 and "soft maximum" in _text(missing.text)
    client.post(
        f"{_page(world)}/programmes",
        data={**above_soft, "soft_limit_reason": "pain uncontrolled at 6.75 mg"},
        headers=world.clinician_a.headers,
    )
    own = client.get(_page(world), headers=world.clinician_a.headers).text
    assert "Waiting for a second clinician" in own and "another clinician" in own
    assert "/sign-off" not in own.split('id="pending"')[1].split("</section>")[0]
    other = client.get(_page(world), headers=second_clinician.headers).text
    action = re.search(r'action="([^"]+/sign-off)"', other)
    assert action is not None
    signed = client.post(action.group(1), headers=second_clinician.headers, follow_redirects=False)
    assert signed.status_code == 303
    after = _text(client.get(signed.headers["location"], headers=second_clinician.headers).text)
    assert "Version 1 signed off and now active." in after


def test_the_planner_suggestion_loads_into_the_form_and_saves_as_a_planner_version(
    client: TestClient, world: World
) -> None:
    headers = world.clinician_a.headers
    client.post(
        f"{_page(world)}/settings",
        data={"pain_profile": ", ".join(map(str, MORNING_PEAK_PAIN)), "clinic": ""},
        headers=headers,
    )
    page = client.get(_page(world), headers=headers).text
    assert 'id="suggest"' in page
    plan = client.post(f"{_page(world)}/plan", data=VALID_FORM, headers=headers)
    text = _text(plan.text)
    assert "Moves" in text and "ahead of the morning pain peak" in text
    assert "the planner never raises the daily dose" in text
    suggestion = re.search(r'name="programme" value="([^"]+)"', plan.text)
    assert suggestion is not None
    programme = json.loads(suggestion.group(1).replace("&#34;", '"'))
    loaded = client.post(
        f"{_page(world)}/load",
        data={"programme": json.dumps(programme), "explanation": "Moves …", "filled_on": ""},
        headers=headers,
    )
    assert loaded.status_code == 200 and 'name="source" value="planner"' in loaded.text
    rates = re.findall(r'name="step_rate" value="([^"]*)"', loaded.text)
    assert rates[: len(programme["steps"])] == [
        f"{s['rate_ml_per_day']:g}" for s in programme["steps"]
    ]
    form = {
        **VALID_FORM,
        "source": "planner",
        "step_start": [s["start"] for s in programme["steps"]],
        "step_rate": [str(s["rate_ml_per_day"]) for s in programme["steps"]],
        "reason": "planner suggestion",
    }
    saved = client.post(
        f"{_page(world)}/programmes", data=form, headers=headers, follow_redirects=False
    )
    assert saved.status_code == 303
    version = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes", headers=headers
    ).json()["items"][0]
    assert version["source"] == "planner" and version["basal_daily_dose"] <= 6


def test_the_programming_sheet_prints_the_version_and_its_provenance(
    client: TestClient, world: World
) -> None:
    client.post(f"{_page(world)}/programmes", data=VALID_FORM, headers=world.clinician_a.headers)
    version = client.get(
        f"/api/v1/patients/{world.patient_1.patient_id}/pump-programmes",
        headers=world.clinician_a.headers,
    ).json()["items"][0]
    sheet = client.get(
        f"{_page(world)}/programmes/{version['id']}/sheet", headers=world.clinician_a.headers
    )
    text = _text(sheet.text)
    assert "Intrathecal pump programming sheet" in text and "Version 1" in text
    assert "00:00 0.6 24 6" in text  # starts, mL/day, hours, mg in the step
    assert version["library_fingerprint"] in text and "data-print" in sheet.text
    assert '<link rel="stylesheet" href="/static/dosing.css">' in sheet.text
    css = (resources.files("spinewise.web") / "static" / "dosing.css").read_text()
    assert "@media print" in css and ".topbar" in css.split("@media print")[1]
    assert client.get("/static/dosing.js").status_code == 200


def test_the_patient_page_shows_the_refill_date_and_logs_boluses_but_never_edits(
    client: TestClient, world: World
) -> None:
    client.post(f"{_page(world)}/programmes", data=VALID_FORM, headers=world.clinician_a.headers)
    patient = world.patient_1.headers
    assert client.get(_page(world), headers=patient).status_code == 403
    mine = client.get(f"{_page(world)}/boluses", headers=patient)
    assert mine.status_code == 200
    assert "27 March 2026" in mine.text and "Only your care team changes" in mine.text
    for editing in ("/pump/programmes", "/pump/check", "/pump/plan", "step_rate", "/pump/settings"):
        assert editing not in mine.text
    # The patient's zone is UTC (tests.conftest); an hour ago, as a datetime-local input sends it.
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    logged = client.post(
        f"{_page(world)}/boluses",
        data={"taken_at": an_hour_ago, "relief": "6", "note": "morning stiffness"},
        headers=patient,
        follow_redirects=False,
    )
    assert logged.status_code == 303
    assert "morning stiffness" in client.get(f"{_page(world)}/boluses", headers=patient).text
    bad = client.post(
        f"{_page(world)}/boluses",
        data={"taken_at": an_hour_ago, "relief": "12"},
        headers=patient,
    )
    assert bad.status_code == 422
    assert (
        client.get("/me/pump", headers=patient, follow_redirects=False)
        .headers["location"]
        .endswith("/pump/boluses")
    )


def test_a_clinic_library_is_uploaded_as_a_file_and_refused_when_invalid(
    client: TestClient, world: World
) -> None:
    headers = world.clinician_a.headers
    bad = copy.deepcopy(SYNTHETIC_LIBRARY)
    del bad["pump"]
    refused = client.post(
        "/clinician/drug-libraries",
        data={"clinic": "North clinic"},
        files={"library_file": ("lib.json", json.dumps(bad), "application/json")},
        headers=headers,
    )
    assert refused.status_code == 422 and "pump: is required" in refused.text
    stored = client.post(
        "/clinician/drug-libraries",
        data={"clinic": "North clinic", "note": "checked by pharmacy"},
        files={"library_file": ("lib.json", json.dumps(SYNTHETIC_LIBRARY), "application/json")},
        headers=headers,
    )
    assert stored.status_code == 200 and "stored for North clinic" in stored.text
    client.post(f"{_page(world)}/settings", data={"clinic": "North clinic"}, headers=headers)
    page = client.get(_page(world), headers=headers).text
    assert "synthetic test library test-1 (North clinic)" in page
    assert '<option value="testorphine"' in page


def test_a_pasted_pain_profile_must_have_24_numbers(client: TestClient, world: World) -> None:
    answer = client.post(
        f"{_page(world)}/settings",
        data={"pain_profile": "3 4 5", "clinic": ""},
        headers=world.clinician_a.headers,
    )
    assert answer.status_code == 422 and "24 numbers" in answer.text
