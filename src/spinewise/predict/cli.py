"""``spinewise predict ...``: decision-support commands (DESIGN §5 conventions).

Every command prints JSON with ``--json``, exits 2 with one line on stderr for bad input and
writes output files atomically.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from spinewise.core.console import (
    cli_errors,
    console,
    load_json_file,
    print_json,
    write_atomic,
)
from spinewise.core.errors import InvalidInput
from spinewise.predict import artefacts as art
from spinewise.predict.manipulation_cpr import ManipulationRuleInput, evaluate_manipulation_rule
from spinewise.predict.model_card import CARD_NAMES, card_by_name
from spinewise.predict.outcome_records import PatientFeatures, read_outcome_csv
from spinewise.predict.spine_classifier import CANDIDATES, SELECTED, NestedCVConfig
from spinewise.predict.spine_data import CLASSES, read_spine_csv
from spinewise.predict.stratified_care import pathway_for_risk

app = typer.Typer(
    help="Decision support: stratified care, prediction rules, models and model cards.",
    no_args_is_help=True,
)
train_app = typer.Typer(
    help="Train a model reproducibly and write a versioned artefact.", no_args_is_help=True
)
report_app = typer.Typer(help="Print a model's evaluation report.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(report_app, name="report")

JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ModelDir = Annotated[
    Path | None,
    typer.Option("--model", help="Artefact directory (default: the packaged model)."),
]

SPINE_ARTEFACT = art.PACKAGED_SPINE
RESPONSE_ARTEFACT = art.PACKAGED_RESPONSE
SPINE_DATA_ENV = "SPINEWISE_SPINE_DATA"
SPINE_DATA_DEFAULT = Path("../shared/data/vertebral_column/vertebral_column_train.csv")


def _spine_data_default() -> Path:
    return Path(os.environ.get(SPINE_DATA_ENV, str(SPINE_DATA_DEFAULT)))


def _fmt_ci(entry: dict[str, Any]) -> str:
    ci = entry.get("ci95")
    text = f"{entry['estimate']:.3f}"
    return f"{text} ({ci[0]:.3f}-{ci[1]:.3f})" if ci else text


# --- spine classifier ---------------------------------------------------------------------


@app.command("spine")
@cli_errors
def spine(
    csv_file: Annotated[
        Path,
        typer.Option(
            "--csv",
            help="CSV with the six spinopelvic columns of the vertebral-column data "
            "(class column optional).",
        ),
    ],
    model: ModelDir = None,
    refuse_ood: Annotated[
        bool,
        typer.Option(
            "--refuse-out-of-distribution",
            help="Give no class for rows far outside the training data (default: flag them).",
        ),
    ] = False,
    json_out: JsonFlag = False,
) -> None:
    """Classify rows as normal, hernia or spondylolisthesis with calibrated probabilities."""
    table = read_spine_csv(csv_file)
    spine_model, metrics, notes = art.load_artefact(model or SPINE_ARTEFACT)
    predictions = [
        p.to_dict(refuse_out_of_distribution=refuse_ood) for p in spine_model.predict(table.X)
    ]
    if json_out:
        print_json(
            {
                "predictions": predictions,
                "model": {
                    "name": metrics["model"],
                    "version": metrics["version"],
                    "family": metrics["final"]["family"],
                    "card": "spinewise predict card spine",
                },
                "warnings": notes,
            }
        )
        return
    grid = Table(title=f"Spine classifier {metrics['version']} (decision support, not diagnosis)")
    grid.add_column("row", justify="right")
    grid.add_column("class")
    for cls in CLASSES:
        grid.add_column(f"P({cls})", justify="right")
    grid.add_column("out of distribution")
    for i, p in enumerate(predictions, start=1):
        probs = p["probabilities"] or {}
        grid.add_row(
            str(i),
            str(p["class"] or "refused"),
            *[f"{probs[c]:.3f}" if c in probs else "-" for c in CLASSES],
            "; ".join(p["ood_reasons"]) or "no",
        )
    console.print(grid)
    for note in notes:
        console.print(f"[yellow]warning:[/] {note}")


@train_app.command("spine")
@cli_errors
def train_spine(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help=f"Training CSV (default: ${SPINE_DATA_ENV} or {SPINE_DATA_DEFAULT}).",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Artefact directory to write.")] = Path(
        "artefacts/spine"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Seed of every random split.")] = 0,
    repeats: Annotated[int, typer.Option("--repeats", help="Outer CV repeats.")] = 5,
    folds: Annotated[int, typer.Option("--folds", help="Outer CV folds.")] = 5,
    inner_folds: Annotated[int, typer.Option("--inner-folds", help="Inner CV folds.")] = 5,
    families: Annotated[
        str | None,
        typer.Option(
            "--families",
            help=f"Comma-separated subset of {', '.join(CANDIDATES)} (must include lr_baseline).",
        ),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Compare model families with nested CV, refit the selected one, write the artefact."""
    from spinewise.predict.spine_artefact import train_spine_artefact

    art.check_artefact_target(out)
    path = data or _spine_data_default()
    table = read_spine_csv(path, require_class=True)
    chosen = tuple(f.strip() for f in families.split(",")) if families else tuple(CANDIDATES)
    config = NestedCVConfig(
        outer_folds=folds,
        outer_repeats=repeats,
        inner_folds=inner_folds,
        seed=seed,
        candidates=chosen,
    )

    def progress(line: str) -> None:
        # stdout, human mode only: stderr is reserved for the one-line error of DESIGN §5
        if not json_out:
            print(line, flush=True)

    files, metrics = train_spine_artefact(
        table, data_name=Path(path).name, config=config, progress=progress
    )
    art.write_artefact(out, files)
    if json_out:
        print_json({"out": str(out), **_spine_report(metrics)})
        return
    console.print(f"wrote {out} (version {metrics['version']})")
    _print_spine_report(metrics)


def _spine_report(metrics: dict[str, Any]) -> dict[str, Any]:
    nested = metrics["nested_cv"]
    return {
        "model": metrics["model"],
        "version": metrics["version"],
        "data": metrics["data"],
        "config": metrics["config"],
        "selection_rule": metrics["selection_rule"],
        "final": metrics["final"],
        "families": nested["families"],
        "vs_baseline": nested["vs_baseline"],
        "selection_counts": nested["selection_counts"],
        "per_class_selected": nested["per_class_selected"],
        "verdict": metrics["verdict"],
    }


def _print_spine_report(metrics: dict[str, Any]) -> None:
    nested = metrics["nested_cv"]
    cfg = metrics["config"]
    # Plain aligned text rather than a rich table: the rows are wide and must stay readable
    # in logs and narrow terminals alike.
    print(
        f"Nested CV: {cfg['outer_folds']}-fold x {cfg['outer_repeats']} repeats outer, "
        f"{cfg['inner_folds']}-fold inner (seed {cfg['seed']}); estimate "
        "(95 % bootstrap CI over patients)"
    )
    columns = ("accuracy", "macro_f1", "log_loss", "brier", "ece")
    print(f"{'family':<20}" + "".join(f"{c:<22}" for c in columns) + "won")
    for family, entry in nested["families"].items():
        cells = "".join(f"{_fmt_ci(entry[c]):<22}" for c in columns)
        print(f"{family:<20}{cells}{nested['selection_counts'].get(family, '-')}")
    delta = nested["vs_baseline"][SELECTED]
    for key in ("accuracy", "macro_f1", "log_loss", "brier"):
        d = delta[key]
        print(
            f"{SELECTED} - baseline, {key}: {d['difference']:+.3f} "
            f"(95 % CI {d['ci95'][0]:+.3f} to {d['ci95'][1]:+.3f})"
        )
    spread = nested["families"][SELECTED]["accuracy"]["repeat_range"]
    print(f"{SELECTED} accuracy across outer repeats: {spread[0]:.3f}-{spread[1]:.3f}")
    final = metrics["final"]
    print(f"shipped: {final['family']} {final['params']}")
    print(metrics["verdict"])


@report_app.command("spine")
@cli_errors
def report_spine(model: ModelDir = None, json_out: JsonFlag = False) -> None:
    """The nested-CV report stored with the spine classifier artefact."""
    metrics = art.read_metrics(model or SPINE_ARTEFACT)
    if json_out:
        print_json(_spine_report(metrics))
    else:
        _print_spine_report(metrics)


# --- model cards --------------------------------------------------------------------------


@app.command("card")
@cli_errors
def card(
    name: Annotated[str, typer.Argument(help=f"One of: {', '.join(CARD_NAMES)}.")],
    model: ModelDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Print a model card (Markdown, or JSON with --json)."""
    built = card_by_name(name, model)
    if json_out:
        print_json(built.to_dict())
    else:
        sys.stdout.write(built.to_markdown())


# --- rules --------------------------------------------------------------------------------


@app.command("startback")
@cli_errors
def startback(
    risk: Annotated[
        str | None, typer.Option("--risk", help="STarT Back risk group: low, medium or high.")
    ] = None,
    score_json: Annotated[
        Path | None,
        typer.Option(
            "--score-json",
            help="Output of `spinewise outcomes score startback --json` (its 'risk' is used).",
        ),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Matched STarT Back pathway and suggested programme template (Hill et al. 2011)."""
    if (risk is None) == (score_json is None):
        raise InvalidInput("risk", "give exactly one of --risk or --score-json")
    if score_json is not None:
        data = load_json_file(score_json)
        if not isinstance(data, dict) or "risk" not in data:
            raise InvalidInput("score-json", "expected a JSON object with a 'risk' field")
        risk = str(data["risk"])
    pathway = pathway_for_risk(str(risk))
    if json_out:
        print_json(pathway.to_dict())
        return
    console.print(f"[bold]{pathway.risk} risk[/] -> {pathway.pathway}")
    console.print(pathway.summary)
    for component in pathway.components:
        console.print(f"  - {component}")
    console.print(f"suggested programme template: {pathway.template_id}")
    console.print(pathway.evidence)
    console.print(f"source: {pathway.citation}")


@app.command("manipulation-cpr")
@cli_errors
def manipulation_cpr(
    input_file: Annotated[
        Path | None,
        typer.Option("--input", help="JSON object with the findings (instead of the flags)."),
    ] = None,
    duration_days: Annotated[
        float | None, typer.Option("--duration-days", help="Current episode, days.")
    ] = None,
    symptoms_below_knee: Annotated[
        bool | None,
        typer.Option(
            "--symptoms-below-knee/--no-symptoms-below-knee",
            help="Symptoms distal to the knee (omit if not assessed).",
        ),
    ] = None,
    fabq_work: Annotated[
        float | None, typer.Option("--fabq-work", help="FABQ work subscale, 0-42.")
    ] = None,
    hip_ir_left: Annotated[
        float | None, typer.Option("--hip-ir-left", help="Left hip internal rotation, deg.")
    ] = None,
    hip_ir_right: Annotated[
        float | None, typer.Option("--hip-ir-right", help="Right hip internal rotation, deg.")
    ] = None,
    hypomobility: Annotated[
        bool | None,
        typer.Option(
            "--hypomobility/--no-hypomobility",
            help="At least one hypomobile lumbar segment on spring testing.",
        ),
    ] = None,
    pretest: Annotated[
        float | None,
        typer.Option("--pretest", help="Local pretest probability of success (0-1)."),
    ] = None,
    json_out: JsonFlag = False,
) -> None:
    """Spinal-manipulation clinical prediction rule (Flynn 2002; Childs 2004) with its limits."""
    flags: dict[str, Any] = {
        "symptom_duration_days": duration_days,
        "symptoms_distal_to_knee": symptoms_below_knee,
        "fabq_work": fabq_work,
        "hip_internal_rotation_left_deg": hip_ir_left,
        "hip_internal_rotation_right_deg": hip_ir_right,
        "lumbar_hypomobility": hypomobility,
    }
    if input_file is not None:
        if any(v is not None for v in flags.values()):
            raise InvalidInput("input", "give the findings either as --input or as flags")
        findings = ManipulationRuleInput.from_dict(load_json_file(input_file))
    else:
        findings = ManipulationRuleInput(**flags)
    result = evaluate_manipulation_rule(findings, pretest_probability=pretest)
    if json_out:
        print_json(result.to_dict())
        return
    console.print(
        f"[bold]rule {result.status}[/]: {result.positive_count} of 5 criteria met"
        + (f", {result.unknown_count} not assessed" if result.unknown_count else "")
    )
    for criterion in result.criteria:
        mark = {True: "yes", False: "no", None: "not assessed"}[criterion.met]
        console.print(f"  - {criterion.description}: {mark}")
    if result.likelihood:
        lk = result.likelihood
        ci_low, ci_high = lk["positive_likelihood_ratio_ci95"]
        console.print(
            f"+LR {lk['positive_likelihood_ratio']} (95 % CI {ci_low}-{ci_high}): "
            f"probability of success {lk['pretest_probability']:.0%} -> "
            f"{lk['post_test_probability']:.0%} (Flynn 2002)"
        )
        if "local_post_test_probability" in lk:
            low, high = lk["local_post_test_probability_range"]
            console.print(
                f"with your pretest {lk['local_pretest_probability']:.0%}: "
                f"{lk['local_post_test_probability']:.0%} (range {low:.0%}-{high:.0%})"
            )
    console.print(result.success_definition)
    console.print("[bold]limits[/]")
    for limit in result.limits:
        console.print(f"  - {limit}")


# --- treatment response ---------------------------------------------------------------------


@app.command("synth-cohort")
@cli_errors
def synth_cohort(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    n: Annotated[int, typer.Option("--n", help="Number of synthetic patients.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    json_out: JsonFlag = False,
) -> None:
    """Write a SYNTHETIC outcome cohort (labelled on every row; never clinical evidence)."""
    from spinewise.predict.synthetic_cohort import cohort_to_csv, generate_cohort, generator_card

    records = generate_cohort(n, seed)
    write_atomic(out, cohort_to_csv(records))
    rate = sum(r.responder for r in records) / len(records)
    summary = {"out": str(out), "n": n, "seed": seed, "responder_rate": rate, **generator_card()}
    if json_out:
        print_json(summary)
        return
    console.print(f"[bold red]{summary['label']}[/]: wrote {n} records to {out}")
    console.print(f"responder rate {rate:.3f}; effects and assumptions: see docs/predict.md")


@train_app.command("response")
@cli_errors
def train_response(
    records: Annotated[Path, typer.Option("--records", help="Outcome-records CSV.")],
    out: Annotated[Path, typer.Option("--out", help="Artefact directory to write.")] = Path(
        "artefacts/treatment_response"
    ),
    seed: Annotated[int, typer.Option("--seed", help="Seed of folds and bootstrap.")] = 0,
    bootstrap: Annotated[
        int, typer.Option("--bootstrap", help="Bootstrap refits for the intervals.")
    ] = 200,
    min_records: Annotated[
        int, typer.Option("--min-records", help="Refuse to train below this many records.")
    ] = 200,
    json_out: JsonFlag = False,
) -> None:
    """Evaluate (k-fold CV) and train the treatment-response model; write the artefact."""
    from spinewise.predict.response_artefact import train_response_artefact
    from spinewise.predict.treatment_response import TreatmentResponseConfig

    if bootstrap < 20:
        raise InvalidInput("bootstrap", "use at least 20 bootstrap refits")
    art.check_artefact_target(out)
    rows = read_outcome_csv(records)
    config = TreatmentResponseConfig(min_records=min_records, n_bootstrap=bootstrap, seed=seed)
    files, metrics = train_response_artefact(
        rows,
        data_name=records.name,
        data_sha256=art.sha256_hex(records.read_bytes()),
        config=config,
    )
    art.write_artefact(out, files)
    if json_out:
        print_json({"out": str(out), **_response_report(metrics)})
        return
    console.print(f"wrote {out} (version {metrics['version']})")
    _print_response_report(metrics)


def _response_report(metrics: dict[str, Any]) -> dict[str, Any]:
    return {
        "model": metrics["model"],
        "version": metrics["version"],
        "synthetic": metrics["synthetic"],
        "data_label": metrics["data_label"],
        "data": {k: v for k, v in metrics["data"].items() if k != "generator"},
        "design": metrics["design"],
        "evaluation": metrics["evaluation"],
    }


def _print_response_report(metrics: dict[str, Any]) -> None:
    if metrics["synthetic"]:
        print(metrics["data_label"])
    ev = metrics["evaluation"]
    print(
        f"Treatment response ({metrics['version']}), {ev['folds']}-fold CV; "
        "estimate (95 % bootstrap CI over records)"
    )
    print(
        f"{'subgroup':<42}{'n':>6}  {'AUC':<22}{'Brier':<22}"
        f"{'observed':>9}{'predicted':>10}{'cal. slope':>11}"
    )
    for entry in [{"subgroup": "all", **ev["overall"]}, *ev["subgroups"]]:
        ci = entry["ci95"]
        auc = f"{entry['auc']:.3f} ({ci['auc'][0]:.3f}-{ci['auc'][1]:.3f})"
        brier = f"{entry['brier']:.3f} ({ci['brier'][0]:.3f}-{ci['brier'][1]:.3f})"
        print(
            f"{entry['subgroup']:<42}{entry['n']:>6}  {auc:<22}{brier:<22}"
            f"{entry['observed_rate']:>9.3f}{entry['mean_predicted']:>10.3f}"
            f"{entry['calibration_slope']:>11.2f}"
        )
    for note in metrics["design"]["notes"]:
        print(f"note: {note}")


@report_app.command("response")
@cli_errors
def report_response(model: ModelDir = None, json_out: JsonFlag = False) -> None:
    """The cross-validation report stored with a treatment-response artefact."""
    metrics = art.read_metrics(model or RESPONSE_ARTEFACT)
    if json_out:
        print_json(_response_report(metrics))
    else:
        _print_response_report(metrics)


@app.command("response")
@cli_errors
def response(
    patient: Annotated[
        str,
        typer.Option(
            "--patient",
            help="Baseline features as a JSON file or an inline JSON object "
            "(e.g. '{\"odi_baseline\": 40, ...}').",
        ),
    ],
    model: ModelDir = None,
    json_out: JsonFlag = False,
) -> None:
    """Probability of a >= 30 % ODI improvement at 12 weeks for each treatment option."""
    text = patient.strip()
    data = load_json_file(Path(patient)) if not text.startswith("{") else json.loads(text)
    features = PatientFeatures.from_dict(data)
    response_model, _metrics, notes = art.load_artefact(model or RESPONSE_ARTEFACT)
    result = response_model.predict(features).to_dict()
    result["warnings"] = notes
    result["card"] = "spinewise predict card response"
    if json_out:
        print_json(result)
        return
    if result["synthetic"]:
        console.print(f"[bold red]{result['data_label']}[/] (model {result['model_version']})")
    if result["status"] == "refused":
        console.print("[bold]refused[/]: the patient is outside the training distribution")
        for reason in result["refusal_reasons"]:
            console.print(f"  - {reason}")
        return
    console.print(f"outcome: {result['outcome']}")
    for option in result["options"]:
        low, high = option["interval95"]
        top = ", ".join(f"{c['feature']} {c['log_odds']:+.2f}" for c in option["contributions"][:3])
        console.print(
            f"  {option['treatment']}: {option['probability']:.0%} "
            f"(95 % interval {low:.0%}-{high:.0%}); largest contributions: {top}"
        )
    for note in result["notes"] + notes:
        console.print(f"note: {note}")
