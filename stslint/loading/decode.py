"""Bytes to text the way a YAML processor must: BOMs, the YAML spec's NUL-byte pattern, binaries."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)


class DecodeError(Exception):
    """The bytes are not a text file in an encoding YAML allows; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Decoded:
    """Text of a file (BOM excluded), the encoding it was read in and the BOM it started with."""

    text: str
    encoding: str
    bom: bytes = b""


def sniff_encoding(data: bytes) -> tuple[str, int]:
    """The encoding of ``data`` and the length of its BOM, per YAML 1.2 §5.2."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    head = data[:4]
    if len(head) >= 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be", 0
    if len(head) >= 4 and head[0] and head[1:4] == b"\0\0\0":
        return "utf-32-le", 0
    if len(head) >= 2 and head[0] == 0 and head[1]:
        return "utf-16-be", 0
    if len(head) >= 2 and head[0] and head[1] == 0:
        return "utf-16-le", 0
    return "utf-8", 0


def _position_of(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column, as YAML counts them (its line breaks, columns in characters), of a
    byte offset in UTF-8 bytes that decode up to it."""
    from stslint.loading.source_text import SourceText

    before = data[:offset].decode("utf-8", "replace")
    return SourceText(before).position(len(before))


def decode(data: bytes) -> Decoded:
    """Decode a manifest's bytes; raise DecodeError for binaries and undecodable text."""
    encoding, bom = sniff_encoding(data)
    body = data[bom:]
    if encoding == "utf-8" and b"\0" in body:
        line, column = _position_of(body, body.index(b"\0"))
        raise DecodeError("binary file (contains a NUL byte)", line, column)
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as exc:
        line, column = _position_of(body, exc.start) if encoding == "utf-8" else (1, 1)
        raise DecodeError(
            f"not valid {encoding.upper()} text (byte 0x{body[exc.start]:02x} at offset {exc.start + bom})",
            line, column,
        ) from None
    if "\0" in text:
        from stslint.loading.source_text import SourceText

        line, column = SourceText(text).position(text.index("\0"))
        raise DecodeError("binary file (contains a NUL character)", line, column)
    return Decoded(text, encoding, data[:bom])
