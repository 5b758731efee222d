"""The assistant's knowledge base: short Markdown articles with validated front matter.

Each article is one file ``knowledge/<id>.md``::

    ---
    id: sitting-at-a-desk            # slug, equal to the file name
    title: Sitting at a desk
    category: posture                # one of CATEGORIES
    tags: [sitting, desk, chair]     # at least one
    sources: [HSE L26 Work with display screen equipment]   # at least one guideline/source
    reviewed: 2026-11-28             # ISO date of the last clinical review, not in the future
    ---
    # Sitting at a desk
    Intro paragraph …
    ## A section
    …

Articles are written in our own words; ``sources`` names the guidance they agree with, not a
text they copy. The loader is pure (files in, dataclasses out) and refuses a knowledge base
with any invalid article, so a broken file is caught by the tests, not by a patient.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from spinewise.core.errors import InvalidInput, NotFound

CATEGORIES: dict[str, str] = {
    "self-management": "Looking after your back",
    "exercise": "Exercise",
    "posture": "Posture and everyday movement",
    "sleep": "Sleep",
    "work": "Work and daily life",
    "medicines": "Medicines (general information)",
    "app": "Using the Spinewise app",
    "seek-help": "When to get help",
}
# Articles in this category tell people when and where to get help. They are the only articles
# an emergency answer may point to (it must never carry self-care advice).
SEEK_HELP = "seek-help"
REQUIRED_FIELDS = ("id", "title", "category", "tags", "sources", "reviewed")
REVIEW_INTERVAL_DAYS = 365  # each article is re-reviewed at least yearly

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


@dataclass(frozen=True)
class Passage:
    """A retrievable piece of an article: its introduction or one ``##`` section."""

    article_id: str
    title: str
    heading: str
    text: str
    index: int

    @property
    def key(self) -> str:
        return f"{self.article_id}#{self.index}"


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    category: str
    tags: tuple[str, ...]
    sources: tuple[str, ...]
    reviewed: dt.date
    body: str
    path: Path | None = field(default=None, compare=False)

    @property
    def seek_help(self) -> bool:
        return self.category == SEEK_HELP

    def due_for_review(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return (today - self.reviewed).days > REVIEW_INTERVAL_DAYS

    def passages(self) -> list[Passage]:
        """The introduction and each ``##`` section as separate passages."""
        lines = [ln for ln in self.body.splitlines() if not ln.startswith("# ")]
        sections: list[tuple[str, list[str]]] = [("", [])]
        for line in lines:
            if line.startswith("## "):
                sections.append((line[3:].strip(), []))
            else:
                sections[-1][1].append(line)
        out: list[Passage] = []
        for heading, body_lines in sections:
            text = " ".join(" ".join(body_lines).split())
            if text:
                out.append(Passage(self.id, self.title, heading, text, len(out)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "tags": list(self.tags),
            "sources": list(self.sources),
            "reviewed": self.reviewed.isoformat(),
            "body": self.body,
        }


@dataclass(frozen=True)
class KnowledgeBase:
    articles: tuple[Article, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {a.id: a for a in self.articles})

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def get(self, article_id: str) -> Article:
        by_id: dict[str, Article] = self._by_id  # type: ignore[attr-defined]
        if article_id not in by_id:
            raise NotFound(f"no article {article_id!r}")
        return by_id[article_id]

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._by_id  # type: ignore[attr-defined]

    def passages(self) -> list[Passage]:
        return [p for a in self.articles for p in a.passages()]

    def by_category(self) -> dict[str, list[Article]]:
        out: dict[str, list[Article]] = {c: [] for c in CATEGORIES}
        for article in sorted(self.articles, key=lambda a: a.title):
            out[article.category].append(article)
        return out


def default_directory() -> Path:
    return Path(str(resources.files("spinewise.assistant").joinpath("knowledge")))


def parse_article(text: str, name: str, today: dt.date | None = None) -> Article:
    """Parse and validate one article; ``name`` is its file name (stem must equal the id)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise InvalidInput(name, "must start with a '---' front matter block")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise InvalidInput(name, f"front matter is not valid YAML ({exc})") from exc
    if not isinstance(meta, dict):
        raise InvalidInput(name, "front matter must be a mapping")
    missing = [f for f in REQUIRED_FIELDS if f not in meta]
    if missing:
        raise InvalidInput(name, f"front matter lacks {', '.join(missing)}")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS))
    if unknown:
        raise InvalidInput(name, f"unknown front matter field(s): {', '.join(unknown)}")

    article_id = meta["id"]
    if not isinstance(article_id, str) or not _SLUG.match(article_id):
        raise InvalidInput(name, "id must be a lower-case slug such as 'sitting-at-a-desk'")
    stem = Path(name).stem
    if stem != article_id:
        raise InvalidInput(name, f"id {article_id!r} must equal the file name {stem!r}")
    title = meta["title"]
    if not isinstance(title, str) or not title.strip():
        raise InvalidInput(name, "title must be a non-empty string")
    category = meta["category"]
    if category not in CATEGORIES:
        raise InvalidInput(name, f"category must be one of {', '.join(CATEGORIES)}")
    tags = _string_list(meta["tags"], name, "tags")
    sources = _string_list(meta["sources"], name, "sources")
    reviewed = _date(meta["reviewed"], name)
    if reviewed > (today or dt.date.today()):
        raise InvalidInput(name, f"reviewed date {reviewed} is in the future")
    body = match.group(2).strip()
    if len(body.split()) < 30:
        raise InvalidInput(name, "body is too short (fewer than 30 words)")
    return Article(article_id, title.strip(), category, tags, sources, reviewed, body)


def _string_list(value: Any, name: str, field_name: str) -> tuple[str, ...]:
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise InvalidInput(name, f"{field_name} must be a non-empty list of strings")
    return tuple(v.strip() for v in value)


def _date(value: Any, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(name, "reviewed must be an ISO date (YYYY-MM-DD)")


def load_knowledge_base(
    directory: Path | None = None, today: dt.date | None = None
) -> KnowledgeBase:
    """Load and validate every ``*.md`` article in ``directory`` (the bundled one by default)."""
    directory = Path(directory) if directory is not None else default_directory()
    if not directory.is_dir():
        raise InvalidInput("knowledge", f"{directory} is not a directory")
    articles: list[Article] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.md")):
        article = parse_article(path.read_text(encoding="utf-8"), path.name, today)
        if article.id in seen:
            raise InvalidInput(path.name, f"duplicate id {article.id!r}")
        seen.add(article.id)
        articles.append(Article(**{**article.__dict__, "path": path}))
    if not articles:
        raise InvalidInput("knowledge", f"no articles in {directory}")
    return KnowledgeBase(tuple(articles))
