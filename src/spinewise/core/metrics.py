"""Prometheus metrics: one registry per app instance (tests build many apps in one process)."""

from __future__ import annotations

import time

import structlog
from fastapi import Response
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("spinewise.http")


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "spinewise_http_requests_total",
            "HTTP requests by method, route template and status code.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "spinewise_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["route"],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        )

    def observe(self, method: str, route: str, status: int, elapsed_s: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(elapsed_s)
        if route not in ("/healthz", "/metrics", "/static"):
            log.info(
                "http.request",
                method=method,
                route=route,
                status=status,
                ms=round(elapsed_s * 1000, 1),
            )

    def render(self) -> Response:
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Counts and times every HTTP request (pure ASGI: no per-request task or body copy, which
    ``BaseHTTPMiddleware`` costs). The latency is the time to the response's first byte, so a
    long-lived stream (SSE) counts its set-up, not its lifetime."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        observed = False

        def observe(status: int) -> None:
            nonlocal observed
            observed = True
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], route, status, time.perf_counter() - started)

        async def send_observed(message: Message) -> None:
            if message["type"] == "http.response.start" and not observed:
                observe(int(message["status"]))
            await send(message)

        try:
            await self.app(scope, receive, send_observed)
        finally:
            if not observed:  # an error escaped before any response: the server answers 500
                observe(500)
