"""Message attachments: what a file really is (magic bytes), safe names, storage on disk.

Pure (standard library only). The declared content type and the file name extension are not
trusted: the type comes from the file's first bytes, and only PNG, JPEG and PDF are accepted.
Files live under ``<data_dir>/attachments/`` with random names, outside the database, and are
written atomically (temporary file, then rename), so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from spinewise.core.errors import InvalidInput

# File signatures: PNG (ISO/IEC 15948 §5.2), JPEG SOI marker + next marker (ITU-T T.81 B.1.1.3),
# PDF header (ISO 32000-1 §7.5.2).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"%PDF-", "application/pdf", ".pdf"),
)
ACCEPTED = "PNG or JPEG images and PDF documents"
SNIFF_BYTES = 16
MAX_FILENAME = 120
CHUNK_BYTES = 64 * 1024
STORAGE_FOLDER = "attachments"
_KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class StoredFile:
    key: str  # random file name under <data_dir>/attachments/
    content_type: str
    size_bytes: int
    sha256: str


def sniff_type(head: bytes) -> str | None:
    """The content type that the first bytes prove, or ``None`` for anything else."""
    for signature, content_type, _ in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def safe_filename(name: str, content_type: str) -> str:
    """A display name without folders or control characters, ending in the proven extension."""
    base = unicodedata.normalize("NFC", os.path.basename(name.replace("\\", "/")))
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>:|?*')
    stem = base.rsplit(".", 1)[0].strip(" .") if "." in base else base.strip(" .")
    extension = next(ext for _, ctype, ext in SIGNATURES if ctype == content_type)
    stem = (stem or "attachment")[: MAX_FILENAME - len(extension)]
    return stem + extension


def storage_root(data_dir: Path) -> Path:
    return data_dir / STORAGE_FOLDER


def path_for(data_dir: Path, key: str) -> Path:
    """Where a stored file lives; refuses anything but a key this module generated."""
    if not _KEY.match(key):
        raise InvalidInput("attachment", "malformed storage key")
    return storage_root(data_dir) / key[:2] / key


def store(chunks: Iterable[bytes], *, data_dir: Path, max_bytes: int) -> StoredFile:
    """Write an upload to disk, checking its type from the first bytes and its size as it goes.

    Raises ``InvalidInput("file", …)`` for an empty file, a type other than PNG/JPEG/PDF, or a
    file larger than ``max_bytes``; nothing is left on disk then.
    """
    key = secrets.token_hex(16)
    final = path_for(data_dir, key)
    final.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    head = b""
    content_type: str | None = None
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                if not chunk:
                    continue
                if content_type is None:
                    head += chunk[: SNIFF_BYTES - len(head)]
                    if len(head) >= SNIFF_BYTES:
                        content_type = _proven_type(head)
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput("file", f"is larger than {_human(max_bytes)}")
                digest.update(chunk)
                out.write(chunk)
            if size == 0:
                raise InvalidInput("file", "is empty")
            if content_type is None:
                content_type = _proven_type(head)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return StoredFile(
        key=key, content_type=content_type, size_bytes=size, sha256=digest.hexdigest()
    )


def remove(data_dir: Path, key: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        path_for(data_dir, key).unlink()


def _proven_type(head: bytes) -> str:
    content_type = sniff_type(head)
    if content_type is None:
        raise InvalidInput("file", f"type not accepted; send {ACCEPTED}")
    return content_type


def _human(size_bytes: int) -> str:
    if size_bytes >= 1024 * 1024:
        return f"{size_bytes / (1024 * 1024):.0f} MB"
    if size_bytes >= 1024:
        return f"{size_bytes / 1024:.0f} KB"
    return f"{size_bytes} bytes"
