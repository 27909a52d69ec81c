"""``check --add-noqa``: a suppression comment at every current finding, and no other byte changed.

Each comment suppresses exactly its findings: ``# stslint: disable-line=CODES`` at the end of the
finding's line — merged into a ``# stslint:`` disable-line comment already there, or after another
comment — or, when that line ends inside a multi-line scalar or flow collection (where a comment
would be text or would break it), ``# stslint: disable-next-line=CODES`` on a line of its own above
it, at its indentation. One comment per line, the codes of its findings merged; ``reason`` goes after
`` -- ``. JSON files (no comments) are skipped and listed. Files are written as ``fix`` writes them.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Iterable

from stslint.findings import Edit, Finding
from stslint.loading.source_text import SourceText

_DISABLE_LINE = ("disable-line", "disable")


@dataclass
class NoqaOutcome:
    """What --add-noqa did: comments added per file, files skipped (JSON) and lines it could not
    place a comment on."""

    added: dict[str, int] = field(default_factory=dict)
    skipped_json: list[str] = field(default_factory=list)
    unplaced: list[tuple[str, int]] = field(default_factory=list)
    edits: dict[str, list[Edit]] = field(default_factory=dict)


def _ranges(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """The [start, end) of every scalar in text order, and of every scalar and flow collection that
    spans lines (None when the text does not load)."""
    from stslint.loading.yamlload import LoadError, load_text
    from stslint.model.nodes import YMap, YSeq

    try:
        loaded = load_text(text, scalar_ranges=True)
    except LoadError:
        return None
    ranges = [(start, end) for start, end in loaded.scalar_ranges or () if "\n" in text[start:end]
              or "\r" in text[start:end]]
    seen: set[int] = set()
    pending = [doc.root for doc in loaded.documents]
    while pending:
        node = pending.pop()
        if not isinstance(node, (YMap, YSeq)) or id(node) in seen:
            continue
        seen.add(id(node))
        start, end = node.span[4], node.span[5]
        if text[start:start + 1] in "{[" and node.span[0] != node.span[2]:
            ranges.append((start, end))
        pending.extend(node.values() if isinstance(node, YMap) else node)
    ranges.sort()
    return list(loaded.scalar_ranges or ()), ranges


class _Within:
    """Whether an offset lies strictly inside one of some ranges (sorted by start; nested ones too)."""

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = ranges
        self.starts = [start for start, _ in ranges]
        self.reach = []  # the furthest end among the ranges up to each index
        furthest = -1
        for _, end in ranges:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def __call__(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset - 1)  # ranges starting before the offset
        return index > 0 and self.reach[index - 1] > offset


def noqa_edits(source: SourceText, lines: dict[int, list[str]], reason: str | None,
               scalars: list[tuple[int, int]], scalar_ranges: list[tuple[int, int]]
               ) -> tuple[list[tuple[int, int, str]], list[int]]:
    """The edits ``(start, end, replacement)`` that suppress ``lines`` (line → codes) in a text,
    and the lines no comment can be placed on. ``scalars`` are every scalar's range in text order,
    ``scalar_ranges`` those of multi-line scalars and flow collections."""
    from stslint.suppress import _DIRECTIVE, _comment_start, _InsideScalars

    inside_scalar = _InsideScalars(scalars)
    within = _Within(scalar_ranges)
    tail = f" -- {reason}" if reason else ""
    edits: list[tuple[int, int, str]] = []
    unplaced: list[int] = []
    for number in sorted(lines):
        codes = list(dict.fromkeys(lines[number]))
        start, end = source.line_start(number), source.line_end(number)
        line = source.line(number)
        if within(end) or (end == len(source.text) and within(end - 1)):
            if within(start):
                unplaced.append(number)
                continue
            indent = line[:len(line) - len(line.lstrip(" "))]
            from stslint.edits import line_break

            edits.append((start, start, f"{indent}# stslint: disable-next-line={','.join(codes)}{tail}"
                          f"{line_break(source, number)}"))
            continue
        hash_at = _comment_start(line, start, inside_scalar)
        if hash_at == -1:
            gap = "" if line.endswith((" ", "\t")) else "  "
            edits.append((end, end, f"{gap}# stslint: disable-line={','.join(codes)}{tail}"))
            continue
        merged = _merge_into(line, hash_at, codes, _DIRECTIVE)
        if merged is not None:
            offset, text = merged
            edits.append((start + offset, start + offset, text))
        else:
            gap = "" if line.endswith((" ", "\t")) else "  "
            edits.append((end, end, f"{gap}# stslint: disable-line={','.join(codes)}{tail}"))
    return edits, unplaced


def _merge_into(line: str, hash_at: int, codes: list[str], directive: Any) -> tuple[int, str] | None:
    """(offset in the line, text) that adds ``codes`` to a disable-line directive of the line's
    comment; None when the comment holds none."""
    index = hash_at
    while index != -1:
        match = directive.match(line, index)
        if match is not None:
            body = match.group("body")
            keyword, equals, value = body.partition("=")
            if not equals or keyword.strip().lower() not in _DISABLE_LINE:
                return None
            codes_part = value.split(" -- ", 1)[0].rstrip()
            if codes_part.endswith(" --"):
                codes_part = codes_part[:-3].rstrip()
            offset = match.start("body") + len(keyword) + 1 + len(codes_part)
            value_start = match.start("body") + len(keyword) + 1
            while offset > value_start and line[offset - 1] in " \t":
                offset -= 1
            return offset, "," + ",".join(codes)
        index = line.find("#", index + 1)
        while index != -1 and line[index - 1] not in " \t":
            index = line.find("#", index + 1)
    return None


def add_noqa(findings: Iterable[Finding], texts: dict[str, tuple[str, SourceText]], reason: str | None
             ) -> NoqaOutcome:
    """The edits of --add-noqa for the findings (input errors are never suppressed), by file key;
    ``texts`` maps a file key to (display name, source text) of the files that may be edited."""
    from stslint.loading.yamlload import starts_json_stream

    outcome = NoqaOutcome()
    per_file: dict[str, dict[int, list[str]]] = {}
    for finding in findings:
        if finding.is_input_error or finding.file_key not in texts:
            continue
        per_file.setdefault(finding.file_key, {}).setdefault(finding.line, []).append(finding.code)
    for key, lines in per_file.items():
        display, source = texts[key]
        if display.lower().endswith(".json") or starts_json_stream(source.text):
            outcome.skipped_json.append(display)
            continue
        found = _ranges(source.text)
        if found is None:
            continue
        edits, unplaced = noqa_edits(source, lines, reason, *found)
        outcome.unplaced.extend((display, number) for number in unplaced)
        if edits:
            outcome.edits[key] = [Edit(display, start, end, text, key) for start, end, text in edits]
            outcome.added[display] = len(edits)
    return outcome
