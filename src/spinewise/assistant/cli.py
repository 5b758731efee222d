"""``spinewise assistant …``: ask, triage, evaluate and list articles (DESIGN §5).

The command line alerts no one: its urgent and emergency answers say so and tell the person to
make the call and contact their care team themselves (``notice.py``); only the app, which
raises a dashboard flag, says that the care team was notified.

``ask`` loads the embedding model only when the message needs the knowledge base, so a
message that triages as urgent or emergency, or that is only an app action, answers in well
under a second.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from spinewise.core.console import cli_errors, console, err_console, print_json

app = typer.Typer(
    help="Virtual assistant: red-flag triage, help-centre answers, app actions.",
    no_args_is_help=True,
)

# Parsed and range-checked here (not by Typer) so that bad input gets the one-line exit-2 error.
AgeOpt = Annotated[str | None, typer.Option("--age", help="Patient age in years (0-120).")]
CancerOpt = Annotated[bool, typer.Option("--cancer-history", help="History of cancer.")]
OsteoOpt = Annotated[bool, typer.Option("--osteoporosis", help="Known osteoporosis.")]
SteroidOpt = Annotated[bool, typer.Option("--steroids", help="Long-term oral corticosteroid use.")]
ImmunoOpt = Annotated[bool, typer.Option("--immunosuppressed", help="Weakened immune system.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
Bm25Opt = Annotated[
    bool, typer.Option("--bm25-only", help="Skip the embedding model (BM25 retrieval only).")
]


def _profile(
    age: str | None, cancer: bool, osteoporosis: bool, steroids: bool, immuno: bool
) -> Any:
    from spinewise.assistant.triage import PatientProfile
    from spinewise.core.errors import InvalidInput

    years: int | None = None
    if age is not None:
        try:
            years = int(age)
        except ValueError:
            raise InvalidInput("age", f"must be a whole number of years, got {age!r}") from None
    return PatientProfile(
        age=years,
        cancer_history=cancer,
        osteoporosis=osteoporosis,
        long_term_steroids=steroids,
        immunosuppressed=immuno,
    )


def _quiet_libraries() -> None:
    for name in ("bm25s", "sentence_transformers", "transformers", "httpx"):
        logging.getLogger(name).setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@app.command()
@cli_errors
def ask(
    text: Annotated[str, typer.Argument(help="The patient's message.")],
    age: AgeOpt = None,
    cancer_history: CancerOpt = False,
    osteoporosis: OsteoOpt = False,
    steroids: SteroidOpt = False,
    immunosuppressed: ImmunoOpt = False,
    bm25_only: Bm25Opt = False,
    no_llm: Annotated[
        bool, typer.Option("--no-llm", help="Ignore SPINEWISE_LLM_URL for this answer.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Answer a message: triage first, then the help centre and app actions."""
    _quiet_libraries()
    from spinewise.assistant.knowledge import load_knowledge_base
    from spinewise.assistant.llm import LLMConfig
    from spinewise.assistant.respond import Assistant
    from spinewise.assistant.retrieval import HybridRetriever

    profile = _profile(age, cancer_history, osteoporosis, steroids, immunosuppressed)
    knowledge = load_knowledge_base()
    retriever = HybridRetriever(knowledge, mode="bm25") if bm25_only else None
    llm = None if no_llm else LLMConfig.from_env(os.environ)
    reply = Assistant(knowledge, retriever, llm).reply(text, profile)
    if json_out:
        print_json(reply.to_dict())
        return
    colour = {"emergency": "bold red", "urgent": "red", "routine": "yellow"}.get(
        reply.triage.level, "green"
    )
    console.print(f"[{colour}]Triage: {reply.triage.level}[/{colour}]")
    console.print(reply.answer, markup=False)
    if reply.sources:
        console.print("Sources: " + "; ".join(f"{t} ({i})" for i, t in reply.sources), markup=False)
    for action in reply.actions:
        label = action.get("label") or action.get("confirmation_prompt") or action["type"]
        console.print(f"Action: {action['type']} - {label}", markup=False)


@app.command("triage")
@cli_errors
def triage_command(
    text: Annotated[str, typer.Argument(help="The patient's message.")],
    age: AgeOpt = None,
    cancer_history: CancerOpt = False,
    osteoporosis: OsteoOpt = False,
    steroids: SteroidOpt = False,
    immunosuppressed: ImmunoOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Red-flag triage only (no knowledge base, no model): level, findings, advice."""
    from spinewise.assistant.notice import state_care_team
    from spinewise.assistant.triage import triage

    result = triage(text, _profile(age, cancer_history, osteoporosis, steroids, immunosuppressed))
    # The command line alerts no one, so the advice must not say that someone was alerted.
    advice = state_care_team(result.advice, result.level, notified=False)
    if json_out:
        print_json({**result.to_dict(), "advice": advice})
        return
    console.print(f"Triage: {result.level}", markup=False)
    for finding in result.findings:
        console.print(f"- [{finding.level}] {finding.code}: {finding.reason}", markup=False)
    console.print(advice, markup=False)


@app.command()
@cli_errors
def evaluate(
    json_out: JsonOpt = False,
    bm25_only: Bm25Opt = False,
    triage_set: Annotated[
        list[Path] | None,
        typer.Option("--triage-set", help="Extra labelled triage JSON file(s) to score."),
    ] = None,
    only_set: Annotated[
        Path | None,
        typer.Option(
            "--set",
            help="Score only this labelled triage JSON file (rules, and rules + semantic net "
            "unless --bm25-only) and list every miss.",
        ),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            help="Evaluate only this packaged set (repeatable, e.g. --only dev --only blind64); "
            "all sets by default.",
        ),
    ] = None,
) -> None:
    """Print triage sensitivity/specificity and retrieval recall@3 on the labelled sets."""
    _quiet_libraries()
    from spinewise.assistant.evaluation import run_all, score_triage_file

    if only_set is not None:
        _print_set_report(score_triage_file(only_set, with_net=not bm25_only), json_out)
        return

    report = run_all(bm25_only=bm25_only, extra_triage_sets=triage_set or [], only=only or ())
    if json_out:
        print_json(report)
        return
    for split, figures in report["triage"].items():
        typer.echo(
            f"triage {split:>9}: red-flag sensitivity {_pct(figures['red_flag_sensitivity'])} "
            f"({figures['red_flag_messages']} msgs), emergency sensitivity "
            f"{_pct(figures['emergency_sensitivity'])}, benign specificity "
            f"{_pct(figures['benign_specificity'])} ({figures['benign_messages']} msgs), "
            f"exact level {_pct(figures['level_accuracy'])}"
        )
    for label, key in (("triage+learned", "triage_with_learned_screen"), ("ask", "triage_ask")):
        for split, figures in (report.get(key) or {}).items():
            typer.echo(
                f"{label} {split:>9}: red-flag sensitivity "
                f"{_pct(figures['red_flag_sensitivity'])}, emergency sensitivity "
                f"{_pct(figures['emergency_sensitivity'])}, benign specificity "
                f"{_pct(figures['benign_specificity'])}"
            )
    for split, figures in (report.get("triage_other_language") or {}).items():
        typer.echo(
            f"other language {split}: red-flag sensitivity "
            f"{_pct(figures['red_flag_sensitivity'])}, emergency sensitivity "
            f"{_pct(figures['emergency_sensitivity'])}, benign specificity "
            f"{_pct(figures['benign_specificity'])} (messages mostly in another language go to "
            "a person the same day; not counted towards the targets)"
        )
    blind = report.get("triage_latest_blind")
    if blind is None:
        typer.echo(
            "latest blind round: none configured (evaluation.LATEST_BLIND) - every set above has "
            "been used to extend the rules or to train the learned screen, so these figures are "
            "fitted, not an estimate for unseen messages (see docs/assistant.md for first "
            "scores)"
        )
    else:
        names = ", ".join(
            name.removeprefix("triage_").removesuffix(".json") for name in blind["sets"]
        )
        for variant in ("rules", "rules_and_learned_screen", "ask"):
            figures = blind[variant]
            if figures is None:
                typer.echo(f"LATEST BLIND round ({names}), {variant}: not scored")
                continue
            typer.echo(
                f"LATEST BLIND round ({names}), {variant}: red-flag sensitivity "
                f"{_pct(figures['red_flag_sensitivity'])} ({figures['red_flag_messages']} msgs), "
                f"emergency sensitivity {_pct(figures['emergency_sensitivity'])}, benign "
                f"specificity {_pct(figures['benign_specificity'])} "
                f"({figures['benign_messages']} msgs) - not asserted; an estimate for unseen "
                "messages only if no rule has been changed because of this round"
            )
    for mode, splits in report["retrieval"].items():
        for split, figures in splits.items():
            typer.echo(
                f"retrieval {mode:>6} {split:>7}: recall@3 {_pct(figures['recall_at_3'])} "
                f"({figures['questions']} questions)"
            )
    verdict = (
        f"met on all {len(report['triage'])} rules sets and "
        f"{len(report['triage_with_learned_screen'])} screen sets (fitted: the rules were "
        "extended on them, the screen trained on them)"
        if report["targets_met"]
        else "NOT met"
    )
    typer.echo(f"targets ({report['targets']}): {verdict}")


@app.command()
@cli_errors
def articles(json_out: JsonOpt = False) -> None:
    """List the knowledge-base articles by category (the help centre's contents)."""
    from spinewise.assistant.knowledge import CATEGORIES, load_knowledge_base

    knowledge = load_knowledge_base()
    grouped = knowledge.by_category()
    if json_out:
        print_json(
            {
                "count": len(knowledge),
                "categories": [
                    {
                        "id": category,
                        "title": CATEGORIES[category],
                        "articles": [
                            {"id": a.id, "title": a.title, "reviewed": a.reviewed.isoformat()}
                            for a in items
                        ],
                    }
                    for category, items in grouped.items()
                ],
            }
        )
        return
    for category, items in grouped.items():
        typer.echo(f"{CATEGORIES[category]} ({len(items)})")
        for article in items:
            typer.echo(f"  {article.id}: {article.title}")


@app.command("cross-validate")
@cli_errors
def cross_validate(json_out: JsonOpt = False) -> None:
    """Leave-one-set-out figures of the learned red-flag screen (its model card's numbers)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from spinewise.assistant.evaluation import (
        LEARNED_SCREEN_SPLITS,
        cross_validate_learned_screen,
    )

    columns = (
        TextColumn("[bold]held-out set"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[split]}"),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("sets", total=len(LEARNED_SCREEN_SPLITS), split="")

        def advance(split: str) -> None:
            progress.update(task, advance=1, split=split)

        report = cross_validate_learned_screen(progress=advance)
    if json_out:
        print_json(report)
        return
    rows = [*report["splits"].items(), ("POOLED", report["pooled"])]
    for split, variants in rows:
        for variant in ("learned_screen", "rules_and_learned_screen"):
            figures = variants[variant]
            typer.echo(
                f"{split:>9} {variant:>24}: red-flag sensitivity "
                f"{_pct(figures['red_flag_sensitivity'])} "
                f"({figures['red_flag_messages'] - len(figures['missed'])}/"
                f"{figures['red_flag_messages']}), emergency sensitivity "
                f"{_pct(figures['emergency_sensitivity'])}, benign specificity "
                f"{_pct(figures['benign_specificity'])} "
                f"({figures['benign_messages'] - len(figures['over_triaged'])}/"
                f"{figures['benign_messages']})"
            )
    typer.echo(
        "each set scored by a screen trained on the other sets; the rules were extended on "
        "every set, so 'rules_and_learned_screen' is optimistic; synthetic messages, not "
        "clinical evidence"
    )


def _print_set_report(report: dict[str, Any], json_out: bool) -> None:
    if json_out:
        print_json(report)
        return
    typer.echo(f"set {report['set']}")
    for variant in ("rules", "rules_and_learned_screen", "ask"):
        figures = report[variant]
        if figures is None:
            typer.echo(f"{variant}: not scored (embedding model unavailable or --bm25-only)")
            continue
        typer.echo(
            f"{variant}: red-flag sensitivity {_pct(figures['red_flag_sensitivity'])} "
            f"({figures['red_flag_messages']} msgs), emergency sensitivity "
            f"{_pct(figures['emergency_sensitivity'])}, benign specificity "
            f"{_pct(figures['benign_specificity'])} ({figures['benign_messages']} msgs), "
            f"exact level {_pct(figures['level_accuracy'])}, "
            f"{report['ms_per_message'][variant]:.1f} ms/message"
        )
        for error in figures["errors"]:
            kind = (
                "OVER-TRIAGED"
                if error["label"] not in ("urgent", "emergency")
                else "MISSED"
                if error["predicted"] not in ("urgent", "emergency")
                else "EMERGENCY AS URGENT"
            )
            typer.echo(
                f"  {kind} {error['id']} (label {error['label']}, triaged "
                f"{error['predicted']}): {error['text']}"
            )


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"
