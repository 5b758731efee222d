"""STarT Back stratified care: risk group -> matched treatment pathway.

The Keele STarT Back Screening Tool sorts patients with back pain into low, medium and high
risk of persistent disability (Hill et al. 2008, Arthritis Rheum 59(5):632-641); scoring the
questionnaire lives in ``spinewise.outcomes`` (its ``risk`` field is the input here).

The matched pathways are those of the STarT Back trial (Hill JC, Whitehurst DGT, Lewis M, et al.
Comparison of stratified primary care management for low back pain with current best practice
(STarT Back): a randomised controlled trial. Lancet 2011;378(9802):1560-1571,
doi:10.1016/S0140-6736(11)60937-9; protocol: BMC Musculoskelet Disord 2008;9:58):

- every patient: a 30-minute session with assessment, advice on activity, pain relief and work,
  "The Back Book" and the "Get Back Active" video;
- low risk: that session only (advice and self-management);
- medium risk: plus standardised physiotherapy addressing symptoms and function;
- high risk: plus psychologically informed physiotherapy addressing physical and psychosocial
  obstacles to recovery with cognitive-behavioural principles.

In the trial, stratified care improved the Roland-Morris Disability Questionnaire more than
non-stratified best practice: adjusted between-group difference 1.81 points (95 % CI 1.06-2.57,
effect size 0.32) at 4 months and 1.06 (0.25-1.86, effect size 0.19) at 12 months.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from spinewise.core.errors import InvalidInput

RiskGroup = Literal["low", "medium", "high"]
RISK_GROUPS: tuple[RiskGroup, ...] = ("low", "medium", "high")

HILL_2011 = (
    "Hill JC, Whitehurst DGT, Lewis M, et al. Comparison of stratified primary care management "
    "for low back pain with current best practice (STarT Back): a randomised controlled trial. "
    "Lancet 2011;378(9802):1560-1571. doi:10.1016/S0140-6736(11)60937-9"
)
HILL_2008 = (
    "Hill JC, Dunn KM, Lewis M, et al. A primary care back pain screening tool: identifying "
    "patient subgroups for initial treatment. Arthritis Rheum 2008;59(5):632-641."
)
TRIAL_EFFECT = (
    "Stratified care vs non-stratified best practice (Hill 2011): RMDQ difference 1.81 points "
    "(95 % CI 1.06-2.57; effect size 0.32) at 4 months and 1.06 (0.25-1.86; effect size 0.19) "
    "at 12 months."
)


@dataclass(frozen=True)
class Pathway:
    """A matched treatment pathway for one STarT Back risk group.

    ``template_id`` names the suggested programme template of the remote-physiotherapy domain
    (an id of ``spinewise.rehab.programmes.default_templates()``); the clinician chooses
    whether to use it. Low risk has no STarT Back template of its own: the library's
    "stay active" advice programme is the self-management part of that pathway.
    """

    risk: RiskGroup
    pathway: str
    summary: str
    components: tuple[str, ...]
    template_id: str
    citation: str = HILL_2011
    evidence: str = TRIAL_EFFECT

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["components"] = list(self.components)
        return data


_COMMON_SESSION = (
    "assessment and a 30-minute session of advice on activity, pain relief and work, with "
    "'The Back Book' and the 'Get Back Active' video"
)

_PATHWAYS: dict[RiskGroup, Pathway] = {
    "low": Pathway(
        risk="low",
        pathway="advice and self-management",
        summary=(
            "Low risk of persistent disability: reassurance, advice and self-management; "
            "no routine referral for further treatment."
        ),
        components=(_COMMON_SESSION, "self-management with a home programme"),
        template_id="acute_nonspecific_lbp",
    ),
    "medium": Pathway(
        risk="medium",
        pathway="physiotherapy",
        summary=(
            "Medium risk (mainly physical obstacles to recovery): a course of standardised, "
            "evidence-based physiotherapy addressing pain and function."
        ),
        components=(
            _COMMON_SESSION,
            "physiotherapy: exercise, manual therapy and education targeting signs and symptoms",
        ),
        template_id="startback_medium",
    ),
    "high": Pathway(
        risk="high",
        pathway="psychologically informed physiotherapy",
        summary=(
            "High risk (physical and psychosocial obstacles to recovery): physiotherapy that "
            "also addresses unhelpful beliefs, fear, low mood and work concerns with "
            "cognitive-behavioural principles."
        ),
        components=(
            _COMMON_SESSION,
            "physiotherapy targeting signs and symptoms",
            "cognitive-behavioural approach to fear-avoidance, catastrophising and distress",
        ),
        template_id="startback_high",
    ),
}


def pathway_for_risk(risk: str) -> Pathway:
    """Return the STarT Back matched pathway (Hill et al. 2011) for a risk group.

    Parameters
    ----------
    risk : str
        ``"low"``, ``"medium"`` or ``"high"`` as scored by the STarT Back Screening Tool
        (surrounding spaces and letter case are ignored).

    Raises
    ------
    InvalidInput
        If ``risk`` is not one of the three groups.
    """
    key = str(risk).strip().lower()
    if key not in _PATHWAYS:
        raise InvalidInput("risk", f"must be one of low, medium, high; got {risk!r}")
    return _PATHWAYS[key]


def all_pathways() -> list[Pathway]:
    """The three pathways in risk order (for cards and documentation)."""
    return [_PATHWAYS[r] for r in RISK_GROUPS]
