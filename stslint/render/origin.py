"""Reporting a rendered text's findings where the user wrote them.

An origin of a rendered text (a Helm stream, a kustomize build) says, for a span of the text, the
file, span and certainty of where it was written (:class:`Located`). :func:`map_rendered` moves a
run's findings there: the rendered position becomes a related location, an approximate position
says so, fixes are dropped (rendered input is never edited), and the suppression comments of the
files mapped to apply (kustomize drops comments from its output).
"""
from __future__ import annotations

import dataclasses
import os
from typing import Callable, NamedTuple, Protocol

from stslint.engine import RunResult
from stslint.findings import Finding, Related
from stslint.loading.source_text import SourceText
from stslint.model.nodes import Span

APPROXIMATE = " (position approximate: rendered from this file)"


class Located(NamedTuple):
    """Where a span of a rendered text was written: the file as shown, its real path, the span in it,
    whether the position is certain, and other places involved (a values key)."""

    file: str
    real_path: str | None
    span: Span
    exact: bool
    related: tuple[Related, ...] = ()


class RenderOrigin(Protocol):
    """Where the spans of a rendered text were written."""

    def locate_precisely(self, span: Span) -> Located | None:
        """Where ``span`` was written, or None when nothing says."""


def shown_path(path: str) -> str:
    """A path as reports show it: relative to the current directory when below it, normalised."""
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def line_span(text: SourceText, line: int, column: int = 1, end_column: int | None = None) -> Span:
    """The span from ``column`` of ``line`` of a file to ``end_column`` (its end when None), clamped."""
    line = max(1, min(line, text.line_count if text.line_count else 1))
    content = text.line(line).rstrip("\r\n") if text.line_count else ""
    column = max(1, min(column, len(content) + 1))
    end = len(content) + 1 if end_column is None else max(column, min(end_column, len(content) + 1))
    start_offset = text.offset(line, column)
    return (line, column, line, max(end, column + 1) if end == column else end, start_offset,
            start_offset + max(end - column, 1))


def read_text(path: str) -> SourceText | None:
    """A file's text (None when it cannot be read)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return SourceText(handle.read())
    except OSError:
        return None


def map_rendered(result: RunResult, uri: str, origin: RenderOrigin, rendered_name: str,
                 file_ignores: Callable[[str], frozenset[str]] | None = None) -> RunResult:
    """The result with the findings (and related locations) of the rendered text ``uri`` moved to
    where they were written, the rendered position kept as a related location named
    ``rendered_name``; findings whose position nothing maps stay in the rendered text. The
    suppression comments and the per-file-ignores (``file_ignores``) of the files mapped to apply."""
    findings: list[Finding] = []
    mapped_files: dict[str, str] = {}
    for finding in result.findings:
        if finding.file != uri:
            findings.append(finding)
            continue
        located = origin.locate_precisely(finding.span)
        related = tuple(_moved_related(item, uri, origin) for item in finding.related)
        if located is None:
            findings.append(finding._replace(related=related, fix=None))
            continue
        message = finding.message if located.exact else finding.message + APPROXIMATE
        rendered = Related(rendered_name, finding.span, "rendered here", finding.object, finding.namespace)
        findings.append(finding._replace(file=located.file, span=located.span, source_path=located.real_path,
                                         message=message, fix=None,
                                         related=related + located.related + (rendered,)))
        if located.real_path is not None:
            mapped_files[located.real_path] = located.file
    findings = _suppressed(findings, mapped_files, result, file_ignores)
    findings.sort(key=Finding.sort_key)
    return dataclasses.replace(result, findings=findings)


def _moved_related(item: Related, uri: str, origin: RenderOrigin) -> Related:
    if item.file != uri:
        return item
    located = origin.locate_precisely(item.span)
    if located is None:
        return item
    return item._replace(file=located.file, span=located.span, source_path=located.real_path)


def _suppressed(findings: list[Finding], files: dict[str, str], result: RunResult,
                file_ignores: Callable[[str], frozenset[str]] | None) -> list[Finding]:
    """The findings that the suppression comments and per-file-ignores of the files they were mapped
    to do not cover (the comments are read from the files themselves: a build drops them; they never
    count as unused)."""
    if not files:
        return findings
    from stslint.suppress import FileSuppressions, apply, parse_comments

    table: dict[str, FileSuppressions] = {}
    for real_path, display in files.items():
        ignored = file_ignores(display) if file_ignores is not None else frozenset()
        text = read_text(real_path)
        items = []
        if text is not None and "stslint" in text.text.lower():
            items = [item for item in parse_comments(text, None, result.rules)[0] if item.kind != "annotation"]
        if items or ignored:
            table[real_path] = FileSuppressions(display, real_path, items=items, ignored=ignored, context=True)
    if not table:
        return findings
    return apply(findings, table, frozenset(), rules=result.rules)
