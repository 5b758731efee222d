"""Instrument definition files: the documented JSON format, loading and validation.

A definition file describes how to *present* an instrument (items, response options,
wording, licence) while the scoring stays in code. Spinewise ships one file per
instrument in ``spinewise/outcomes/definitions/``; where the wording is licensed (ODI,
RMDQ) the shipped file has neutral labels and ``"text": null``. A clinic that holds a
licence writes a file of the same format with its licensed wording and loads it with
:func:`load_definition` + :func:`check_compatible`, which refuses any file whose
*structure* (item ids, response types, option values, ranges) differs from the built-in
one — licensed text can change what patients read, never how the form is scored.

Format ``spinewise.instrument/1`` (every key required unless marked optional)::

    {
      "format": "spinewise.instrument/1",
      "id": "odi",                       # instrument id, [a-z0-9_]+
      "name": "Oswestry Disability Index",
      "short_name": "ODI",
      "version": "2.1a",
      "scoring": "odi",                  # odi|rmdq|nprs|startback|psfs|pain_diary
      "language": "en",                  # BCP 47 tag
      "recall_period": "today",          # free text shown with the form
      "licence": {
        "status": "public_domain | free_with_notice | own_wording |
                   licensed_wording_not_included | clinic_licence",
        "holder": str | null, "url": str | null, "terms": str,
        "notice": str | null,            # must be displayed with the wording when given
        "reference": str                 # optional: the clinic's licence number
      },
      "wording_included": true | false,
      "instructions": str | null,        # null only when wording_included is false
      "items": [
        {
          "id": "pain_intensity",        # unique in the file
          "label": "Pain intensity",     # short neutral label, always present
          "text": str | null,            # full wording; null only without wording
          "required": true | false,      # false: may be left unanswered
          "response": one of
            {"type": "choice", "options": [{"value": int, "label": str | null}, ...]}
            {"type": "boolean"}
            {"type": "scale", "min": int, "max": int, "anchors": {"0": str, "10": str}}
            {"type": "integer", "min": int, "max": int, "unit": str}
            {"type": "text", "max_chars": int}
            {"type": "activities", "max_items": int, "min": int, "max": int,
             "anchors": {...}}           # PSFS: named activities each rated min..max
        }
      ]
    }

Status ``free_with_notice`` requires ``notice``; ``clinic_licence`` requires
``wording_included: true``. When ``wording_included`` is true every item has ``text``
and every choice option has a ``label``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from spinewise.core.errors import InvalidInput

FORMAT = "spinewise.instrument/1"
SCORING_IDS = ("odi", "rmdq", "nprs", "startback", "psfs", "pain_diary")
LICENCE_STATUSES = (
    "public_domain",
    "free_with_notice",
    "own_wording",
    "licensed_wording_not_included",
    "clinic_licence",
)
RESPONSE_TYPES = ("choice", "boolean", "scale", "integer", "text", "activities")
BUILTIN_IDS = ("odi", "rmdq", "nprs", "startback", "psfs", "pain_diary")
_ID = re.compile(r"^[a-z0-9_]+$")


@dataclass(frozen=True)
class InstrumentDefinition:
    """A validated definition file (``data`` keeps the JSON as given)."""

    data: Mapping[str, Any]

    @property
    def id(self) -> str:
        return str(self.data["id"])

    @property
    def scoring(self) -> str:
        return str(self.data["scoring"])

    @property
    def items(self) -> list[Mapping[str, Any]]:
        return list(self.data["items"])

    @property
    def wording_included(self) -> bool:
        return bool(self.data["wording_included"])

    @property
    def licence(self) -> Mapping[str, Any]:
        return dict(self.data["licence"])

    def structure(self) -> tuple[Any, ...]:
        """What scoring depends on: the scorer, item ids/requiredness and response shapes."""
        return (
            self.scoring,
            tuple(
                (item["id"], bool(item["required"]), _response_shape(item["response"]))
                for item in self.items
            ),
        )


def _response_shape(response: Mapping[str, Any]) -> tuple[Any, ...]:
    kind = response["type"]
    if kind == "choice":
        return (kind, tuple(o["value"] for o in response["options"]))
    if kind in ("scale", "integer"):
        return (kind, response["min"], response["max"])
    if kind == "activities":
        return (kind, response["max_items"], response["min"], response["max"])
    if kind == "text":
        return (kind, response["max_chars"])
    return (kind,)


def _require(cond: bool, field: str, message: str) -> None:
    if not cond:
        raise InvalidInput(field, message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _opt_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _validate_response(response: Any, field: str, wording: bool) -> None:
    _require(isinstance(response, Mapping), field, "response must be an object")
    kind = response.get("type")
    _require(kind in RESPONSE_TYPES, field, f"response type must be one of {RESPONSE_TYPES}")
    if kind == "choice":
        options = response.get("options")
        _require(isinstance(options, list) and len(options) >= 2, field, "needs ≥ 2 options")
        values = [o.get("value") if isinstance(o, Mapping) else None for o in options]
        _require(all(_is_int(v) for v in values), field, "option values must be integers")
        _require(len(set(values)) == len(values), field, "option values must be unique")
        for o in options:
            _require(_opt_str(o.get("label")), field, "option label must be text or null")
            if wording:
                _require(
                    bool(o.get("label")), field, "wording included: every option needs a label"
                )
    elif kind in ("scale", "integer", "activities"):
        low, high = response.get("min"), response.get("max")
        _require(_is_int(low) and _is_int(high) and low < high, field, "needs integer min < max")
        if kind == "activities":
            n = response.get("max_items")
            _require(_is_int(n) and n >= 1, field, "needs max_items ≥ 1")
    elif kind == "text":
        n = response.get("max_chars")
        _require(_is_int(n) and n >= 1, field, "needs max_chars ≥ 1")


def validate_definition(data: Any) -> InstrumentDefinition:
    """Check a parsed definition file against format ``spinewise.instrument/1``."""
    _require(isinstance(data, Mapping), "definition", "must be a JSON object")
    _require(data.get("format") == FORMAT, "format", f"must be {FORMAT!r}")
    for key in ("id", "name", "short_name", "version", "language", "recall_period"):
        _require(isinstance(data.get(key), str) and bool(data[key]), key, "must be non-empty text")
    _require(bool(_ID.match(data["id"])), "id", "use lower-case letters, digits and _")
    _require(data.get("scoring") in SCORING_IDS, "scoring", f"must be one of {SCORING_IDS}")
    wording = data.get("wording_included")
    _require(isinstance(wording, bool), "wording_included", "must be true or false")
    licence = data.get("licence")
    _require(isinstance(licence, Mapping), "licence", "must be an object")
    status = licence.get("status")
    _require(status in LICENCE_STATUSES, "licence.status", f"must be one of {LICENCE_STATUSES}")
    _require(
        isinstance(licence.get("terms"), str) and bool(licence["terms"]),
        "licence.terms",
        "must be text",
    )
    for key in ("holder", "url", "notice"):
        _require(_opt_str(licence.get(key)), f"licence.{key}", "must be text or null")
    if status == "free_with_notice":
        _require(bool(licence.get("notice")), "licence.notice", "required for free_with_notice")
    if status == "clinic_licence":
        _require(wording, "wording_included", "a clinic_licence file must include the wording")
    if status == "licensed_wording_not_included":
        _require(not wording, "wording_included", "must be false when wording is not included")
    instructions = data.get("instructions")
    _require(_opt_str(instructions), "instructions", "must be text or null")
    if wording:
        _require(bool(instructions), "instructions", "required when wording is included")
    items = data.get("items")
    _require(isinstance(items, list) and len(items) >= 1, "items", "needs at least one item")
    seen: set[str] = set()
    for n, item in enumerate(items, start=1):
        field = f"items[{n}]"
        _require(isinstance(item, Mapping), field, "must be an object")
        item_id = item.get("id")
        _require(isinstance(item_id, str) and bool(_ID.match(item_id)), field, "bad id")
        _require(item_id not in seen, field, f"duplicate id {item_id!r}")
        seen.add(item_id)
        _require(isinstance(item.get("label"), str) and bool(item["label"]), field, "needs a label")
        _require(_opt_str(item.get("text")), field, "text must be text or null")
        if wording:
            _require(bool(item.get("text")), field, "wording included: every item needs text")
        else:
            _require(item.get("text") is None, field, "text must be null without wording")
        _require(isinstance(item.get("required"), bool), field, "required must be true/false")
        _validate_response(item.get("response"), field, wording)
    return InstrumentDefinition(data=data)


def load_definition(path: Path) -> InstrumentDefinition:
    """Read and validate a definition file (e.g. a clinic's licensed wording)."""
    return validate_definition(json.loads(Path(path).read_text(encoding="utf-8")))


def builtin_definition(instrument: str) -> InstrumentDefinition:
    """The definition shipped with Spinewise for ``instrument``."""
    if instrument not in BUILTIN_IDS:
        raise InvalidInput("instrument", f"no built-in definition for {instrument!r}")
    text = (
        resources.files("spinewise.outcomes.definitions")
        .joinpath(f"{instrument}.json")
        .read_text(encoding="utf-8")
    )
    return validate_definition(json.loads(text))


def check_compatible(custom: InstrumentDefinition) -> InstrumentDefinition:
    """Accept a clinic's definition only if it scores exactly like the built-in one."""
    builtin = builtin_definition(custom.id)
    if custom.structure() != builtin.structure():
        raise InvalidInput(
            "items",
            f"the structure of {custom.id!r} differs from the built-in definition "
            "(item ids, required flags, response types, option values and ranges must match)",
        )
    return custom


def answers_in_order(definition: InstrumentDefinition, responses: Mapping[str, Any]) -> list[Any]:
    """Turn ``{item_id: value}`` into the ordered answer array the scorers take.

    Missing optional items become ``None``; a missing required item or an unknown item id
    is refused. For the PSFS the single ``activities`` item holds the activity list, which
    is returned as is.
    """
    ids = [item["id"] for item in definition.items]
    unknown = sorted(set(responses) - set(ids))
    _require(not unknown, unknown[0] if unknown else "", "unknown item")
    ordered: list[Any] = []
    for item in definition.items:
        if item["id"] not in responses or responses[item["id"]] is None:
            _require(not item["required"], item["id"], "is required")
            ordered.append(None)
        else:
            ordered.append(responses[item["id"]])
    if definition.scoring == "psfs":
        activities = ordered[0]
        _require(isinstance(activities, Sequence), "activities", "expected a list")
        return list(activities)
    return ordered
