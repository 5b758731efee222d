"""The pump page in Chromium: a clinician types a programme that breaks a limit, sees the live
check refuse it and the save refused with the reason; then saves a valid one and sees its level
chart; the planner's suggestion loads into the form; the sheet prints; the patient sees only the
refill date and the bolus log. Screenshots land in artifacts/screenshots/dosing-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _sign_in(chromium, live_server: str, email: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport=viewport)
    context.set_default_timeout(60_000)  # generous: the suite shares two cores
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return context, page


def test_a_clinician_is_refused_a_programme_over_a_limit_then_saves_a_valid_one_and_sees_its_chart(
    chromium, live_server: str
) -> None:
    context, page = _sign_in(chromium, live_server, "clinician@demo.spinewise.org", DESKTOP)
    errors: list[str] = []
    # Script errors only: the refused save is a 422 page on purpose.
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    page.get_by_role("link", name="James Okafor").click()
    page.get_by_role("link", name="Intrathecal pump").click()
    expect(page.get_by_role("heading", name="Intrathecal pump — James Okafor")).to_be_visible()
    # The demo programme (version 1) is active and drawn over the demo pain profile.
    expect(page.locator("#active svg.level-chart")).to_be_visible()
    check = page.locator("#check-result")
    expect(check).to_contain_text("Within every limit")  # the form starts as the active one

    # Step 2: 2 mL/day from 06:00 -> 0.6 x 6/24 x 10 + 2 x 18/24 x 10 + 3 x 0.25 = 17.25 mg/day.
    page.get_by_label("Step 2 starts").fill("06:00")
    page.get_by_label("Step 2 rate (mL/day)").fill("2")
    expect(check).to_contain_text("Breaks a hard limit — cannot be saved", timeout=10_000)
    expect(check).to_contain_text("above the hard maximum: 17.25 mg/day (limit 15 mg/day)")
    screenshot(page, "dosing-live-check-refused")
    page.get_by_label("Why this version").fill("more cover for the morning")
    page.get_by_role("button", name="Save as a new version").click()
    refusal = page.locator("#refusal")
    expect(refusal).to_contain_text("Refused — not saved")
    expect(refusal).to_contain_text("above the hard maximum: 17.25 mg/day (limit 15 mg/day)")
    expect(page.locator("#history")).to_contain_text("(1 version)")  # nothing was stored
    refusal.scroll_into_view_if_needed()
    screenshot(page, "dosing-save-refused")

    # 0.7 mL/day from 06:00 instead: 1.5 + 5.25 + 0.75 = 7.5 mg/day <= 6.75 x 1.2 = 8.1 mg.
    page.get_by_label("Step 2 rate (mL/day)").fill("0.7")
    expect(check).to_contain_text("Within every limit", timeout=10_000)
    expect(check).to_contain_text("7.5 mg")
    expect(check.locator("svg.level-chart")).to_be_visible()
    screenshot(page, "dosing-live-check-ok")
    page.get_by_label("Why this version").fill("more cover from 06:00 for morning pain")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Version 2 saved and active.")).to_be_visible()
    active = page.locator("#active")
    expect(active).to_contain_text("00:00 0.6 mL/day · 06:00 0.7 mL/day")
    expect(active.locator("svg.level-chart")).to_be_visible()
    expect(page.locator("#history")).to_contain_text("(2 versions)")
    screenshot(page, "dosing-saved-with-chart")

    # The planner reshapes the same daily dose; its suggestion loads into the form.
    page.get_by_role("button", name="Suggest a schedule for the programme in the form").click()
    plan = page.locator("#plan-result")
    expect(plan).to_contain_text("Moves", timeout=20_000)
    expect(plan).to_contain_text("the planner never raises the daily dose")
    plan.scroll_into_view_if_needed()
    screenshot(page, "dosing-planner-suggestion")
    page.get_by_role("button", name="Load the suggestion into the form").click()
    expect(page.locator("#programme-form")).to_contain_text("Loaded from the planner's suggestion")
    expect(check).to_contain_text("Within every limit", timeout=10_000)
    assert errors == [], errors

    # The programming sheet of the active version, as printed.
    sheet_link = page.get_by_role("link", name="Programming sheet (print)")
    sheet_link.click()
    expect(page.get_by_role("heading", name="Intrathecal pump programming sheet")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    screenshot(page, "dosing-programming-sheet-print")
    context.close()


def test_the_patient_sees_the_refill_date_and_logs_a_bolus_without_any_programme_control(
    chromium, live_server: str
) -> None:
    context, page = _sign_in(chromium, live_server, "james@demo.spinewise.org", PHONE)
    page.goto(f"{live_server}/me/pump")
    expect(page.get_by_role("heading", name="Your pump")).to_be_visible()
    expect(page.locator("#refill-date")).to_have_text(re.compile(r"\d{1,2} \w+ 20\d\d"))
    assert page.locator("form[action$='/pump/programmes']").count() == 0
    page.get_by_label("How much did it help?").fill("6")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved. Thank you.")).to_be_visible()
    expect(page.locator("table")).to_contain_text("6/10")
    screenshot(page, "dosing-patient-refill-and-bolus")
    context.close()
