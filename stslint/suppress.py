"""Suppressions: comment directives and the ``stslint.io/ignore`` annotation.

Grammar (codes or rule names, comma-separated; an optional reason after `` -- ``)::

    key: value  # stslint: disable-line=STS301,STS302 -- reason     (this line; disable= is an alias)
    # stslint: disable-next-line=STS404 -- reason                  (the next line that is neither
                                                                    blank nor a comment)
    # stslint: disable-file=STS501 -- reason                       (the whole file, anywhere in it)
    metadata.annotations["stslint.io/ignore"]: "STS301,STS404 -- reason"   (the whole object)

A finding is suppressed when a suppression of its file names its code and covers its start line (an
annotation: when the finding is about its object, in the same document, wherever the finding points).
Input errors (STS001-STS004) are never suppressed. A directive in the wrong place or naming an
unknown rule becomes a warning and is otherwise ignored. STS005 unused-suppression reports, for the
codes selected in the run, suppressions that suppressed nothing.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

from stslint.findings import INPUT_ERROR_CODES, Finding
from stslint.model.nodes import Span, YMap
from stslint.model.resources import Fields
from stslint.rules import lookup

ANNOTATION = "stslint.io/ignore"
REASON_SEPARATOR = " -- "
_DIRECTIVE = re.compile(r"#\s*stslint:\s*(?P<body>.*?)\s*$")
_KINDS = {"disable-line": "line", "disable": "line", "disable-next-line": "next-line", "disable-file": "file"}
_WHOLE_FILE = 1 << 62

DirectiveWarning = tuple[int, str]
"""(line, message): a directive that was ignored, and why."""


@dataclass(slots=True)
class Suppression:
    """One directive or annotation: the codes it names, where it is written, the lines it covers."""

    kind: str  # "line", "next-line", "file" or "annotation"
    codes: frozenset[str]
    span: Span
    first: int
    last: int
    reason: str = ""
    object: str | None = None
    namespace: str | None = None
    document: int | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        """True when this suppression names the finding's code and covers it: its start line, or for
        an annotation its object (the same ``Kind/name`` and namespace, in the same document — a
        finding's position can lie outside the object's lines, and another object's inside them)."""
        if finding.code not in self.codes:
            return False
        if self.kind == "annotation":
            return (finding.object == self.object and finding.namespace == self.namespace
                    and finding.document == self.document)
        return self.first <= finding.span[0] <= self.last


@dataclass
class FileSuppressions:
    """The suppressions of one file and the codes ``per-file-ignores`` turns off in it."""

    file: str
    real_path: str | None
    items: list[Suppression] = field(default_factory=list)
    ignored: frozenset[str] = frozenset()


def parse_codes(value: str) -> tuple[list[str], list[str], str]:
    """(rule codes, unknown or unsuppressible names, reason) of ``CODES[ -- reason]``."""
    codes_part, _, reason = value.partition(REASON_SEPARATOR)
    if not reason and codes_part.rstrip().endswith(" --"):
        codes_part = codes_part.rstrip()[:-3]
    codes: list[str] = []
    bad: list[str] = []
    for token in re.split(r"[,\s]+", codes_part.strip()):
        if not token:
            continue
        rule = lookup(token)
        if rule is None or rule.code in INPUT_ERROR_CODES:
            bad.append(token)
        elif rule.code not in codes:
            codes.append(rule.code)
    return codes, bad, reason.strip()


def _bad_names_warning(bad: list[str], where: str) -> str:
    inputs = [b for b in bad if (lookup(b) is not None)]
    unknown = [b for b in bad if lookup(b) is None]
    parts = []
    if unknown:
        parts.append(f"unknown rule{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in {where}; ignored "
                     "(`stslint rules` lists the codes and names)")
    if inputs:
        parts.append(f"{', '.join(inputs)} in {where} cannot be suppressed (input errors; exclude the file "
                     "instead); ignored")
    return "; ".join(parts)


def _comment_start(line: str, start: int = 0) -> int:
    """The index of the ``#`` that starts the line's comment, or -1, looking from index ``start`` on
    (what comes before it ends a scalar begun on an earlier line). A quote opens a quoted scalar only
    where a value can start (so the apostrophe of ``it's`` does not)."""
    quote = ""
    previous = line[start - 1] if start else ""  # the last non-blank character outside quotes
    i = start
    while i < len(line):
        ch = line[i]
        if quote:
            if quote == '"' and ch == "\\":
                i += 2
                continue
            if ch == quote:
                if quote == "'" and line.startswith("''", i):
                    i += 2
                    continue
                quote, previous = "", ch
        elif ch in "'\"" and previous in ("", ":", "-", "[", "{", ",", "?"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
        elif not ch.isspace():
            previous = ch
        i += 1
    return -1


def parse_comments(text: str, multiline_scalars: Sequence[tuple[int, int, int]] = ()
                   ) -> tuple[list[Suppression], list[DirectiveWarning]]:
    """The comment directives of a file's text, and warnings for those that are ignored. Only
    lines holding ``stslint:`` are looked at. ``multiline_scalars`` are the (start line, end line,
    end column) of the scalars that span lines, in text order (``Loaded.multiline_scalars``): a
    ``#`` inside one (a block scalar's text, a quoted string's continuation) is not a comment."""
    found: list[Suppression] = []
    warnings: list[DirectiveWarning] = []
    starts = [scalar[0] for scalar in multiline_scalars]
    position = text.find("stslint:")
    counted_to, line_number = 0, 1
    while position != -1:
        start = text.rfind("\n", 0, position) + 1
        end = text.find("\n", position)
        end = len(text) if end == -1 else end
        line_number += text.count("\n", counted_to, start)
        counted_to = start
        line = text[start:end].rstrip("\r")
        offset = _outside_scalars(multiline_scalars, starts, line_number)
        if offset is not None:
            _parse_line(text, line, line_number, end, found, warnings, offset)
        position = text.find("stslint:", end)
    return found, warnings


def _outside_scalars(scalars: Sequence[tuple[int, int, int]], starts: list[int], number: int) -> int | None:
    """The index in line ``number`` from which on it is outside every multi-line scalar (0 for the
    whole line), or None when a scalar covers all of it. Scalars do not overlap: only the last one
    starting before the line can reach it."""
    index = bisect_left(starts, number) - 1
    if index < 0:
        return 0
    _, end_line, end_column = scalars[index]
    if end_line < number:
        return 0
    return None if end_line > number else end_column - 1


def _parse_line(text: str, line: str, number: int, end: int, found: list[Suppression],
                warnings: list[DirectiveWarning], offset: int = 0) -> None:
    hash_at = _comment_start(line, offset)
    if hash_at == -1:
        return
    match = _DIRECTIVE.match(line, hash_at)
    if match is None:
        return
    body = match.group("body")
    keyword, equals, value = body.partition("=")
    kind = _KINDS.get(keyword.strip()) if equals else None
    if kind is None:
        warnings.append((number, f'unknown stslint directive "{body}"; expected disable-line=, '
                         "disable-next-line= or disable-file= followed by rule codes or names; ignored"))
        return
    name = keyword.strip()
    codes, bad, reason = parse_codes(value)
    if bad:
        warnings.append((number, _bad_names_warning(bad, f"{name}=")))
    if not codes:
        if not bad:
            warnings.append((number, f"{name}= names no rule; ignored"))
        return
    own_line = not line[:hash_at].strip()
    span = (number, hash_at + 1, number, len(line) + 1)
    if kind == "line":
        if own_line:
            warnings.append((number, f"{name}= stands on a line of its own, where it covers nothing; ignored "
                             "(put it at the end of the line to cover, or use disable-next-line=)"))
            return
        found.append(Suppression("line", frozenset(codes), span, number, number, reason))
    elif kind == "next-line":
        if not own_line:
            warnings.append((number, "disable-next-line= follows code on its line; ignored (put it on a line "
                             "of its own above the line to cover, or use disable-line=)"))
            return
        target = _next_code_line(text, end, number)
        if target is None:
            warnings.append((number, "disable-next-line= has no line after it to cover; ignored"))
            return
        found.append(Suppression("next-line", frozenset(codes), span, target, target, reason))
    else:
        found.append(Suppression("file", frozenset(codes), span, 1, _WHOLE_FILE, reason))


def _next_code_line(text: str, end: int, number: int) -> int | None:
    """The number of the first line after offset ``end`` that is neither blank nor a comment."""
    while end < len(text):
        start = end + 1
        end = text.find("\n", start)
        end = len(text) if end == -1 else end
        number += 1
        stripped = text[start:end].strip()
        if stripped and not stripped.startswith("#"):
            return number
    return None


def annotation_suppression(obj: YMap, ref: str, namespace: str | None, document: int | None = None
                           ) -> tuple[Suppression | None, DirectiveWarning | None]:
    """The suppression an object's ``stslint.io/ignore`` annotation asks for (covering the findings
    about the object ``ref`` in ``namespace`` and in the file's ``document``), and a warning when it
    is malformed."""
    fields = Fields(obj, "")
    meta = fields.raw("metadata")
    meta_fields = fields.nested("metadata", meta) if isinstance(meta, YMap) else None
    annotations = meta_fields.raw("annotations") if meta_fields is not None else None
    if meta_fields is None or not isinstance(annotations, YMap) or ANNOTATION not in annotations:
        return None, None
    value = annotations[ANNOTATION]
    span = meta_fields.nested("annotations", annotations).value_span(ANNOTATION)  # where used, if aliased
    if not isinstance(value, str):
        return None, (span[0], f'the {ANNOTATION} annotation must be a string of rule codes or names; ignored')
    codes, bad, reason = parse_codes(value)
    warning = (span[0], _bad_names_warning(bad, f"the {ANNOTATION} annotation")) if bad else None
    if not codes:
        return None, warning or (span[0], f"the {ANNOTATION} annotation names no rule; ignored")
    return Suppression("annotation", frozenset(codes), span, obj.span[0], obj.span[2], reason, ref,
                       namespace, document), warning


def _describe(suppression: Suppression) -> str:
    if suppression.kind == "annotation":
        return f"the {ANNOTATION} annotation"
    return {"line": "disable-line=", "next-line": "disable-next-line=", "file": "disable-file="}[suppression.kind]


def apply(findings: Iterable[Finding], files: dict[str, FileSuppressions], selected: frozenset[str],
          skip_unused: Callable[[FileSuppressions], bool] = lambda _: False) -> list[Finding]:
    """The findings that no per-file-ignore or suppression removes, plus STS005 unused-suppression
    findings when STS005 is selected (only for selected codes not ignored in that file)."""
    kept: list[Finding] = []
    for finding in findings:
        entry = files.get(finding.file)
        if entry is None or finding.code in INPUT_ERROR_CODES:
            kept.append(finding)
            continue
        if finding.code in entry.ignored:
            continue
        hit = False
        for suppression in entry.items:
            if suppression.covers(finding):
                suppression.used.add(finding.code)
                hit = True
        if not hit:
            kept.append(finding)
    if "STS005" in selected:
        kept.extend(_unused(files, selected, skip_unused))
    return kept


def _unused(files: dict[str, FileSuppressions], selected: frozenset[str],
            skip: Callable[[FileSuppressions], bool]) -> Iterable[Finding]:
    for entry in files.values():
        if "STS005" in entry.ignored or skip(entry):
            continue
        for suppression in entry.items:
            unused = sorted(c for c in suppression.codes - suppression.used
                            if c in selected and c not in entry.ignored and c != "STS005")
            if not unused:
                continue
            names = ", ".join(f"{code} ({lookup(code).name})" for code in unused)  # type: ignore[union-attr]
            finding = Finding("STS005", f"unused suppression: {_describe(suppression)} names {names}, which "
                              "suppressed nothing here — remove it, or narrow it to the codes that still fire",
                              entry.file, suppression.span, object=suppression.object,
                              kind=suppression.object.split("/", 1)[0] if suppression.object else None,
                              namespace=suppression.namespace,
                              anchor=f"metadata.annotations.{ANNOTATION}" if suppression.kind == "annotation"
                              else "", source_path=entry.real_path, document=suppression.document)
            if not any(s.covers(finding) for s in entry.items if "STS005" in s.codes):
                yield finding
