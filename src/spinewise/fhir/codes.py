"""Code systems, codes and URLs used by the mapping (one place, cited).

LOINC is used where a code exists and was checked against loinc.org:

- 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] - Reported" (NPRS);
- 97909-6 "Oswestry disability index score ODI" (LOINC 2.70; the ODI v2.1a percentage).

No LOINC term was found for the RMDQ-24 total, the STarT Back scores, the PSFS mean or the
posture aggregates, so those use the Spinewise code system, whose canonical URL is
``CODE_SYSTEM`` and which the server publishes at ``GET /fhir/CodeSystem/spinewise``.
"""

from __future__ import annotations

from typing import Any

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
CODE_SYSTEM = "https://spinewise.org/fhir/CodeSystem/spinewise"
EXTENSION_BASE = "https://spinewise.org/fhir/StructureDefinition"
QUESTIONNAIRE_BASE = "https://spinewise.org/fhir/Questionnaire"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
PARTICIPATION_TYPE = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
SERVICE_TYPE_EXT = f"{EXTENSION_BASE}/appointment-kind"
ANSWERS_EXT = f"{EXTENSION_BASE}/questionnaire-answers"
CANCEL_REASON_EXT = f"{EXTENSION_BASE}/cancel-reason"
SEQUENCE_EXT = f"{EXTENSION_BASE}/appointment-sequence"
TIMEZONE_EXT = f"{EXTENSION_BASE}/patient-timezone"
HISTORY_NOTES_EXT = f"{EXTENSION_BASE}/history-notes"
DEVICE_SETTINGS_EXT = f"{EXTENSION_BASE}/device-settings"

LOINC_NPRS = "72514-3"
LOINC_ODI = "97909-6"

# Spinewise codes: (code, display, definition). Published as the CodeSystem resource.
SPINEWISE_CODES: tuple[tuple[str, str, str], ...] = (
    (
        "posture-minute",
        "Posture minute aggregate",
        "Seconds in each trunk-flexion zone, worn time and activity in one minute of sensor wear.",
    ),
    (
        "posture-daily-summary",
        "Daily posture summary",
        "Minutes in each trunk-flexion zone and hours worn in one UTC calendar day, per device.",
    ),
    ("time-worn", "Time worn", "Time the sensor delivered usable samples."),
    ("time-neutral", "Time in neutral zone", "Trunk flexion below 20 degrees (ISO 11226)."),
    ("time-flexed", "Time in flexed zone", "Trunk flexion 20 to 60 degrees (ISO 11226)."),
    ("time-severe", "Time in severe zone", "Trunk flexion above 60 degrees (ISO 11226)."),
    (
        "flexion-mean",
        "Mean trunk flexion",
        "Mean sagittal trunk angle relative to the calibrated neutral.",
    ),
    (
        "flexion-p90",
        "90th percentile trunk flexion",
        "90th percentile of the sagittal trunk angle.",
    ),
    ("time-still", "Time still", "Time classified as still."),
    ("time-moving", "Time moving", "Time classified as moving."),
    ("time-walking", "Time walking", "Time classified as walking."),
    ("time-lying", "Time lying", "Time classified as lying."),
    ("posture-alerts", "Posture alerts", "Feedback alerts raised."),
    (
        "posture-alerts-escalated",
        "Escalated posture alerts",
        "Alerts raised at an escalated level.",
    ),
    (
        "rmdq-score",
        "Roland-Morris Disability Questionnaire (24) score",
        "Number of statements that apply, 0-24 (Roland & Morris 1983).",
    ),
    (
        "startback-total",
        "STarT Back total score",
        "Keele STarT Back Screening Tool total, 0-9 (Hill et al. 2008).",
    ),
    (
        "startback-psychosocial",
        "STarT Back psychosocial subscore",
        "Items 5-9, 0-5 (Hill et al. 2008).",
    ),
    ("startback-risk", "STarT Back risk group", "low, medium or high (Hill et al. 2008)."),
    (
        "psfs-score",
        "Patient-Specific Functional Scale mean",
        "Mean of up to five activity ratings, 0-10 (Stratford et al. 1995).",
    ),
    (
        "pain-diary",
        "Daily pain diary entry",
        "Spinewise's own daily monitoring form (not a validated instrument).",
    ),
    ("leg-pain", "Leg pain 0-10", "Leg pain on a 0-10 numeric rating scale."),
    ("sleep-disturbed", "Sleep disturbed by pain", "The patient's yes/no answer."),
    ("medication-taken", "Pain medication taken", "The patient's yes/no answer."),
    (
        "activity-duration",
        "Minutes of activity",
        "Minutes of physical activity the patient reported.",
    ),
    (
        "exercise-adherence",
        "Exercise programme adherence",
        "Share of planned sessions logged as completed.",
    ),
    ("cancer-history", "History of cancer", "Red-flag context for triage."),
    ("osteoporosis", "Osteoporosis", "Risk context (fracture)."),
    ("spinal-surgery", "Previous spinal surgery", "Risk context."),
    ("long-term-steroids", "Long-term corticosteroid use", "Risk context (fracture)."),
    ("immunosuppressed", "Immunosuppressed", "Risk context (infection)."),
    ("imu-wearable", "Wearable inertial sensor", "A posture sensor worn on the back."),
    ("phone", "Phone used as a sensor", "The patient's phone streaming its motion sensors."),
)
SPINEWISE_DISPLAY = {code: display for code, display, _ in SPINEWISE_CODES}

# Patient history flags (accounts.models.Patient) -> Condition codes (Spinewise system).
HISTORY_FLAGS: dict[str, str] = {
    "cancer_history": "cancer-history",
    "osteoporosis": "osteoporosis",
    "spinal_surgery": "spinal-surgery",
    "long_term_steroids": "long-term-steroids",
    "immunosuppressed": "immunosuppressed",
}

# Questionnaire scores -> Observation.code.
INSTRUMENT_CODES: dict[str, tuple[str, str, str]] = {
    "nprs": (LOINC, LOINC_NPRS, "Pain severity - 0-10 verbal numeric rating [Score] - Reported"),
    "odi": (LOINC, LOINC_ODI, "Oswestry disability index score ODI"),
    "rmdq": (CODE_SYSTEM, "rmdq-score", SPINEWISE_DISPLAY["rmdq-score"]),
    "startback": (CODE_SYSTEM, "startback-total", SPINEWISE_DISPLAY["startback-total"]),
    "psfs": (CODE_SYSTEM, "psfs-score", SPINEWISE_DISPLAY["psfs-score"]),
}
INSTRUMENT_UNITS = {"odi": ("%", "%")}  # others are unitless scores: {score}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"system": system, "code": code}
    if display is None and system == CODE_SYSTEM:
        display = SPINEWISE_DISPLAY.get(code)
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    return {"coding": [coding(system, code, display)]}


def sw(code: str) -> dict[str, Any]:
    """A CodeableConcept in the Spinewise code system."""
    return concept(CODE_SYSTEM, code)


def codes_of(value: Any) -> set[tuple[str, str]]:
    """The (system, code) pairs of a CodeableConcept given as a dict."""
    if not isinstance(value, dict):
        return set()
    return {
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in value.get("coding") or []
        if isinstance(c, dict)
    }


def code_system_resource() -> dict[str, Any]:
    """The Spinewise CodeSystem, published at ``/fhir/CodeSystem/spinewise``."""
    return {
        "resourceType": "CodeSystem",
        "id": "spinewise",
        "url": CODE_SYSTEM,
        "name": "Spinewise",
        "title": "Spinewise codes for posture, outcomes and history with no LOINC term",
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(SPINEWISE_CODES),
        "concept": [
            {"code": code, "display": display, "definition": definition}
            for code, display, definition in SPINEWISE_CODES
        ],
    }
