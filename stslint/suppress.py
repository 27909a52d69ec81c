"""Suppressions: comment directives and the ``stslint.io/ignore`` annotation.

Grammar (codes or rule names, comma-separated; an optional reason after `` -- ``)::

    key: value  # stslint: disable-line=STS301,STS302 -- reason     (this line; disable= is an alias)
    # stslint: disable-next-line=STS404 -- reason                  (the next line that is neither
                                                                    blank nor a comment)
    # stslint: disable-file=STS501 -- reason                       (the whole file, anywhere in it)
    metadata.annotations["stslint.io/ignore"]: "STS301,STS404 -- reason"   (the whole object)

A finding is suppressed when a suppression of its file names its code and covers its start line (an
annotation: when the finding is about its object, wherever the finding points
— or when one of the finding's related locations lies in that object, so an annotation on a Service
suppresses the STS103 it causes on a StatefulSet in another file). Input errors (STS001-STS004) are
never suppressed. Lines are the file's YAML lines (stslint.loading.source_text), whatever its line
breaks. A directive in the wrong place or naming an
unknown rule becomes a warning and is otherwise ignored. STS005 unused-suppression reports, for the
codes selected in the run, suppressions that suppressed nothing.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

from stslint.findings import INPUT_ERROR_CODES, Finding
from stslint.loading.source_text import DIRECTIVE_MARKER, SourceText
from stslint.model.fields import Fields
from stslint.model.nodes import Span, YMap
from stslint.model.resource import IGNORE_ANNOTATION
from stslint.rules import BUILTIN, RuleSet

ANNOTATION = IGNORE_ANNOTATION
REASON_SEPARATOR = " -- "
_DIRECTIVE = re.compile(r"#\s*(?ai:stslint):\s*(?P<body>.*?)\s*$")  # the marker and keywords in any case
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
    object_at: int | None = None
    used: set[str] = field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        """True when this suppression (of the finding's own file) names the finding's code and covers
        it: its start line, or for an annotation its object (the same ``Kind/name`` and namespace, in
        the object starting at the same offset — a finding's position can lie outside the object's
        lines, and another object's inside them)."""
        if finding.code not in self.codes:
            return False
        if self.kind == "annotation":
            return self.holds(finding.object, finding.namespace, finding.object_at)
        return self.first <= finding.span[0] <= self.last

    def holds(self, ref: str | None, namespace: str | None, object_at: int | None) -> bool:
        """True for an annotation of the object ``ref`` in ``namespace`` starting at ``object_at``."""
        return (self.kind == "annotation" and ref == self.object and namespace == self.namespace
                and object_at == self.object_at)

    def covers_related(self, finding: Finding, file: str) -> bool:
        """True when this annotation (of ``file``) names the finding's code and one of the finding's
        related locations lies in its object."""
        return finding.code in self.codes and any(
            related.file_key == file and self.holds(related.object, related.namespace, related.object_at)
            for related in finding.related)


@dataclass
class FileSuppressions:
    """The suppressions of one file and the codes ``per-file-ignores`` turns off in it."""

    file: str
    real_path: str | None
    items: list[Suppression] = field(default_factory=list)
    ignored: frozenset[str] = frozenset()
    context: bool = False
    """A context file: its annotations suppress findings they cause elsewhere, but it is never
    reported on (no STS005)."""


def parse_codes(value: str, rules: RuleSet = BUILTIN) -> tuple[list[str], list[str], str]:
    """(rule codes, unknown or unsuppressible names, reason) of ``CODES[ -- reason]``, codes and names
    being those of ``rules``."""
    codes_part, _, reason = value.partition(REASON_SEPARATOR)
    if not reason and codes_part.rstrip().endswith(" --"):
        codes_part = codes_part.rstrip()[:-3]
    codes: list[str] = []
    bad: list[str] = []
    for token in re.split(r"[,\s]+", codes_part.strip()):
        if not token:
            continue
        rule = rules.lookup(token)
        if rule is None or rule.code in INPUT_ERROR_CODES:
            bad.append(token)
        elif rule.code not in codes:
            codes.append(rule.code)
    return codes, bad, reason.strip()


def _bad_names_warning(bad: list[str], where: str, rules: RuleSet) -> str:
    inputs = [b for b in bad if (rules.lookup(b) is not None)]
    unknown = [b for b in bad if rules.lookup(b) is None]
    parts = []
    if unknown:
        parts.append(f"unknown rule{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in {where}; ignored "
                     "(`stslint rules` lists the codes and names)")
    if inputs:
        parts.append(f"{', '.join(inputs)} in {where} cannot be suppressed (input errors; exclude the file "
                     "instead); ignored")
    return "; ".join(parts)


def _comment_start(line: str, line_start: int, inside: _InsideScalars) -> int:
    """The index of the ``#`` that starts the line's comment, or -1: the first ``#`` that starts the
    line or follows a blank and lies outside every scalar (which the parser's marks bound exactly,
    quotes, tags, anchors and multi-line scalars alike)."""
    index = line.find("#")
    while index != -1:
        if (index == 0 or line[index - 1] in " \t") and not inside(line_start + index):
            return index
        index = line.find("#", index + 1)
    return -1


class _InsideScalars:
    """Whether an offset lies inside a scalar, from the scalars' [start, end) offsets in text order
    (None: unknown, so text is read as it looks, every ``#`` after a blank starting a comment)."""

    def __init__(self, ranges: Sequence[tuple[int, int]] | None) -> None:
        self.ranges = ranges or ()
        self.starts = [start for start, _ in self.ranges]

    def __call__(self, offset: int) -> bool:
        index = bisect_right(self.starts, offset) - 1
        return index >= 0 and offset < self.ranges[index][1]


def parse_comments(source: SourceText | str, scalar_ranges: Sequence[tuple[int, int]] | None = None,
                   rules: RuleSet = BUILTIN) -> tuple[list[Suppression], list[DirectiveWarning]]:
    """The comment directives of a file's text, and warnings for those that are ignored. Only lines
    holding ``stslint:`` (in any case) are looked at. ``scalar_ranges`` are the [start, end) offsets of the file's
    scalars in text order (``Loaded.scalar_ranges``): a ``#`` inside one is text, not a comment."""
    if isinstance(source, str):
        source = SourceText(source)
    if scalar_ranges is None:
        from stslint.loading.yamlload import LoadError, load_manifest_text

        try:
            scalar_ranges = load_manifest_text(source.text, source).scalar_ranges
        except LoadError:
            scalar_ranges = None
    text = source.text
    inside = _InsideScalars(scalar_ranges)
    found: list[Suppression] = []
    warnings: list[DirectiveWarning] = []
    next_code = _NextCodeLine(source)
    marker = DIRECTIVE_MARKER.search(text)
    while marker is not None:
        line_number = source.line_of(marker.start())
        _parse_line(source.line(line_number), line_number, next_code, found, warnings, rules, inside)
        marker = DIRECTIVE_MARKER.search(text, source.line_end(line_number))
    return found, warnings


class _NextCodeLine:
    """For each line, the number of the first later line that is neither blank nor a comment; the
    table is built once per file, on first use (so any number of directives stays linear)."""

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self._after: list[int | None] | None = None

    def after(self, number: int) -> int | None:
        """The first code line after line ``number``, or None."""
        if self._after is None:
            lines = self.source.lines()
            after: list[int | None] = [None] * (len(lines) + 1)
            following: int | None = None
            for index in range(len(lines) - 1, -1, -1):
                after[index + 1] = following
                stripped = lines[index].strip()
                if stripped and not stripped.startswith("#"):
                    following = index + 1
            self._after = after
        return self._after[number] if 0 < number < len(self._after) else None


def _parse_line(line: str, number: int, next_code: _NextCodeLine, found: list[Suppression],
                warnings: list[DirectiveWarning], rules: RuleSet, inside: _InsideScalars) -> None:
    hash_at = _comment_start(line, next_code.source.line_start(number), inside)
    if hash_at == -1:
        return
    match = _DIRECTIVE.match(line, hash_at)
    index = hash_at
    while match is None:  # a directive may follow another comment (``# note  # stslint: ...``)
        index = line.find("#", index + 1)
        if index == -1:
            return
        if line[index - 1] in " \t":
            match = _DIRECTIVE.match(line, index)
    body = match.group("body")
    keyword, equals, value = body.partition("=")
    kind = _KINDS.get(keyword.strip().lower()) if equals else None
    if kind is None:
        warnings.append((number, f'unknown stslint directive "{body}"; expected disable-line=, '
                         "disable-next-line= or disable-file= followed by rule codes or names; ignored"))
        return
    name = keyword.strip().lower()
    codes, bad, reason = parse_codes(value, rules)
    if bad:
        warnings.append((number, _bad_names_warning(bad, f"{name}=", rules)))
    if not codes:
        if not bad:
            warnings.append((number, f"{name}= names no rule; ignored"))
        return
    own_line = not line[:hash_at].strip()
    start = next_code.source.line_start(number)
    span = (number, index + 1, number, len(line) + 1, start + index, start + len(line))
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
        target = next_code.after(number)
        if target is None:
            warnings.append((number, "disable-next-line= has no line after it to cover; ignored"))
            return
        found.append(Suppression("next-line", frozenset(codes), span, target, target, reason))
    else:
        found.append(Suppression("file", frozenset(codes), span, 1, _WHOLE_FILE, reason))


def annotation_suppression(obj: YMap, ref: str, namespace: str | None, object_at: int | None = None,
                           rules: RuleSet = BUILTIN) -> tuple[Suppression | None, DirectiveWarning | None]:
    """The suppression an object's ``stslint.io/ignore`` annotation asks for (covering the findings
    about the object ``ref`` in ``namespace`` starting at ``object_at``), and a warning when it
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
    return annotation_of(value, span, (obj.span[0], obj.span[2]), ref, namespace, object_at, rules)


def annotation_of(value: str, span: Span, lines: tuple[int, int], ref: str, namespace: str | None,
                  object_at: int | None, rules: RuleSet = BUILTIN
                  ) -> tuple[Suppression | None, DirectiveWarning | None]:
    """The suppression an annotation's string ``value`` (written at ``span``, in an object spanning
    ``lines``) asks for, and a warning when it names unknown rules or none."""
    codes, bad, reason = parse_codes(value, rules)
    warning = (span[0], _bad_names_warning(bad, f"the {ANNOTATION} annotation", rules)) if bad else None
    if not codes:
        return None, warning or (span[0], f"the {ANNOTATION} annotation names no rule; ignored")
    return Suppression("annotation", frozenset(codes), span, lines[0], lines[1], reason, ref, namespace,
                       object_at), warning


def _describe(suppression: Suppression) -> str:
    if suppression.kind == "annotation":
        return f"the {ANNOTATION} annotation"
    return {"line": "disable-line=", "next-line": "disable-next-line=", "file": "disable-file="}[suppression.kind]


class _Lookup:
    """A file's suppressions indexed by what they cover and the code they name — whole-file ones by
    code, line ones by line and code, annotations by object and code — and which of them were used;
    any number of findings against any number of suppressions stays linear."""

    def __init__(self, items: Iterable[Suppression]) -> None:
        self.groups: dict[tuple[Any, str], list[Suppression]] = {}
        for item in items:
            where: Any = ("file",) if item.kind == "file" else (
                ("object", item.object, item.namespace, item.object_at) if item.kind == "annotation"
                else ("line", item.first))
            for code in item.codes:
                self.groups.setdefault((where, code), []).append(item)
        self.hits: set[tuple[Any, str]] = set()

    def _hit(self, key: tuple[Any, str]) -> bool:
        if key in self.groups:
            self.hits.add(key)
            return True
        return False

    def covers(self, finding: Finding) -> bool:
        """Whether a suppression of the finding's file covers it (those that do count as used)."""
        code = finding.code
        found = self._hit((("file",), code))
        found = self._hit((("line", finding.span[0]), code)) or found
        return self._hit((("object", finding.object, finding.namespace, finding.object_at), code)) or found

    def covers_related(self, finding: Finding, file: str) -> bool:
        """Whether an annotation of this file (``file``, its key) on an object holding one of the
        finding's related locations names its code (those that do count as used)."""
        found = False
        for related in finding.related:
            if related.file_key == file:
                key = (("object", related.object, related.namespace, related.object_at), finding.code)
                found = self._hit(key) or found
        return found

    def mark_used(self) -> None:
        """Record on every suppression the codes it suppressed."""
        for where, code in self.hits:
            for item in self.groups[(where, code)]:
                item.used.add(code)


def apply(findings: Iterable[Finding], files: Mapping[str, FileSuppressions], selected: frozenset[str],
          skip_unused: Callable[[FileSuppressions], bool] = lambda _: False,
          rules: RuleSet = BUILTIN) -> list[Finding]:
    """The findings that no per-file-ignore or suppression removes, plus STS005 unused-suppression
    findings when STS005 is selected (only for selected codes not ignored in that file)."""
    lookups = {name: _Lookup(entry.items) for name, entry in files.items()}
    kept: list[Finding] = []
    for finding in findings:
        entry = files.get(finding.file_key)
        if finding.code in INPUT_ERROR_CODES:
            kept.append(finding)
            continue
        if entry is not None and finding.code in entry.ignored:
            continue
        covered = lookups[finding.file_key].covers(finding) if entry is not None else False
        for related_file in dict.fromkeys(related.file_key for related in finding.related):
            if related_file in lookups:
                covered = lookups[related_file].covers_related(finding, related_file) or covered
        if not covered:
            kept.append(finding)
    for lookup in lookups.values():
        lookup.mark_used()
    if "STS005" in selected:
        kept.extend(_unused(files, selected, skip_unused, rules))
    return kept


def _unused(files: Mapping[str, FileSuppressions], selected: frozenset[str],
            skip: Callable[[FileSuppressions], bool], rules: RuleSet) -> Iterable[Finding]:
    for entry in files.values():
        if "STS005" in entry.ignored or entry.context or skip(entry):
            continue
        for suppression in entry.items:
            unused = sorted(c for c in suppression.codes - suppression.used
                            if c in selected and c not in entry.ignored and c != "STS005")
            if not unused:
                continue
            names = ", ".join(f"{code} ({rules[code].name})" for code in unused)
            finding = Finding("STS005", f"unused suppression: {_describe(suppression)} names {names}, which "
                              "suppressed nothing here — remove it, or narrow it to the codes that still fire",
                              entry.file, suppression.span, object=suppression.object,
                              kind=suppression.object.split("/", 1)[0] if suppression.object else None,
                              namespace=suppression.namespace,
                              anchor=f"metadata.annotations.{ANNOTATION}" if suppression.kind == "annotation"
                              else "", source_path=entry.real_path, object_at=suppression.object_at)
            if not any(s.covers(finding) for s in entry.items if "STS005" in s.codes):
                yield finding
