"""Model cards as data (Mitchell et al. 2019, "Model Cards for Model Reporting", FAT* '19).

Every model and rule that Spinewise shows to clinicians has a card: what it is for and not
for, the data it learnt from (source, licence, whether synthetic), how it was evaluated, its
metrics *with intervals*, subgroup performance where the data allow, and its limits. Cards are
built from the artefact's ``metrics.json`` (ML models) or from the published figures (rules),
so the card and the numbers cannot drift apart. ``to_dict`` feeds the API and the panel beside
each prediction; ``to_markdown`` feeds the docs and the artefact directory.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from spinewise.core.errors import InvalidInput
from spinewise.predict import manipulation_cpr as cpr
from spinewise.predict import stratified_care as sc
from spinewise.predict.artefacts import PACKAGED_RESPONSE, PACKAGED_SPINE, read_metrics
from spinewise.predict.spine_data import DATA_LICENCE, DATA_REFERENCE, DATA_SOURCE

SYNTHETIC_BANNER = "SYNTHETIC DATA - NOT CLINICAL EVIDENCE"
CARD_NAMES: tuple[str, ...] = ("spine", "response", "manipulation-cpr", "startback")


@dataclass
class Metric:
    name: str
    estimate: float
    ci95: list[float] | None = None
    note: str = ""


@dataclass
class ModelCard:
    name: str
    version: str
    kind: str  # "ml-model" | "clinical-prediction-rule" | "stratified-care-pathway"
    summary: str
    intended_use: list[str]
    not_intended_for: list[str]
    data: dict[str, Any]
    method: list[str]
    metrics: list[Metric]
    subgroups: list[dict[str, Any]]
    subgroup_note: str
    limits: list[str]
    citations: list[str]
    synthetic: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.synthetic:
            data["label"] = SYNTHETIC_BANNER
        return data

    def to_markdown(self) -> str:
        lines = [f"# Model card: {self.name}", ""]
        if self.synthetic:
            lines += [f"> **{SYNTHETIC_BANNER}.** Trained and evaluated on generated data.", ""]
        lines += [f"- Version: `{self.version}`", f"- Kind: {self.kind}", "", self.summary, ""]
        lines += ["## Intended use", *[f"- {u}" for u in self.intended_use], ""]
        lines += ["## Not intended for", *[f"- {u}" for u in self.not_intended_for], ""]
        lines += ["## Data", *[f"- {k}: {format_value(v)}" for k, v in self.data.items()], ""]
        lines += ["## Method", *[f"- {m}" for m in self.method], ""]
        lines += [
            "## Metrics",
            "",
            "| metric | estimate | 95 % interval | note |",
            "|---|---|---|---|",
        ]
        for m in self.metrics:
            ci = f"{m.ci95[0]:.3f} - {m.ci95[1]:.3f}" if m.ci95 else "-"
            lines.append(f"| {m.name} | {m.estimate:.3f} | {ci} | {m.note} |")
        lines += ["", "## Subgroups", "", self.subgroup_note, ""]
        if self.subgroups:
            keys = list(self.subgroups[0])
            lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            lines += [
                "| " + " | ".join(format_value(row[k]) for k in keys) + " |"
                for row in self.subgroups
            ]
            lines.append("")
        lines += ["## Limits", *[f"- {x}" for x in self.limits], ""]
        lines += ["## References", *[f"- {c}" for c in self.citations], ""]
        return "\n".join(lines)


def format_value(value: Any) -> str:
    """A card value as text (floats to three decimals, lists and mappings joined)."""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list):
        return ", ".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} {format_value(v)}" for k, v in value.items())
    return str(value)


# --- spine classifier ------------------------------------------------------------------------


def spine_card(metrics: dict[str, Any]) -> ModelCard:
    """Card of the spine classifier from its artefact's ``metrics.json``."""
    nested = metrics["nested_cv"]
    selected = nested["families"]["selected_procedure"]
    baseline = nested["families"]["lr_baseline"]
    delta = nested["vs_baseline"]["selected_procedure"]
    final = metrics["final"]
    cfg = metrics["config"]
    rows: list[Metric] = []
    for key, label in (
        ("accuracy", "accuracy"),
        ("macro_f1", "macro-F1"),
        ("log_loss", "log-loss (nats)"),
        ("brier", "Brier score (0-2)"),
        ("ece", "expected calibration error"),
    ):
        low, high = selected[key]["repeat_range"]
        spread = (
            f"pooled over repeats; single repeats {low:.3f}-{high:.3f} (fewer predictions "
            "per bin inflate ECE)"
            if key == "ece"
            else f"split-to-split range {low:.3f}-{high:.3f}"
        )
        rows.append(
            Metric(
                label,
                selected[key]["estimate"],
                selected[key]["ci95"],
                f"baseline {baseline[key]['estimate']:.3f}; {spread}",
            )
        )
    for key, label in (("accuracy", "accuracy"), ("log_loss", "log-loss")):
        rows.append(
            Metric(
                f"{label} minus baseline",
                delta[key]["difference"],
                delta[key]["ci95"],
                "paired over the same patients and splits",
            )
        )
    per_class = nested["per_class_selected"]
    counts = metrics["data"]["class_counts"]
    return ModelCard(
        name="spine-classifier",
        version=metrics["version"],
        kind="ml-model",
        summary=(
            "Classifies a patient's six spinopelvic parameters as normal, disc hernia or "
            "spondylolisthesis, with calibrated probabilities and an out-of-distribution "
            f"flag. Selected family: {final['family']} ({final['params']})."
        ),
        intended_use=[
            "Decision support for clinicians reviewing sagittal spinopelvic measurements, "
            "beside the images and the clinical examination.",
            "Teaching and research on spinopelvic parameters.",
        ],
        not_intended_for=[
            "Diagnosis without imaging and clinical assessment; screening of the public.",
            "Patients unlike the training cohort (flagged 'out_of_distribution').",
            "Any pathology other than the three classes (a fracture, tumour or infection "
            "would still be forced into one of them).",
        ],
        data={
            "source": DATA_SOURCE,
            "licence": DATA_LICENCE,
            "reference": DATA_REFERENCE,
            "training rows": metrics["data"]["n_rows"],
            "class counts": counts,
            "sha256": metrics["data"]["sha256"],
            "held out": "25 % of the 310 patients are kept aside by the project for an "
            "independent test; none of them was used here.",
        },
        method=[
            f"Families compared: {', '.join(cfg['candidates'])}.",
            f"Nested CV: {cfg['outer_folds']}-fold x {cfg['outer_repeats']} repeats outer, "
            f"{cfg['inner_folds']}-fold inner grid search refit on log-loss (seed {cfg['seed']}).",
            f"Selection rule: {metrics['selection_rule']}. Applied inside every outer split, "
            "so the figures below estimate the whole procedure, family choice included.",
            f"Outer splits won per family: {nested['selection_counts']}.",
            f"Intervals: percentile bootstrap over patients ({cfg['n_boot']} resamples).",
        ],
        metrics=rows,
        subgroups=[
            {
                "class": cls,
                "patients": per_class[cls]["n_patients"],
                "recall": per_class[cls]["recall"],
                "precision": per_class[cls]["precision"],
            }
            for cls in per_class
        ],
        subgroup_note=(
            "Performance by sex or age band cannot be reported: the data set records neither. "
            "Per-class recall and precision of the selected procedure (out-of-fold) are shown."
        ),
        limits=[
            f"{metrics['data']['n_rows']} patients from a single French centre; the class "
            "proportions are those of the data set, not of any clinic, so probabilities need "
            "recalibration before use elsewhere.",
            "The main error is disc hernia vs normal; the six parameters carry little "
            "information about a disc hernia, which is a soft-tissue diagnosis.",
            metrics.get("verdict", ""),
            "Several feature and model variants were explored on these same patients before "
            "the candidate list was fixed, a mild optimism nested CV cannot remove; the "
            "held-out 25 % is the real test.",
            "Measurement protocol and inter-observer error of the parameters are not known.",
            "The pickled model is tied to its scikit-learn version; retrain with "
            "`spinewise predict train spine` after an upgrade.",
        ],
        citations=[
            DATA_REFERENCE,
            "Berthonnaud E, Dimnet J, Roussouly P, Labelle H. Analysis of the sagittal balance "
            "of the spine and pelvis using shape and orientation parameters. J Spinal Disord "
            "Tech 2005;18(1):40-47.",
            "Varma S, Simon R. Bias in error estimation when using cross-validation for model "
            "selection. BMC Bioinformatics 2006;7:91.",
            "Mitchell M, Wu S, Zaldivar A, et al. Model cards for model reporting. FAT* 2019.",
        ],
        extra={"novelty_guard": metrics.get("novelty_guard", {})},
    )


# --- rules and pathways ----------------------------------------------------------------------


def manipulation_rule_card() -> ModelCard:
    """Card of the spinal-manipulation clinical prediction rule (published figures only)."""
    return ModelCard(
        name="spinal-manipulation-cpr",
        version="flynn-2002",
        kind="clinical-prediction-rule",
        summary=(
            "Five findings; with at least 4 present, patients with low back pain were likely "
            "to improve quickly with lumbopelvic thrust manipulation (Flynn 2002, Childs 2004)."
        ),
        intended_use=[
            "Physiotherapists choosing whether to include lumbopelvic thrust manipulation for "
            "adults with low back pain without nerve-root compression, after red-flag screening.",
        ],
        not_intended_for=[
            "Deciding against manipulation in rule-negative patients on the rule alone.",
            "Acute low back pain in general practice managed with a course of mixed spinal "
            "manipulative therapy, where the rule did not validate (Hancock 2008).",
        ],
        data={
            "derivation": "Flynn 2002: 71 patients, US physical-therapy clinics, 32 successes",
            "validation": "Childs 2004: RCT, 131 patients aged 18-60, Oswestry >= 30 %",
            "failed validation": "Hancock 2008: RCT, 239 patients, acute LBP, general practice",
        },
        method=[
            f"Criteria and thresholds: duration < {cpr.DURATION_LESS_THAN_DAYS:g} days; no "
            f"symptoms distal to the knee; FABQ work < {cpr.FABQ_WORK_LESS_THAN:g}; a hip with "
            f"> {cpr.HIP_INTERNAL_ROTATION_GREATER_THAN_DEG:g} deg internal rotation; lumbar "
            f"hypomobility. Positive with >= {cpr.POSITIVE_AT_LEAST} of 5.",
            cpr.SUCCESS_DEFINITION,
        ],
        metrics=[
            Metric("sensitivity (>= 4 of 5)", cpr.FLYNN_SENSITIVITY, None, "Flynn 2002"),
            Metric("specificity (>= 4 of 5)", cpr.FLYNN_SPECIFICITY, None, "Flynn 2002"),
            Metric(
                "positive likelihood ratio",
                cpr.FLYNN_POSITIVE_LR,
                list(cpr.FLYNN_POSITIVE_LR_CI95),
                "Flynn 2002",
            ),
            Metric(
                "post-test probability of success",
                cpr.post_test_probability(cpr.FLYNN_PRETEST_PROBABILITY, cpr.FLYNN_POSITIVE_LR),
                None,
                "from 45 % pretest (Flynn 2002 reports 95 %)",
            ),
        ],
        subgroups=[],
        subgroup_note="No subgroup figures were published beyond the validation trials.",
        limits=list(cpr.LIMITS),
        citations=[cpr.FLYNN_2002, cpr.CHILDS_2004, cpr.HANCOCK_2008, cpr.FRITZ_2005],
    )


def stratified_care_card() -> ModelCard:
    """Card of the STarT Back matched-pathway logic."""
    return ModelCard(
        name="startback-stratified-care",
        version="hill-2011",
        kind="stratified-care-pathway",
        summary=(
            "Maps the STarT Back risk group to the matched treatment pathway of the STarT Back "
            "trial and suggests a programme template."
        ),
        intended_use=["Primary-care and physiotherapy triage of adults with back pain."],
        not_intended_for=[
            "Patients with red flags (serious pathology), which are triaged first.",
            "Replacing the clinician's choice of treatment.",
        ],
        data={"trial": "851 adults, ten general practices in England (Hill 2011)"},
        method=[f"{p.risk}: {p.pathway} (template {p.template_id})" for p in sc.all_pathways()],
        metrics=[
            Metric(
                "RMDQ difference at 4 months (points)",
                1.81,
                [1.06, 2.57],
                "stratified vs best current care, effect size 0.32",
            ),
            Metric(
                "RMDQ difference at 12 months (points)",
                1.06,
                [0.25, 1.86],
                "effect size 0.19",
            ),
        ],
        subgroups=[],
        subgroup_note="Effects by risk group are reported in the trial paper, not repeated here.",
        limits=[
            "Effects are for the whole stratified-care package in UK primary care; other "
            "health systems have found smaller or no benefit in implementation studies.",
            "The pathway is a suggestion; the programme template is a starting point the "
            "clinician adapts.",
        ],
        citations=[sc.HILL_2011, sc.HILL_2008],
    )


# --- treatment-response model ----------------------------------------------------------------


def response_card(metrics: dict[str, Any]) -> ModelCard:
    """Card of a treatment-response model from its artefact's ``metrics.json``."""
    ev = metrics["evaluation"]
    overall = ev["overall"]
    design = metrics["design"]
    synthetic = bool(metrics["synthetic"])
    rows = [
        Metric("AUC (discrimination)", overall["auc"], overall["ci95"]["auc"], "0.5 = chance"),
        Metric("Brier score", overall["brier"], overall["ci95"]["brier"], "lower is better"),
        Metric("log-loss (nats)", overall["log_loss"], overall["ci95"]["log_loss"], ""),
        Metric("calibration slope", overall["calibration_slope"], None, "ideal 1"),
        Metric("calibration intercept", overall["calibration_intercept"], None, "ideal 0"),
        Metric(
            "mean predicted vs observed response",
            overall["mean_predicted"],
            None,
            f"observed {overall['observed_rate']:.3f}",
        ),
    ]
    subgroups = [
        {
            "subgroup": s["subgroup"],
            "n": s["n"],
            "auc": s["auc"],
            "auc_ci95": s["ci95"]["auc"],
            "observed": s["observed_rate"],
            "predicted": s["mean_predicted"],
            "calibration_slope": s["calibration_slope"],
        }
        for s in ev["subgroups"]
    ]
    sex_note = (
        "Sex was recorded for too few records to report by sex."
        if ev["sex_recorded_fraction"] < 0.8
        else "Sex is used only for this table, never as a model feature."
    )
    data = {
        "records": metrics["data"]["n_records"],
        "treatments": metrics["data"]["treatment_counts"],
        "response rate": metrics["data"]["response_rate"],
        "file": metrics["data"]["file"],
        "sha256": metrics["data"]["sha256"],
        "provenance": metrics["data_label"],
    }
    generator = metrics["data"].get("generator")
    if generator:
        data["generator effects"] = "; ".join(
            f"{e['treatment']} +{e['odi_points_vs_advice']:g} ODI points vs advice"
            + (
                f" (+{e['extra_for_high_risk_points']:g} more for high risk)"
                if "extra_for_high_risk_points" in e
                else ""
            )
            + f" ({e['source']})"
            for e in generator["effects"]
        )
        data["generator assumptions"] = " ".join(generator["assumptions"])
    limits = [
        "Per-treatment probabilities from observational platform records are associations, "
        "confounded by the reasons each treatment was chosen; only randomised assignment "
        "makes differences between options causal.",
        "Logistic model with treatment x (STarT Back risk, symptom duration, adherence) "
        "interactions only; other effect modifiers are not captured.",
        "Bootstrap intervals show the uncertainty of the model, not the range of the "
        "patient's own outcome, which is far wider.",
        "Adherence, when used, is observed after treatment starts; predictions that use it "
        "are conditional on it.",
        "Patients unlike the training records are refused, not extrapolated.",
        *design["notes"],
    ]
    if synthetic:
        limits.insert(
            0,
            "Trained and evaluated on a SYNTHETIC cohort whose effect sizes come from "
            "published trials and whose other relations are assumptions: its figures describe "
            "the generator, not patients.",
        )
    return ModelCard(
        name="treatment-response",
        version=metrics["version"],
        kind="ml-model",
        summary=(
            f"Probability of response ({metrics['outcome']}) for each treatment option "
            f"({', '.join(design['treatments_offered'])}), with a bootstrap interval, "
            "per-feature contributions and refusal outside the training distribution."
        ),
        intended_use=[
            "Discussing treatment options with a patient, beside the STarT Back pathway and "
            "the clinician's judgement (shown to clinicians only, audit-logged).",
            "Monitoring what the platform's own outcomes say (learning health system).",
        ],
        not_intended_for=[
            "Choosing or withholding a treatment automatically.",
            "Patients with red flags, or outside the training distribution (refused).",
            *(["Any clinical use: this model learnt from SYNTHETIC data."] if synthetic else []),
        ],
        data=data,
        method=[
            "Penalised (L2) logistic regression on a standardised design; features: "
            f"{', '.join(design['features'])}; reference treatment "
            f"{design['reference_treatment']}.",
            f"{design['n_parameters']} parameters; guards: min records "
            f"{metrics['config']['min_records']}, min per treatment "
            f"{metrics['config']['min_per_treatment']}, events per parameter >= "
            f"{metrics['config']['min_events_per_parameter']}.",
            f"Evaluation: stratified {ev['folds']}-fold CV of the whole pipeline; 95 % "
            "bootstrap intervals over records.",
            f"Prediction intervals: {design['bootstrap_refits']} bootstrap refits.",
        ],
        metrics=rows,
        subgroups=subgroups,
        subgroup_note=f"Out-of-fold performance by treatment, age band and sex. {sex_note}",
        limits=limits,
        citations=[
            "Ostelo RWJG, Deyo RA, Stratford P, et al. Interpreting change scores for pain and "
            "functional status in low back pain. Spine 2008;33(1):90-94.",
            "Peduzzi P, Concato J, Kemper E, et al. A simulation study of the number of events "
            "per variable in logistic regression analysis. J Clin Epidemiol 1996;49:1373-1379.",
            "Riley RD, Ensor J, Snell KIE, et al. Calculating the sample size required for "
            "developing a clinical prediction model. BMJ 2020;368:m441.",
            *(
                [
                    "Hayden JA et al. Exercise therapy for chronic low back pain. Cochrane "
                    "Database Syst Rev 2021;9:CD009790.",
                    "Rubinstein SM et al. Benefits and harms of spinal manipulative therapy for "
                    "chronic low back pain. BMJ 2019;364:l689.",
                    "Hill JC et al. STarT Back trial. Lancet 2011;378:1560-1571.",
                ]
                if synthetic
                else []
            ),
        ],
        synthetic=synthetic,
    )


# --- by name ---------------------------------------------------------------------------------


def card_by_name(name: str, model_dir: Path | None = None) -> ModelCard:
    """The card called ``name`` (one of ``CARD_NAMES``); ML cards are built from the
    ``metrics.json`` of ``model_dir`` (default: the packaged artefact)."""
    if name == "spine":
        return spine_card(read_metrics(model_dir or PACKAGED_SPINE))
    if name == "response":
        return response_card(read_metrics(model_dir or PACKAGED_RESPONSE))
    if name == "manipulation-cpr":
        return manipulation_rule_card()
    if name == "startback":
        return stratified_care_card()
    raise InvalidInput("name", f"unknown card {name!r}; expected one of {CARD_NAMES}")
