"""A real server and Debian's Chromium driven by Playwright.

The server runs as a subprocess (``spinewise serve``) on a free port against a demo-seeded
SQLite file, exactly as a newcomer would run it. Screenshots go to ``artifacts/screenshots``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.conftest import copy_demo, service_unavailable

# One page-assertion timeout for every browser test (it is global in Playwright: two modules
# setting their own meant the last one imported won). The test machines are shared and run the
# heavy tests on the other worker at the same time; the first assistant answer also loads the
# embedding model, so 30 s rather than Playwright's 5 s.
expect.set_options(timeout=30_000)

CHROMIUM = os.environ.get("SPINEWISE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_demo(template: Path, workdir: Path, *, warm_up_assistant: bool = False) -> Iterator[str]:
    """Serve a copy of the seeded demo (``demo_template``) from ``workdir``; yields the URL.

    ``warm_up_assistant``: prepare the assistant when the server starts, as ``serve`` does by
    default (off for servers no test asks a question of: it costs half a minute of CPU)."""
    env = copy_demo(template, workdir)
    env["SPINEWISE_ASSISTANT_WARM_UP"] = str(warm_up_assistant).lower()
    port = _free_port()
    log = open(workdir / "server.log", "w")  # noqa: SIM115 - closed at teardown
    process = subprocess.Popen(
        [sys.executable, "-m", "spinewise", "serve", "--port", str(port)],
        env=env,
        cwd=workdir,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # generous: a loaded CI machine imports slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"server did not start: {(workdir / 'server.log').read_text()[-2000:]}")
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def live_server(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve_demo(demo_template, tmp_path_factory.mktemp("live"), warm_up_assistant=True) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Any]:
    """One Playwright driver per test process: its sync API allows only one per thread, so every
    browser (the shared one, or one launched with other flags such as a fake camera) comes from it."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        service_unavailable("Playwright", exc)
    if not Path(CHROMIUM).exists():
        service_unavailable("Chromium", FileNotFoundError(CHROMIUM))
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_driver: Any) -> Iterator[object]:
    browser = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


def screenshot(page: object, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
