"""Decision support in Chromium: a clinician opens a patient, completes an assessment and sees
the panel (pathway, rule with its likelihood ratio and limits, SYNTHETIC-labelled model output
with explanations, model-card links); the patient cannot open it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
PASSWORD = "spinewise-demo-2026"
DESKTOP = {"width": 1280, "height": 900}


def _sign_in(context, live_server: str, email: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    return page


def test_a_clinician_completes_an_assessment_and_sees_the_panel(chromium, live_server: str) -> None:
    context = chromium.new_context(viewport=DESKTOP)
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = _sign_in(context, live_server, "clinician@demo.spinewise.org")
    page.get_by_role("link", name="Olivia Bennett").click()

    # The patient page loads the panel of the demo assessment (medium risk) in place.
    panel = page.locator("#ds-panel")
    expect(panel).to_be_visible(timeout=15_000)
    expect(panel.locator(".pill").first).to_have_text("medium")
    screenshot(page, "decision-support-on-patient-page")

    panel.get_by_role("link", name="New assessment").click()
    expect(page.get_by_role("heading", name=re.compile("New assessment"))).to_be_visible()
    page.get_by_label("Oswestry Disability Index").fill("40")
    page.get_by_label("Pain now (NPRS)").fill("6")
    page.get_by_label("STarT Back total").fill("6")
    page.get_by_label("STarT Back psychosocial").fill("4")
    page.get_by_label("FABQ work subscale").fill("12")
    page.get_by_label("FABQ physical-activity subscale").fill("15")
    page.get_by_label("Duration of the current episode").fill("10")
    page.get_by_label("Unit of the duration").select_option("days")
    page.get_by_label("Symptoms below the knee").select_option("no")
    page.get_by_label("Hip internal rotation, left").fill("40")
    page.get_by_label("Hip internal rotation, right").fill("33")
    page.get_by_label("Lumbar hypomobility on spring testing").select_option("yes")
    page.get_by_label("Clinical notes").fill("Acute episode after gardening.")
    page.get_by_role("button", name="Save assessment").click()

    expect(page.get_by_role("heading", name=re.compile("Decision support"))).to_be_visible()
    panel = page.locator("#ds-panel")
    # STarT Back 6 / psychosocial 4 -> high risk -> psychologically informed physiotherapy.
    expect(panel.locator(".pill").first).to_have_text("high")
    expect(panel.get_by_text("psychologically informed physiotherapy").first).to_be_visible()
    expect(panel.get_by_text("startback_high")).to_be_visible()
    # All five findings present: the rule is positive with Flynn's +LR and its limits.
    expect(panel.get_by_text("5 of 5 findings present")).to_be_visible()
    expect(panel.get_by_text(re.compile(r"Positive likelihood ratio 24\.38"))).to_be_visible()
    expect(panel.get_by_role("heading", name="Limits of its validation")).to_be_visible()
    # The model output is labelled SYNTHETIC, explained per treatment and linked to its card.
    expect(panel.locator(".ds-synthetic")).to_contain_text("SYNTHETIC training data")
    expect(panel.locator("svg.forest")).to_be_visible()
    expect(panel.locator("svg.contributions")).to_have_count(4)
    for name in ("STarT Back stratified care", "manipulation rule", "treatment-response model"):
        expect(panel.get_by_role("link", name=f"Model card: {name}")).to_be_visible()
    screenshot(page, "decision-support-panel")

    page.get_by_role("link", name="Model card: treatment-response model").click()
    expect(page.get_by_role("heading", name=re.compile("Model card"))).to_be_visible()
    expect(page.locator(".ds-synthetic")).to_contain_text("SYNTHETIC DATA")
    screenshot(page, "model-card-response")
    assert all(url.startswith(live_server) for url in requests), "a request left the app's origin"
    context.close()


def test_the_patient_cannot_open_decision_support(chromium, live_server: str) -> None:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = _sign_in(context, live_server, "olivia@demo.spinewise.org")
    expect(page.get_by_role("heading", name="Hello, Olivia")).to_be_visible()
    assert page.locator("#ds-panel").count() == 0
    match = re.search(r"/patients/(\d+)", page.url)
    assert match
    answer = page.goto(f"{live_server}/patients/{match.group(1)}/decision-support")
    assert answer is not None and answer.status == 403
    context.close()
