"""Conventions shared by every CLI command (DESIGN §5).

- ``--json`` prints machine-readable JSON on stdout;
- bad input exits 2 with exactly one line on stderr, never a traceback;
- output files are written atomically, so a failed command never leaves a partial file.
"""

from __future__ import annotations

import functools
import json
import math
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

from rich.console import Console

from spinewise.core.errors import SpinewiseError

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line on stderr and exit (2 = bad input, by the CLI contract)."""
    line = " ".join(str(message).split())
    print(f"error: {line}", file=sys.stderr)
    raise SystemExit(code)


def cli_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors and unreadable files into the one-line exit-2 contract."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except SpinewiseError as exc:
            fail(exc.message)
        except FileNotFoundError as exc:
            fail(f"file not found: {exc.filename}")
        except IsADirectoryError as exc:
            fail(f"is a directory, not a file: {exc.filename}")
        except PermissionError as exc:
            fail(f"permission denied: {exc.filename}")
        except UnicodeDecodeError:
            fail("the file is not UTF-8 text")
        except json.JSONDecodeError as exc:
            fail(f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")

    return wrapper


def _jsonable(value: Any) -> Any:
    """NaN and infinity are not JSON; report them as null rather than emit invalid JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _jsonable(value.item())
    return value


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(_jsonable(data), indent=2, ensure_ascii=False) + "\n")


def load_json_file(path: Path) -> Any:
    """Read a JSON file; errors become the one-line contract via ``cli_errors``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file so that readers see either the old file or the whole new one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_figure_atomic(figure: Any, path: Path) -> None:
    """Save a matplotlib figure atomically (the format follows the file suffix)."""
    import io

    buffer = io.BytesIO()
    suffix = Path(path).suffix.lstrip(".") or "png"
    figure.savefig(buffer, format=suffix, dpi=120, bbox_inches="tight")
    write_atomic(path, buffer.getvalue())
