"""Observation: posture aggregates, questionnaire scores and the daily pain diary.

| domain | FHIR | code |
| --- | --- | --- |
| ``PostureMinute`` (one minute of wear) | Observation, ``effectivePeriod`` = the minute, one component per measure (seconds, degrees, counts) | Spinewise ``posture-minute``; components ``time-worn``, ``time-neutral``/``-flexed``/``-severe``, ``flexion-mean``/``-p90``, ``time-still``/``-moving``/``-walking``/``-lying``, ``posture-alerts``(``-escalated``) |
| daily posture summary (derived from the minutes, per device and UTC day) | Observation, components in minutes and hours worn | Spinewise ``posture-daily-summary`` |
| ``QuestionnaireResponse`` score | Observation ``valueQuantity``; the raw answers in extension ``questionnaire-answers`` (JSON) | NPRS LOINC 72514-3, ODI LOINC 97909-6, RMDQ/STarT Back/PSFS Spinewise |
| ``PainDiaryRecord`` | Observation with components | Spinewise ``pain-diary``; back pain LOINC 72514-3 |

Imports re-score questionnaire answers with the outcomes scorer and refuse a stated score that
does not match; daily summaries are derived data and are never imported (the minutes are).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from spinewise.core.errors import InvalidInput, SpinewiseError
from spinewise.devices.models import PostureMinute
from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs, extension_value, instant, parse_date, parse_instant
from spinewise.outcomes.models import PainDiaryRecord, QuestionnaireResponse
from spinewise.outcomes.scoring import score_answers

SURVEY = [codes.concept(codes.OBSERVATION_CATEGORY, "survey")]
ACTIVITY = [codes.concept(codes.OBSERVATION_CATEGORY, "activity")]

# PostureMinute column -> (component code, unit); order is the component order.
MINUTE_MEASURES: tuple[tuple[str, str, str], ...] = (
    ("covered_s", "time-worn", "s"),
    ("neutral_s", "time-neutral", "s"),
    ("flexed_s", "time-flexed", "s"),
    ("severe_s", "time-severe", "s"),
    ("flexion_mean_deg", "flexion-mean", "deg"),
    ("flexion_p90_deg", "flexion-p90", "deg"),
    ("still_s", "time-still", "s"),
    ("moving_s", "time-moving", "s"),
    ("walking_s", "time-walking", "s"),
    ("lying_s", "time-lying", "s"),
)
MINUTE_COUNTS = (("alerts", "posture-alerts"), ("alerts_escalated", "posture-alerts-escalated"))
OPTIONAL_MINUTE_MEASURES = {"flexion_mean_deg", "flexion_p90_deg"}
MAX_MINUTE_S = 61.0


def _quantity(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": codes.UCUM, "code": unit}


def _component(code: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"code": codes.sw(code), **value}


def _components_by_code(resource: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for component in resource.get("component") or []:
        for pair in codes.codes_of(component.get("code")):
            out[pair] = component
    return out


def kind_of(resource: dict[str, Any]) -> str:
    """Which domain table an Observation belongs to, from its code."""
    found = codes.codes_of(resource.get("code"))
    if (codes.CODE_SYSTEM, "posture-minute") in found:
        return "posture-minute"
    if (codes.CODE_SYSTEM, "posture-daily-summary") in found:
        return "posture-daily-summary"
    if (codes.CODE_SYSTEM, "pain-diary") in found:
        return "pain-diary"
    for system, code, _ in codes.INSTRUMENT_CODES.values():
        if (system, code) in found:
            return "questionnaire-response"
    return "unknown"


# ---- posture minutes -----------------------------------------------------------------------


@dataclass(frozen=True)
class MinuteFields:
    minute_start: datetime
    values: dict[str, float | int | None]  # column -> value (MINUTE_MEASURES and MINUTE_COUNTS)


def minute_fields(minute: PostureMinute) -> MinuteFields:
    columns = [c for c, _, _ in MINUTE_MEASURES] + [c for c, _ in MINUTE_COUNTS]
    return MinuteFields(minute.minute_start, {c: getattr(minute, c) for c in columns})


def minute_to_fhir(minute: PostureMinute, refs: ExportRefs) -> dict[str, Any]:
    components = []
    for column, code, unit in MINUTE_MEASURES:
        value = getattr(minute, column)
        if value is not None:
            components.append(_component(code, {"valueQuantity": _quantity(value, unit)}))
    for column, code in MINUTE_COUNTS:
        components.append(_component(code, {"valueInteger": int(getattr(minute, column))}))
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": refs.logical("posture-minute", minute.id),
        "identifier": refs.identifier("posture-minute", minute.id),
        "status": "final",
        "category": ACTIVITY,
        "code": codes.sw("posture-minute"),
        "subject": refs.reference("patient", minute.patient_id),
        "effectivePeriod": {
            "start": instant(minute.minute_start),
            "end": instant(minute.minute_start + timedelta(minutes=1)),
        },
        "device": refs.reference("device", minute.device_id),
        "component": components,
    }
    return {k: v for k, v in resource.items() if v is not None}


def minute_from_fhir(resource: dict[str, Any], path: str) -> MinuteFields:
    period = resource.get("effectivePeriod") or {}
    start = parse_instant(period.get("start"), f"{path}.effectivePeriod.start")
    if start.second or start.microsecond:
        raise InvalidInput(f"{path}.effectivePeriod.start", "must be a whole minute")
    by_code = _components_by_code(resource)
    values: dict[str, float | int | None] = {}
    for column, code, _unit in MINUTE_MEASURES:
        component = by_code.get((codes.CODE_SYSTEM, code))
        quantity = (component or {}).get("valueQuantity") or {}
        if quantity.get("value") is None:
            if column in OPTIONAL_MINUTE_MEASURES:
                values[column] = None
                continue
            raise InvalidInput(f"{path}.component", f"needs the {code!r} component")
        value = float(quantity["value"])
        # Sample-time jitter lets a minute's sum pass 60 s slightly (60.04 s in the demo data).
        if column.endswith("_s") and not 0.0 <= value <= MAX_MINUTE_S:
            raise InvalidInput(
                f"{path}.component", f"{code!r} must be 0-{MAX_MINUTE_S:g} s in one minute"
            )
        values[column] = value
    for column, code in MINUTE_COUNTS:
        component = by_code.get((codes.CODE_SYSTEM, code)) or {}
        count = component.get("valueInteger", 0)
        if not isinstance(count, int) or count < 0:
            raise InvalidInput(f"{path}.component", f"{code!r} must be a count ≥ 0")
        values[column] = count
    return MinuteFields(start, values)


# ---- daily posture summaries (derived) ------------------------------------------------------


@dataclass(frozen=True)
class DailyPosture:
    """Sums of one device's minutes over one UTC calendar day."""

    patient_id: int
    device_id: int
    day: date
    worn_s: float
    neutral_s: float
    flexed_s: float
    severe_s: float

    @property
    def logical_id(self) -> str:
        return f"ds-{self.device_id}-{self.day.strftime('%Y%m%d')}"


def daily_to_fhir(day: DailyPosture, refs: ExportRefs) -> dict[str, Any]:
    start = datetime(day.day.year, day.day.month, day.day.day, tzinfo=UTC)

    def minutes(value_s: float) -> dict[str, Any]:
        return {"valueQuantity": _quantity(round(value_s / 60.0, 2), "min")}

    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": ACTIVITY,
        "code": codes.sw("posture-daily-summary"),
        "subject": refs.reference("patient", day.patient_id),
        "effectivePeriod": {"start": instant(start), "end": instant(start + timedelta(days=1))},
        "device": refs.reference("device", day.device_id),
        "component": [
            _component(
                "time-worn", {"valueQuantity": _quantity(round(day.worn_s / 3600.0, 3), "h")}
            ),
            _component("time-neutral", minutes(day.neutral_s)),
            _component("time-flexed", minutes(day.flexed_s)),
            _component("time-severe", minutes(day.severe_s)),
        ],
    }
    if refs.style == "rest":
        resource = {"resourceType": "Observation", "id": day.logical_id, **resource}
    return resource


def parse_daily_id(value: str) -> tuple[int, date] | None:
    parts = value.split("-")
    if len(parts) != 3 or parts[0] != "ds" or not parts[1].isdigit() or len(parts[1]) > 18:
        return None
    try:
        return int(parts[1]), datetime.strptime(parts[2], "%Y%m%d").date()
    except ValueError:
        return None


# ---- questionnaire scores ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreFields:
    instrument: str
    answered_on: date
    answers: Any
    score: float
    result: dict[str, Any]
    created_at: datetime
    performer: str | None  # a reference; the service resolves it to ``entered_by``


def score_fields(row: QuestionnaireResponse) -> ScoreFields:
    return ScoreFields(
        row.instrument, row.answered_on, row.answers, row.score, row.result, row.created_at, None
    )


def score_to_fhir(
    row: QuestionnaireResponse, refs: ExportRefs, performer: dict[str, Any] | None = None
) -> dict[str, Any]:
    system, code, display = codes.INSTRUMENT_CODES[row.instrument]
    unit, ucum = codes.INSTRUMENT_UNITS.get(row.instrument, ("score", "{score}"))
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": refs.logical("questionnaire-response", row.id),
        "extension": [{"url": codes.ANSWERS_EXT, "valueString": json.dumps(row.answers)}],
        "identifier": refs.identifier("questionnaire-response", row.id),
        "status": "final",
        "category": SURVEY,
        "code": codes.concept(system, code, display),
        "subject": refs.reference("patient", row.patient_id),
        "effectiveDateTime": row.answered_on.isoformat(),
        "issued": instant(row.created_at),
        "valueQuantity": {"value": row.score, "unit": unit, "system": codes.UCUM, "code": ucum},
    }
    if performer is not None:
        resource["performer"] = [performer]
    if row.instrument == "startback":
        resource["component"] = [
            _component("startback-psychosocial", {"valueInteger": int(row.result["psychosocial"])}),
            _component(
                "startback-risk",
                {
                    "valueCodeableConcept": codes.sw(f"risk-{row.result['risk']}")
                    | {"text": str(row.result["risk"])}
                },
            ),
        ]
    return {k: v for k, v in resource.items() if v is not None}


def score_from_fhir(resource: dict[str, Any], path: str) -> ScoreFields:
    found = codes.codes_of(resource.get("code"))
    instrument = next(
        (name for name, (s, c, _) in codes.INSTRUMENT_CODES.items() if (s, c) in found), None
    )
    if instrument is None:
        raise InvalidInput(f"{path}.code", "is not a questionnaire score Spinewise imports")
    raw = extension_value(resource, codes.ANSWERS_EXT, "valueString")
    if raw is None:
        raise InvalidInput(
            f"{path}.extension", "needs the questionnaire-answers extension (the raw answers)"
        )
    try:
        answers = json.loads(raw)
        result = score_answers(instrument, answers)
    except json.JSONDecodeError:
        raise InvalidInput(f"{path}.extension", "the answers are not JSON") from None
    except SpinewiseError as exc:
        raise InvalidInput(f"{path}.extension", exc.message) from None
    stated = (resource.get("valueQuantity") or {}).get("value")
    if stated is None or abs(float(stated) - float(result.score)) > 1e-9:
        raise InvalidInput(
            f"{path}.valueQuantity.value",
            f"{stated} does not match the score of the answers ({result.score})",
        )
    performers = resource.get("performer") or []
    issued = resource.get("issued")
    return ScoreFields(
        instrument=instrument,
        answered_on=parse_date(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime"),
        answers=answers,
        score=float(result.score),
        result=result.to_dict(),
        created_at=parse_instant(issued, f"{path}.issued") if issued else datetime.now(UTC),
        performer=str(performers[0].get("reference")) if performers else None,
    )


# ---- pain diary -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DiaryFields:
    day: date
    back_pain: int
    leg_pain: int | None
    sleep_disturbed: bool | None
    medication_taken: bool | None
    activity_min: int | None
    note: str
    updated_at: datetime


def diary_fields(row: PainDiaryRecord) -> DiaryFields:
    return DiaryFields(
        row.day,
        row.back_pain,
        row.leg_pain,
        row.sleep_disturbed,
        row.medication_taken,
        row.activity_min,
        row.note,
        row.updated_at,
    )


def diary_to_fhir(row: PainDiaryRecord, refs: ExportRefs) -> dict[str, Any]:
    components: list[dict[str, Any]] = [
        {
            "code": codes.concept(codes.LOINC, codes.LOINC_NPRS, codes.INSTRUMENT_CODES["nprs"][2]),
            "valueInteger": row.back_pain,
        }
    ]
    if row.leg_pain is not None:
        components.append(_component("leg-pain", {"valueInteger": row.leg_pain}))
    if row.sleep_disturbed is not None:
        components.append(_component("sleep-disturbed", {"valueBoolean": row.sleep_disturbed}))
    if row.medication_taken is not None:
        components.append(_component("medication-taken", {"valueBoolean": row.medication_taken}))
    if row.activity_min is not None:
        components.append(
            _component("activity-duration", {"valueQuantity": _quantity(row.activity_min, "min")})
        )
    resource: dict[str, Any] = {
        "resourceType": "Observation",
        "id": refs.logical("pain-diary", row.id),
        "identifier": refs.identifier("pain-diary", row.id),
        "status": "final",
        "category": SURVEY,
        "code": codes.sw("pain-diary"),
        "subject": refs.reference("patient", row.patient_id),
        "effectiveDateTime": row.day.isoformat(),
        "issued": instant(row.updated_at),
        "component": components,
    }
    if row.note:
        resource["note"] = [{"text": row.note}]
    return {k: v for k, v in resource.items() if v is not None}


def _scale(component: dict[str, Any] | None, path: str, *, required: bool) -> int | None:
    if component is None:
        if required:
            raise InvalidInput(path, "needs the back pain component (LOINC 72514-3)")
        return None
    value = component.get("valueInteger")
    if not isinstance(value, int) or not 0 <= value <= 10:
        raise InvalidInput(path, "pain must be an integer 0-10")
    return value


def diary_from_fhir(resource: dict[str, Any], path: str) -> DiaryFields:
    by_code = _components_by_code(resource)
    back = _scale(by_code.get((codes.LOINC, codes.LOINC_NPRS)), f"{path}.component", required=True)
    assert back is not None
    leg = _scale(by_code.get((codes.CODE_SYSTEM, "leg-pain")), f"{path}.component", required=False)

    def boolean(code: str) -> bool | None:
        component = by_code.get((codes.CODE_SYSTEM, code))
        if component is None:
            return None
        value = component.get("valueBoolean")
        if not isinstance(value, bool):
            raise InvalidInput(f"{path}.component", f"{code!r} must be true or false")
        return value

    activity = by_code.get((codes.CODE_SYSTEM, "activity-duration"))
    minutes = None
    if activity is not None:
        value = (activity.get("valueQuantity") or {}).get("value")
        if value is None or float(value) < 0 or float(value) != int(float(value)):
            raise InvalidInput(f"{path}.component", "activity must be whole minutes ≥ 0")
        minutes = int(float(value))
    notes = resource.get("note") or []
    issued = resource.get("issued")
    return DiaryFields(
        day=parse_date(resource.get("effectiveDateTime"), f"{path}.effectiveDateTime"),
        back_pain=back,
        leg_pain=leg,
        sleep_disturbed=boolean("sleep-disturbed"),
        medication_taken=boolean("medication-taken"),
        activity_min=minutes,
        note=str(notes[0].get("text") or "") if notes else "",
        updated_at=parse_instant(issued, f"{path}.issued") if issued else datetime.now(UTC),
    )
