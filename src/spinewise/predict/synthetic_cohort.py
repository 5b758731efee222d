"""SYNTHETIC outcome cohort for the treatment-response model - never clinical evidence.

No public patient-level outcome data set with these baseline features exists offline, so tests
and the demo use a generated cohort. Every record carries ``synthetic = True`` and the label
``SYNTHETIC - not clinical evidence``; every file and JSON written from it carries the label too.

How a record is generated (points on the 0-100 Oswestry Disability Index, ODI):

    improvement = natural course + treatment effect + noise (SD 12 points)
    ODI at 12 weeks = clip(ODI at baseline - improvement, 0, 100)
    responder = ODI fell by >= 30 % of its baseline value

Treatment effects relative to advice and self-management, from published trials and reviews:

- **exercise therapy**: 7 points (Hayden JA, Ellis J, Ogilvie R, et al. Exercise therapy for
  chronic low back pain. Cochrane Database Syst Rev 2021;9:CD009790 - functional limitations
  7 points better on 0-100, 95 % CI 5-8, vs no treatment, usual care or placebo at the
  follow-up closest to 3 months, moderate certainty), scaled by programme adherence when
  known (an assumption: dose-response);
- **spinal manipulation**: 7 points, i.e. similar to exercise (Rubinstein SM, de Zoete A, van
  Middelkoop M, et al. Benefits and harms of spinal manipulative therapy for the treatment of
  chronic low back pain: systematic review and meta-analysis of randomised controlled trials.
  BMJ 2019;364:l689 - moderate-quality evidence of effects similar to other recommended
  therapies);
- **psychologically informed physiotherapy**: 7 points, plus 0.32 standard deviations
  (x 15 ODI points = 4.8) for high-risk patients (Hill et al. 2011, Lancet 378:1560-71 -
  effect size 0.32 of stratified care at 4 months; applying it to the high-risk group only is
  an assumption: that is the group the pathway was designed for).

The natural course (a quarter of baseline ODI, less with high STarT Back risk, long episodes,
high fear-avoidance, older age and more time flexed) and all baseline distributions are
**assumptions chosen to be plausible**, not estimates; they are listed in ``ASSUMPTIONS``.
Treatments are assigned at random (as in a trial), so the arms are comparable by design.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from spinewise.core.errors import InvalidInput
from spinewise.predict.outcome_records import (
    RISK_GROUPS,
    SYNTHETIC_LABEL,
    OutcomeRecord,
    records_to_csv,
)

TREATMENTS: tuple[str, ...] = (
    "advice_self_management",
    "exercise_therapy",
    "spinal_manipulation",
    "psychologically_informed_physio",
)

# ODI points: standard deviation used to turn an effect size into points (assumed; ODI SDs in
# trial cohorts are typically 10-18 points, e.g. 11.7 in Flynn 2002).
ODI_SD_POINTS = 15.0

EFFECTS: tuple[dict[str, Any], ...] = (
    {
        "treatment": "exercise_therapy",
        "odi_points_vs_advice": 7.0,
        "source": "Hayden 2021, Cochrane CD009790: 7 points (95 % CI 5-8) on 0-100",
    },
    {
        "treatment": "spinal_manipulation",
        "odi_points_vs_advice": 7.0,
        "source": "Rubinstein 2019, BMJ 364:l689: similar to other recommended therapies",
    },
    {
        "treatment": "psychologically_informed_physio",
        "odi_points_vs_advice": 7.0,
        "extra_for_high_risk_points": 0.32 * ODI_SD_POINTS,
        "source": "Hill 2011, Lancet 378:1560: effect size 0.32 at 4 months (x 15 points)",
    },
)

ASSUMPTIONS: tuple[str, ...] = (
    "Treatment assigned uniformly at random among the four options.",
    "Age ~ Normal(45, 13) years clipped to 18-85; 55 % female.",
    "STarT Back risk low/medium/high with probabilities 0.30/0.45/0.25.",
    "Baseline ODI ~ Normal(22/35/48 by risk, 12) clipped to 6-90; NPRS = 2 + ODI/10 + "
    "Normal(0, 1.3), rounded and clipped to 0-10.",
    "Symptom duration ~ log-normal, median 10 weeks (sigma 1), clipped to 0.5-520 weeks.",
    "FABQ physical-activity subscale ~ Normal(10/14/18 by risk, 4.5) clipped to 0-24, "
    "recorded for 80 % of patients.",
    "Fraction of monitored time flexed ~ Beta(2, 8), recorded for 40 %; programme adherence "
    "~ Beta(4, 2), recorded for 60 %.",
    "Natural course = 0.25 x baseline ODI + 2 (low risk) - 3 (high risk) - 2 ln(weeks / 10) "
    "- 0.15 (FABQ-PA - 14) - 0.05 (age - 45) - 10 (flexed fraction - 0.2) points.",
    "Exercise effect x adherence / 0.67 (clipped 0-1.5) when adherence is recorded.",
    "Noise Normal(0, 12) points.",
)


def generate_cohort(n: int, seed: int = 0) -> list[OutcomeRecord]:
    """Generate ``n`` SYNTHETIC patients with the model described in the module docstring."""
    if not 1 <= n <= 1_000_000:
        raise InvalidInput("n", "must be between 1 and 1,000,000")
    rng = np.random.default_rng(seed)
    risk = rng.choice(3, size=n, p=[0.30, 0.45, 0.25])
    age = np.clip(rng.normal(45, 13, n), 18, 85)
    female = rng.random(n) < 0.55
    odi0 = np.clip(rng.normal(np.array([22.0, 35.0, 48.0])[risk], 12.0), 6, 90)
    nprs = np.clip(np.round(2 + odi0 / 10 + rng.normal(0, 1.3, n)), 0, 10)
    weeks = np.clip(np.exp(np.log(10) + rng.normal(0, 1.0, n)), 0.5, 520)
    fabq_true = np.clip(rng.normal(np.array([10.0, 14.0, 18.0])[risk], 4.5), 0, 24)
    flexed_true = rng.beta(2, 8, n)
    adherence_true = rng.beta(4, 2, n)
    has_fabq = rng.random(n) < 0.80
    has_flexed = rng.random(n) < 0.40
    has_adherence = rng.random(n) < 0.60
    treatment = rng.integers(0, len(TREATMENTS), n)

    natural = (
        0.25 * odi0
        + np.where(risk == 0, 2.0, 0.0)
        - np.where(risk == 2, 3.0, 0.0)
        - 2.0 * np.log(weeks / 10)
        - 0.15 * (fabq_true - 14)
        - 0.05 * (age - 45)
        - 10.0 * (flexed_true - 0.2)
    )
    adherence_factor = np.where(has_adherence, np.clip(adherence_true / 0.67, 0, 1.5), 1.0)
    effect = np.zeros(n)
    effect[treatment == 1] = 7.0 * adherence_factor[treatment == 1]
    effect[treatment == 2] = 7.0
    effect[treatment == 3] = 7.0 + np.where(risk[treatment == 3] == 2, 0.32 * ODI_SD_POINTS, 0.0)
    improvement = natural + effect + rng.normal(0, 12.0, n)
    odi12 = np.clip(odi0 - improvement, 0, 100)

    return [
        OutcomeRecord(
            record_id=f"synthetic-{seed}-{i:06d}",
            odi_baseline=round(float(odi0[i]), 1),
            nprs_baseline=float(nprs[i]),
            startback_risk=RISK_GROUPS[int(risk[i])],
            age_years=round(float(age[i]), 1),
            symptom_duration_weeks=round(float(weeks[i]), 1),
            fabq_pa=round(float(fabq_true[i]), 1) if has_fabq[i] else None,
            posture_flexed_fraction=round(float(flexed_true[i]), 3) if has_flexed[i] else None,
            adherence_fraction=round(float(adherence_true[i]), 3) if has_adherence[i] else None,
            sex="female" if female[i] else "male",
            treatment=TREATMENTS[int(treatment[i])],
            odi_12_weeks=round(float(odi12[i]), 1),
            synthetic=True,
            data_label=SYNTHETIC_LABEL,
        )
        for i in range(n)
    ]


def cohort_to_csv(records: list[OutcomeRecord]) -> str:
    """CSV text of generated records; refuses any record that lost its synthetic label."""
    for record in records:
        if not record.synthetic or record.data_label != SYNTHETIC_LABEL:
            raise InvalidInput("synthetic", "a generated record lost its synthetic label")
    return records_to_csv(records)


def generator_card() -> dict[str, Any]:
    """What the generator does, for JSON output and the model card of models trained on it."""
    return {
        "label": SYNTHETIC_LABEL,
        "synthetic": True,
        "outcome": "responder = ODI at 12 weeks at least 30 % below baseline",
        "effects": [dict(e) for e in EFFECTS],
        "assumptions": list(ASSUMPTIONS),
    }
