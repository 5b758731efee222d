"""Optional LLM answers, tested against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from spinewise.assistant.knowledge import KnowledgeBase
from spinewise.assistant.llm import LLMConfig, LLMError, build_messages, generate_answer
from spinewise.assistant.respond import Assistant
from spinewise.assistant.retrieval import HybridRetriever
from spinewise.core.errors import InvalidInput


class FakeLLM:
    """A tiny chat-completions server: records requests, answers with ``reply``."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reply = "Side sleeping with a pillow between the knees can help [1]."
        self.status = 200
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                body = json.loads(self.rfile.read(length))
                fake.requests.append(
                    {"path": self.path, "body": body, "auth": self.headers.get("Authorization")}
                )
                payload = {"choices": [{"message": {"role": "assistant", "content": fake.reply}}]}
                data = json.dumps(payload).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeLLM:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_llm() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture
def assistant_with_llm(knowledge: KnowledgeBase, fake_llm: FakeLLM) -> Assistant:
    retriever = HybridRetriever(knowledge, mode="bm25")
    return Assistant(knowledge, retriever, LLMConfig(url=fake_llm.url, api_key="k"))


def test_llm_is_off_unless_the_url_is_set() -> None:
    assert LLMConfig.from_env({}) is None
    config = LLMConfig.from_env({"SPINEWISE_LLM_URL": "http://127.0.0.1:9/v1"})
    assert config is not None and config.endpoint == "http://127.0.0.1:9/v1/chat/completions"
    with pytest.raises(InvalidInput):
        LLMConfig(url="ftp://example")


def test_the_model_sees_only_numbered_passages(knowledge: KnowledgeBase) -> None:
    results = HybridRetriever(knowledge, mode="bm25").search("best sleeping position", k=2)
    messages = build_messages("best sleeping position", results)
    assert "ONLY the numbered passages" in messages[0]["content"]
    assert "[1] " in messages[1]["content"] and "[2] " in messages[1]["content"]
    assert messages[1]["content"].endswith("Question: best sleeping position")


def test_a_cited_answer_is_used_with_its_sources(
    assistant_with_llm: Assistant, fake_llm: FakeLLM
) -> None:
    reply = assistant_with_llm.reply("what is the best sleeping position for back pain?")
    assert reply.generator == "llm"
    assert reply.answer.startswith("Side sleeping with a pillow")
    assert len(reply.sources) == 1  # only the cited passage's article
    request = fake_llm.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer k"
    assert request["body"]["temperature"] == 0


def test_an_answer_without_citations_is_discarded_for_the_passages(
    assistant_with_llm: Assistant, fake_llm: FakeLLM
) -> None:
    fake_llm.reply = "You should definitely try acupuncture."
    reply = assistant_with_llm.reply("what is the best sleeping position for back pain?")
    assert reply.generator == "extractive"
    assert "acupuncture" not in reply.answer
    assert len(fake_llm.requests) == 1


def test_citations_to_passages_that_do_not_exist_are_removed(
    knowledge: KnowledgeBase, fake_llm: FakeLLM
) -> None:
    fake_llm.reply = "Use a pillow [1]. Sleep on the floor [7]."
    results = HybridRetriever(knowledge, mode="bm25").search("pillow", k=2)
    answer = generate_answer("pillow?", results, LLMConfig(url=fake_llm.url))
    assert "[7]" not in answer.text and "[1]" in answer.text
    assert answer.cited_article_ids == (results[0].article_id,)


def test_a_server_error_falls_back_to_the_passages(
    assistant_with_llm: Assistant, fake_llm: FakeLLM
) -> None:
    fake_llm.status = 500
    reply = assistant_with_llm.reply("how do I choose a mattress?")
    assert reply.generator == "extractive"
    assert reply.answer.startswith("From ")


def test_an_unreachable_endpoint_raises_a_domain_error(knowledge: KnowledgeBase) -> None:
    results = HybridRetriever(knowledge, mode="bm25").search("pillow", k=1)
    with pytest.raises(LLMError):
        generate_answer("pillow?", results, LLMConfig(url="http://127.0.0.1:9/v1", timeout_s=1))


@pytest.mark.parametrize(
    "message",
    [
        "I can't feel anything when I wipe, what exercises should I do?",
        "fever and back pain, which stretches help?",
    ],
)
def test_triage_overrides_the_model_for_red_flags(
    assistant_with_llm: Assistant, fake_llm: FakeLLM, message: str
) -> None:
    reply = assistant_with_llm.reply(message)
    assert reply.triage.level in {"urgent", "emergency"}
    assert fake_llm.requests == []  # the model was never asked
    assert reply.generator == "triage"
