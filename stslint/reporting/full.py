"""The full format, like ruff's: the finding line, a code frame with carets under the span, a
``FILE:LINE:COL: note: …`` line with its own code frame for each related location, and ``help:`` with
the rule's remediation (read from the rule documentation only here). Lines are the file's YAML lines
(stslint.loading.source_text), whatever its line breaks.

Source lines come from the manifest, so they pass through :func:`safe_text` like everything else the
terminal shows; carets are measured on the text as shown (escapes, wide characters).
"""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, TextIO

from stslint.reporting import ReportOptions, safe_text
from stslint.reporting.text import BOLD, COLORS, RESET, finding_line, summary_line

if TYPE_CHECKING:
    from stslint.engine import RunResult
    from stslint.findings import Finding, Related
    from stslint.model.nodes import Span

MAX_FRAME_LINES = 5
MAX_FRAME_COLUMNS = 200
"""A longer source line is shown clipped to this many characters around the span (a minified JSON
line can be megabytes long, and is shown once per finding)."""
ELLIPSIS = "…"
NOTE_COLOR = "\033[36m"
_GUTTER_COLOR = "\033[34m"


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK) characters 2, combining marks 0, others 1."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _shown(text: str) -> str:
    return safe_text(text).replace("\t", " ")


def _frame_lines(span: Span, lines: list[str]) -> list[tuple[int, int, int]]:
    """(line number, first column, end column) of each source line to show, 0 for an elision."""
    line, column, end_line, end_column = span[:4]
    if end_line > line and end_column <= 1:  # the span ends at the start of the next line
        end_line -= 1
        end_column = len(lines[end_line - 1]) + 1
    end_line = min(max(end_line, line), len(lines))
    numbers = list(range(line, end_line + 1))
    if len(numbers) > MAX_FRAME_LINES:
        numbers = numbers[:2] + [0] + numbers[-2:]
    shown = []
    for number in numbers:
        if number == 0:
            shown.append((0, 0, 0))
            continue
        text = lines[number - 1]
        first = column if number == line else len(text) - len(text.lstrip(" ")) + 1
        last = end_column if number == end_line else len(text) + 1
        shown.append((number, first, last))
    return shown


def code_frame(finding: Finding | Related, lines: list[str], color: bool = False,
               severity: str = "error") -> list[str]:
    """The source lines of a finding's (or related location's) span with carets under it; empty when
    the text is unknown."""
    if not lines or not 1 <= finding.line <= len(lines):
        return []
    frame = _frame_lines(finding.span, lines)
    width = len(str(max(number for number, _, _ in frame)))
    gutter, reset = (_GUTTER_COLOR, RESET) if color else ("", "")
    caret_on, caret_off = (COLORS.get(severity, ""), RESET) if color else ("", "")
    pad = " " * width
    out = [f"{gutter}{pad} |{reset}"]
    for number, first, last in frame:
        if number == 0:
            out.append(f"{gutter}{'.' * width} |{reset} ...")
            continue
        text = lines[number - 1]
        first = min(max(first, 1), len(text) + 1)
        last = min(max(last, first + 1), len(text) + 2)
        text, first, last = _clipped(text, first, last)
        indent = display_width(_shown(text[:first - 1]))
        carets = max(1, display_width(_shown(text[first - 1:last - 1])))
        out.append(f"{gutter}{number:>{width}} |{reset} {_shown(text)}".rstrip())
        out.append(f"{gutter}{pad} |{reset} {' ' * indent}{caret_on}{'^' * carets}{caret_off}")
    out.append(f"{gutter}{pad} |{reset}")
    return out


def _clipped(text: str, first: int, last: int) -> tuple[str, int, int]:
    """A long line cut to MAX_FRAME_COLUMNS characters around the columns ``first``..``last`` (the
    span itself cut too when longer), with ``…`` where text was left out; the columns moved along."""
    if len(text) <= MAX_FRAME_COLUMNS:
        return text, first, last
    last = min(last, first + MAX_FRAME_COLUMNS // 2)
    start = max(0, min(first - 1 - (MAX_FRAME_COLUMNS - (last - first)) // 2, len(text) - MAX_FRAME_COLUMNS))
    end = start + MAX_FRAME_COLUMNS
    head = ELLIPSIS if start > 0 else ""
    tail = ELLIPSIS if end < len(text) else ""
    shift = start - len(head)
    return head + text[start:end] + tail, first - shift, last - shift


def help_lines(code: str, result: RunResult | None = None) -> list[str]:
    """``help:`` and the rule's remediation, continuation lines aligned under the first."""
    from stslint.catalog import rule_doc
    from stslint.rules import BUILTIN

    doc = rule_doc(code, result.rules if result is not None else BUILTIN)
    remediation = str(doc.get("remediation") or "").strip()
    if not remediation:
        return []
    lines = [safe_text(line) for line in remediation.splitlines()]
    return [f"help: {lines[0]}"] + [f"      {line}".rstrip() for line in lines[1:]]


def note_line(related: Related, color: bool = False) -> str:
    """``FILE:LINE:COL: note: message`` for a related location."""
    location = f"{safe_text(related.file)}:{related.line}:{related.column}:"
    note = "note:"
    if color:
        location, note = f"{BOLD}{location}{RESET}", f"{NOTE_COLOR}{note}{RESET}"
    return f"{location} {note} {safe_text(related.message)}"


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print each finding with its code frame, its related locations and help, then the summary
    unless quiet."""
    split: dict[str, list[str]] = {}

    def lines_of(key: str) -> list[str]:
        if key not in split:
            text = result.texts.get(key)
            split[key] = text.lines() if text is not None and text.text else []
        return split[key]

    for index, finding in enumerate(result.findings):
        block = [finding_line(result, index, options.color)]
        block += code_frame(finding, lines_of(finding.file_key), options.color, result.severity(finding.code))
        for related in finding.related:
            block.append(note_line(related, options.color))
            block += code_frame(related, lines_of(related.file_key), options.color, "note")
        block += help_lines(finding.code, result)
        out.write("\n".join(block) + "\n\n")
    if not options.quiet:
        out.write(summary_line(result) + "\n")
