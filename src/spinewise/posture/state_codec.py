"""A compact, exact binary form of a ``PostureStream`` state (what a device's engine persists).

The JSON form (``PostureStream.get_state``) writes every array element as decimal text: a
device's state is ~27 KB of JSON, and turning it into text and back costs more CPU than feeding
the engine a second of data. Here the arrays keep their bytes and only the small rest is JSON:

    b"SWPS" | format (1 byte) | body length (uint32, little-endian) | LZ4 frame of the body
    body = header length (uint32) | header (JSON, UTF-8) | the arrays' bytes, each in C order

In the header an array is ``{"__nd__": [dtype, shape, offset, nbytes]}``; NumPy scalars become
Python numbers, tuples become lists (as with JSON); floats are written in their shortest exact
form (orjson), so they read back bit for bit. Decoding gives arrays equal bit for bit
(same dtype, same byte order), so a stream restored from it continues exactly as the original
(``tests/posture/test_state_codec.py``). The body is LZ4-compressed (through pyarrow, already a
dependency): ~37 KB (mostly the flexion histogram's zeros) become ~7 KB in ~15 µs, where zlib
takes ~250 µs for the same size.

Pure: no database, no web. No pickle: a stored state is data, never code.
"""

from __future__ import annotations

import functools
import json
import math
import struct
from typing import Any

import numpy as np
import orjson

MAGIC = b"SWPS"
FORMAT_VERSION = 1  # the byte after MAGIC: 1 = LZ4-frame-compressed body
_OUTER = struct.Struct("<4sBI")  # magic, format, length of the uncompressed body
_BODY = struct.Struct("<I")  # length of the JSON header


class StateCodecError(ValueError):
    """The bytes are not a state written by ``encode_state``."""


_SCALARS = frozenset({int, str, bool, type(None)})


def encode_state(state: dict[str, Any]) -> bytes:
    """``state`` (dicts, lists, numbers, strings, None and NumPy arrays) → bytes."""
    encoder = _Encoder()
    tree = encoder.walk(state)
    # orjson writes floats exactly (shortest round-trip form) but NaN and infinity as null;
    # the standard library keeps them (as NaN/Infinity), so it takes the rare state with one.
    if encoder.finite:
        header = orjson.dumps(tree)
    else:
        header = json.dumps(tree, separators=(",", ":")).encode()
    body = _BODY.pack(len(header)) + header + b"".join(encoder.blobs)
    return _OUTER.pack(MAGIC, FORMAT_VERSION, len(body)) + _lz4().compress(body, asbytes=True)


class _Encoder:
    """The walk of ``encode_state``: arrays out to ``blobs``, the rest as a JSON tree. A class,
    not a recursive closure: a nested function that calls itself is a reference cycle, left
    for the garbage collector after every call (once per ingested batch)."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.offset = 0
        self.finite = True

    def walk(self, value: Any) -> Any:
        kind = type(value)
        if kind is float:
            if self.finite and not math.isfinite(value):
                self.finite = False
            return value
        if kind in _SCALARS:
            return value
        if kind is np.ndarray:
            if value.dtype.hasobject:
                raise TypeError("object arrays cannot be encoded")
            data = np.ascontiguousarray(value).tobytes()
            self.blobs.append(data)
            entry = {"__nd__": [value.dtype.str, list(value.shape), self.offset, len(data)]}
            self.offset += len(data)
            return entry
        if kind is dict:
            if "__nd__" in value:
                raise TypeError("a state dict must not use the key '__nd__'")
            return {k: self.walk(v) for k, v in value.items()}
        if kind is list or kind is tuple:
            return [self.walk(v) for v in value]
        if isinstance(value, np.generic):
            return self.walk(value.item())
        if isinstance(value, np.ndarray | dict | list | tuple):  # subclasses: the slow way
            return self.walk(np.asarray(value) if isinstance(value, np.ndarray) else _plain(value))
        return value


@functools.cache
def _lz4() -> Any:
    import pyarrow  # already a dependency (the raw archive); imported on first use

    return pyarrow.Codec("lz4")


def _plain(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else list(value)


def is_encoded_state(data: bytes) -> bool:
    return bytes(data[:4]) == MAGIC


def decode_state(data: bytes) -> dict[str, Any]:
    """Bytes from ``encode_state`` → the state, arrays as writable NumPy arrays."""
    if not is_encoded_state(data):
        raise StateCodecError("not an encoded posture state")
    try:
        _, version, size = _OUTER.unpack_from(data)
        if version != FORMAT_VERSION:
            raise StateCodecError(f"unsupported posture state format {version}")
        body = _lz4().decompress(bytes(data[_OUTER.size :]), size, asbytes=True)
        (header_len,) = _BODY.unpack_from(body)
    except (OSError, ValueError, struct.error) as exc:
        if isinstance(exc, StateCodecError):
            raise
        raise StateCodecError(f"corrupt posture state: {exc}") from None
    start = _BODY.size + header_len
    if len(body) != size or start > len(body):
        raise StateCodecError("corrupt posture state: truncated")
    try:
        header = orjson.loads(body[_BODY.size : start])
    except orjson.JSONDecodeError:  # NaN or Infinity in the header (see encode_state)
        header = json.loads(body[_BODY.size : start])
    arrays = memoryview(body)[start:]

    decoded = _decode(header, arrays)
    if not isinstance(decoded, dict):
        raise StateCodecError("corrupt posture state: the header is not an object")
    return decoded


def _decode(value: Any, arrays: memoryview) -> Any:
    """The walk of ``decode_state`` (a module function: no reference cycle per call)."""
    if isinstance(value, dict):
        entry = value.get("__nd__")
        if entry is not None:
            dtype, shape, offset, nbytes = entry
            if offset + nbytes > len(arrays):
                raise StateCodecError("corrupt posture state: array out of bounds")
            array = np.frombuffer(arrays[offset : offset + nbytes], dtype=np.dtype(dtype))
            return array.reshape(shape).copy()  # writable, independent of the buffer
        return {k: _decode(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v, arrays) for v in value]
    return value
