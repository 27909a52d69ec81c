"""Aligning a rendered Helm template with its source: which template line produced each rendered line.

A template line without actions is copied literally; a line mixing text and ``{{ … }}`` actions
matches the rendered lines that its text surrounds; a line holding only control actions (``if``,
``range``, ``end``, ``define``, comments, variable assignments) produces nothing; a line holding only
emitting actions (``include``, ``toYaml``, ``.Values.x``) produces any number of lines. Rendered lines
are matched in order (going back only into a ``range`` body), and a rendered line that no text line
matches is given to the emitting line between its matched neighbours.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

ACTION = re.compile(r"\{\{.*?\}\}", re.S)
CONTROL = re.compile(r"\{\{-?\s*(?:/\*|if\b|else\b|end\b|range\b|with\b|define\b|block\b|break\b|continue\b"
                     r"|\$[\w]*\s*:?=|\$[\w]*\s*,\s*\$[\w]*\s*:?=|-?\}\})")
RANGE_START = re.compile(r"\{\{-?\s*range\b")
VALUES_REFERENCE = re.compile(r"\.Values((?:\.[A-Za-z_][\w-]*)+)")

TEXT, CONTROL_ONLY, EMITTER = "text", "control", "emitter"


@dataclass
class TemplateLine:
    """One line of a template: its 1-based number, its role, and for a text line the pattern of the
    rendered lines it produces and the column where its first action starts (0: none)."""

    number: int
    role: str
    pattern: re.Pattern[str] | None = None
    literal: bool = False
    action_column: int = 0
    values_keys: list[str] = field(default_factory=list)
    """The ``.Values`` paths the line's actions read (dotted), for a line fed by ``toYaml``."""


@dataclass(frozen=True)
class LineOrigin:
    """Where a rendered line came from: the template line, whether that line is certain, and the
    column the value starts at in it when it comes from an action (0: the same column)."""

    line: int
    exact: bool
    action_column: int = 0
    literal: bool = False


def classify(template: str) -> list[TemplateLine]:
    """The roles of a template's lines (a line inside a multi-line action is control)."""
    lines = template.split("\n")
    inside = _lines_inside_actions(template)
    classified: list[TemplateLine] = []
    for number, line in enumerate(lines, start=1):
        if number in inside:
            classified.append(TemplateLine(number, CONTROL_ONLY))
            continue
        actions = ACTION.findall(line)
        rest = ACTION.sub("", line)
        keys = [match.group(1)[1:] for action in actions for match in VALUES_REFERENCE.finditer(action)]
        if not actions:
            if line.strip():
                classified.append(TemplateLine(number, TEXT, re.compile(re.escape(line.rstrip()) + r"\s*"), True))
            else:
                classified.append(TemplateLine(number, CONTROL_ONLY))
        elif rest.strip():
            classified.append(TemplateLine(number, TEXT, _pattern(line), False, line.index("{{") + 1, keys))
        elif all(CONTROL.match(action) for action in actions):
            classified.append(TemplateLine(number, CONTROL_ONLY))
        else:
            classified.append(TemplateLine(number, EMITTER, action_column=line.index("{{") + 1, values_keys=keys))
    return classified


def _lines_inside_actions(template: str) -> set[int]:
    """Line numbers that lie wholly inside (or end) an action spanning several lines."""
    inside: set[int] = set()
    for match in ACTION.finditer(template):
        first = template.count("\n", 0, match.start()) + 1
        last = first + match.group(0).count("\n")
        if last > first:
            inside.update(range(first, last + 1))
    return inside


def _pattern(line: str) -> re.Pattern[str]:
    """The pattern of the rendered lines a text line with actions produces: its text literally, each
    action anything (``{{-`` also eats the spaces before it)."""
    parts: list[str] = []
    position = 0
    for match in ACTION.finditer(line):
        literal = line[position:match.start()]
        if match.group(0).startswith("{{-"):
            literal = literal.rstrip()
        if match.group(0).endswith("-}}"):
            position = match.end()
            parts.append(re.escape(literal) + ".*?")
            rest = line[position:]
            line = line[:position] + rest.lstrip()
            continue
        parts.append(re.escape(literal) + ".*?")
        position = match.end()
    parts.append(re.escape(line[position:].rstrip()))
    return re.compile("".join(parts) + r"\s*")


def align(template: str, rendered_lines: list[str]) -> list[LineOrigin | None]:
    """For each rendered line, the template line it came from (None for a blank line)."""
    lines = classify(template)
    texts = [line for line in lines if line.role == TEXT]
    ranges = [line.number for line in lines if line.role == CONTROL_ONLY and RANGE_START.search(
        template.split("\n")[line.number - 1])]
    matched: list[TemplateLine | None] = []
    position = 0  # index into texts of the next expected line
    for rendered in rendered_lines:
        if not rendered.strip():
            matched.append(None)
            continue
        found = _forward(texts, position, rendered)
        if found is None:
            found = _loop_back(texts, position, rendered, ranges)
        if found is None:
            matched.append(None)
            continue
        matched.append(texts[found])
        position = found + 1
    origins: list[LineOrigin | None] = []
    for index, rendered in enumerate(rendered_lines):
        hit = matched[index]
        if hit is not None:
            origins.append(LineOrigin(hit.number, True, 0 if hit.literal else hit.action_column, hit.literal))
        elif not rendered.strip():
            origins.append(None)
        else:
            origins.append(_emitted(lines, matched, index))
    return origins


def _forward(texts: list[TemplateLine], position: int, rendered: str) -> int | None:
    for index in range(position, len(texts)):
        pattern = texts[index].pattern
        if pattern is not None and pattern.fullmatch(rendered):
            return index
    return None


def _loop_back(texts: list[TemplateLine], position: int, rendered: str, ranges: list[int]) -> int | None:
    """A text line before ``position`` that ``rendered`` matches, inside the body of the last ``range``
    started before the current line (a later iteration)."""
    if not ranges or position == 0:
        return None
    current = texts[position - 1].number
    starts = [number for number in ranges if number < current]
    if not starts:
        return None
    start = starts[-1]
    for index in range(position - 1, -1, -1):
        if texts[index].number <= start:
            break
        pattern = texts[index].pattern
        if pattern is not None and pattern.fullmatch(rendered):
            return index
    return None


def _emitted(lines: list[TemplateLine], matched: list[TemplateLine | None], index: int) -> LineOrigin | None:
    """The first emitting line between the template lines of the matched rendered lines around
    ``index``: certain when it is the only one, or when it directly follows the matched line before
    (control lines only between) and text lines separate it from every other candidate (two emitting
    lines in a row could share the rendered lines)."""
    before = next((hit.number for hit in reversed(matched[:index]) if hit is not None), 0)
    after = next((hit.number for hit in matched[index + 1:] if hit is not None and hit.number > before), None)
    candidates = [line for line in lines if line.role == EMITTER and before < line.number
                  and (after is None or line.number < after)]
    if not candidates:
        return None
    first = candidates[0]
    between = lines[before:first.number - 1]  # lines is 0-based: the lines after ``before`` up to ``first``
    direct = all(line.role == CONTROL_ONLY for line in between)
    separated = all(any(line.role == TEXT for line in lines[first.number:other.number - 1])
                    for other in candidates[1:])
    return LineOrigin(first.number, len(candidates) == 1 or (direct and separated), first.action_column)


WITH_VALUES = re.compile(r"\{\{-?\s*with\s+\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?\}\}")
BLOCK_START = re.compile(r"\{\{-?\s*(?:if|with|range|define|block)\b")
BLOCK_END = re.compile(r"\{\{-?\s*end\b")
DOT_TO_YAML = re.compile(r"toYaml\s+\.\s*[|}-]")


def emitter_values(template: str, line: int) -> list[str]:
    """The ``.Values`` paths (dotted) the actions of template line ``line`` read; for ``toYaml .`` the
    path of the ``with .Values.KEY`` block around it."""
    lines = template.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    found = [match.group(1)[1:] for match in VALUES_REFERENCE.finditer(text)]
    if found or not DOT_TO_YAML.search(text):
        return found
    depth = 0
    for number in range(line - 1, 0, -1):
        before = lines[number - 1]
        depth += len(BLOCK_END.findall(before))
        for start in BLOCK_START.finditer(before):
            if depth == 0:
                match = WITH_VALUES.match(before, start.start())
                return [match.group(1)[1:]] if match else []
            depth -= 1
    return []
