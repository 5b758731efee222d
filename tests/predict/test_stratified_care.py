"""STarT Back risk group -> matched pathway (Hill et al. 2011, Lancet 378:1560-71)."""

from __future__ import annotations

import pytest

from spinewise.core.errors import InvalidInput
from spinewise.predict.stratified_care import all_pathways, pathway_for_risk


@pytest.mark.parametrize(
    ("risk", "pathway", "template_id"),
    [
        ("low", "advice and self-management", "acute_nonspecific_lbp"),
        ("medium", "physiotherapy", "startback_medium"),
        ("high", "psychologically informed physiotherapy", "startback_high"),
    ],
)
def test_each_risk_group_gets_the_trial_pathway_and_its_template(
    risk: str, pathway: str, template_id: str
) -> None:
    result = pathway_for_risk(risk)
    assert result.risk == risk
    assert result.pathway == pathway
    assert result.template_id == template_id
    assert "Lancet 2011" in result.citation


def test_only_the_high_risk_pathway_adds_a_cognitive_behavioural_component() -> None:
    cbt = {p.risk: any("cognitive-behavioural" in c for c in p.components) for p in all_pathways()}
    assert cbt == {"low": False, "medium": False, "high": True}


def test_every_pathway_starts_with_the_common_advice_session() -> None:
    for pathway in all_pathways():
        assert "Back Book" in pathway.components[0]


def test_the_published_trial_effect_travels_with_the_pathway() -> None:
    # Hill 2011: RMDQ difference 1.81 (95 % CI 1.06-2.57) at 4 months, 1.06 at 12 months.
    evidence = pathway_for_risk("medium").evidence
    assert "1.81" in evidence and "1.06-2.57" in evidence and "0.25-1.86" in evidence


@pytest.mark.parametrize("risk", [" Low", "HIGH ", "Medium"])
def test_case_and_surrounding_spaces_are_ignored(risk: str) -> None:
    assert pathway_for_risk(risk).risk == risk.strip().lower()


@pytest.mark.parametrize("risk", ["", "none", "moderate", "lowish", "3"])
def test_anything_else_is_refused(risk: str) -> None:
    with pytest.raises(InvalidInput, match="risk"):
        pathway_for_risk(risk)


def test_to_dict_is_plain_json_data() -> None:
    data = pathway_for_risk("high").to_dict()
    assert data["template_id"] == "startback_high"
    assert isinstance(data["components"], list)


def test_every_suggested_template_exists_in_the_programme_library() -> None:
    from spinewise.rehab.programmes import default_templates

    library = default_templates()
    for pathway in all_pathways():
        assert pathway.template_id in library, pathway.template_id
