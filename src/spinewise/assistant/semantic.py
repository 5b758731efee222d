"""Semantic safety net: a second, embedding-based look for red flags the rules missed.

The rules in :mod:`.triage` are precise but only know the phrasings someone wrote down; on
fresh held-out messages they missed about a quarter of red flags before being extended (see
docs/assistant.md). This net compares each sentence of a message with short patient-voice
red-flag statements and with benign contrast statements (``data/red_flag_exemplars.json``),
using the same all-MiniLM-L6-v2 embeddings as retrieval, and raises a finding when a sentence is

- at least ``min_similarity`` (cosine) from its closest red-flag statement, and
- at least ``min_margin`` closer to it than to any benign statement.

The thresholds (0.55 and 0.10) were chosen on the labelled development and first three held-out
sets, where the net *alone* flagged about 40 % of red-flag messages for about 5 % of benign
ones; it is a backstop, not a classifier. A match at similarity >= ``emergency_similarity``
(0.65) to an emergency statement is an emergency; any other match is urgent. Sentences whose
words the rules read as negated, past, hypothetical or about someone else are skipped, because
embeddings hardly see negation. It runs only where the embedding model is loaded (``ask``), and
only raises a level, never lowers it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from spinewise.assistant.concepts import analyse
from spinewise.assistant.danger import symptom_cues
from spinewise.assistant.retrieval import Encoder
from spinewise.assistant.triage import Finding, Level

MIN_SIMILARITY = 0.50
MIN_MARGIN = 0.05
EMERGENCY_SIMILARITY = 0.50
NEIGHBOURS = 7
MIN_VOTES = 4

_CATEGORY_WORDS = {
    "cauda_equina": "a warning sign of nerve compression (cauda equina syndrome)",
    "neuro_deficit": "worsening nerve weakness",
    "aaa": "a problem with the main blood vessel in the belly",
    "cardiac": "a heart problem",
    "crisis": "a mental health crisis",
    "fracture": "a possible spinal fracture",
    "infection": "a possible spinal infection",
    "malignancy": "a symptom that must be checked for a serious cause",
}
_SOURCES = {
    "cauda_equina": ("GIRFT CES 2023", "NICE NG59", "IFOMPT 2020"),
    "crisis": ("NICE NG225",),
    "aaa": ("NICE NG156", "NICE NG59"),
    "malignancy": ("NICE NG234", "IFOMPT 2020"),
}


@dataclass(frozen=True)
class Exemplar:
    text: str
    category: str
    level: Level


def load_exemplars(path: Path | None = None) -> tuple[list[Exemplar], list[str]]:
    """Red-flag exemplars and benign contrast statements from the bundled JSON (or ``path``)."""
    source = path or Path(
        str(resources.files("spinewise.assistant").joinpath("data", "red_flag_exemplars.json"))
    )
    data: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    red = [Exemplar(r["text"], r["category"], r["level"]) for r in data["red_flags"]]
    return red, list(data["benign"])


def sentences(message: str) -> list[str]:
    """The message's sentences (with their end mark, so that questions stay questions), plus
    the whole message when it has several."""
    parts = [p.strip() for p in re.findall(r"[^.!?;\n]+[.!?;]*", message) if p.strip(" .!?;")]
    if len(parts) > 1:
        parts.append(message.strip())
    return parts


class SemanticSafetyNet:
    """Flag sentences that read like a red flag although no rule matched them."""

    def __init__(
        self,
        encoder: Encoder,
        exemplars: tuple[list[Exemplar], list[str]] | None = None,
        min_similarity: float = MIN_SIMILARITY,
        min_margin: float = MIN_MARGIN,
        emergency_similarity: float = EMERGENCY_SIMILARITY,
        neighbours: int = NEIGHBOURS,
        min_votes: int = MIN_VOTES,
    ) -> None:
        self.encoder = encoder
        self.red, self.benign = exemplars or load_exemplars()
        self.min_similarity = min_similarity
        self.min_margin = min_margin
        self.emergency_similarity = emergency_similarity
        self.neighbours = neighbours
        self.min_votes = min_votes
        self._red_vectors: np.ndarray | None = None
        self._benign_vectors: np.ndarray | None = None

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        if self._red_vectors is None or self._benign_vectors is None:
            self._red_vectors = self.encoder.encode([e.text for e in self.red])
            self._benign_vectors = self.encoder.encode(self.benign)
        return self._red_vectors, self._benign_vectors

    def findings(self, message: str) -> list[Finding]:
        candidates = [s for s in sentences(message) if not _context_says_no(s)]
        if not candidates:
            return []
        red, benign = self._vectors()
        vectors = self.encoder.encode(candidates)
        red_sim = vectors @ red.T
        benign_sim = vectors @ benign.T
        benign_best = benign_sim.max(axis=1)
        out: dict[str, Finding] = {}
        for i, sentence in enumerate(candidates):
            j = int(red_sim[i].argmax())
            similarity = float(red_sim[i, j])
            margin = similarity - float(benign_best[i])
            if similarity < self.min_similarity or margin < self.min_margin:
                continue
            if red_votes(red_sim[i], benign_sim[i], self.neighbours) < self.min_votes:
                continue
            exemplar = self.red[j]
            level: Level = (
                "emergency"
                if exemplar.level == "emergency" and similarity >= self.emergency_similarity
                else "urgent"
            )
            code = f"semantic_{exemplar.category}"
            previous = out.get(code)
            if previous is not None and (previous.level == "emergency" or level == "urgent"):
                continue
            out[code] = Finding(
                code=code,
                category=exemplar.category,
                level=level,
                reason=(
                    "What you wrote is close to how people describe "
                    f"{_CATEGORY_WORDS.get(exemplar.category, 'a red flag')}, so to be safe "
                    "it needs to be checked."
                ),
                evidence=(sentence, f"similar to: {exemplar.text} ({similarity:.2f})"),
                sources=_SOURCES.get(exemplar.category, ("NICE NG59", "IFOMPT 2020")),
            )
        return list(out.values())


def red_votes(red_row: np.ndarray, benign_row: np.ndarray, k: int) -> int:
    """How many of the ``k`` exemplars nearest to a sentence are red-flag statements."""
    if k <= 0:
        return 0
    labelled = np.concatenate([red_row, benign_row])
    nearest = np.argsort(-labelled, kind="stable")[:k]
    return int((nearest < len(red_row)).sum())


# Cue kinds of the danger vocabulary whose context (negated, past, hypothetical, someone
# else's) says a sentence is not a present symptom of the patient.
_SYMPTOM_CUES = (
    "elim_dys",
    "elim_strong",
    "sensation",
    "weakness",
    "radicular",
    "foot_drop",
    "trauma_major",
    "fever",
    "crisis",
    "cancer",
    "weight_loss",
    "tearing",
    "pulsing",
    "chest",
)


def _context_says_no(sentence: str) -> bool:
    """True when the rules read some finding in ``sentence`` as negated, past, hypothetical
    or not the patient's own: embeddings cannot tell "no numbness" from "numbness"."""
    analysed = analyse(sentence)
    if any(not m.active for m in analysed.mentions):
        return True
    return any(not cue.active for cue in symptom_cues(analysed, _SYMPTOM_CUES))
