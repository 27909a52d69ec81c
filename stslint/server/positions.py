"""Positions as the Language Server Protocol counts them.

stslint's spans carry code-point offsets into a file's decoded text (and YAML lines, which also end
at NEL, LS and PS). LSP counts lines at ``\\n``, ``\\r\\n`` and ``\\r`` only, and characters in the
code units of the position encoding the client and server agreed on (UTF-16 unless both prefer
another). :class:`LspText` converts between the two, from offsets, never from YAML line numbers.
"""
from __future__ import annotations

import re
from bisect import bisect_right

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF8, UTF16, UTF32)

LSP_LINE_BREAK = re.compile("\r\n|\n|\r")
"""What ends a line for LSP (3.17, "Position"): nothing else does, not NEL, LS or PS."""

_WIDE = re.compile("[\U00010000-\U0010ffff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + len(_WIDE.findall(text))
    return len(text.encode("utf-8", "surrogatepass"))


def _code_points(line: str, count: int, encoding: str) -> int:
    """How many code points of ``line`` the first ``count`` code units of ``encoding`` cover (a
    position inside a character moves to the character's end; past the line, the line's length)."""
    if encoding == UTF32 or line.isascii():
        return min(count, len(line))
    used = 0
    for index, char in enumerate(line):
        if used >= count:
            return index
        used += units(char, encoding)
    return len(line)


class LspText:
    """A text's LSP line table: offsets (code points) to LSP positions and back."""

    __slots__ = ("text", "encoding", "_starts")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding if encoding in ENCODINGS else UTF16
        starts = [0]
        starts.extend(match.end() for match in LSP_LINE_BREAK.finditer(text))
        self._starts = starts

    @property
    def line_count(self) -> int:
        """How many LSP lines the text has."""
        return len(self._starts)

    def _line_end(self, line: int) -> int:
        """The offset where LSP line ``line`` (0-based) ends, before its line break."""
        if line + 1 < len(self._starts):
            end = self._starts[line + 1] - 1
            if end > self._starts[line] and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based (line, character) of a code-point offset (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        end = min(offset, self._line_end(line))  # inside a \r\n: at the \r
        return line, units(self.text[start:end], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The code-point offset of a 0-based LSP position (clamped: a line past the end is the end
        of the text, a character past the line's end is the line's end)."""
        if line < 0:
            return 0
        if line >= len(self._starts):
            return len(self.text)
        start = self._starts[line]
        text = self.text[start:self._line_end(line)]
        return start + _code_points(text, max(character, 0), self.encoding)


def apply_change(text: str, start: tuple[int, int], end: tuple[int, int], new_text: str,
                 encoding: str = UTF16) -> str:
    """``text`` with the LSP range ``start``..``end`` replaced by ``new_text`` (an incremental
    ``textDocument/didChange``)."""
    table = LspText(text, encoding)
    first = table.offset(*start)
    last = max(table.offset(*end), first)
    return text[:first] + new_text + text[last:]
