"""Figures for the assistant on labelled sets: triage safety and retrieval recall.

Triage (per split):

- **red-flag sensitivity** = escalated red-flag messages / red-flag messages, where a red-flag
  message is labelled ``urgent`` or ``emergency`` and *escalated* means triaged ``urgent`` or
  ``emergency``. The safety target is 100 %.
- **emergency sensitivity** = messages labelled ``emergency`` triaged ``emergency``.
- **benign specificity** = benign messages (labelled ``routine`` or ``self_care``) not triaged
  ``urgent``/``emergency`` / benign messages. The target is at least 90 %.
- exact-level accuracy and the confusion matrix, for information.

Retrieval: **recall@3** = questions whose labelled article is among the articles of the top 3
passages / questions.

The labelled sets in ``data/`` are synthetic messages written by the developers (see
docs/assistant.md): they test the rules, they are not clinical evidence.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spinewise.assistant.triage import (
    LEVELS,
    RED_FLAG_LEVELS,
    PatientProfile,
    TriageResult,
    triage,
)
from spinewise.core.errors import InvalidInput

if TYPE_CHECKING:
    from spinewise.assistant.classifier import RedFlagClassifier

# Every labelled set the rules and the net have been extended on after their first scoring:
# asserted (100 % sensitivity, >= 90 % specificity) by the tests. "untouched", "blind",
# "heldout8" and "blind2" were once unseen; their misses were read and fixed, so they are
# ordinary sets now.
TRIAGE_SPLITS = (
    "dev",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "untouched",
    "blind",
    "heldout8",
    "blind2",
    "blind3",
    "blind4",
    "blind5",
    "blind6",
    "blind7",
    "blind8",
    "blind9",
    "blind10",
    "blind11",
    "blind12",
    "blind13",
    "blind14",
    "blind15",
    "blind16",
    "blind17",
    "blind18",
    "blind19",
    "blind20",
    "blind21",
    "blind22",
)
# The latest blind round: sets in data/ written by authors who had seen neither the rules nor
# any other set, and that nothing has been changed for. ``evaluate`` scores them together,
# prints them apart from everything else and asserts nothing about them: as long as no rule
# is changed because of them and the screen does not train on them, every run reproduces
# their FIRST score, the estimate for messages nobody has seen. Once their misses have been
# read they join SCREEN_TRAINING_SPLITS (LAST_JOINED_BLIND) and a new round takes their place.
# Round 27 (blind185-blind190, written 2026-11-30, scored with the screen trained up to
# blind184; docs/assistant.md). Empty: no unseen round is available.
LATEST_BLIND: tuple[str, ...] = tuple(f"blind{n}" for n in range(185, 191))
# Sets the learned red-flag screen (classifier.py) is trained on besides TRIAGE_SPLITS, which
# the rules were NOT extended on: blind sets whose first scores have been read, and ordinary
# (non-red-flag) messages that teach the screen what the everyday bulk of messages looks like.
# The last blind set that has joined the learned screen's training (a round of six after its
# first reading and fixes; docs/assistant-blind-brief.md).
LAST_JOINED_BLIND = 184
# Messages written largely in another language mixed with English (blind61: Tagalog, Hindi,
# Spanish; blind169: romanised Hindi, Urdu, Punjabi, Bengali, Gujarati): the triage reads
# English, so such a message goes to a person the same day (triage.language_unreadable)
# whatever it says. Scored and reported, not asserted: the specificity target cannot hold for
# messages nobody in the pipeline can read. Nor does the learned screen train on them.
OTHER_LANGUAGE_SPLITS = ("blind61", "blind169")
SCREEN_TRAINING_SPLITS = (
    # blind23 to the last round's sets, except those in OTHER_LANGUAGE_SPLITS
    *(
        f"blind{n}"
        for n in range(23, LAST_JOINED_BLIND + 1)
        if f"blind{n}" not in OTHER_LANGUAGE_SPLITS
    ),
    "ordinary1",
    "ordinary2",
    "ordinary3",
)
LEARNED_SCREEN_SPLITS = (*TRIAGE_SPLITS, *SCREEN_TRAINING_SPLITS)
RETRIEVAL_SPLITS = ("dev", "heldout")


@dataclass(frozen=True)
class LabelledMessage:
    id: str
    text: str
    level: str
    profile: PatientProfile
    category: str | None = None


@dataclass(frozen=True)
class LabelledQuestion:
    id: str
    question: str
    article_ids: tuple[str, ...]


def _data_path(name: str) -> Path:
    return Path(str(resources.files("spinewise.assistant").joinpath("data", name)))


def load_triage_set(split_or_path: str | Path) -> list[LabelledMessage]:
    """Load a labelled triage set: a split name (``"dev"``, ``"blind"`` …) or a JSON path."""
    path = (
        _data_path(f"triage_{split_or_path}.json")
        if split_or_path in (*LEARNED_SCREEN_SPLITS, *OTHER_LANGUAGE_SPLITS)
        else Path(split_or_path)
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(str(path), "expected an object with a non-empty 'messages' list")
    out: list[LabelledMessage] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        where = f"{path.name} messages[{i}]"
        if not isinstance(item, dict) or not {"id", "text", "level"} <= item.keys():
            raise InvalidInput(where, "needs id, text and level")
        if item["level"] not in LEVELS:
            raise InvalidInput(where, f"level must be one of {', '.join(LEVELS)}")
        if item["id"] in seen:
            raise InvalidInput(where, f"duplicate id {item['id']}")
        seen.add(item["id"])
        out.append(
            LabelledMessage(
                id=str(item["id"]),
                text=str(item["text"]),
                level=str(item["level"]),
                profile=PatientProfile.from_dict(item.get("profile")),
                category=item.get("category"),
            )
        )
    return out


def training_messages() -> list[LabelledMessage]:
    """What the learned red-flag screen is trained on: every asserted set and the sets of
    ``SCREEN_TRAINING_SPLITS``."""
    return [message for split in LEARNED_SCREEN_SPLITS for message in load_triage_set(split)]


def load_retrieval_set(split_or_path: str | Path) -> list[LabelledQuestion]:
    """Load a labelled question → article set: ``"dev"``, ``"heldout"`` or a JSON path."""
    path = (
        _data_path(f"retrieval_{split_or_path}.json")
        if split_or_path in RETRIEVAL_SPLITS
        else Path(split_or_path)
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise InvalidInput(str(path), "expected an object with a non-empty 'questions' list")
    out: list[LabelledQuestion] = []
    for i, item in enumerate(items):
        where = f"{path.name} questions[{i}]"
        if not isinstance(item, dict) or not {"id", "question", "articles"} <= item.keys():
            raise InvalidInput(where, "needs id, question and articles")
        articles = item["articles"]
        if isinstance(articles, str):
            articles = [articles]
        out.append(LabelledQuestion(str(item["id"]), str(item["question"]), tuple(articles)))
    return out


def _ratio(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else numerator / denominator


Classify = Callable[[str, PatientProfile], str]


def with_learned_screen(classifier: RedFlagClassifier | None = None) -> Classify:
    """``classify(text, profile)`` for the rules plus the learned red-flag screen
    (``classifier.py``; the packaged one by default). The screen can only raise the level."""
    from spinewise.assistant.classifier import default_classifier, screened

    screen = classifier if classifier is not None else default_classifier()

    def classify(text: str, profile: PatientProfile) -> str:
        return screened(triage(text, profile), text, profile, screen).level

    return classify


def _rules_and_screened(
    items: Sequence[LabelledMessage],
) -> tuple[list[TriageResult], list[TriageResult]]:
    """What the rules decide on each message, and what the rules + learned screen decide."""
    from spinewise.assistant.classifier import rules_then_screen

    return rules_then_screen([m.text for m in items], [m.profile for m in items])


def _scored(items: Sequence[LabelledMessage], results: Sequence[TriageResult]) -> dict[str, Any]:
    return score_predictions((m, r.level) for m, r in zip(items, results, strict=True))


def _rules_and_learned_screen(
    messages: Iterable[LabelledMessage],
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The rules' report and the rules + learned screen's, reading each message once."""
    items = list(messages)
    rules, learned = _rules_and_screened(items)
    return _scored(items, rules), _scored(items, learned)


def ask_levels(assistant: Any, messages: Iterable[LabelledMessage]) -> dict[str, Any]:
    """:func:`evaluate_triage` of what ``assistant ask`` does (``Assistant.triage_many``)."""
    items = list(messages)
    return _scored(
        items, assistant.triage_many([m.text for m in items], [m.profile for m in items])
    )


def packaged_ask_figures(
    assistant: Any, split: str, *, benign_only: bool = False
) -> dict[str, Any]:
    """:func:`ask_levels` of a packaged set, carrying on from the rules + learned screen
    results that :func:`packaged_split_figures` computed (when ``assistant`` uses the packaged
    screen): the same decisions as ``triage_many``, without reading the set with the rules
    twice.

    ``benign_only``: the figures of the set's benign messages alone. The safety net can only
    raise a level (``triage.combine``), so on red-flag messages ``ask`` escalates at least what
    the rules + screen escalate; over-triage is what it can change, and measuring only that
    saves the net's reading of the red-flag messages (a quarter of the per-set tests' time)."""

    def wanted(item: LabelledMessage) -> bool:
        return not (benign_only and item.level in RED_FLAG_LEVELS)

    if not assistant.learned_screen:
        return ask_levels(assistant, filter(wanted, load_triage_set(split)))
    read = _read_split(split)
    keep = [i for i, item in enumerate(read.items) if wanted(item)]
    return _scored(
        [read.items[i] for i in keep],
        assistant.with_safety_net([read.learned[i] for i in keep], [read.texts[i] for i in keep]),
    )


def packaged_split_figures(split: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rules and rules + learned screen figures of a packaged set, computed once per process:
    the packaged sets and the default screen cannot change while it runs, and every
    ``evaluate`` (and every test of it) would otherwise re-read 26,000 messages."""
    read = _read_split(split)
    return copy.deepcopy(read.rules_report), copy.deepcopy(read.learned_report)


@dataclass(frozen=True)
class _ReadSplit:
    """A packaged set as the rules and the learned screen read it (kept for the process)."""

    items: tuple[LabelledMessage, ...]
    texts: tuple[str, ...]
    learned: tuple[TriageResult, ...]  # for the net to carry on from (about 5 kB a message)
    rules_report: dict[str, Any]
    learned_report: dict[str, Any]


@cache
def _read_split(split: str) -> _ReadSplit:
    items = tuple(load_triage_set(split))
    rules, learned = _rules_and_screened(items)
    return _ReadSplit(
        items,
        tuple(m.text for m in items),
        tuple(learned),
        _scored(items, rules),
        _scored(items, learned),
    )


def evaluate_triage(
    messages: Iterable[LabelledMessage],
    classify: Classify | None = None,
) -> dict[str, Any]:
    """Run the triage on each message and compute the figures defined in the module docstring.

    ``classify(text, profile) -> level`` defaults to the rule-based :func:`triage`.

    ``missed`` lists ids of red-flag messages that were not escalated and ``over_triaged`` ids
    of benign messages that were; ``misses_emergency`` ids of emergencies triaged lower.
    """
    return score_predictions(
        (
            item,
            classify(item.text, item.profile)
            if classify
            else triage(item.text, item.profile).level,
        )
        for item in messages
    )


def score_predictions(pairs: Iterable[tuple[LabelledMessage, str]]) -> dict[str, Any]:
    """The figures of :func:`evaluate_triage` for (message, predicted level) pairs."""
    confusion: dict[str, dict[str, int]] = {truth: dict.fromkeys(LEVELS, 0) for truth in LEVELS}
    red = red_hit = emerg = emerg_hit = benign = benign_ok = exact = total = 0
    missed: list[str] = []
    over: list[str] = []
    emergency_missed: list[str] = []
    errors: list[dict[str, str]] = []
    for item, predicted in pairs:
        if (item.level in RED_FLAG_LEVELS) != (predicted in RED_FLAG_LEVELS) or (
            item.level == "emergency" and predicted != "emergency"
        ):
            errors.append(
                {"id": item.id, "label": item.level, "predicted": predicted, "text": item.text}
            )
        confusion[item.level][predicted] += 1
        total += 1
        exact += predicted == item.level
        escalated = predicted in RED_FLAG_LEVELS
        if item.level in RED_FLAG_LEVELS:
            red += 1
            red_hit += escalated
            if not escalated:
                missed.append(item.id)
        else:
            benign += 1
            benign_ok += not escalated
            if escalated:
                over.append(item.id)
        if item.level == "emergency":
            emerg += 1
            emerg_hit += predicted == "emergency"
            if predicted != "emergency":
                emergency_missed.append(item.id)
    return {
        "messages": total,
        "red_flag_messages": red,
        "benign_messages": benign,
        "red_flag_sensitivity": _ratio(red_hit, red),
        "emergency_sensitivity": _ratio(emerg_hit, emerg),
        "benign_specificity": _ratio(benign_ok, benign),
        "level_accuracy": _ratio(exact, total),
        "confusion": confusion,
        "missed": missed,
        "missed_emergency": emergency_missed,
        "over_triaged": over,
        "errors": errors,
    }


def cross_validate_learned_screen(
    splits: Sequence[str] = LEARNED_SCREEN_SPLITS, progress: Callable[[str], None] | None = None
) -> dict[str, Any]:
    """Leave-one-set-out figures for the learned red-flag screen (``classifier.py``).

    For each set, a screen trained on every *other* set scores it: the screen never sees the
    messages it is judged on. Reported per set and pooled, for the screen alone and for the
    rules plus the screen. The rules were extended on every one of these sets after its first
    scoring (all but ``SCREEN_TRAINING_SPLITS``), so "rules + screen" is optimistic there; the
    screen-alone figure is the fair one (its authors' sets share a brief, so it is still not an
    estimate for real patients' words).
    About a second per set. ``progress(split)`` is called before each set.
    """
    from spinewise.assistant.classifier import RedFlagClassifier

    sets = {split: load_triage_set(split) for split in splits}
    alone: list[tuple[LabelledMessage, str]] = []
    union: list[tuple[LabelledMessage, str]] = []
    per_split: dict[str, dict[str, Any]] = {}
    for split, held_out in sets.items():
        if progress is not None:
            progress(split)
        train = [m for other, ms in sets.items() if other != split for m in ms]
        screen = RedFlagClassifier().fit(
            [m.text for m in train], [m.level for m in train], [m.profile for m in train]
        )
        scores = screen.score([m.text for m in held_out], [m.profile for m in held_out])
        split_alone = [
            (m, score.level or "self_care") for m, score in zip(held_out, scores, strict=True)
        ]
        split_union = [
            (m, max(triage(m.text, m.profile).level, level, key=LEVELS.index))
            for m, level in split_alone
        ]
        per_split[split] = {
            "learned_screen": score_predictions(split_alone),
            "rules_and_learned_screen": score_predictions(split_union),
        }
        alone.extend(split_alone)
        union.extend(split_union)
    return {
        "method": "leave-one-set-out",
        "splits": per_split,
        "pooled": {
            "learned_screen": score_predictions(alone),
            "rules_and_learned_screen": score_predictions(union),
        },
    }


def evaluate_retrieval(
    questions: Iterable[LabelledQuestion],
    search_many: Callable[[list[str], int], list[list[str]]],
    k: int = 3,
) -> dict[str, Any]:
    """recall@k of ``search_many(questions, k) -> article ids per question`` against labels."""
    items = list(questions)
    results = search_many([q.question for q in items], k)
    hits = total = 0
    misses: list[str] = []
    for q, found_all in zip(items, results, strict=True):
        found = found_all[:k]
        total += 1
        if any(a in found for a in q.article_ids):
            hits += 1
        else:
            misses.append(q.id)
    return {"questions": total, f"recall_at_{k}": _ratio(hits, total), "misses": misses}


# Targets from the assistant issue: no red flag missed, benign messages not over-triaged, and
# the right article among the first three.
TARGETS = {"red_flag_sensitivity": 1.0, "benign_specificity": 0.9, "recall_at_3": 0.9}


def latest_blind_paths(names: Sequence[str] | None = None) -> list[Path]:
    """The files of the latest blind round (``LATEST_BLIND`` unless ``names`` is given): names
    in ``data/`` or paths; empty when no round is configured."""
    chosen = LATEST_BLIND if names is None else names
    paths = [Path(name) for name in chosen if name]
    return [
        p if p.is_absolute() or p.exists() or p.suffix else _data_path(f"triage_{p.name}.json")
        for p in paths
    ]


def chosen_splits(only: Iterable[str] = ()) -> tuple[str, ...]:
    """The packaged sets ``run_all`` evaluates: all of ``LEARNED_SCREEN_SPLITS`` by default, or
    the named ones (in their packaged order). Unknown names are refused, listing the known."""
    wanted = list(dict.fromkeys(only))
    if not wanted:
        return LEARNED_SCREEN_SPLITS
    unknown = [name for name in wanted if name not in LEARNED_SCREEN_SPLITS]
    if unknown:
        raise InvalidInput(
            None,
            f"unknown labelled set(s) {', '.join(unknown)}; known: "
            + ", ".join(LEARNED_SCREEN_SPLITS),
        )
    return tuple(split for split in LEARNED_SCREEN_SPLITS if split in wanted)


def run_all(
    bm25_only: bool = False,
    extra_triage_sets: Iterable[Path] = (),
    retriever_factory: Callable[[str], Any] | None = None,
    latest_blind: Sequence[str] | None = None,
    only: Iterable[str] = (),
) -> dict[str, Any]:
    """Every figure printed by ``spinewise assistant evaluate``.

    ``targets_met`` is judged for the rules on every set of ``TRIAGE_SPLITS`` (all of which the
    rules have been extended on after their first scoring) and for the rules + learned screen
    and ``ask`` on every set of ``LEARNED_SCREEN_SPLITS`` (which the screen is trained on): these
    are fitted figures. The latest blind
    round (``LATEST_BLIND``, or ``latest_blind``) is reported separately, all its messages
    together, under ``triage_latest_blind`` and never counts towards ``targets_met``.

    ``retriever_factory(mode)`` builds the retriever for ``"hybrid"`` or ``"bm25"`` (tests pass
    a fake encoder through it); by default the bundled knowledge base and model are used.

    ``only`` names the packaged sets to evaluate (all by default; see :func:`chosen_splits`): a
    quick look at a few sets, and how the tests of this report avoid reading 11,000 messages.
    """
    splits = chosen_splits(only)
    triage_report: dict[str, Any] = {}
    learned_report: dict[str, Any] = {}
    for split in splits:
        rules, learned_report[split] = packaged_split_figures(split)
        if split in TRIAGE_SPLITS:
            triage_report[split] = rules
    for path in extra_triage_sets:
        name = Path(path).name
        triage_report[name], learned_report[name] = _rules_and_learned_screen(
            load_triage_set(Path(path))
        )
    other_language = {split: packaged_split_figures(split)[1] for split in OTHER_LANGUAGE_SPLITS}
    blind_paths = latest_blind_paths(latest_blind)
    blind_messages = [m for path in blind_paths for m in load_triage_set(path)]
    blind_report: dict[str, Any] | None = None
    if blind_messages:
        rules, learned = _rules_and_learned_screen(blind_messages)
        blind_report = {
            "sets": [path.name for path in blind_paths],
            "rules": rules,
            "rules_and_learned_screen": learned,
            "ask": None,
        }

    if retriever_factory is None:
        from spinewise.assistant.knowledge import load_knowledge_base
        from spinewise.assistant.retrieval import HybridRetriever

        knowledge = load_knowledge_base()

        def retriever_factory(mode: str) -> Any:
            return HybridRetriever(knowledge, mode=mode)  # type: ignore[arg-type]

    retrieval_report: dict[str, dict[str, Any]] = {}
    semantic_report: dict[str, Any] | None = None
    for mode in ("bm25",) if bm25_only else ("hybrid", "bm25"):
        retriever = retriever_factory(mode)
        if mode == "hybrid":
            semantic_report = _ask_triage(retriever, splits, extra_triage_sets, blind_messages)
            if semantic_report is not None and blind_report is not None:
                blind_report["ask"] = semantic_report.pop(_LATEST_BLIND_KEY)

        def search_many(questions: list[str], k: int, r: Any = retriever) -> list[list[str]]:
            return [[x.article_id for x in found] for found in r.search_many(questions, k)]

        figures = {
            split: evaluate_retrieval(load_retrieval_set(split), search_many, 3)
            for split in RETRIEVAL_SPLITS
        }
        label = mode if retriever.mode == mode else f"{mode} (degraded to {retriever.mode})"
        retrieval_report[label] = figures

    primary = next(iter(retrieval_report.values()))
    triage_reports = [*triage_report.values(), *learned_report.values()]
    triage_reports += list((semantic_report or {}).values())
    met = all(_meets_targets(t) for t in triage_reports) and all(
        (f["recall_at_3"] or 0) >= TARGETS["recall_at_3"] for f in primary.values()
    )
    return {
        "synthetic_data": True,
        "triage": triage_report,
        "triage_with_learned_screen": learned_report,
        "triage_ask": semantic_report,
        "triage_latest_blind": blind_report,
        # not counted towards targets_met (see OTHER_LANGUAGE_SPLITS)
        "triage_other_language": other_language,
        "retrieval": retrieval_report,
        "targets": TARGETS,
        "targets_met": met,
    }


def _meets_targets(report: dict[str, Any]) -> bool:
    """Both triage targets; a set without red flags (or without benign messages) has nothing
    to miss (or to over-triage) on that side."""
    sensitivity, specificity = report["red_flag_sensitivity"], report["benign_specificity"]
    return (sensitivity is None or sensitivity >= TARGETS["red_flag_sensitivity"]) and (
        specificity is None or specificity >= TARGETS["benign_specificity"]
    )


def score_triage_file(
    path: str | Path, with_net: bool = True, retriever: Any = None
) -> dict[str, Any]:
    """Score one labelled triage file (same JSON format as ``data/triage_*.json``).

    Returns ``{"rules": report, "rules_and_learned_screen": report, "ask": report | None,
    "ms_per_message": {...}}``; each report is :func:`evaluate_triage`'s, whose ``errors`` list
    every missed red flag, every emergency triaged lower and every over-triaged benign message
    with its text. ``ask`` is what ``spinewise assistant ask`` does (rules, learned screen and
    semantic net), scored only when ``with_net`` and the all-MiniLM-L6-v2 model loads. This is
    what ``spinewise assistant evaluate --set PATH`` prints.
    """
    import time

    messages = load_triage_set(Path(path))
    triage("warm-up", PatientProfile())  # word lists load once per process, not per message
    started = time.perf_counter()
    rules = evaluate_triage(messages)
    timing = {"rules": 1000 * (time.perf_counter() - started) / len(messages)}
    learned = with_learned_screen()
    learned("warm-up", PatientProfile())
    started = time.perf_counter()
    learned_report = evaluate_triage(messages, learned)
    timing["rules_and_learned_screen"] = 1000 * (time.perf_counter() - started) / len(messages)
    net_report: dict[str, Any] | None = None
    if with_net:
        from spinewise.assistant.respond import Assistant

        if retriever is None:
            from spinewise.assistant.knowledge import load_knowledge_base
            from spinewise.assistant.retrieval import HybridRetriever

            retriever = HybridRetriever(load_knowledge_base())
        assistant = Assistant(retriever.knowledge, retriever)
        if assistant._safety_net() is not None:
            assistant.triage("warm-up", PatientProfile())  # load the model outside the timing
            started = time.perf_counter()
            net_report = evaluate_triage(messages, lambda t, p: assistant.triage(t, p).level)
            timing["ask"] = 1000 * (time.perf_counter() - started) / len(messages)
    return {
        "set": str(path),
        "rules": rules,
        "rules_and_learned_screen": learned_report,
        "ask": net_report,
        "ms_per_message": timing,
        "targets": {k: TARGETS[k] for k in ("red_flag_sensitivity", "benign_specificity")},
    }


_LATEST_BLIND_KEY = "(latest blind round)"


def _ask_triage(
    retriever: Any,
    splits: Sequence[str],
    extra_triage_sets: Iterable[Path],
    blind_messages: Sequence[LabelledMessage] = (),
) -> dict[str, Any] | None:
    """Triage figures of ``assistant ask`` (rules, learned screen and semantic safety net),
    when the real embedding model is loaded; the latest blind round's under its own key."""
    from spinewise.assistant.respond import Assistant

    assistant = Assistant(retriever.knowledge, retriever)
    if assistant._safety_net() is None:
        return None

    report = {s: packaged_ask_figures(assistant, s) for s in splits}
    for path in extra_triage_sets:
        report[Path(path).name] = ask_levels(assistant, load_triage_set(Path(path)))
    if blind_messages:
        report[_LATEST_BLIND_KEY] = ask_levels(assistant, blind_messages)
    return report
