"""Instrument definition files: the shipped ones, licence rules, clinic wording."""

import copy
import json

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.definition import (
    BUILTIN_IDS,
    answers_in_order,
    builtin_definition,
    check_compatible,
    load_definition,
    validate_definition,
)
from spinewise.outcomes.pain_diary import PainDiaryEntry
from spinewise.outcomes.scoring import SCORERS, score_answers


@pytest.mark.parametrize("instrument", BUILTIN_IDS)
def test_every_builtin_definition_is_valid(instrument):
    definition = builtin_definition(instrument)
    assert definition.id == instrument


def _extreme_answers(definition, pick):
    """Answer every item with its lowest (pick=min) or highest (pick=max) response."""
    answers = {}
    for item in definition.items:
        response = item["response"]
        kind = response["type"]
        if kind == "choice":
            answers[item["id"]] = pick(o["value"] for o in response["options"])
        elif kind == "boolean":
            answers[item["id"]] = pick((False, True))
        elif kind == "activities":
            answers[item["id"]] = [
                {"activity": "walking", "rating": pick((response["min"], response["max"]))}
            ]
    return answers


@pytest.mark.parametrize(
    ("instrument", "low", "high"),
    [("odi", 0, 100), ("rmdq", 0, 24), ("startback", 0, 9), ("psfs", 0, 10)],
)
def test_definition_structure_matches_the_scorer(instrument, low, high):
    # The lowest and highest answers a form allows must give the scale's published range.
    definition = builtin_definition(instrument)
    for pick, expected in ((min, low), (max, high)):
        answers = answers_in_order(definition, _extreme_answers(definition, pick))
        assert score_answers(instrument, answers).score == expected


def test_nprs_definition_range_matches_the_scorer():
    (item,) = builtin_definition("nprs").items
    assert (item["response"]["min"], item["response"]["max"]) == (0, 10)
    assert score_answers("nprs", [10]).score == 10


def test_pain_diary_definition_matches_the_entry_model():
    ids = {item["id"] for item in builtin_definition("pain_diary").items}
    assert ids == set(PainDiaryEntry.__dataclass_fields__) - {"day"}


def test_every_scored_instrument_has_a_definition():
    assert set(SCORERS) <= set(BUILTIN_IDS)


@pytest.mark.parametrize("instrument", ["odi", "rmdq"])
def test_copyrighted_wording_is_not_shipped(instrument):
    definition = builtin_definition(instrument)
    assert definition.licence["status"] == "licensed_wording_not_included"
    assert not definition.wording_included
    assert all(item["text"] is None for item in definition.items)
    assert definition.data["instructions"] is None


def test_startback_ships_with_keeles_copyright_notice():
    definition = builtin_definition("startback")
    assert definition.licence["status"] == "free_with_notice"
    assert "Keele University" in definition.licence["notice"]
    assert len(definition.items) == 9


def _clinic_odi():
    data = copy.deepcopy(dict(builtin_definition("odi").data))
    data["licence"] = {
        "status": "clinic_licence",
        "holder": "Mapi Research Trust",
        "url": None,
        "terms": "Licensed to Example Clinic",
        "notice": "© licensed text",
        "reference": "LIC-123",
    }
    data["wording_included"] = True
    data["instructions"] = "licensed instructions"
    for item in data["items"]:
        item["text"] = f"licensed text for {item['id']}"
        for option in item["response"]["options"]:
            option["label"] = f"licensed statement {option['value']}"
    return data


def test_a_clinic_file_with_the_same_structure_is_accepted(tmp_path):
    path = tmp_path / "odi_licensed.json"
    path.write_text(json.dumps(_clinic_odi()), encoding="utf-8")
    definition = check_compatible(load_definition(path))
    assert definition.wording_included


def test_a_clinic_file_cannot_change_how_the_form_is_scored():
    data = _clinic_odi()
    data["items"][0]["response"]["options"][5]["value"] = 6  # would change the maximum
    with pytest.raises(InvalidInput, match="structure"):
        check_compatible(validate_definition(data))


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d["items"][0].update(text=None), "items[1]"),
        (lambda d: d["items"][1].update(id=d["items"][0]["id"]), "items[2]"),
        (lambda d: d["licence"].update(status="whatever"), "licence.status"),
        (lambda d: d.update(scoring="unknown"), "scoring"),
        (lambda d: d["items"][0]["response"]["options"][0].update(label=""), "items[1]"),
    ],
)
def test_invalid_definitions_name_the_problem(mutate, field):
    data = _clinic_odi()
    mutate(data)
    with pytest.raises(InvalidInput) as err:
        validate_definition(data)
    assert err.value.field == field


def test_free_with_notice_requires_the_notice():
    data = copy.deepcopy(dict(builtin_definition("startback").data))
    data["licence"] = {**data["licence"], "notice": None}
    with pytest.raises(InvalidInput, match="notice"):
        validate_definition(data)


def test_answers_in_order_fills_optional_items_and_refuses_missing_required_ones():
    odi = builtin_definition("odi")
    responses = {item["id"]: 1 for item in odi.items if item["id"] != "sex_life"}
    ordered = answers_in_order(odi, responses)
    assert ordered[7] is None and ordered.count(1) == 9
    rmdq = builtin_definition("rmdq")
    with pytest.raises(InvalidInput, match="required"):
        answers_in_order(rmdq, {"statement_1": True})
    with pytest.raises(InvalidInput, match="unknown item"):
        answers_in_order(odi, {"nonsense": 1})
