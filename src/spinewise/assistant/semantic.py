"""Semantic safety net: a second, embedding-based look for red flags the rules missed.

The rules in :mod:`.triage` are precise but only know the phrasings someone wrote down; on
fresh held-out messages they missed red flags before being extended (see docs/assistant.md).
This net compares each sentence of a message with short patient-voice red-flag statements and
with benign contrast statements (``data/red_flag_exemplars.json``), using the same
all-MiniLM-L6-v2 embeddings as retrieval. A sentence raises a finding when

- its closest red-flag statement is at cosine >= ``min_similarity`` (0.50),
- that is >= ``min_margin`` (0.05) closer than any benign statement, and
- at least ``min_votes`` (4) of its ``neighbours`` (7) nearest statements are red flags.

**Level.** The net raises to *urgent*. It raises to *emergency* only when its closest statement
is an emergency, at least ``emergency_votes`` (4) of the 7 nearest statements are emergency
statements of the same family (category), the similarity is >= ``emergency_similarity`` (0.60)
and the margin >= ``emergency_margin`` (0.10): an emergency needs clear, consistent evidence.

**Where the net stays quiet** (each because the blind set showed a false alarm of that kind):

- sentences the rules or the danger vocabulary read as negated, past, hypothetical or someone
  else's (embeddings hardly see negation);
- sentences without a single word of the red-flag vocabulary of :mod:`.danger` (body sites,
  symptom words, injury, fever, cancer, crisis …): "pain has been there for months";
  questions ("should I get a scan?") need a symptom word, not just a body site;
- one-sided leg symptoms ("shooting pain down my left leg") are not compared with statements
  about both legs;
- cauda equina statements need altered feeling, weakness, sciatica, both legs, or bladder,
  bowel or sexual trouble in the sentence ("what does 'saddle area' mean?" has none); a
  pulsing-lump statement needs the belly or a pulse ("a lump on my back, a harmless cyst");
  a denied injury ("nothing happened to cause it, no falls") sets the fracture statements
  aside, and a fever with the back said to be fine, or hot flushes, the infection statements;
- a minor fall or strain without a risk factor named in the sentence is not compared with the
  fracture statements: whether minor trauma is a red flag depends on age, osteoporosis and
  steroids in the patient's profile, which only the rules see;
- night-pain statements are compared only with sentences about the night, rest or sleep
  (or pain that nothing eases); a denial of sexual problems ("erections are totally
  normal") counts as negated;
- weight loss the sentence explains (dieting, training) is not compared with weight-loss
  statements, and side effects of a medicine ("dizzy on the pregabalin") are left to the rules;
- fracture statements need an injury, a fracture word or a fracture risk in the sentence, and
  leg-deficit statements a leg, foot, weakness or altered feeling ("how to lift properly so it
  doesn't happen to me" is not "I can't lift the front of my foot");
- in a message written in fragments ("chest pain? no no. just back."), the fragments alone:
  each has lost what the next one says, so only the whole message is compared;
- what the whole message says: claudication (walking brings it on, sitting eases it) sets
  aside statements about both legs and leg deficits, an inflammatory pattern the night-pain
  statements, "the other leg is fine" the statements about both legs; a denial that a body
  part is affected ("both legs feel fine", "wees fine") counts as negated.

A statement set aside by a guard still counts in the neighbour vote (it says the sentence
lies among red flags) but cannot be the statement that decides the family or the level.

It runs only where the embedding model is loaded (``ask``), and only raises a level, never
lowers it. The thresholds and guards were calibrated on the labelled sets (see
docs/assistant.md), so figures on those sets are optimistic.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from spinewise.assistant.concepts import analyse
from spinewise.assistant.danger import (
    FLUSHES,
    OTHER_SIDE_FINE,
    claudication_pattern,
    sentence_cues,
)
from spinewise.assistant.retrieval import Encoder
from spinewise.assistant.triage import Finding, Level

MIN_SIMILARITY = 0.50
MIN_MARGIN = 0.05
NEIGHBOURS = 7
MIN_VOTES = 4
EMERGENCY_SIMILARITY = 0.60
EMERGENCY_MARGIN = 0.10
EMERGENCY_VOTES = 4

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
    # a checklist answered "no" ("Tingly legs?? Nope."): neither the question nor the answer
    answered = {
        i
        for i in range(len(parts) - 1)
        if parts[i].endswith("?") and _BARE_NO.fullmatch(parts[i + 1].lower())
    }
    parts = [p for i, p in enumerate(parts) if i not in answered and i - 1 not in answered]
    if _telegraphic(message):
        # a fragment alone has lost what the next one says ("chest pain? no no", "both leg?
        # no"): the net reads only the whole message
        return [message.strip()] if parts else []
    if len(parts) > 1:
        parts.append(message.strip())
    return parts


def _telegraphic(message: str) -> bool:
    """Three or more sentences, most of them one to three words (aphasia, note form)."""
    sizes = sorted(len(f.split()) for f in _FRAGMENT.findall(message) if f.strip())
    return len(sizes) >= 3 and sizes[len(sizes) // 2] <= 3


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
        emergency_margin: float = EMERGENCY_MARGIN,
        emergency_votes: int = EMERGENCY_VOTES,
    ) -> None:
        self.encoder = encoder
        self.red, self.benign = exemplars or load_exemplars()
        self.min_similarity = min_similarity
        self.min_margin = min_margin
        self.emergency_similarity = emergency_similarity
        self.neighbours = neighbours
        self.min_votes = min_votes
        self.emergency_margin = emergency_margin
        self.emergency_votes = emergency_votes
        # sentence vectors computed beforehand by :meth:`prime` (one encoder call for many
        # messages); each lookup falls back to encoding the sentence
        self._primed: dict[str, np.ndarray] = {}
        self._red_vectors: np.ndarray | None = None
        self._benign_vectors: np.ndarray | None = None
        # statements set aside by the guards (see the module docstring)
        self._bilateral = np.array([bool(_BILATERAL.search(e.text)) for e in self.red], bool)
        self._fracture = np.array([e.category == "fracture" for e in self.red], bool)
        self._neuro = np.array([e.category == "neuro_deficit" for e in self.red], bool)
        self._weight = np.array([bool(_WEIGHT.search(e.text)) for e in self.red], bool)
        self._ces = np.array([e.category == "cauda_equina" for e in self.red], bool)
        self._infection = np.array([e.category == "infection" for e in self.red], bool)
        self._lump = np.array(
            [e.category == "aaa" and bool(_LUMP.search(e.text)) for e in self.red], bool
        )
        self._night = np.array(
            [
                e.category == "malignancy" and bool(_NIGHT_STATEMENT.search(e.text))
                for e in self.red
            ],
            bool,
        )

    def _vectors(self) -> tuple[np.ndarray, np.ndarray]:
        if self._red_vectors is None or self._benign_vectors is None:
            self._red_vectors = self.encoder.encode([e.text for e in self.red])
            self._benign_vectors = self.encoder.encode(self.benign)
        return self._red_vectors, self._benign_vectors

    def prime(self, messages: Sequence[str]) -> None:
        """Encode the sentences of many messages in one call, for the :meth:`findings` that
        follow (evaluating a labelled set); replaces what was primed before."""
        wanted = dict.fromkeys(
            s for m in messages for s in sentences(m) if sentence_view(s) is not None
        )
        texts = list(wanted)
        vectors = self.encoder.encode(texts) if texts else np.zeros((0, 0))
        self._primed = dict(zip(texts, vectors, strict=True))

    def _encode(self, texts: list[str]) -> np.ndarray:
        if all(t in self._primed for t in texts):
            return np.stack([self._primed[t] for t in texts])
        return self.encoder.encode(texts)

    def findings(self, message: str) -> list[Finding]:
        views = [(s, v) for s in sentences(message) if (v := sentence_view(s)) is not None]
        if not views:
            return []
        whole = message_view(message)
        if whole.medication or _WITHDRAWAL.search(message.lower()):
            # "the doctor gave me gabapentin … now I feel very dizzy": a side effect, which the
            # rules judge (the net compared "dizzy" with a ruptured aneurysm); aches in opioid
            # withdrawal ("rattling, back and legs aching like mad")
            return []
        red, benign = self._vectors()
        vectors = self._encode([s for s, _ in views])
        red_sims = vectors @ red.T
        benign_sims = vectors @ benign.T
        out: dict[str, Finding] = {}
        for i, (sentence, view) in enumerate(views):
            lowered = sentence.lower()
            red_row = red_sims[i].copy()
            if view.one_side or whole.one_side:
                red_row[self._bilateral] = -1.0
            if whole.claudication:
                red_row[self._bilateral | self._neuro] = -1.0
            if whole.strength_kept:
                # "Leg is strong, just the one side": the writer has checked the leg works
                red_row[self._neuro] = -1.0
            if view.minor_trauma_only or not view.injury_words or view.injury_denied:
                red_row[self._fracture] = -1.0
            if not view.nerve_words:
                # cauda equina statements need altered feeling, weakness, sciatica, both legs,
                # or bladder, bowel or sexual trouble in the sentence: not "what does 'saddle
                # area' mean'
                red_row[self._ces] = -1.0
            if view.one_side and not _SEAT_OR_VOIDING.search(lowered):
                # one leg or foot and nothing of the seat, bladder, bowel or sex: "a numb patch
                # on the outside of my left foot" is not "numbness around my back passage"
                red_row[self._ces] = -1.0
            if not _BELLY.search(lowered):
                # "a lump on my back, the GP says it's a harmless cyst" is not a pulsing belly
                red_row[self._lump] = -1.0
            if whole.back_fine or _FLUSHES.search(lowered):
                # a fever with the back fine is the rules' routine finding; hot flushes
                red_row[self._infection] = -1.0
            if not view.limb_words:
                # statements about legs need a leg, foot or limb word in the sentence
                red_row[self._neuro | self._bilateral] = -1.0
            if view.exertion:
                # "both legs are wrecked from the squats": worked muscles, not nerves
                red_row[self._neuro | self._bilateral] = -1.0
            if whole.inflammatory:
                red_row[self._night] = -1.0
            if view.weight_explained:
                red_row[self._weight] = -1.0
            if (
                not _NIGHT.search(lowered)
                or _MOVING_IN_BED.search(lowered)
                or _EASED_BY_MOVING.search(lowered)
            ):
                # (pain on rolling over in bed is mechanical, and night pain that walking
                # eases is inflammatory: neither is pain that nothing eases)
                red_row[self._night] = -1.0
            found = self._judge(red_row, benign_sims[i], red_sims[i])
            if found is None:
                continue
            exemplar, level, similarity = found
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

    def _judge(
        self, red_row: np.ndarray, benign_row: np.ndarray, all_red: np.ndarray | None = None
    ) -> tuple[Exemplar, Level, float] | None:
        """The closest red-flag statement and the level, or None when the net stays quiet.

        ``red_row`` has the statements the guards set aside masked out: it chooses the
        statement (and so the family) the sentence may raise. The neighbour vote asks whether
        the sentence lies among red-flag statements at all, so it counts every statement
        (``all_red``, the unmasked row)."""
        j = int(red_row.argmax())
        similarity = float(red_row[j])
        margin = similarity - float(benign_row.max())
        if similarity < self.min_similarity or margin < self.min_margin:
            return None
        votes_row = red_row if all_red is None else all_red
        nearest = nearest_indices(votes_row, benign_row, self.neighbours)
        red_near = [int(n) for n in nearest if n < len(red_row)]
        if len(red_near) < self.min_votes:
            return None
        exemplar = self.red[j]
        same_family = sum(
            1
            for n in red_near
            if self.red[n].level == "emergency"
            and self.red[n].category == exemplar.category
            and red_row[n] > -1.0  # not a statement the guards set aside
        )
        emergency = (
            exemplar.level == "emergency"
            and same_family >= self.emergency_votes
            and similarity >= self.emergency_similarity
            and margin >= self.emergency_margin
        )
        return exemplar, ("emergency" if emergency else "urgent"), similarity


def nearest_indices(red_row: np.ndarray, benign_row: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` nearest statements; red ones are < ``len(red_row)``."""
    labelled = np.concatenate([red_row, benign_row])
    return np.argsort(-labelled, kind="stable")[: max(k, 0)]


def red_votes(red_row: np.ndarray, benign_row: np.ndarray, k: int) -> int:
    """How many of the ``k`` exemplars nearest to a sentence are red-flag statements."""
    if k <= 0:
        return 0
    return int((nearest_indices(red_row, benign_row, k) < len(red_row)).sum())


_BARE_NO = re.compile(
    r"(?:no|nope|nah|none|never|not at all|negative|not really|no way)(?:[\s,]+no)*[\s.!]*"
)
# Fragments ("sciatic. the nerve. right bum to foot. 2 week. walking ok"): most sentences one
# to three words
_FRAGMENT = re.compile(r"[^.!?;\n…]+")
# Statements about both legs (set aside for a one-sided sentence) and about weight.
_BILATERAL = re.compile(
    r"\bboth\b|\blegs\b|\bfeet\b|other (?:leg|side)|each (?:leg|side)|\bsides\b"
)
_WEIGHT = re.compile(r"weight|kilo|pounds|stone|clothes|thinner|appetite")
# Night-pain statements (malignancy) are compared only with a sentence about the night, rest
# or sleep: "a dull constant ache, mostly in the mornings and evenings" is not night pain.
_NIGHT = re.compile(
    r"night|sleep|slept|awake|wak\w*|woke|bed\b|lie still|lying|lie down|rest\b|resting|"
    r"\d ?am\b|midnight|all hours|24/7|round the clock|nothing (?:helps|eases|touches)|"
    r"never (?:stops|goes|eases)"
)
_LUMP = re.compile(r"\blump|\bmass\b|swelling")
_SEAT_OR_VOIDING = re.compile(
    r"bum|bottom|butt|saddle|groin|genital|privates|passage|anus|rectum|perine|crotch|"
    r"inner thigh|bladder|bowel|pee|wee|urin|poo|stool|toilet|loo|wipe|sex|erect|penis|vagin|"
    r"down there|down below|incontin|pad|nappy|wet|soil|leak|accident"
)
_WITHDRAWAL = re.compile(r"\b(?:withdrawal|withdrawing|rattling|clucking|cold turkey|detox\w*)\b")
# "I wake in second half of night with pain, after I walk around it goes"
_EASED_BY_MOVING = re.compile(
    r"\b(?:after|when|once|if) i (?:walk|move|get up|stretch|get going)\w*(?: \S+){0,2}? (?:it )?"
    r"(?:goes|eases|gets better|settles|improves|disappears|wears off)\b|\b(?:goes|eases|settles|"
    r"improves|wears off) (?:away )?(?:when|once|after|as soon as) i (?:walk|move|get up|get going|"
    r"stretch)|"
    # … or a position: "when I put the pillow under the knees it calms"
    r"\b(?:when|if|once|after) i\b[^.]{0,60}?\bit (?:calms|eases|settles|goes|stops|improves|gets "
    r"better)\b"
)
_MOVING_IN_BED = re.compile(
    r"\b(?:roll\w*|turn\w*) over|\bwhen i (?:move|turn|roll)|\bmoving in bed|"
    r"\bgetting (?:in|out) of bed|\bturning in bed"
)
_BELLY = re.compile(r"tumm|belly|abdom|stomach|navel|gut\b|puls|throb|beat")
_FLUSHES = re.compile(FLUSHES)
_NIGHT_STATEMENT = re.compile(r"night|awake|wak\w*|sleep")
_OTHER_SIDE_FINE = re.compile(OTHER_SIDE_FINE)
# The writer says the leg still works: strong, or rising onto toes and heels without trouble
# (and not "not as strong", "no longer strong")
_STRENGTH_KEPT = re.compile(
    r"\b(?<!not )(?<!no longer )(?:legs?|feet|foot)(?: (?:is|are|feel|feels|still|both|all))*"
    r" (?:(?:still |totally |perfectly |really )?strong|work(?:s|ing)? (?:fine|ok|okay|normally))"
    # ("I can still stand on my toes and heels fine")
    r"\b(?! but)|\bcan still (?:go|get|stand|walk|rise|push|lift) (?:\S+ ){0,5}?(?:toes|tiptoes?|"
    r"heels)\b(?:,? (?:no bother|no problem|fine|ok|okay|easily|normally))"
)


@dataclass(frozen=True)
class SentenceView:
    """What the danger vocabulary says about one sentence, for the guards."""

    one_side: bool
    minor_trauma_only: bool
    weight_explained: bool
    injury_words: bool = True
    limb_words: bool = True
    exertion: bool = False
    injury_denied: bool = False
    nerve_words: bool = True


@dataclass(frozen=True)
class MessageView:
    """What the whole message says, for guards a single sentence cannot see."""

    one_side: bool  # "… other leg fine"
    claudication: bool  # brought on by walking, eased by sitting or bending forward
    inflammatory: bool  # morning stiffness that eases with movement (not night pain)
    medication: bool  # the message asks about a medicine's effect, nothing stronger
    back_fine: bool = False  # "my back's been fine for weeks"
    strength_kept: bool = False  # "legs strong tho", "can still go up on my toes no bother"


def message_view(message: str) -> MessageView:
    a = analyse(message)
    return MessageView(
        # "… other leg fine", or one side named and no word for both legs anywhere
        one_side=bool(_OTHER_SIDE_FINE.search(a.text)) or sentence_cues(a).one_side,
        claudication=claudication_pattern(a.text),
        inflammatory=a.has("inflammatory_pattern"),
        medication=sentence_cues(a).medication_effect,
        back_fine=bool(a.active("back_fine")),
        strength_kept=bool(_STRENGTH_KEPT.search(a.text)),
    )


@lru_cache(maxsize=4096)
def sentence_view(sentence: str) -> SentenceView | None:
    """The guards' reading of ``sentence``, or None when the net must skip it."""
    view = sentence_cues(analyse(sentence))
    if view.not_present or not view.red_flag_words:
        return None
    if view.question and not view.symptom_words:
        return None  # "should I get a scan?": a question without a symptom
    if view.medication_effect:
        return None
    return SentenceView(
        view.one_side,
        view.minor_trauma_only,
        view.weight_explained,
        view.injury_words,
        view.limb_words,
        view.exertion,
        view.injury_denied,
        view.nerve_words,
    )


def _context_says_no(sentence: str) -> bool:
    """True when the net skips ``sentence`` (negated, past, hypothetical, someone else's, no
    red-flag word, a general question or a side effect)."""
    return sentence_view(sentence) is None
