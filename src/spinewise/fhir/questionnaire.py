"""Questionnaire and QuestionnaireResponse, only for instruments whose licence allows the text.

The outcomes domain records each instrument's licence (``outcomes/definitions/*.json``,
docs/outcomes.md): NPRS (public domain, our wording), STarT Back (free with Keele's notice,
which goes into ``Questionnaire.copyright``), PSFS (our wording of the method) and the pain diary
(our own form) are published here. The ODI and RMDQ wording is licensed through Mapi Research
Trust and is not shipped, so neither a Questionnaire nor a QuestionnaireResponse is produced for
them: their answers travel inside the score Observation (``observation.py``).

Questionnaire responses are exported only; on import the score Observation is the record.
"""

from __future__ import annotations

from typing import Any

from spinewise.fhir import codes
from spinewise.fhir.refs import ExportRefs, instant
from spinewise.outcomes.definition import InstrumentDefinition, builtin_definition
from spinewise.outcomes.models import QuestionnaireResponse

PUBLISHABLE_STATUSES = ("public_domain", "free_with_notice", "own_wording")
QUESTIONNAIRE_IDS = ("nprs", "startback", "psfs", "pain_diary")


def publishable(definition: InstrumentDefinition) -> bool:
    return definition.wording_included and definition.licence["status"] in PUBLISHABLE_STATUSES


def canonical(instrument: str) -> str:
    return f"{codes.QUESTIONNAIRE_BASE}/{instrument}"


def _item(item: Any) -> dict[str, Any]:
    response = item["response"]
    kind = response["type"]
    out: dict[str, Any] = {"linkId": item["id"], "text": item["text"], "required": item["required"]}
    if kind == "choice":
        out["type"] = "choice"
        out["answerOption"] = [
            {"valueCoding": {"code": str(o["value"]), "display": o["label"]}}
            for o in response["options"]
        ]
    elif kind == "boolean":
        out["type"] = "boolean"
    elif kind in ("scale", "integer"):
        out["type"] = "integer"
    elif kind == "text":
        out["type"] = "text"
        out["maxLength"] = response["max_chars"]
    else:  # activities: repeated groups of a named activity and its rating
        out["type"] = "group"
        out["repeats"] = True
        out["item"] = [
            {"linkId": "activity", "text": "Activity", "type": "string", "required": True},
            {"linkId": "rating", "text": item["text"], "type": "integer", "required": True},
        ]
    return out


def questionnaire_to_fhir(instrument: str) -> dict[str, Any] | None:
    """The Questionnaire for ``instrument``, or None when its wording may not be published."""
    definition = builtin_definition(instrument)
    if not publishable(definition):
        return None
    data = definition.data
    licence = definition.licence
    resource: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": instrument.replace("_", "-"),
        "url": canonical(instrument),
        "version": str(data["version"]),
        "name": str(data["short_name"]).replace(" ", ""),
        "title": str(data["name"]),
        "status": "active",
        "subjectType": ["Patient"],
        "description": str(data["instructions"] or ""),
        "copyright": str(licence.get("notice") or licence["terms"]),
        "item": [_item(item) for item in definition.items],
    }
    return resource


def response_to_fhir(row: QuestionnaireResponse, refs: ExportRefs) -> dict[str, Any] | None:
    """The answers as a QuestionnaireResponse (only for publishable instruments)."""
    if row.instrument not in QUESTIONNAIRE_IDS:
        return None
    definition = builtin_definition(row.instrument)
    if not publishable(definition):
        return None
    items: list[dict[str, Any]] = []
    if row.instrument == "psfs":
        items.extend(
            {
                "linkId": "activities",
                "item": [
                    {"linkId": "activity", "answer": [{"valueString": str(a["activity"])}]},
                    {"linkId": "rating", "answer": [{"valueInteger": int(a["rating"])}]},
                ],
            }
            for a in row.answers
        )
    else:
        for item, value in zip(definition.items, row.answers, strict=False):
            if value is None:
                continue
            answer: dict[str, Any]
            if item["response"]["type"] == "choice":
                answer = {"valueCoding": {"code": str(int(value))}}
            elif isinstance(value, bool):
                answer = {"valueBoolean": value}
            else:
                answer = {"valueInteger": int(value)}
            items.append({"linkId": item["id"], "answer": [answer]})
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": refs.logical("questionnaire-response", row.id),
        "identifier": refs.identifier("questionnaire-response", row.id)[0],
        "questionnaire": canonical(row.instrument),
        "status": "completed",
        "subject": refs.reference("patient", row.patient_id),
        "authored": instant(row.created_at),
        "item": items,
    }
    return {k: v for k, v in resource.items() if v is not None}
