"""The one source text of a file: the decoded text, how to write it back, and its line table.

Every position stslint reports comes from the YAML parser as a 1-based line and column, where a line
ends at any of YAML's line breaks (LF, CRLF, CR, NEL, LS, PS) and a column counts code points. The
line table here is built with exactly those breaks, so ``offset(line, column)`` is the code-point
index into ``text`` that the parser itself counted (the tests check it against the parser's own
marks). Suppression comments, code frames, fixes and the editor server all read lines through this
table, never by splitting on ``\\n`` themselves.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, repeat
from operator import add

LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
"""YAML 1.1's line breaks: what the parser counts lines by."""
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")

DIRECTIVE_MARKER = re.compile("stslint:", re.IGNORECASE | re.ASCII)
"""What every suppression comment holds, in any case (``# stslint:``, ``# STSLINT:``), as ruff reads
``# NOQA``; ASCII letters only (no ``ſ`` for ``s``)."""


def mentions_directive(text: str) -> bool:
    """Whether ``text`` may hold a suppression comment (it holds ``stslint:`` in some case): a quick
    test before the comments are looked at (one pass for the usual lowercase, one over a lowercased
    copy otherwise)."""
    return "stslint:" in text or "stslint:" in text.lower()


class SourceText:
    """A file's decoded text (BOM excluded), its encoding and BOM, and a lazily built line table."""

    __slots__ = ("text", "encoding", "bom", "_starts", "_ends")

    def __init__(self, text: str, encoding: str = "utf-8", bom: bytes = b"") -> None:
        self.text = text
        self.encoding = encoding
        self.bom = bom
        self._starts: list[int] | None = None
        self._ends: list[int] | None = None

    def __repr__(self) -> str:
        return f"SourceText({len(self.text)} characters, {self.encoding}{', BOM' if self.bom else ''})"

    def _table(self) -> tuple[list[int], list[int]]:
        if self._starts is None or self._ends is None:
            text = self.text
            if not any(brk in text for brk in _OTHER_BREAKS):  # only \n: a split, no regex match per line
                lengths = list(map(len, text.split("\n")))
                ends = list(map(add, accumulate(lengths), range(len(lengths))))  # line i ends after i breaks
                starts = [0, *map(add, ends[:-1], repeat(1))]
            else:
                starts, ends = [0], []
                for match in LINE_BREAK.finditer(text):
                    ends.append(match.start())
                    starts.append(match.end())
                ends.append(len(text))
            self._starts, self._ends = starts, ends
        return self._starts, self._ends

    def line_starts(self) -> list[int]:
        """The offset where each line starts, in order (the table itself: do not modify it)."""
        return self._table()[0]

    @property
    def line_count(self) -> int:
        """How many lines the text has (an empty last line after a final break counts)."""
        return len(self._table()[0])

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) without its line break; "" out of range."""
        starts, ends = self._table()
        if not 1 <= number <= len(starts):
            return ""
        return self.text[starts[number - 1]:ends[number - 1]]

    def lines(self) -> list[str]:
        """Every line, without line breaks."""
        starts, ends = self._table()
        return [self.text[start:end] for start, end in zip(starts, ends)]

    def line_start(self, number: int) -> int:
        """The offset where line ``number`` starts (clamped to the text)."""
        starts, _ = self._table()
        if number < 1:
            return 0
        if number > len(starts):
            return len(self.text)
        return starts[number - 1]

    def line_end(self, number: int) -> int:
        """The offset where line ``number``'s content ends, before its line break (clamped)."""
        _, ends = self._table()
        if number < 1:
            return 0
        if number > len(ends):
            return len(self.text)
        return ends[number - 1]

    def offset(self, line: int, column: int) -> int:
        """The code-point offset of a 1-based line and column (clamped to the text)."""
        return min(self.line_start(line) + max(column, 1) - 1, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based (line, column) of an offset."""
        starts, _ = self._table()
        offset = min(max(offset, 0), len(self.text))
        index = bisect_right(starts, offset) - 1
        return index + 1, offset - starts[index] + 1

    def line_of(self, offset: int) -> int:
        """The 1-based line holding an offset."""
        return self.position(offset)[0]

    def encode(self, text: str | None = None) -> bytes:
        """``text`` (default: this text) as the file's bytes: its encoding and BOM restored."""
        return self.bom + (self.text if text is None else text).encode(self.encoding, "surrogatepass")
