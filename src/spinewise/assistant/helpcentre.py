"""The help centre's view of the knowledge base: article bodies rendered from Markdown.

Rendering uses markdown-it-py in CommonMark mode with raw HTML switched off, so anything that
looks like HTML in an article is shown as text, never run; links open only ``http(s)``,
``mailto`` and site-relative addresses. Pure: text in, HTML text out.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from spinewise.assistant.knowledge import Article

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_SAFE_LINK = re.compile(r"^(?:https?://|mailto:|/|#)", re.IGNORECASE)
_MARKDOWN.validateLink = lambda url: bool(_SAFE_LINK.match(url.strip()))  # type: ignore[method-assign]


def article_html(article: Article) -> str:
    """The article body as HTML without its ``# Title`` line (the page shows the title)."""
    body = "\n".join(
        line for line in article.body.splitlines() if not re.match(r"^#\s", line)
    ).strip()
    return _MARKDOWN.render(body)
