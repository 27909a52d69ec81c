"""JSON streams, read the way kubectl reads them: positioned documents from a text that starts with ``{``.

kubectl (``k8s.io/apimachinery/pkg/util/yaml.YAMLOrJSONDecoder``) reads a file or standard input whose
first non-whitespace character is ``{`` as a stream of JSON values, one after another with nothing
but whitespace between them (``{...}{...}``, what ``cat *.json | kubectl create -f -`` sends), each
decoded with JSON's rules. Since Kubernetes 1.33 a stream that fails as JSON before its third value
is read from the failing value on as YAML instead (a ``{`` can start YAML too: a flow mapping, a
JSON object with a trailing comma or a comment); a YAML document that fails there reports the JSON
error when it is the first YAML document, its own error otherwise.

:func:`load_stream` does all of that and is what loading a file calls; :func:`load_json` is the JSON
reader alone. Values and spans are those the YAML loader gives a JSON text (a single JSON object is
the same document either way) with JSON's semantics: ``1e3`` is the number 1000.0, surrogate-pair
escapes are joined into the characters they stand for and a lone surrogate becomes U+FFFD (as Go's
decoder does), a repeated key is a duplicate key, NaN, Infinity, comments, trailing commas, control
characters in strings and other syntax errors are errors at the offending character. The limits of
the YAML loader (nesting depth, values in a file, integer length) apply with the same findings; the
scanner is linear and iterative (no recursion, whatever the depth).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from json.decoder import scanstring
from typing import Any

from stslint.loading import yamlload
from stslint.loading.source_text import SourceText
from stslint.loading.yamlload import (Document, LoadError, Loaded, clip, quoted, starts_json_stream,  # noqa: F401
                                      values_limit_error)
from stslint.model.nodes import Span, YMap, YSeq

_SPACE = re.compile(r"[ \t\n\r]*")
_SPACE_TO_LINE_END = re.compile(r"[^\S\n]*\n?")
_SEPARATOR = re.compile(r"^---[^\S\n]*$", re.MULTILINE)
"""A line kubectl's YAML reader ends a document at (with Go's idea of whitespace, roughly)."""
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NUMBER_TAIL = frozenset("0123456789.eE+-")
_NUMBER_START = frozenset("-0123456789")
_SPACES = frozenset(" \t\n\r")
_SURROGATE = re.compile("[\ud800-\udfff]")
_YAML_ONLY_BREAKS = frozenset("\x85\u2028\u2029")
_NOT_A_BREAK = re.compile("[^\r\n\x85\u2028\u2029]")
_LITERALS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}
_NOT_NUMBERS = ("NaN", "Infinity", "-Infinity", "+Infinity")
_COMMENT = "a // or /* comment, which neither JSON nor YAML has (YAML comments start with #)"
_FALLBACK_BEFORE = 2
"""kubectl reads the rest of a stream as YAML when JSON fails before this many values were read."""


def load_stream(text: str, source: SourceText | None = None) -> Loaded:
    """Load a manifest text as kubectl does: a JSON stream when it starts with ``{`` (see the module
    documentation for the YAML fallback), YAML otherwise. ``source`` is the text's SourceText when
    the caller has one (its line table is then built once). Raises LoadError."""
    if not starts_json_stream(text):
        return yamlload.load_text(text)
    source = source if source is not None and source.text is text else SourceText(text)
    reader = _Reader(text, source, "stslint:" in text)
    failure = reader.read()
    if failure is None:
        return reader.loaded
    if failure.final or len(reader.loaded.documents) >= _FALLBACK_BEFORE:
        raise reader.error(failure)
    return _yaml_rest(reader, failure)


def load_json(text: str, source: SourceText | None = None) -> Loaded:
    """The documents of a JSON stream (any JSON values, one after another), strictly: the first error
    raises LoadError at its place."""
    source = source if source is not None and source.text is text else SourceText(text)
    reader = _Reader(text, source, "stslint:" in text)
    failure = reader.read()
    if failure is not None:
        raise reader.error(failure)
    return reader.loaded


def _yaml_rest(reader: _Reader, failure: _Failure) -> Loaded:
    """The stream read as kubectl reads it when JSON fails early: the values read so far, then the
    rest as YAML (positions kept: what JSON read is blanked out, its line breaks kept). When the
    YAML fails too, in the first of its documents, the error is JSON's."""
    text, json_loaded = reader.text, reader.loaded
    done = reader.consumed
    rest = _blank_prefix(text, done) if done else text
    try:
        yaml_loaded = yamlload.load_text(rest, values_before=reader.spent)
    except LoadError as exc:
        if not exc.limit and reader.source.offset(exc.line, exc.column) < _first_yaml_document_end(text, done):
            raise reader.error(failure) from None
        raise
    count = len(json_loaded.documents)
    for document in yaml_loaded.documents:
        document.index += count
    ranges = json_loaded.scalar_ranges
    if ranges is not None or yaml_loaded.scalar_ranges is not None:
        ranges = (ranges or []) + (yaml_loaded.scalar_ranges or [])
    return Loaded(json_loaded.documents + yaml_loaded.documents,
                  json_loaded.duplicate_keys + yaml_loaded.duplicate_keys, ranges)


def _first_yaml_document_end(text: str, start: int) -> int:
    """Where the first document kubectl's YAML reader takes from ``text[start:]`` ends: it skips the
    whitespace up to the first line break, then ends a document at a ``---`` line (``---`` and
    whitespace only) that follows some text; a ``---`` line before any text is skipped."""
    match = _SPACE_TO_LINE_END.match(text, start)
    position = match.end() if match else start
    for separator in _SEPARATOR.finditer(text, position):
        if separator.start() > position:
            return separator.start()
        position = separator.end() + 1
    return len(text)


class _Failure(Exception):
    """Where and why reading stopped: an offset into the text, a message and whether the stop is a
    limit (final: no YAML fallback) rather than a syntax error."""

    def __init__(self, offset: int, message: str, code: str = "STS001", final: bool = False) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.code = code
        self.final = final


def _found(text: str, offset: int) -> str:
    """What stands at ``offset``, for a message."""
    if offset >= len(text):
        return "the end of the text"
    char = text[offset]
    if char in _YAML_ONLY_BREAKS:
        return f"U+{ord(char):04X} (a line break in YAML, not whitespace in JSON)"
    return quoted(char)


def _joined(value: str) -> str:
    """A decoded string as Go's decoder gives it: the standard library's scanner joins surrogate
    pairs; a lone surrogate (``"\\ud800"``) becomes U+FFFD."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


class _Frame:
    """A container being read: the container, whether it is an object, where it starts and, for an
    object, the key whose value comes next."""

    __slots__ = ("container", "is_map", "start", "line", "column", "key", "key_span")

    def __init__(self, container: YMap | YSeq, start: int, line: int, column: int) -> None:
        self.container = container
        self.is_map = type(container) is YMap
        self.start = start
        self.line = line
        self.column = column
        self.key = ""
        self.key_span: Span = (0, 0, 0, 0, 0, 0)


class _Reader:
    """One pass over a JSON stream, building positioned values.

    Written for speed, as one loop with its state in local variables: ``read`` costs about what the
    YAML loader costs for the same objects. Offsets only grow while reading, so lines and columns
    come from a cursor over the line table that moves forward (a bisection only when a token
    starts on a later line), not from a search per token."""

    def __init__(self, text: str, source: SourceText, record_ranges: bool) -> None:
        self.text = text
        self.source = source
        self.loaded = Loaded(scalar_ranges=[] if record_ranges else None)
        self.consumed = 0
        """The offset just after the last complete top-level value."""
        self.spent = 0
        """The values counted against MAX_VALUES by the time ``consumed`` was reached (documents,
        keys and values, as the YAML loader counts them)."""

    def error(self, failure: _Failure) -> LoadError:
        """The LoadError of a failure: its line and column, and what a template explains."""
        line, column = self.source.position(failure.offset)
        message = failure.message
        if failure.code == "STS001" and not failure.final and message != _COMMENT:
            for marker, hint in (("{{", "a Go/Helm template"), ("{%", "a Jinja template")):
                template = yamlload.template_before(self.source, marker, line)
                if template is not None:
                    message = f"{message} ({hint}?)"
                    line, column = template
                    break
        return LoadError(failure.code, message, line, column)

    def read(self) -> _Failure | None:
        """Read every value of the stream into ``loaded``; the failure that stopped it, or None."""
        try:
            self._read()
        except _Failure as failure:
            return failure
        return None

    def _read(self) -> None:  # noqa: C901 - one loop on purpose (see the class documentation)
        text = self.text
        length = len(text)
        starts = self.source.line_starts()
        lines = len(starts)
        space = _SPACE.match
        number = _NUMBER.match
        scan = scanstring
        documents = self.loaded.documents
        duplicates = self.loaded.duplicate_keys
        ranges = self.loaded.scalar_ranges
        max_values, max_depth, max_int = yamlload.MAX_VALUES, yamlload.MAX_DEPTH, yamlload.MAX_INT_LENGTH
        spent = 0
        stack: list[_Frame] = []
        frame: _Frame | None = None
        # the line cursor: line index ``row`` (0-based) starts at ``row_start``; the next at ``row_end``
        row, row_start, row_end = 0, 0, starts[1] if lines > 1 else length + 1
        position = 1 if text.startswith("\ufeff") else 0
        value: Any
        while True:  # one document a turn
            position = space(text, position).end()
            if position >= length:
                return
            spent += 1  # the document, as the YAML loader counts it
            if spent > max_values:
                raise self._too_many(position)
            want_key = False
            while True:  # one value (and, in an object, its key first) a turn
                if want_key:
                    assert frame is not None
                    if not text.startswith('"', position):
                        raise self._unexpected(position, "a string in double quotes as an object key")
                    spent += 1
                    if spent > max_values:
                        raise self._too_many(position)
                    start = position
                    try:
                        key, position = scan(text, position + 1, True)
                    except ValueError as exc:
                        raise self._string_error(start, exc) from None
                    if not key.isascii():
                        key = _joined(key)
                    if start >= row_end:
                        row = bisect_right(starts, start) - 1
                        row_start, row_end = starts[row], starts[row + 1] if row + 1 < lines else length + 1
                    if position < row_end:
                        frame.key_span = (row + 1, start - row_start + 1, row + 1, position - row_start + 1,
                                          start, position)
                    else:
                        frame.key_span = self._span(start, position)
                    frame.key = key
                    if ranges is not None:
                        ranges.append((start, position))
                    if text[position:position + 1] in _SPACES:
                        position = space(text, position).end()
                    if not text.startswith(":", position):
                        raise self._unexpected(position, "\":\" after an object key")
                    position += 1
                    if text[position:position + 1] in _SPACES:
                        position = space(text, position).end()
                    want_key = False
                # a value starts at ``position``
                start = position
                if start >= row_end:
                    row = bisect_right(starts, start) - 1
                    row_start, row_end = starts[row], starts[row + 1] if row + 1 < lines else length + 1
                char = text[position] if position < length else ""
                if char == '"':
                    spent += 1
                    if spent > max_values:
                        raise self._too_many(position)
                    try:
                        value, position = scan(text, position + 1, True)
                    except ValueError as exc:
                        raise self._string_error(start, exc) from None
                    if not value.isascii():
                        value = _joined(value)
                elif char in _NUMBER_START:
                    spent += 1
                    if spent > max_values:
                        raise self._too_many(position)
                    match = number(text, position)
                    if match is None or text[match.end():match.end() + 1] in _NUMBER_TAIL:
                        raise self._malformed_number(position, not stack)
                    token = match.group()
                    position = match.end()
                    if match.group(1) is None and "e" not in token and "E" not in token:
                        if len(token) > max_int:
                            raise _Failure(start, f"integer longer than {max_int} characters", final=True)
                        value = int(token)
                    else:
                        value = float(token)
                elif char in _LITERALS and text.startswith(_LITERALS[char][0], position):
                    spent += 1
                    if spent > max_values:
                        raise self._too_many(position)
                    word, value = _LITERALS[char]
                    position += len(word)
                elif char == "{" or char == "[":
                    spent += 1
                    if spent > max_values:
                        raise self._too_many(position)
                    if len(stack) >= max_depth:
                        raise _Failure(position, f"nesting deeper than {max_depth} levels", final=True)
                    container: YMap | YSeq = YMap() if char == "{" else YSeq()
                    position += 1
                    if text[position:position + 1] in _SPACES:
                        position = space(text, position).end()
                    if not text.startswith("}" if char == "{" else "]", position):
                        frame = _Frame(container, start, row + 1, start - row_start + 1)
                        stack.append(frame)
                        want_key = char == "{"
                        continue
                    position += 1
                    value = container
                else:
                    raise self._unexpected_value(position, not stack)
                if position < row_end:
                    span = (row + 1, start - row_start + 1, row + 1, position - row_start + 1, start, position)
                else:
                    span = self._span(start, position)
                if type(value) is YMap or type(value) is YSeq:
                    value.span = span
                elif ranges is not None:
                    ranges.append((start, position))
                # attach the value to its container, closing the containers it completes
                while stack:
                    frame = stack[-1]
                    holder = frame.container
                    if text[position:position + 1] in _SPACES:
                        position = space(text, position).end()
                    char = text[position] if position < length else ""
                    if frame.is_map:
                        key = frame.key
                        if key in holder:
                            duplicates.append((clip(key), frame.key_span))
                        holder[key] = value  # type: ignore[index]
                        holder.spans[key] = (frame.key_span, span)  # type: ignore[index]
                        if char == ",":
                            comma, position = position, space(text, position + 1).end()
                            if text.startswith("}", position):
                                raise _Failure(comma, "invalid JSON: a trailing comma before \"}\" (JSON allows none)")
                            want_key = True
                            break
                        if char != "}":
                            raise self._unexpected(position, "\",\" or \"}\" after an object member")
                    else:
                        holder.append(value)  # type: ignore[union-attr]
                        holder.spans.append(span)  # type: ignore[union-attr]
                        if char == ",":
                            comma, position = position, space(text, position + 1).end()
                            if text.startswith("]", position):
                                raise _Failure(comma, "invalid JSON: a trailing comma before \"]\" (JSON allows none)")
                            break
                        if char != "]":
                            raise self._unexpected(position, "\",\" or \"]\" after an array item")
                    stack.pop()
                    position += 1
                    if position >= row_end:
                        row = bisect_right(starts, position) - 1
                        row_start, row_end = starts[row], starts[row + 1] if row + 1 < lines else length + 1
                    span = (frame.line, frame.column, row + 1, position - row_start + 1, frame.start, position)
                    holder.span = span
                    value = holder
                else:  # the document is complete
                    documents.append(Document(value, span, len(documents)))
                    self.consumed, self.spent = position, spent
                    break

    def _span(self, start: int, end: int) -> Span:
        """The span of ``[start, end)`` (for what the cursor does not cover: a string holding one of
        YAML's other line breaks)."""
        line, column = self.source.position(start)
        end_line, end_column = self.source.position(end)
        return (line, column, end_line, end_column, start, end)

    def _too_many(self, offset: int) -> _Failure:
        line, column = self.source.position(offset)
        error = values_limit_error(line, column)
        return _Failure(offset, error.message, error.code, final=True)

    def _string_error(self, position: int, exc: ValueError) -> _Failure:
        """The failure for a string the standard library's scanner refuses."""
        text = self.text
        where = getattr(exc, "pos", position)
        message = getattr(exc, "msg", str(exc))
        if message.startswith("Invalid control character"):
            code = ord(text[where])
            if text[where] in "\r\n":
                return _Failure(where, f"invalid JSON: a line break (#x{code:04x}) in a string (write it as "
                                "\\n or \\r)")
            return _Failure(where, f"invalid JSON: control character #x{code:04x} in a string (write it as "
                            f"\\u{code:04x})")
        if message.startswith("Invalid \\escape"):
            return _Failure(where, f"invalid JSON: invalid escape {quoted(text[where:where + 2])} in a string")
        if message.startswith("Invalid \\uXXXX"):
            where -= 1  # the scanner points at the u
            return _Failure(where, f"invalid JSON: invalid escape {quoted(text[where:where + 6])} in a string "
                            "(\\u takes four hexadecimal digits)")
        return _Failure(position, "invalid JSON: a string without its closing quote")

    def _malformed_number(self, position: int, top: bool) -> _Failure:
        """The failure for a number that JSON does not have (``top``: between the values of the stream)."""
        text = self.text
        if text.startswith("-Infinity", position):
            return _Failure(position, "invalid JSON: -Infinity is not a JSON number")
        if top and text.startswith("---", position):
            return self._unexpected_value(position, top)
        end = position + 1
        while end < len(text) and text[end] in _NUMBER_TAIL:
            end += 1
        return _Failure(position, f"invalid JSON: malformed number {quoted(text[position:end])}")

    def _unexpected_value(self, position: int, top: bool) -> _Failure:
        """The failure where a value should start (``top``: between the values of the stream)."""
        text = self.text
        for word in _NOT_NUMBERS:
            if text.startswith(word, position):
                return _Failure(position, f"invalid JSON: {word} is not a JSON number")
        if top and text.startswith(",", position):
            return _Failure(position, "invalid JSON: \",\" between top-level values (the values of a JSON "
                            "stream are separated by whitespace only)")
        if top and text.startswith("---", position):
            return _Failure(position, "invalid JSON: \"---\" between JSON values (a YAML document separator; "
                            "kubectl reads a text that starts with \"{\" as a stream of JSON values)")
        return self._unexpected(position, "a value")

    def _unexpected(self, position: int, expected: str) -> _Failure:
        """The failure where ``expected`` should stand."""
        if self.text.startswith(("//", "/*"), position):
            return _Failure(position, _COMMENT)
        return _Failure(position, f"invalid JSON: expected {expected}, found {_found(self.text, position)}")


def _blank_prefix(text: str, end: int) -> str:
    """``text`` with its first ``end`` characters turned into spaces, line breaks kept (so that what
    is read after them keeps its lines, columns and offsets)."""
    return _NOT_A_BREAK.sub(" ", text[:end]) + text[end:]
