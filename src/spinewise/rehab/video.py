"""Checks on clinician-uploaded demonstration videos, before anything is stored.

The browser's declared content type cannot be trusted, so the type is decided from the
file's first bytes ("magic numbers"):

- **MP4** (ISO base media file format, ISO/IEC 14496-12 §4.3): bytes 4–7 are ``ftyp``
  and bytes 8–11 a major brand; we accept the brands browsers play as MP4 video
  (``isom``, ``iso2``…``iso6``, ``mp41``, ``mp42``, ``avc1``, ``dash``, ``M4V ``).
  QuickTime ``qt  `` is refused: browsers other than Safari do not play it.
- **WebM** (Matroska/EBML, RFC 9559 §5): the file starts with the EBML magic
  ``1A 45 DF A3`` and its header declares the DocType ``webm``.
"""

from __future__ import annotations

from typing import Literal

from spinewise.core.errors import InvalidInput

VideoType = Literal["video/mp4", "video/webm"]
#: Bytes needed to decide (EBML headers put the DocType within the first few dozen bytes).
SNIFF_BYTES = 64
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash"}
    | {b"M4V "}
)
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
#: Default upload limit: 100 MiB, enough for a few minutes of 720p demonstration.
DEFAULT_MAX_BYTES = 100 * 1024 * 1024


def sniff_video_type(head: bytes) -> VideoType | None:
    """``video/mp4`` or ``video/webm`` from the first bytes of a file, else ``None``."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "video/mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:SNIFF_BYTES]:
        return "video/webm"
    return None


def check_video(head: bytes, size_bytes: int, *, max_bytes: int = DEFAULT_MAX_BYTES) -> VideoType:
    """Refuse an empty, oversized or non-MP4/WebM file; return its sniffed type."""
    if size_bytes <= 0:
        raise InvalidInput("file", "the file is empty")
    if size_bytes > max_bytes:
        raise InvalidInput(
            "file", f"the file is {size_bytes / 2**20:.1f} MiB; at most {max_bytes / 2**20:g} MiB"
        )
    kind = sniff_video_type(head)
    if kind is None:
        raise InvalidInput("file", "only MP4 or WebM videos can be uploaded")
    return kind
