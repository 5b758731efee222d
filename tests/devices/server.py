"""A real ``spinewise serve`` in a subprocess, for crash tests and the load benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

import spinewise

# The subprocess imports the same source tree as this process (a worktree, not the install).
SOURCE_ROOT = str(Path(spinewise.__file__).resolve().parents[1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``python -m spinewise serve`` on a free port against ``database_url``."""

    def __init__(
        self,
        database_url: str,
        workdir: Path,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
    ) -> None:
        self.database_url = database_url
        self.workdir = Path(workdir)
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(
                [SOURCE_ROOT] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
            ),
            "SPINEWISE_DATABASE_URL": database_url,
            "SPINEWISE_SECRET_KEY": "server-test-secret-" + "s" * 32,
            "SPINEWISE_ENV": "test",
            "SPINEWISE_LOG_JSON": "true",
            "SPINEWISE_ASSISTANT_WARM_UP": "false",  # no test here asks the assistant
            "SPINEWISE_DATA_DIR": str(self.workdir / "data"),
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = self.workdir / f"server-{self.port}.log"

    def start(self, timeout_s: float = 90.0) -> ServerProcess:  # a loaded 2-core box imports slowly
        log = open(self.log_path, "ab")  # noqa: SIM115 - owned by the process, closed in stop
        self.process = subprocess.Popen(
            [sys.executable, "-m", "spinewise", "serve", "--port", str(self.port)]
            + (["--workers", str(self.workers)] if self.workers > 1 else []),
            env=self.env,
            cwd=self.workdir,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: workers die with it
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"server did not start: {self.log()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the server and its workers: no shutdown code runs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
