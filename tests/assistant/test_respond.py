"""One reply per message: triage first, then knowledge and app actions."""

from __future__ import annotations

import re

import pytest

from spinewise.assistant.knowledge import KnowledgeBase
from spinewise.assistant.respond import SEEK_HELP_ARTICLES, Assistant
from spinewise.assistant.retrieval import HybridRetriever
from spinewise.assistant.triage import PatientProfile

from .conftest import HashingEncoder

SELF_CARE = re.compile(
    r"\b(?:exercise|stretch|heat|hot water|ice pack|paracetamol|ibuprofen|painkiller|mattress|"
    r"pillow|walk)",
    re.IGNORECASE,
)


@pytest.fixture
def assistant(knowledge: KnowledgeBase) -> Assistant:
    encoder = HashingEncoder()
    return Assistant(knowledge, HybridRetriever(knowledge, encoder=encoder, cache_dir=False))


def test_emergency_reply_is_only_what_to_do_now(assistant: Assistant) -> None:
    reply = assistant.reply("numb between my legs since this morning, which exercises help?")
    data = reply.to_dict()
    assert data["triage"] == "emergency"
    assert not SELF_CARE.search(data["answer"])
    assert data["actions"][0]["type"] == "call_emergency_services"
    assert data["actions"][1]["type"] == "notify_care_team"
    assert data["sources"] == [
        {"title": "Cauda equina syndrome: emergency signs", "id": "cauda-equina-syndrome"}
    ]
    assert reply.passages == ()  # no retrieval at all


def test_emergency_reply_drops_app_actions(assistant: Assistant) -> None:
    data = assistant.reply("my pain is 9 and I have lost control of my bowels").to_dict()
    assert data["triage"] == "emergency"
    assert [a["type"] for a in data["actions"]] == ["call_emergency_services", "notify_care_team"]


def test_escalation_sources_are_all_when_to_get_help_articles(
    assistant: Assistant, knowledge: KnowledgeBase
) -> None:
    for ids in SEEK_HELP_ARTICLES.values():
        for article_id in ids:
            assert knowledge.get(article_id).seek_help


def test_urgent_reply_alerts_the_team_and_keeps_app_actions(assistant: Assistant) -> None:
    data = assistant.reply(
        "my pain is 7 today and I slipped in the shower", PatientProfile(osteoporosis=True)
    ).to_dict()
    assert data["triage"] == "urgent"
    types = [a["type"] for a in data["actions"]]
    assert types[:2] == ["seek_same_day_care", "notify_care_team"]
    assert "log_pain" in types
    assert data["sources"] == [{"title": "Could it be a fracture?", "id": "possible-fracture"}]


def test_self_care_question_is_answered_from_the_knowledge_base(assistant: Assistant) -> None:
    data = assistant.reply("how should I set up my desk and chair?").to_dict()
    assert data["triage"] == "self_care"
    assert data["sources"][0]["id"] == "sitting-at-a-desk"
    assert data["answer"].startswith("From \u201cSitting at a desk")
    assert "999" in data["answer"]  # the safety net always follows self-care information


def test_routine_reply_puts_the_review_advice_first(assistant: Assistant) -> None:
    data = assistant.reply("my sciatica has lasted 3 months, what can I do?").to_dict()
    assert data["triage"] == "routine"
    assert data["answer"].index("review") < data["answer"].index("From ")
    assert any(a["type"] == "suggest_review" for a in data["actions"])


def test_action_only_messages_skip_retrieval(knowledge: KnowledgeBase) -> None:
    encoder = HashingEncoder()
    assistant = Assistant(knowledge, HybridRetriever(knowledge, encoder=encoder, cache_dir=False))
    data = assistant.reply("remind me to do my exercises at 6 pm").to_dict()
    assert encoder.calls == 0
    assert data["actions"][0]["type"] == "set_reminder"
    assert data["answer"].startswith("Set a reminder")
    assert assistant.reply("I want to talk to a person").to_dict()["actions"][0]["type"] == (
        "handover"
    )
    assert encoder.calls == 0
