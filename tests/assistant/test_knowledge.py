"""The bundled knowledge base and its front-matter validation."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from spinewise.assistant.knowledge import (
    CATEGORIES,
    KnowledgeBase,
    load_knowledge_base,
    parse_article,
)
from spinewise.core.errors import InvalidInput, NotFound


def test_the_bundled_knowledge_base_has_at_least_60_valid_articles(
    knowledge: KnowledgeBase,
) -> None:
    assert len(knowledge) >= 60


def test_every_topic_of_the_issue_is_covered(knowledge: KnowledgeBase) -> None:
    counts = Counter(a.category for a in knowledge)
    assert set(counts) == set(CATEGORIES)
    assert all(n >= 5 for n in counts.values())
    ids = {a.id for a in knowledge}
    app_features = {
        "posture-sensor-setup",
        "exercise-programme-app",
        "questionnaires",
        "reminders",
        "video-consultations",
        "messaging-care-team",
    }
    assert app_features <= ids


def test_every_article_names_its_sources_and_a_review_date(knowledge: KnowledgeBase) -> None:
    for article in knowledge:
        assert article.sources and article.reviewed <= dt.date.today()
        assert article.passages(), article.id


def test_seek_help_articles_never_give_self_care_tips(knowledge: KnowledgeBase) -> None:
    for article in knowledge:
        if article.seek_help:
            text = article.body.lower()
            assert "999" in text or "a&e" in text or "same-day" in text or "today" in text
            for tip in ("hot water bottle", "stretch", "heat pack", "ibuprofen"):
                assert tip not in text, (article.id, tip)


def test_passages_are_the_introduction_and_each_section(knowledge: KnowledgeBase) -> None:
    article = knowledge.get("cat-cow")
    headings = [p.heading for p in article.passages()]
    assert headings == ["", "How to do it", "How much"]
    assert all(p.title == "The cat-cow exercise" for p in article.passages())


def test_unknown_article_is_not_found(knowledge: KnowledgeBase) -> None:
    with pytest.raises(NotFound):
        knowledge.get("no-such-article")


def test_a_valid_article_file_loads(write_article) -> None:  # type: ignore[no-untyped-def]
    path = write_article()
    kb = load_knowledge_base(path.parent)
    assert [a.id for a in kb] == ["test-article"]
    assert kb.get("test-article").reviewed == dt.date(2026, 1, 15)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"category": "cooking"}, "category must be one of"),
        ({"id": "Bad_Id"}, "id must be a lower-case slug"),
        ({"tags": ""}, "tags must be a non-empty list"),
        ({"body": "too short"}, "body is too short"),
    ],
)
def test_invalid_front_matter_is_refused(write_article, changes, message) -> None:  # type: ignore[no-untyped-def]
    path = write_article(**changes)
    with pytest.raises(InvalidInput, match=message):
        load_knowledge_base(path.parent)


def test_missing_front_matter_fields_and_future_review_dates_are_refused() -> None:
    body = "\n".join(["word " * 40])
    with pytest.raises(InvalidInput, match="lacks sources"):
        parse_article(
            f"---\nid: a\ntitle: A\ncategory: sleep\ntags: [x]\nreviewed: 2026-01-01\n---\n{body}",
            "a.md",
        )
    with pytest.raises(InvalidInput, match="in the future"):
        parse_article(
            "---\nid: a\ntitle: A\ncategory: sleep\ntags: [x]\nsources: [y]\n"
            f"reviewed: 2026-06-01\n---\n{body}",
            "a.md",
            today=dt.date(2026, 1, 1),
        )
    with pytest.raises(InvalidInput, match="front matter"):
        parse_article(body, "a.md")


def test_the_file_name_must_match_the_id(write_article) -> None:  # type: ignore[no-untyped-def]
    path = write_article()
    path.rename(path.with_name("other-name.md"))
    with pytest.raises(InvalidInput, match="must equal the file name"):
        load_knowledge_base(path.parent)


def test_articles_are_due_for_review_after_a_year(knowledge: KnowledgeBase) -> None:
    article = knowledge.get("cat-cow")
    assert not article.due_for_review(article.reviewed + dt.timedelta(days=365))
    assert article.due_for_review(article.reviewed + dt.timedelta(days=366))
