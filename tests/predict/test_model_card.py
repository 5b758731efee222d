"""Model cards carry the evidence, the limits and the provenance of every model and rule."""

from __future__ import annotations

from spinewise.predict import artefacts as art
from spinewise.predict.model_card import (
    SYNTHETIC_BANNER,
    manipulation_rule_card,
    response_card,
    spine_card,
    stratified_care_card,
)


def test_the_rule_card_shows_flynns_likelihood_ratio_with_its_interval() -> None:
    card = manipulation_rule_card().to_dict()
    lr = next(m for m in card["metrics"] if m["name"] == "positive likelihood ratio")
    assert (lr["estimate"], lr["ci95"]) == (24.38, [4.63, 139.41])
    assert any("Hancock" in limit for limit in card["limits"])


def test_the_startback_card_quotes_the_trial_effect() -> None:
    card = stratified_care_card()
    first = card.metrics[0]
    assert (first.estimate, first.ci95) == (1.81, [1.06, 2.57])
    assert "startback_high" in "".join(card.method)


def test_the_spine_card_says_why_there_is_no_subgroup_by_sex_or_age() -> None:
    card = spine_card(art.read_metrics(art.PACKAGED / "spine"))
    assert "sex or age" in card.subgroup_note
    assert {row["class"] for row in card.subgroups} == {"normal", "hernia", "spondylolisthesis"}
    assert card.data["licence"] == "CC BY 4.0"
    assert card.to_markdown().startswith("# Model card: spine-classifier")


def test_a_model_trained_on_synthetic_data_says_so_first() -> None:
    card = response_card(art.read_metrics(art.PACKAGED / "treatment_response_synthetic"))
    assert card.synthetic
    assert card.to_dict()["label"] == SYNTHETIC_BANNER
    assert SYNTHETIC_BANNER in card.to_markdown().splitlines()[2]
    assert card.limits[0].startswith("Trained and evaluated on a SYNTHETIC cohort")
