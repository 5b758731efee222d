"""Server-sent events fed from the event bus: the live views of the pages (posture angles and
alerts, reminders as they fall due) are all one subscription streamed until ``max_s``."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from fastapi import Request
from fastapi.responses import StreamingResponse

KEEP_ALIVE_S = 15.0


async def bus_event_stream(
    request: Request, pattern: str, *, max_s: float, event: str | None = None
) -> StreamingResponse:
    """Stream the bus events matching ``pattern`` as SSE for ``max_s`` seconds.

    The SSE event name is ``event``, or the payload's ``type`` when ``event`` is None. The
    stream ends after ``max_s`` (the browser's EventSource reconnects by itself, after the
    2-s ``retry``), so a proxy never holds a connection for ever; a comment line every 15 s
    keeps idle connections open. The caller checks access before calling this.
    """
    subscription = await request.app.state.bus.subscribe(pattern)

    async def events() -> AsyncIterator[str]:
        deadline = datetime.now(UTC) + timedelta(seconds=max_s)
        try:
            yield "retry: 2000\n: connected\n\n"
            while datetime.now(UTC) < deadline:
                if await request.is_disconnected():
                    break
                try:
                    item = await subscription.get(timeout_s=min(KEEP_ALIVE_S, max(0.01, max_s)))
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                name = event or item.payload.get("type", "message")
                yield f"event: {name}\ndata: {json.dumps(item.payload)}\n\n"
        finally:
            await subscription.close()

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
