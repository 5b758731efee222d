"""Decision support: stratified care, clinical prediction rules, ML models and model cards.

Pure modules only (numpy / scipy / scikit-learn); the service, API and pages that show
these results to clinicians live beside them and are built on the functions here.
Everything here supports clinical judgement; nothing here diagnoses.
"""

from __future__ import annotations

from spinewise.predict.manipulation_cpr import (
    ManipulationRuleInput,
    ManipulationRuleResult,
    evaluate_manipulation_rule,
    post_test_probability,
)
from spinewise.predict.stratified_care import Pathway, pathway_for_risk

__all__ = [
    "ManipulationRuleInput",
    "ManipulationRuleResult",
    "Pathway",
    "evaluate_manipulation_rule",
    "pathway_for_risk",
    "post_test_probability",
]
