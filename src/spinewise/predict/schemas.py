"""Pydantic shapes of the decision-support API: assessments, the panel, the spine classifier
and model cards."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

OdiSection = Annotated[int, Field(ge=0, le=5)]
StartBackItem = Annotated[int, Field(ge=0, le=4)]


class AssessmentCreate(BaseModel):
    """What a clinician found; leave out (or null) whatever was not assessed.

    ODI: the percent score *or* the ten section answers (0-5, null for one unanswered
    section). STarT Back: the nine answers (items 1-8 0/1, item 9 0-4) *or* the total and
    psychosocial scores together. Age comes from the profile's date of birth; ``age_years`` is
    used only when the profile has none.
    """

    model_config = ConfigDict(extra="forbid")

    assessed_on: date | None = Field(
        default=None, description="Default: today in the patient's time zone."
    )
    odi_pct: float | None = Field(default=None, ge=0, le=100, description="Oswestry, %")
    odi_answers: list[OdiSection | None] | None = Field(default=None, min_length=10, max_length=10)
    nprs: int | None = Field(default=None, ge=0, le=10, description="Pain 0-10")
    startback_answers: list[StartBackItem] | None = Field(default=None, min_length=9, max_length=9)
    startback_total: int | None = Field(default=None, ge=0, le=9)
    startback_psychosocial: int | None = Field(default=None, ge=0, le=5)
    age_years: float | None = Field(default=None, ge=0, le=120)
    symptom_duration_days: float | None = Field(
        default=None, ge=0, le=36500, description="Duration of the current episode, days"
    )
    symptoms_distal_to_knee: bool | None = None
    fabq_work: int | None = Field(default=None, ge=0, le=42, description="FABQ work subscale")
    fabq_pa: int | None = Field(
        default=None, ge=0, le=24, description="FABQ physical-activity subscale"
    )
    hip_internal_rotation_left_deg: float | None = Field(default=None, ge=0, le=90)
    hip_internal_rotation_right_deg: float | None = Field(default=None, ge=0, le=90)
    lumbar_hypomobility: bool | None = Field(
        default=None, description="Hypomobility of a lumbar segment on spring testing"
    )
    notes: str = Field(default="", max_length=4000)


class AssessmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    patient_id: int
    assessed_on: date
    recorded_at: datetime
    clinician_id: int | None
    clinician_name: str
    odi_pct: float | None
    odi_answers: list[int | None] | None
    nprs: int | None
    startback_total: int | None
    startback_psychosocial: int | None
    startback_risk: str | None
    startback_answers: list[int] | None
    age_years: float | None
    symptom_duration_days: float | None
    symptoms_distal_to_knee: bool | None
    fabq_work: int | None
    fabq_pa: int | None
    hip_internal_rotation_left_deg: float | None
    hip_internal_rotation_right_deg: float | None
    lumbar_hypomobility: bool | None
    notes: str


class AssessmentPage(BaseModel):
    items: list[AssessmentRead]
    total: int


# --- the decision-support panel -----------------------------------------------------------------


class ModelRef(BaseModel):
    """The model or rule behind a result, with its card (shown beside every prediction)."""

    name: str
    version: str
    card_url: str
    synthetic: bool = False
    data_label: str = ""


class StartBackRead(BaseModel):
    total: int
    psychosocial: int
    risk: str
    from_answers: bool


class TemplateRead(BaseModel):
    id: str
    name: str
    indication: str


class StratifiedCareRead(BaseModel):
    status: Literal["ok", "not_assessed"]
    startback: StartBackRead | None = None
    pathway: str | None = None
    summary: str | None = None
    components: list[str] = []
    template_id: str | None = None
    template: TemplateRead | None = None
    evidence: str | None = None
    citation: str | None = None
    card: ModelRef


class CriterionRead(BaseModel):
    key: str
    description: str
    met: bool | None


class LikelihoodRead(BaseModel):
    positive_likelihood_ratio: float
    positive_likelihood_ratio_ci95: list[float]
    sensitivity: float
    specificity: float
    pretest_probability: float
    post_test_probability: float
    source: str


class ValidationRead(BaseModel):
    study: str
    finding: str
    citation: str


class ManipulationRuleRead(BaseModel):
    status: Literal["positive", "negative", "indeterminate"]
    positive_count: int
    unknown_count: int
    threshold: int
    criteria: list[CriterionRead]
    likelihood: LikelihoodRead | None
    success_definition: str
    validation: list[ValidationRead]
    limits: list[str]
    citations: list[str]
    cautions: list[str]
    card: ModelRef


class ContributionRead(BaseModel):
    feature: str
    label: str
    value: str | float | None
    log_odds: float
    detail: dict[str, float] | None = None


class TreatmentOptionRead(BaseModel):
    treatment: str
    label: str
    probability: float
    interval95: list[float]
    baseline_log_odds: float
    contributions: list[ContributionRead]


class TreatmentResponseRead(BaseModel):
    status: Literal["ok", "refused", "incomplete", "not_applicable", "unavailable"]
    outcome: str
    synthetic: bool
    data_label: str
    options: list[TreatmentOptionRead] = []
    missing: list[str] = []
    refusal_reasons: list[str] = []
    notes: list[str] = []
    features: dict[str, str | float | None] | None = None
    feature_sources: dict[str, str] = {}
    model: ModelRef


class DecisionSupportRead(BaseModel):
    """Decision support for one assessment (the newest unless one is asked for)."""

    patient_id: int
    notice: str
    assessment: AssessmentRead | None
    stratified_care: StratifiedCareRead | None = None
    manipulation_rule: ManipulationRuleRead | None = None
    treatment_response: TreatmentResponseRead | None = None


# --- spine classifier ---------------------------------------------------------------------------

Angle = Annotated[float, Field(ge=-360, le=360, allow_inf_nan=False)]


class SpineMeasurement(BaseModel):
    """The six spinopelvic parameters of the vertebral-column data (degrees; pelvic radius in
    mm; grade of spondylolisthesis as in the source)."""

    model_config = ConfigDict(extra="forbid")

    pelvic_incidence: Angle
    pelvic_tilt: Angle
    lumbar_lordosis_angle: Angle
    sacral_slope: Angle
    pelvic_radius: float = Field(ge=0, le=1000, allow_inf_nan=False)
    degree_spondylolisthesis: float = Field(ge=-1000, le=1000, allow_inf_nan=False)
    patient_id: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="The patient measured, if any: checked against your care team and audited.",
    )
    refuse_out_of_distribution: bool = Field(
        default=False, description="Give no class for measurements unlike the training data."
    )


class SpinePredictionRead(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    predicted_class: str | None = Field(alias="class")
    probabilities: dict[str, float] | None
    out_of_distribution: bool
    ood_reasons: list[str]
    refused: bool
    notice: str
    model: ModelRef


# --- model cards --------------------------------------------------------------------------------


class MetricRead(BaseModel):
    name: str
    estimate: float
    ci95: list[float] | None
    note: str


class ModelCardRead(BaseModel):
    name: str
    version: str
    kind: str
    summary: str
    label: str | None = None
    synthetic: bool
    intended_use: list[str]
    not_intended_for: list[str]
    data: dict[str, Any]
    method: list[str]
    metrics: list[MetricRead]
    subgroups: list[dict[str, Any]]
    subgroup_note: str
    limits: list[str]
    citations: list[str]
