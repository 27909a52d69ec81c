"""Positioned YAML values: mappings and sequences that remember where each key and item stands.

Scalars are plain Python values (str, int, float, bool, None); their positions live in the
container that holds them. Every span is ``(line, column, end_line, end_column, start, end)``: 1-based
lines and columns (the start being the first character of the token, the opening quote of a quoted
scalar) and the code-point offsets of its start and end in the file's decoded text (BOM excluded),
all as the parser counted them (see stslint.loading.source_text).
"""
from __future__ import annotations

from typing import Any

Span = tuple[int, int, int, int, int, int]
"""(line, column, end_line, end_column, start offset, end offset): lines and columns 1-based, offsets
0-based code-point indexes into the decoded text; the end is exclusive."""

NO_SPAN: Span = (1, 1, 1, 1, 0, 0)


def point_span(line: int, column: int, offset: int = 0) -> Span:
    """A one-character span at a position (where an input error is reported)."""
    return (line, column, line, column + 1, offset, offset + 1)


class YMap(dict):  # type: ignore[type-arg]
    """A mapping that records, for every key, the span of the key and the span of its value."""

    __slots__ = ("spans", "span")

    def __init__(self, span: Span = NO_SPAN) -> None:
        super().__init__()
        self.spans: dict[Any, tuple[Span, Span]] = {}
        self.span = span

    def key_span(self, key: Any) -> Span:
        """The span of ``key`` (the mapping's own span when the key is absent)."""
        entry = self.spans.get(key)
        return entry[0] if entry else self.span

    def value_span(self, key: Any) -> Span:
        """The span of the value stored under ``key`` (the mapping's own span when absent)."""
        entry = self.spans.get(key)
        return entry[1] if entry else self.span

    def merged(self, key: Any) -> bool:
        """True when ``key`` was brought in by a merge key (``<<: *base``): both its spans are then
        the ``<<`` key's, and a fix must not edit through them (the text there is not this key's)."""
        entry = self.spans.get(key)
        return entry is not None and entry[0] is entry[1]


class YSeq(list):  # type: ignore[type-arg]
    """A sequence that records the span of every item."""

    __slots__ = ("spans", "span")

    def __init__(self, span: Span = NO_SPAN) -> None:
        super().__init__()
        self.spans: list[Span] = []
        self.span = span

    def item_span(self, index: int) -> Span:
        """The span of item ``index``."""
        return self.spans[index] if 0 <= index < len(self.spans) else self.span


def type_name(value: Any) -> str:
    """The YAML-ish name of a value's type, for messages ("mapping", "list", "string", ...)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return type(value).__name__
