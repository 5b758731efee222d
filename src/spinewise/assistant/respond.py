"""One reply to one patient message: triage first, then intents, then knowledge.

Order and overrides:

1. :func:`~spinewise.assistant.triage.triage` runs on every message.
2. ``emergency``: the answer is the triage instruction only (what to do now), the actions are
   "call emergency services" and "notify the care team"; no retrieval, no language model, no
   app actions, and sources limited to "when to get help" articles. Nothing in it is
   self-care advice.
3. ``urgent``: the triage instruction (same-day care) and a care-team notification; app actions
   such as logging pain are still offered; no retrieval or language model.
4. ``routine``/``self_care``: the best passages from the knowledge base (or, when configured,
   a language-model answer grounded in them with citations), followed by the triage text
   (review advice for ``routine``, the safety net for ``self_care``), plus app actions.

Messages that are only app actions ("my pain is 6 today") skip retrieval, so they never wait
for the embedding model.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from spinewise.assistant.classifier import rules_then_screen
from spinewise.assistant.intents import Intent, parse_intents
from spinewise.assistant.knowledge import KnowledgeBase, load_knowledge_base
from spinewise.assistant.llm import LLMConfig, LLMError, generate_answer
from spinewise.assistant.notice import state_care_team
from spinewise.assistant.retrieval import MODEL_NAME, HybridRetriever, SearchResult
from spinewise.assistant.triage import PatientProfile, TriageResult, combine, triage

logger = logging.getLogger(__name__)

# "When to get help" articles shown with an urgent or emergency answer, by finding category.
SEEK_HELP_ARTICLES: dict[str, tuple[str, ...]] = {
    "cauda_equina": ("cauda-equina-syndrome",),
    "neuro_deficit": ("worsening-weakness-or-numbness",),
    "fracture": ("possible-fracture",),
    "infection": ("spinal-infection-signs",),
    "malignancy": ("back-pain-after-cancer",),
    "aaa": ("aortic-aneurysm-warning-signs",),
    "cardiac": ("red-flags-overview",),
    "crisis": ("feeling-low-or-hopeless",),
    "learned": ("red-flags-overview",),
    "language": ("red-flags-overview",),
}
_QUESTION = re.compile(
    r"\?|^\W*(?:what|how|why|which|when|where|who|can|could|should|is|are|do|does|will|would)"
    r"\b|\b(?:how|what|why|which|tips|advice|explain|tell me)\b",
    re.IGNORECASE,
)
Generator = Literal["triage", "extractive", "llm", "actions"]


@dataclass(frozen=True)
class AssistantReply:
    triage: TriageResult
    answer: str
    sources: tuple[tuple[str, str], ...]  # (id, title)
    actions: tuple[dict[str, Any], ...]
    passages: tuple[SearchResult, ...] = ()
    generator: Generator = "extractive"
    retrieval_mode: str | None = None
    intents: tuple[Intent, ...] = field(default=())
    # Whether anyone was actually told. The pure core tells no one; a surface that raises a
    # flag calls ``with_care_team(notified=True)`` afterwards so the answer stays true.
    care_team_notified: bool = False

    def with_care_team(self, *, notified: bool, has_care_team: bool = True) -> AssistantReply:
        """This reply with the care-team sentence and action saying what really happened."""
        if not self.triage.notify_care_team:
            return self
        answer = state_care_team(
            self.answer, self.triage.level, notified=notified, has_care_team=has_care_team
        )
        actions = tuple(
            _care_team_action(a, notified=notified) if a["type"] == "notify_care_team" else a
            for a in self.actions
        )
        return replace(self, answer=answer, actions=actions, care_team_notified=notified)

    def to_dict(self) -> dict[str, Any]:
        """The ``spinewise assistant ask --json`` contract (DESIGN §5) plus detail fields."""
        return {
            "triage": self.triage.level,
            "answer": self.answer,
            "sources": [{"title": title, "id": article_id} for article_id, title in self.sources],
            "actions": [dict(a) for a in self.actions],
            "flags": [f.to_dict() for f in self.triage.findings],
            "citations": self.triage.to_dict()["citations"],
            "generator": self.generator,
            "retrieval": self.retrieval_mode,
        }


class Assistant:
    """Holds the knowledge base, the (lazy) retriever and the optional LLM configuration."""

    def __init__(
        self,
        knowledge: KnowledgeBase | None = None,
        retriever: HybridRetriever | None = None,
        llm: LLMConfig | None = None,
        semantic_net: bool = True,
        learned_screen: bool = True,
    ) -> None:
        self.knowledge = knowledge or load_knowledge_base()
        self._retriever = retriever
        self.llm = llm
        self.semantic_net = semantic_net
        self.learned_screen = learned_screen
        self._net: Any = None

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            self._retriever = HybridRetriever(self.knowledge)
        return self._retriever

    def _safety_net(self) -> Any:
        """The semantic safety net, when enabled and the real embedding model is loaded.

        Its thresholds are calibrated for all-MiniLM-L6-v2, so any other encoder (or BM25-only
        retrieval) means no net: the rules alone decide.
        """
        if not self.semantic_net:
            return None
        if self._net is None:
            if self.retriever.encoder_name not in (MODEL_NAME, None):
                return None  # a different model: thresholds do not apply; do not load it
            encoder = self.retriever.encoder()
            if encoder is None or getattr(encoder, "name", "") != MODEL_NAME:
                return None
            from spinewise.assistant.semantic import SemanticSafetyNet

            self._net = SemanticSafetyNet(encoder)
        return self._net

    def triage(self, message: str, profile: PatientProfile | None = None) -> TriageResult:
        """Rules first; then, below emergency, the learned screen and the semantic safety net
        may raise the level (neither can lower it)."""
        return self.triage_many([message], [profile])[0]

    def triage_many(
        self, messages: Sequence[str], profiles: Sequence[PatientProfile | None]
    ) -> list[TriageResult]:
        """Triage many messages: the learned screen scores them in one call and the safety net
        encodes their sentences in one call (evaluating labelled sets); each message is decided
        on its own."""
        return self.with_safety_net(self.screened_many(messages, profiles), messages)

    def screened_many(
        self, messages: Sequence[str], profiles: Sequence[PatientProfile | None]
    ) -> list[TriageResult]:
        """The first two steps of :meth:`triage_many`: the rules, then the learned screen."""
        if not self.learned_screen:
            return [triage(m, p) for m, p in zip(messages, profiles, strict=True)]
        return rules_then_screen(messages, profiles)[1]

    def with_safety_net(
        self, results: Sequence[TriageResult], messages: Sequence[str]
    ) -> list[TriageResult]:
        """The last step of :meth:`triage_many`: the safety net may raise what the rules and
        the screen decided (``results``, from :meth:`screened_many`) below emergency.

        Apart so that an evaluation that has already read a set with the rules and the screen
        does not read it again."""
        out = list(results)
        net = self._safety_net()
        if net is None:
            return out
        below = [i for i, r in enumerate(out) if r.level != "emergency"]
        net.prime([messages[i] for i in below])
        for i in below:
            out[i] = combine(out[i], net.findings(messages[i]))
        return out

    def reply(self, message: str, profile: PatientProfile | None = None) -> AssistantReply:
        result = self.triage(message, profile)
        if result.level == "emergency":
            return self._escalation(result, ())
        intents = tuple(parse_intents(message))
        if result.level == "urgent":
            return self._escalation(result, intents)
        return self._informational(message, result, intents)

    # --- red flags ----------------------------------------------------------------------------

    def _seek_help_sources(self, result: TriageResult) -> tuple[tuple[str, str], ...]:
        ids: dict[str, None] = {}
        for category in result.categories:
            for article_id in SEEK_HELP_ARTICLES.get(category, ("red-flags-overview",)):
                ids.setdefault(article_id, None)
        sources = []
        for article_id in ids:
            if article_id in self.knowledge:
                article = self.knowledge.get(article_id)
                if article.seek_help:  # never point an escalation at self-care content
                    sources.append((article.id, article.title))
        return tuple(sources)

    def _escalation(self, result: TriageResult, intents: tuple[Intent, ...]) -> AssistantReply:
        codes = [f.code for f in result.findings if f.level == result.level]
        actions: list[dict[str, Any]] = []
        if result.level == "emergency":
            actions.append(
                {
                    "type": "call_emergency_services",
                    "label": "Call 999 / 112 / 911 or go to A&E now",
                    "requires_confirmation": False,
                }
            )
        else:
            actions.append(
                {
                    "type": "seek_same_day_care",
                    "label": "Contact your GP today or call NHS 111",
                    "requires_confirmation": False,
                }
            )
        actions.append(
            _care_team_action(
                {
                    "type": "notify_care_team",
                    "priority": result.level,
                    "flags": codes,
                    "requires_confirmation": False,
                },
                notified=False,
            )
        )
        actions.extend(i.to_dict() for i in intents)
        return AssistantReply(
            triage=result,
            answer=state_care_team(result.advice, result.level, notified=False),
            sources=self._seek_help_sources(result),
            actions=tuple(actions),
            generator="triage",
            intents=intents,
        )

    # --- everything else ----------------------------------------------------------------------

    def _informational(
        self, message: str, result: TriageResult, intents: tuple[Intent, ...]
    ) -> AssistantReply:
        actions = [i.to_dict() for i in intents]
        if result.level == "routine":
            actions.append(
                {
                    "type": "suggest_review",
                    "label": "Book a review with your physiotherapist or GP",
                    "requires_confirmation": True,
                }
            )
        service_queries = {"next_appointment", "handover"}
        only_actions = bool(intents) and (
            not _QUESTION.search(message) or all(i.kind in service_queries for i in intents)
        )
        if only_actions:
            prompts = " ".join(i.confirmation_prompt for i in intents)
            answer = prompts if result.level == "self_care" else f"{prompts}\n\n{result.advice}"
            return AssistantReply(
                result, answer, (), tuple(actions), generator="actions", intents=intents
            )

        passages = tuple(self.retriever.search(message, k=3))
        generator: Generator = "extractive"
        body = _extractive_answer(passages)
        sources = tuple((p.article_id, p.title) for p in passages)
        if self.llm is not None and passages:
            try:
                generated = generate_answer(message, passages, self.llm)
                body = generated.text
                generator = "llm"
                cited = set(generated.cited_article_ids)
                sources = tuple(s for s in sources if s[0] in cited) or sources
            except LLMError as exc:
                logger.warning("assistant: LLM answer discarded (%s); using passages", exc)
        parts = []
        if intents:
            parts.append(" ".join(i.confirmation_prompt for i in intents))
        if result.level == "routine":
            parts.append(result.advice)
            parts.append(body)
        else:
            parts.append(body)
            parts.append(result.advice)
        return AssistantReply(
            triage=result,
            answer="\n\n".join(p for p in parts if p),
            sources=sources,
            actions=tuple(actions),
            passages=passages,
            generator=generator,
            retrieval_mode=self.retriever.mode,
            intents=intents,
        )


def _care_team_action(action: dict[str, Any], *, notified: bool) -> dict[str, Any]:
    label = (
        "Your care team has been notified (dashboard flag)"
        if notified
        else "Tell your care team yourself: this answer has not alerted anyone"
    )
    return {**action, "label": label, "notified": notified}


def _extractive_answer(passages: tuple[SearchResult, ...]) -> str:
    if not passages:
        return (
            "I could not find an answer to that in the help centre. You can message your care "
            "team and a clinician will reply."
        )
    best = passages[0]
    heading = f" - {best.passage.heading}" if best.passage.heading else ""
    text = f"From \u201c{best.title}{heading}\u201d: {best.passage.text}"
    extra = best.second_passage
    if extra is not None:
        # keep the article's own order: introduction before sections
        first, then = sorted((best.passage, extra), key=lambda p: p.index)
        heading = f" - {first.heading}" if first.heading else ""
        text = f"From \u201c{best.title}{heading}\u201d: {first.text}"
        text += f"\n{then.heading + ': ' if then.heading else ''}{then.text}"
    return text
