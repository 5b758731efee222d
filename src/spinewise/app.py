"""The FastAPI application factory: one place that wires settings, database, bus and routes.

``create_app(settings)`` builds its own engine; there is no module-level engine or settings, so a
test runs on a temporary database without touching the environment.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from urllib.parse import quote

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import spinewise
from spinewise.accounts import api as accounts_api
from spinewise.accounts import pages as accounts_pages
from spinewise.assistant import api as assistant_api
from spinewise.assistant import pages as assistant_pages
from spinewise.assistant import service as assistant_service
from spinewise.assistant.deps import start_warm_up as start_assistant_warm_up
from spinewise.config import Settings
from spinewise.consults import api as consults_api
from spinewise.consults import pages as consults_pages
from spinewise.consults import panel as consults_panel
from spinewise.consults import service as consults_service
from spinewise.core.errors import NotAuthenticated, SpinewiseError, TooManyAttempts
from spinewise.core.events import make_bus
from spinewise.core.gc_tuning import tune_for_long_lived_process
from spinewise.core.logging import configure_logging
from spinewise.core.mail import Mailer
from spinewise.core.metrics import HttpMetrics, MetricsMiddleware
from spinewise.db import make_engine, make_session_factory, upgrade_schema
from spinewise.devices import api as devices_api
from spinewise.devices import pages as devices_pages
from spinewise.devices.background import start_device_background
from spinewise.devices.runtime import LiveIngestor
from spinewise.dosing import api as dosing_api
from spinewise.dosing import pages as dosing_pages
from spinewise.fhir import api as fhir_api
from spinewise.imaging import api as imaging_api
from spinewise.imaging import pages as imaging_pages
from spinewise.motion import api as motion_api
from spinewise.outcomes import api as outcomes_api
from spinewise.outcomes import pages as outcomes_pages
from spinewise.predict import api as predict_api
from spinewise.predict import pages as predict_pages
from spinewise.rehab import api as rehab_api
from spinewise.rehab import pages as rehab_pages
from spinewise.rehab import service as rehab_service
from spinewise.reminders import api as reminders_api
from spinewise.reminders import pages as reminders_pages
from spinewise.reminders.jobs import ReminderScheduler, start_scheduler
from spinewise.robotics import api as robotics_api
from spinewise.robotics import pages as robotics_pages
from spinewise.robotics.tasks import TherapyRunner
from spinewise.web.templating import render

API_PREFIXES = ("/api/", "/fhir")

# Browsers may load only what the app itself serves (no CDN, nothing leaves the origin).
# 'wasm-unsafe-eval' lets pages compile WebAssembly served from /static: the imaging viewer's
# decode worker (JPEG 2000, JPEG-LS, JPEG XL, HTJ2K, baseline JPEG codecs) and MediaPipe Pose
# for camera coaching. It allows WebAssembly compilation only, not JavaScript eval().
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    (
        "Permissions-Policy",
        "camera=(self), microphone=(self), accelerometer=(self), gyroscope=(self)",
    ),
)


def create_server_app() -> FastAPI:
    """The app as ``spinewise serve`` runs it (uvicorn's factory, once per worker): a
    long-lived process, whose garbage collector is tuned once started (``core.gc_tuning``)."""
    app = create_app()
    app.state.long_lived = True
    return app


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    configure_logging(
        json_logs=settings.log_json,
        level=logging.WARNING if settings.env == "test" else logging.INFO,
    )
    engine = make_engine(settings.database_url)
    upgrade_schema(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        finaliser = asyncio.create_task(_finalise_idle_devices(app))
        device_background = start_device_background(app)  # MQTT ingestion, raw archive
        reminder_scheduler = start_scheduler(app)  # embedded, persisted in the database
        if getattr(app.state, "long_lived", False):
            if settings.assistant_warm_up:
                start_assistant_warm_up(app.state)  # the first question need not wait
            tune_for_long_lived_process()  # after start-up: see core.gc_tuning
        yield
        if reminder_scheduler is not None:
            await reminder_scheduler.stop()
        await device_background.stop()
        finaliser.cancel()
        await app.state.robotics.shutdown()
        await app.state.bus.close()
        engine.dispose()

    app = FastAPI(
        title="Spinewise",
        version=spinewise.__version__,
        description="Back-pain care platform API. Patient data routes enforce care-team access.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.bus = make_bus(settings.event_bus, settings.redis_url)
    app.state.mailer = Mailer(settings, outbox=[] if settings.env == "test" else None)
    app.state.ingestor = LiveIngestor(app.state.session_factory, app.state.bus)
    app.state.robotics = TherapyRunner(app.state.session_factory, app.state.bus)
    app.state.reminders = ReminderScheduler(
        app.state.session_factory, settings=settings, bus=app.state.bus, mailer=app.state.mailer
    )
    metrics = HttpMetrics()
    app.state.metrics = metrics

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(SecurityHeadersMiddleware)
    _install_error_handlers(app)

    static_dir = resources.files("spinewise.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static_dir)), name="static")

    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/metrics", tags=["operations"], include_in_schema=False)
    def metrics_endpoint() -> Response:
        return metrics.render()

    # Each domain's JSON routes and pages, in one list (a new domain adds one line).
    for api_module, pages_module in (
        (accounts_api, accounts_pages),
        (devices_api, devices_pages),
        (outcomes_api, outcomes_pages),
        (rehab_api, rehab_pages),
        (consults_api, consults_pages),
        (dosing_api, dosing_pages),
        (predict_api, predict_pages),
        (robotics_api, robotics_pages),
        (reminders_api, reminders_pages),
        (imaging_api, imaging_pages),
        (assistant_api, assistant_pages),
    ):
        app.include_router(api_module.router)
        app.include_router(pages_module.router)
    app.include_router(fhir_api.router)  # FHIR R4 at /fhir (no pages)
    app.include_router(motion_api.router)  # camera coaching: JSON only, shown in rehab's pages
    # The physiotherapy section of the video-call panel (consults.panel hook).
    consults_panel.register(rehab_pages.call_panel_section)
    # Unread messages become a "needs attention" flag on the clinician's dashboard.
    if consults_service.unread_by_patient not in rehab_service.MESSAGE_FLAG_PROVIDERS:
        rehab_service.MESSAGE_FLAG_PROVIDERS.append(consults_service.unread_by_patient)
    # Urgent and emergency messages to the assistant flag the patient until acknowledged.
    if assistant_service.red_flags_by_patient not in rehab_service.FLAG_PROVIDERS:
        rehab_service.FLAG_PROVIDERS.append(assistant_service.red_flags_by_patient)
    return app


async def _finalise_idle_devices(app: FastAPI) -> None:
    """In-process job: flush the posture of devices that stopped sending (see devices.service)."""
    idle_s = app.state.settings.posture_idle_s
    while True:
        await asyncio.sleep(min(30.0, idle_s / 2))
        try:
            await app.state.ingestor.finalise_idle(idle_s=idle_s)
        except Exception:  # keep the job alive; the next round retries
            structlog.get_logger("spinewise.devices").exception("posture.finalise_failed")


class SecurityHeadersMiddleware:
    """Security headers on every HTTP response (pure ASGI, so it adds no per-request task)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        no_store = path.startswith(API_PREFIXES) or path.startswith("/me")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS:
                    headers.setdefault(name, value)
                if no_store:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(SpinewiseError)
    async def domain_error(request: Request, exc: SpinewiseError) -> Response:
        headers: dict[str, str] = {}
        if isinstance(exc, TooManyAttempts):
            headers["Retry-After"] = str(exc.retry_after_s)
        if request.url.path.startswith("/fhir"):
            return fhir_api.fhir_error_response(exc)
        if _wants_json(request):
            if isinstance(exc, NotAuthenticated):
                headers["WWW-Authenticate"] = "Bearer"
            return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)
        if isinstance(exc, NotAuthenticated) and request.method == "GET":
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            return RedirectResponse(f"/login?next={target}", status_code=303)
        template = (
            "web/error_fragment.html" if request.headers.get("HX-Request") else "web/error.html"
        )
        title = {
            401: "Please sign in",
            403: "Not allowed",
            404: "Not found",
            429: "Please wait",
        }.get(exc.status_code, "Please check your input")
        response = render(
            request, template, {"title": title, "detail": exc.message}, exc.status_code
        )
        response.headers.update(headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {
                "loc": list(e.get("loc", ())),
                "msg": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        if request.url.path.startswith("/fhir"):
            return fhir_api.fhir_validation_response(errors)
        if _wants_json(request):
            return JSONResponse({"error": "invalid_input", "detail": errors}, status_code=422)
        detail = "; ".join(
            f"{'.'.join(map(str, e['loc'][1:])) or 'input'}: {e['msg']}" for e in errors
        )
        template = (
            "web/error_fragment.html" if request.headers.get("HX-Request") else "web/error.html"
        )
        return render(
            request, template, {"title": "Please check your input", "detail": detail}, 422
        )
