"""A patient's open /reminders page receives a reminder the moment it falls due (server-sent
event from the embedded scheduler) and the patient marks it taken; on a phone-sized Chromium.

The server runs with a 0.25 s scheduler poll (``SPINEWISE_REMINDERS_POLL_S``) on its own
seeded database, so that the test can create the reminder through the service, due two
seconds ahead, as the assistant or a clinician would."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from spinewise.accounts.models import Patient
from spinewise.db import make_engine, make_session_factory, unit_of_work
from spinewise.reminders import service
from spinewise.reminders.models import ReminderAcknowledgement, ReminderOccurrence
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, World
from tests.devices.server import ServerProcess

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.slow]
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("engine_name", ["sqlite"])
def test_a_reminder_arrives_in_the_open_page_and_is_acknowledged(
    chromium, database: tuple[str, World], tmp_path: Path, engine_name: str
) -> None:
    url, world = database
    server = ServerProcess(url, tmp_path, env={"SPINEWISE_REMINDERS_POLL_S": "0.25"})
    server.start(timeout_s=180)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    context = chromium.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(f"{server.url}/login")
        page.get_by_label("E-mail").fill(world.patient_1.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{server.url}/reminders")
        expect(page.get_by_role("heading", name="Your reminders")).to_be_visible()
        expect(page.locator("#live-status")).to_have_text(re.compile("^Live"), timeout=15_000)
        expect(page.get_by_text("Nothing due right now.")).to_be_visible()
        screenshot(page, "reminders-waiting")

        with unit_of_work(factory) as session:
            patient = session.get(Patient, world.patient_1.patient_id)
            assert patient is not None
            service.add_one_off(
                session,
                patient=patient,
                due_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2),
                kind="medication",
                title="Naproxen",
                dose="250 mg with food",
            )

        card = page.locator(".reminder-card")
        expect(card).to_have_count(1, timeout=20_000)
        expect(card).to_contain_text("Naproxen")
        # The live event (not the once-a-minute refresh) brought it.
        expect(page.locator("#live-status")).to_have_text("New reminder: Naproxen")
        screenshot(page, "reminders-arrived")

        card.get_by_role("button", name="Taken").click()
        expect(page.get_by_text("Marked as taken.")).to_be_visible()
        expect(page.locator(".reminder-card")).to_have_count(0)
        screenshot(page, "reminders-acknowledged")
    finally:
        context.close()
        server.stop()

    with unit_of_work(factory) as session:
        occurrence = session.scalar(select(ReminderOccurrence))
        answer = session.scalar(select(ReminderAcknowledgement))
    engine.dispose()
    assert occurrence is not None and occurrence.status == "taken"
    assert answer is not None and answer.action == "taken" and answer.source == "app"
    assert answer.recorded_by == world.patient_1.user_id
