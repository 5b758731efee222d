"""Virtual health assistant: red-flag triage, knowledge base, retrieval, intents, optional LLM.

Pure modules only (no web framework, no database):

- :mod:`spinewise.assistant.triage` — red-flag triage of free text (runs first, always);
- :mod:`spinewise.assistant.semantic` — embedding-based safety net that can raise the level;
- :mod:`spinewise.assistant.knowledge` — the Markdown knowledge base and its loader;
- :mod:`spinewise.assistant.retrieval` — hybrid BM25 + sentence-embedding retrieval;
- :mod:`spinewise.assistant.intents` — app actions parsed from chat (need confirmation);
- :mod:`spinewise.assistant.llm` — optional OpenAI-compatible generation from passages;
- :mod:`spinewise.assistant.respond` — puts them together into one reply;
- :mod:`spinewise.assistant.evaluation` — triage and retrieval figures on labelled sets.

Importing this package is cheap: the embedding model loads on first use only.
"""
