"""Shared fixtures for the assistant tests: a fast fake encoder and a tiny knowledge base."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from spinewise.assistant.knowledge import KnowledgeBase, load_knowledge_base
from spinewise.assistant.respond import Assistant
from spinewise.assistant.retrieval import tokenize


class HashingEncoder:
    """A deterministic stand-in for the sentence model: hashed bag of stemmed words.

    Texts that share words get similar vectors, which is enough to test the fusion, caching
    and fallback logic without loading torch. It counts how often it is called.
    """

    name = "test-hashing-encoder"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                digest = hashlib.md5(token.encode()).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


@pytest.fixture
def hashing_encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture(scope="session")
def knowledge() -> KnowledgeBase:
    return load_knowledge_base()


ARTICLE = """---
id: {id}
title: {title}
category: {category}
tags: [{tags}]
sources: [NICE NG59]
reviewed: 2026-01-15
---
# {title}

{body}
"""


@pytest.fixture
def write_article(tmp_path: Path):  # type: ignore[no-untyped-def]
    def write(
        id: str = "test-article",
        title: str = "Test article",
        category: str = "exercise",
        tags: str = "walking",
        body: str = " ".join(["Walking every day helps most people with back pain."] * 5),
        text: str | None = None,
    ) -> Path:
        path = tmp_path / f"{id}.md"
        path.write_text(text if text is not None else ARTICLE.format(**locals()), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def net_only() -> Assistant:
    """The rules and the semantic net, without the learned screen (the blind-round specs)."""
    return Assistant(learned_screen=False)


# --- the app layer (service, API, pages) ------------------------------------------------------


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    """The shared test settings with BM25-only retrieval: no model load in app tests."""
    return settings.model_copy(update={"assistant_retrieval": "bm25"})
