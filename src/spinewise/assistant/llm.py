"""Optional answer generation with an OpenAI-compatible chat endpoint, grounded in passages.

Off by default. When ``SPINEWISE_LLM_URL`` is set (read by the caller, see
:meth:`LLMConfig.from_env`), the assistant may ask a language model to write the answer, but:

- only for messages the triage rated ``self_care`` or ``routine`` (triage runs first and an
  urgent or emergency result is never sent to the model);
- the model sees only the retrieved passages, numbered, and must cite them as ``[1]``;
- an answer without at least one valid citation, or a failed call, is discarded and the
  extractive answer (the best passage itself) is used instead.

The client speaks the ``POST {base}/chat/completions`` protocol with ``httpx``; nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from spinewise.assistant.retrieval import SearchResult
from spinewise.core.errors import InvalidInput, SpinewiseError

SYSTEM_PROMPT = (
    "You are the Spinewise help assistant for people with back pain. Answer the patient's "
    "question using ONLY the numbered passages provided. Cite every statement with the passage "
    "number in square brackets, for example [1]. If the passages do not contain the answer, say "
    "that you do not know and suggest messaging the care team. Do not diagnose, do not give "
    "medicine doses, and do not add advice that is not in the passages. Use plain, short "
    "sentences."
)
_CITATION = re.compile(r"\[(\d{1,2})\]")


class LLMError(SpinewiseError):
    code = "llm_unavailable"
    status_code = 502


@dataclass(frozen=True)
class LLMConfig:
    """Where and how to call the model. ``url`` is the API base, e.g. ``http://host:8080/v1``."""

    url: str
    model: str = "default"
    api_key: str | None = None
    timeout_s: float = 20.0
    max_tokens: int = 400

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise InvalidInput("SPINEWISE_LLM_URL", "must start with http:// or https://")
        if self.timeout_s <= 0:
            raise InvalidInput("timeout_s", "must be positive")

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else f"{base}/chat/completions"

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> LLMConfig | None:
        """``SPINEWISE_LLM_URL`` (required), ``SPINEWISE_LLM_MODEL``, ``SPINEWISE_LLM_API_KEY``."""
        url = environ.get("SPINEWISE_LLM_URL", "").strip()
        if not url:
            return None
        return cls(
            url=url,
            model=environ.get("SPINEWISE_LLM_MODEL", "default").strip() or "default",
            api_key=environ.get("SPINEWISE_LLM_API_KEY") or None,
        )


@dataclass(frozen=True)
class GeneratedAnswer:
    text: str
    cited_article_ids: tuple[str, ...]


def build_messages(question: str, passages: Sequence[SearchResult]) -> list[dict[str, str]]:
    """The chat messages sent to the model: instructions, numbered passages, question."""
    numbered = "\n\n".join(
        f"[{i}] {r.title}{' - ' + r.passage.heading if r.passage.heading else ''}: {r.passage.text}"
        for i, r in enumerate(passages, start=1)
    )
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"Passages:\n{numbered}\n\nQuestion: {question}"},
    ]


def generate_answer(
    question: str,
    passages: Sequence[SearchResult],
    config: LLMConfig,
    client: httpx.Client | None = None,
) -> GeneratedAnswer:
    """Ask the model for an answer grounded in ``passages``; raise :class:`LLMError` if unusable.

    Unusable means: no passages, a transport or HTTP error, a malformed response, or an answer
    that cites no provided passage. Citations to passages that do not exist are removed.
    """
    if not passages:
        raise LLMError("no passages to ground an answer in")
    payload: dict[str, Any] = {
        "model": config.model,
        "messages": build_messages(question, passages),
        "temperature": 0,
        "max_tokens": config.max_tokens,
    }
    headers = {"Authorization": f"Bearer {config.api_key}"} if config.api_key else {}
    owns_client = client is None
    http = client or httpx.Client(timeout=config.timeout_s)
    try:
        response = http.post(config.endpoint, json=payload, headers=headers)
        response.raise_for_status()
        data = response.json()
        text = data["choices"][0]["message"]["content"]
    except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError(f"language model call failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if owns_client:
            http.close()
    if not isinstance(text, str) or not text.strip():
        raise LLMError("language model returned an empty answer")

    valid = {str(i) for i in range(1, len(passages) + 1)}
    cited = [n for n in _CITATION.findall(text) if n in valid]
    if not cited:
        raise LLMError("language model answer cites none of the passages")
    cleaned = _CITATION.sub(lambda m: m.group(0) if m.group(1) in valid else "", text).strip()
    article_ids = tuple(dict.fromkeys(passages[int(n) - 1].article_id for n in cited))
    return GeneratedAnswer(cleaned, article_ids)
