"""Applying fixes: offset edits against a file's one source text, written back byte for byte.

An edit replaces ``[start, end)`` — code-point offsets into the decoded text, BOM excluded — so
applying edits touches nothing else: the line breaks, comments, quoting and indentation around them
stay as written, and writing restores the file's encoding and BOM.
"""
from __future__ import annotations

from typing import Iterable

from stslint.findings import Edit
from stslint.loading.source_text import SourceText


class EditConflict(ValueError):
    """Edits that overlap or fall outside the text."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with the edits applied (all against the original text; they must not overlap)."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        if not 0 <= edit.start <= edit.end <= len(text):
            raise EditConflict(f"edit [{edit.start}, {edit.end}) lies outside a text of {len(text)} characters")
        if edit.start < position:
            raise EditConflict(f"edit [{edit.start}, {edit.end}) overlaps the edit before it")
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def fixed_bytes(source: SourceText, edits: Iterable[Edit]) -> bytes:
    """The bytes of a file after the edits: its encoding and BOM as they were."""
    return source.encode(apply_edits(source.text, edits))
