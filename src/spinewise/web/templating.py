"""Jinja2 templates from every domain (``accounts/login.html`` lives in ``accounts/templates/``).

Pages render through ``render`` so that every template gets the signed-in user and the CSRF
token (the base layout puts it in a meta tag that HTMX sends on every request).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader, select_autoescape

DOMAINS_WITH_TEMPLATES = (
    "accounts",
    "assistant",
    "consults",
    "devices",
    "dosing",
    "imaging",
    "motion",
    "outcomes",
    "predict",
    "rehab",
    "reminders",
    "robotics",
)


def _environment() -> Environment:
    prefixed = {
        name: PackageLoader(f"spinewise.{name}", "templates") for name in DOMAINS_WITH_TEMPLATES
    }
    prefixed["web"] = PackageLoader("spinewise.web", "templates")
    return Environment(
        loader=ChoiceLoader([PrefixLoader(prefixed, delimiter="/")]),
        autoescape=select_autoescape(["html", "xml"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def localtime(moment: datetime | None, timezone: str, fmt: str = "%d %b %H:%M") -> str:
    """A UTC datetime shown in a person's own time zone (the zone's abbreviation appended)."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.strftime(fmt)} {local.tzname() or ''}".strip()


templates = Jinja2Templates(env=_environment())
templates.env.filters["localtime"] = localtime


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    viewer = getattr(request.state, "viewer", None)
    base: dict[str, Any] = {"user": viewer, "csrf_token": viewer.csrf_token if viewer else ""}
    base.update(context or {})
    return templates.TemplateResponse(request, name, base, status_code=status_code)
