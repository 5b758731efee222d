"""A learned red-flag screen: a text classifier trained on the labelled message sets.

Why it exists. The rules (``triage.py``, ``danger.py``) and the semantic net describe red flags
in words somebody anticipated. Scored once on nineteen sets by authors who had seen neither
the rules nor the other sets (blind4-blind22, 3,040 messages), the rules escalated 1,345 of
1,445 red flags (93.1 %) on first reading; every set found a few more phrasings nobody had
written down. A linear model over word and character n-grams, trained on the *other* sets
(and on ordinary messages) and scored on each of those nineteen sets in turn (leave-one-set-out),
escalated 95 of those 100 misses and raised 55 of the 60 emergencies the rules had left lower,
for 32 more false alarms in 1,595 benign messages (specificity 95.7 % -> 93.7 %). It reads what
the patterns do not: learner grammar, euphemisms, misspellings, relatives' reports, a collapse
told as a story. So it runs after the rules, and, like the semantic net, it can only raise the
level.

What it is. The message, with the patient's profile appended as made-up words
(``profile_words``), in one TF-IDF feature space (word 1-2-grams and character 2-5-grams within
word boundaries, terms seen in at least two messages, sublinear term frequency) and two logistic
regressions (L2, C = 4, balanced class weights, Fan et al. 2008 / scikit-learn): P(red flag),
a message labelled ``urgent`` or ``emergency``, and P(emergency). A message with
P(red flag) >= 0.5 is raised to ``urgent``, and to ``emergency`` when P(emergency) >= 0.6 as
well. The model is trained from the packaged sets the first time it is needed in a process
(nothing pickled, nothing to go stale): the same sets and the same library version give the
same model. That takes about 16 s for 30,355 messages, so a server starts it when it starts.

What it is not. It cannot say *which* warning sign it saw; it sees the profile only as a few
words (the rules read age, cancer history, osteoporosis and steroids properly); its training
messages are synthetic, written by the developers' helper authors from the product's level
specification (NICE NG59, GIRFT 2023, IFOMPT 2020, NICE NG156, NICE NG225), so its figures are
evidence about such messages, not clinical evidence; and it has learnt some of their style
("I lifted a heavy box this morning and my back hurts" scores above 0.5).
The model card (docs/assistant-learned-screen-card.md, figures from ``spinewise assistant
cross-validate``) gives the figures and the limits.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from spinewise.assistant.triage import (
    RED_FLAG_LEVELS,
    Finding,
    Level,
    PatientProfile,
    TriageResult,
    combine,
    level_rank,
    triage,
)

THRESHOLD = 0.5  # P(red flag) that raises the level to urgent (balanced class weights)
# P(emergency) that raises it to emergency (with P(red flag) >= THRESHOLD too): higher, because
# a false emergency tells someone to call 999; 0.6 kept 756 of the 761 emergencies the
# leave-one-set-out screen and the rules' first readings caught together at 0.5.
EMERGENCY_THRESHOLD = 0.6
C = 4.0  # inverse L2 strength, chosen on leave-one-set-out before blind23/blind24 were scored
MIN_DF = 2  # an n-gram must occur in two training messages: no single author's quirk

LEARNED_CODE = "learned_red_flag"
LEARNED_EMERGENCY_CODE = "learned_emergency"
LEARNED_CATEGORY = "learned"
_SOURCES = ("NICE NG59", "IFOMPT 2020")
_URGENT_REASON = (
    "Your message reads like messages that needed medical advice the same day (a statistical "
    "check learned from example messages; it cannot say which warning sign it saw)."
)
_EMERGENCY_REASON = (
    "Your message reads like messages that described an emergency (a statistical check learned "
    "from example messages; it cannot say which warning sign it saw)."
)


@dataclass(frozen=True)
class ScreenScore:
    """The two probabilities for one message, and the level they raise it to (or None)."""

    red_flag: float
    emergency: float

    @property
    def level(self) -> Level | None:
        if self.red_flag < THRESHOLD:
            return None
        return "emergency" if self.emergency >= EMERGENCY_THRESHOLD else "urgent"


def profile_words(profile: PatientProfile | None) -> list[str]:
    """The profile as made-up words appended to the text, so the model can learn that the same
    words mean more at 75 or with osteoporosis (a minor fall) or after cancer (new pain)."""
    if profile is None:
        return []
    words = []
    if profile.age is not None:
        words.append(
            "profileage70plus"
            if profile.age >= 70
            else "profileage50to69"
            if profile.age >= 50
            else "profileageunder50"
        )
    for flag in ("cancer_history", "osteoporosis", "long_term_steroids", "immunosuppressed"):
        if getattr(profile, flag):
            words.append("profile" + flag.replace("_", ""))
    return words


def _document(text: str, profile: PatientProfile | None) -> str:
    return " ".join([text, *profile_words(profile)])


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), min_df=MIN_DF, sublinear_tf=True),
            ),
            (
                "characters",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=MIN_DF, sublinear_tf=True
                ),
            ),
        ]
    )


def _head() -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=3000)


class RedFlagClassifier:
    """Two logistic-regression heads over one TF-IDF space; ``fit`` then ``score``/``findings``."""

    def __init__(self) -> None:
        self._features: FeatureUnion | None = None
        self._red: LogisticRegression | None = None
        self._emergency: LogisticRegression | None = None
        self.n_messages = 0
        self.n_features = 0

    def fit(
        self,
        texts: Sequence[str],
        levels: Sequence[str],
        profiles: Sequence[PatientProfile | None] | None = None,
    ) -> RedFlagClassifier:
        """Learn from messages, their labelled levels (``self_care`` … ``emergency``) and the
        patients' profiles (optional)."""
        profiles = profiles if profiles is not None else [None] * len(texts)
        if not len(texts) == len(levels) == len(profiles):
            raise ValueError("texts, levels and profiles must have the same length")
        red = np.array([level in RED_FLAG_LEVELS for level in levels])
        emergency = np.array([level == "emergency" for level in levels])
        if red.all() or not red.any() or not emergency.any() or emergency.all():
            raise ValueError("training needs red-flag, emergency and benign messages")
        features = _features()
        matrix = features.fit_transform(
            [_document(t, p) for t, p in zip(texts, profiles, strict=True)]
        )
        self._red = _head().fit(matrix, red)
        self._emergency = _head().fit(matrix, emergency)
        self._features = features
        self.n_messages = len(texts)
        self.n_features = int(matrix.shape[1])
        return self

    def score(
        self, texts: Sequence[str], profiles: Sequence[PatientProfile | None] | None = None
    ) -> list[ScreenScore]:
        """P(red flag) and P(emergency) for each text (with its patient's profile)."""
        if self._features is None or self._red is None or self._emergency is None:
            raise RuntimeError("fit the classifier before scoring")
        profiles = profiles if profiles is not None else [None] * len(texts)
        if len(profiles) != len(texts):
            raise ValueError("texts and profiles must have the same length")
        matrix: Any = self._features.transform(
            [_document(t, p) for t, p in zip(texts, profiles, strict=True)]
        )
        red = self._red.predict_proba(matrix)[:, 1]
        emergency = self._emergency.predict_proba(matrix)[:, 1]
        return [ScreenScore(float(r), float(e)) for r, e in zip(red, emergency, strict=True)]

    def findings(self, message: str, profile: PatientProfile | None = None) -> list[Finding]:
        """One finding when the message scores at or above the threshold, else none."""
        return self.findings_for(self.score([message], [profile])[0])

    @staticmethod
    def findings_for(score: ScreenScore) -> list[Finding]:
        """The finding of a score already computed (:meth:`score` takes many texts at once)."""
        if score.level is None:
            return []
        emergency = score.level == "emergency"
        return [
            Finding(
                code=LEARNED_EMERGENCY_CODE if emergency else LEARNED_CODE,
                category=LEARNED_CATEGORY,
                level=score.level,
                reason=_EMERGENCY_REASON if emergency else _URGENT_REASON,
                evidence=(
                    f"learned screen: P(emergency) {score.emergency:.2f}, "
                    f"P(red flag) {score.red_flag:.2f}",
                ),
                sources=_SOURCES,
            )
        ]


_TRAINING = threading.Lock()


def default_classifier() -> RedFlagClassifier:
    """The classifier trained on ``evaluation.LEARNED_SCREEN_SPLITS`` (every asserted set, the
    blind sets already read, and ordinary messages).

    Trained once per process, on first use: 16 s for 30,355 messages on one core of the test
    machine (a server starts it in the background when it starts, ``service.AssistantProvider``).
    Callers that arrive during training wait for that one training rather than start their own.
    """
    with _TRAINING:
        return _trained_classifier()


@lru_cache(maxsize=1)
def _trained_classifier() -> RedFlagClassifier:
    from spinewise.assistant.evaluation import training_messages

    messages = training_messages()
    return RedFlagClassifier().fit(
        [m.text for m in messages], [m.level for m in messages], [m.profile for m in messages]
    )


def screened(
    result: TriageResult,
    message: str,
    profile: PatientProfile | None = None,
    classifier: RedFlagClassifier | None = None,
    score: ScreenScore | None = None,
) -> TriageResult:
    """``result`` raised by the learned screen (the packaged one by default), never lowered.

    Its finding is added only when it raises the level: the rules' reasons are more specific.
    ``score``, when given, is the screen's score of this message computed beforehand (scoring
    many messages in one call is much faster).
    """
    if result.level == "emergency":
        return result
    if score is None:
        screen = classifier if classifier is not None else default_classifier()
        score = screen.score([message], [profile])[0]
    raised = [
        f
        for f in RedFlagClassifier.findings_for(score)
        if level_rank(f.level) > level_rank(result.level)
    ]
    return combine(result, raised)


def rules_then_screen(
    messages: Sequence[str], profiles: Sequence[PatientProfile | None]
) -> tuple[list[TriageResult], list[TriageResult]]:
    """What the rules decide on each message, and the same raised by the packaged screen
    (scored in one call for all of them: the same scores, far faster)."""
    rules = [triage(m, p) for m, p in zip(messages, profiles, strict=True)]
    scores = default_classifier().score(list(messages), list(profiles))
    learned = [
        screened(r, m, p, score=s)
        for r, m, p, s in zip(rules, messages, profiles, scores, strict=True)
    ]
    return rules, learned
