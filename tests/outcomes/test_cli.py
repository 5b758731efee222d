"""``spinewise outcomes score`` through the main app (DESIGN §5 contract)."""

import json

import pytest
from typer.testing import CliRunner

from spinewise.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["outcomes", *args])


def test_odi_json_contract_includes_answered_count_and_band():
    result = run("score", "odi", "--answers", "[3,2,2,1,2,2,1,null,2,1]", "--json")
    assert result.exit_code == 0, result.output
    # 16 / 45 × 100 = 35.6 %, moderate (21–40)
    assert json.loads(result.stdout) == {
        "instrument": "odi",
        "score": 35.6,
        "raw_total": 16,
        "answered": 9,
        "band": "moderate",
    }


def test_startback_json_contract_adds_total_psychosocial_and_risk():
    # items 1–4 agree, items 5–7 agree, item 8 disagree, item 9 "very much" (3):
    # total 4 + 3 + 1 = 8, psychosocial 3 + 1 = 4 → high
    result = run("score", "startback", "--answers", "[1,1,1,1,1,1,1,0,3]", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "instrument": "startback",
        "score": 8,
        "total": 8,
        "psychosocial": 4,
        "risk": "high",
    }


def test_rmdq_and_nprs_json():
    rmdq = run("score", "rmdq", "--answers", json.dumps([True] * 5 + [False] * 19), "--json")
    assert json.loads(rmdq.stdout)["score"] == 5
    nprs = run("score", "nprs", "--answers", "[7]", "--json")
    assert json.loads(nprs.stdout) == {"instrument": "nprs", "score": 7, "band": "severe"}


def test_human_readable_output_without_json():
    result = run("score", "nprs", "--answers", "[3]")
    assert result.exit_code == 0
    assert "nprs: score 3" in result.stdout


@pytest.mark.parametrize(
    ("instrument", "answers", "message"),
    [
        ("odi", "[1,2,3]", "expected 10 answers, got 3"),
        ("odi", "[1,2,3,null,null,2,2,2,1,1]", "2 ODI sections unanswered"),
        ("odi", "[9,2,3,1,1,2,2,2,1,1]", "section 1: 9 is out of range 0–5"),
        ("rmdq", "[1,0]", "expected 24 answers"),
        ("nprs", "[12]", "12 is out of range 0–10"),
        ("startback", "[1,1,1,1,1,1,1,1,7]", "item 9: 7 is out of range 0–4"),
        ("startback", '{"a": 1}', "expected a JSON array"),
        ("odi", "not json", "invalid JSON"),
        ("sf36", "[1]", "unknown instrument"),
    ],
)
def test_invalid_answers_exit_2_with_one_line_and_no_traceback(instrument, answers, message):
    result = run("score", instrument, "--answers", answers, "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_missing_answers_is_one_line_too():
    result = run("score", "odi", "--json")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: answers: --answers JSON is required"


def test_instruments_lists_licence_status():
    result = run("instruments", "--json")
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    assert rows["odi"]["licence"] == "licensed_wording_not_included"
    assert rows["nprs"]["licence"] == "public_domain"
    assert rows["startback"]["wording_included"] is True
