"""STarT Back 9-item scoring and every risk boundary (Hill et al. 2008; Keele scoring)."""

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.outcomes.startback import score_startback, startback_risk

# Helper to write forms readably: four physical items (1–4), four psychosocial agree/
# disagree items (5–8) and item 9 on its 0–4 scale.


def form(physical: int, psych_items: int, bother: int) -> list[int]:
    return (
        [1] * physical
        + [0] * (4 - physical)
        + [1] * psych_items
        + [0] * (4 - psych_items)
        + [bother]
    )


@pytest.mark.parametrize(
    ("bother", "points"),
    [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)],  # only "very much" and "extremely" count
)
def test_item_9_counts_only_very_much_and_extremely(bother, points):
    result = score_startback(form(0, 0, bother))
    assert result.total == points
    assert result.psychosocial == points


@pytest.mark.parametrize(
    ("answers", "total", "psychosocial", "risk"),
    [
        # total 0 → low
        (form(0, 0, 0), 0, 0, "low"),
        # total 3 (upper edge of low) with psychosocial 0 → low
        (form(3, 0, 0), 3, 0, "low"),
        # total 3 entirely psychosocial (items 5, 6, 7) → still low: total ≤ 3 wins
        (form(0, 3, 0), 3, 3, "low"),
        # total 3 = 2 psych items + item 9 "very much" → low
        (form(1, 1, 3), 3, 2, "low"),
        # total 4 (lower edge of medium) with psychosocial 0 → medium
        (form(4, 0, 0), 4, 0, "medium"),
        # total 4 with psychosocial 3 (upper edge of medium) → medium
        (form(1, 3, 0), 4, 3, "medium"),
        # total 4, psychosocial 3 made of 2 items + item 9 "extremely" → medium
        (form(1, 2, 4), 4, 3, "medium"),
        # total 7, psychosocial 3 → medium (psychosocial decides, not total)
        (form(4, 3, 0), 7, 3, "medium"),
        # item 9 "moderately" (2) does not tip psychosocial 3 → 4: still medium
        (form(4, 3, 2), 7, 3, "medium"),
        # total 4 all psychosocial (psychosocial 4, lower edge of high) → high
        (form(0, 4, 0), 4, 4, "high"),
        # psychosocial 4 reached through item 9 "very much" → high
        (form(0, 3, 3), 4, 4, "high"),
        # psychosocial 5 → high
        (form(0, 4, 4), 5, 5, "high"),
        # everything positive: total 9, psychosocial 5 → high
        (form(4, 4, 4), 9, 5, "high"),
    ],
)
def test_risk_boundaries(answers, total, psychosocial, risk):
    result = score_startback(answers)
    assert (result.total, result.psychosocial, result.risk) == (total, psychosocial, risk)
    assert result.to_dict() == {
        "instrument": "startback",
        "score": total,
        "total": total,
        "psychosocial": psychosocial,
        "risk": risk,
    }


def test_risk_from_scores_matches_the_published_cut_points():
    assert startback_risk(3, 3) == "low"
    assert startback_risk(4, 3) == "medium"
    assert startback_risk(4, 4) == "high"


def test_impossible_score_pairs_are_refused():
    with pytest.raises(InvalidInput):
        startback_risk(3, 4)  # psychosocial items are part of the total
    with pytest.raises(InvalidInput):
        startback_risk(9, 4)  # items 1–4 add at most 4


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8, "expected 9 answers, got 8"),
        ([0] * 10, "expected 9 answers, got 10"),
        ([2] + [0] * 8, "item 1: 2 is out of range 0–1"),
        ([0] * 8 + [5], "item 9: 5 is out of range 0–4"),
        ([0] * 7 + [True, 0], "item 8: expected an integer"),
    ],
)
def test_invalid_answers_are_refused(answers, message):
    with pytest.raises(InvalidInput, match=message):
        score_startback(answers)
