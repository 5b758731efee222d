"""Attachments: the type is what the bytes prove, the size is capped, nothing half-written stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from spinewise.consults.attachments import path_for, safe_filename, sniff_type, store
from spinewise.core.errors import InvalidInput

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + b"1 0 obj\n" * 5


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PNG, "image/png"), (JPEG, "image/jpeg"), (PDF, "application/pdf"), (b"<html>", None)],
)
def test_the_first_bytes_decide_the_type(content: bytes, expected: str | None) -> None:
    assert sniff_type(content[:16]) == expected


def test_a_file_arriving_one_byte_at_a_time_is_still_recognised(tmp_path: Path) -> None:
    stored = store((bytes([b]) for b in PNG), data_dir=tmp_path, max_bytes=1000)
    assert stored.content_type == "image/png" and stored.size_bytes == len(PNG)
    assert path_for(tmp_path, stored.key).read_bytes() == PNG


def test_a_script_named_like_a_picture_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="type not accepted"):
        store([b"<script>alert(1)</script>" * 3], data_dir=tmp_path, max_bytes=1000)
    assert _files(tmp_path) == []


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="larger than"):
        store([PNG, b"\x00" * 2000], data_dir=tmp_path, max_bytes=1024)
    assert _files(tmp_path) == []
    with pytest.raises(InvalidInput, match="empty"):
        store([], data_dir=tmp_path, max_bytes=1024)


def test_the_display_name_loses_folders_and_gets_the_proven_extension() -> None:
    assert safe_filename("../../etc/passwd.png", "image/png") == "passwd.png"
    assert safe_filename("C:\\Users\\me\\scan.exe", "application/pdf") == "scan.pdf"
    assert safe_filename('x-ray "lumbar".jpeg', "image/jpeg") == "x-ray lumbar.jpg"
    assert safe_filename("", "image/png") == "attachment.png"


def test_only_generated_keys_map_to_a_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        path_for(tmp_path, "../../secret")
    key = "0123456789abcdef0123456789abcdef"
    assert path_for(tmp_path, key) == tmp_path / "attachments" / "01" / key
