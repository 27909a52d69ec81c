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
from stslint.loading.yamlload import Document, LoadError, Loaded, clip, values_limit_error
from stslint.model.nodes import Span, YMap, YSeq

_START = re.compile("\ufeff?[ \t\n\r]*{")
"""A JSON stream: an optional BOM, JSON whitespace, then ``{`` (kubectl's test, JSON whitespace only)."""
_SPACE = re.compile(r"[ \t\n\r]*")
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


def starts_json_stream(text: str) -> bool:
    """Whether kubectl reads ``text`` as a JSON stream: its first character after an optional BOM and
    JSON whitespace (space, tab, line feed, carriage return) is ``{``. Only the leading whitespace is
    looked at, so a YAML text costs nothing."""
    return _START.match(text) is not None


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
    rest as YAML (positions kept: what JSON read is blanked out, its line breaks kept)."""
    text, json_loaded = reader.text, reader.loaded
    done = reader.consumed
    rest = _blank_prefix(text, done) if done else text
    try:
        yaml_loaded = yamlload.load_text(rest, values_before=reader.spent_done)
    except LoadError as exc:
        if exc.documents == 0:  # the first YAML document failed too: kubectl reports JSON's error
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
    return f'"{char}"' if char == "'" else repr(char)


class _Frame:
    """A container being read: the container, its start offset and, for objects, the pending key."""

    __slots__ = ("container", "start", "key", "key_span")

    def __init__(self, container: YMap | YSeq, start: int) -> None:
        self.container = container
        self.start = start
        self.key: str = ""
        self.key_span: Span | None = None


class _Reader:
    """One pass over a JSON stream, building positioned values."""

    def __init__(self, text: str, source: SourceText, record_ranges: bool) -> None:
        self.text = text
        self.source = source
        self.starts = source.line_starts()
        self.loaded = Loaded(scalar_ranges=[] if record_ranges else None)
        self.consumed = 0
        """The offset just after the last complete top-level value."""
        self.spent = 0
        self.spent_done = 0
        """The values counted by the time ``consumed`` was reached."""
        self.max_values = yamlload.MAX_VALUES
        self.max_depth = yamlload.MAX_DEPTH
        self.max_int = yamlload.MAX_INT_LENGTH

    def error(self, failure: _Failure) -> LoadError:
        """The LoadError of a failure: its line and column, and what a template or comment explains."""
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

    def span(self, start: int, end: int) -> Span:
        """The span of ``[start, end)``."""
        starts = self.starts
        index = bisect_right(starts, start) - 1
        line_start = starts[index]
        if index + 1 < len(starts) and starts[index + 1] <= end:
            end_index = bisect_right(starts, end) - 1
            return (index + 1, start - line_start + 1, end_index + 1, end - starts[end_index] + 1, start, end)
        return (index + 1, start - line_start + 1, index + 1, end - line_start + 1, start, end)

    def spend(self, offset: int) -> None:
        """Count one more value built at ``offset``; stop past the limit."""
        self.spent += 1
        if self.spent > self.max_values:
            line, column = self.source.position(offset)
            error = values_limit_error(line, column)
            raise _Failure(offset, error.message, error.code, final=True)

    def read(self) -> _Failure | None:
        """Read every value of the stream into ``loaded``; the failure that stopped it, or None."""
        text = self.text
        length = len(text)
        documents = self.loaded.documents
        position = 1 if text.startswith("\ufeff") else 0
        try:
            while True:
                position = _SPACE.match(text, position).end()
                if position >= length:
                    return None
                self.spend(position)  # the document, as the YAML loader counts it
                root, span, position = self.value(position)
                documents.append(Document(root, span, len(documents)))
                self.consumed, self.spent_done = position, self.spent
        except _Failure as failure:
            return failure

    def value(self, position: int) -> tuple[Any, Span, int]:
        """Read the value at ``position`` (no whitespace before it): the value, its span and the
        offset after it. Containers are read with an explicit stack, not by recursion."""
        text = self.text
        length = len(text)
        stack: list[_Frame] = []
        ranges = self.loaded.scalar_ranges
        duplicates = self.loaded.duplicate_keys
        spend = self.spend
        make_span = self.span
        value: Any
        while True:
            # a value starts at ``position``
            char = text[position] if position < length else ""
            start = position
            if char == "{" or char == "[":
                spend(position)
                if len(stack) >= self.max_depth:
                    raise _Failure(position, f"nesting deeper than {self.max_depth} levels", final=True)
                frame = _Frame(YMap() if char == "{" else YSeq(), position)
                position += 1
                if text[position:position + 1] in _SPACES:
                    position = _SPACE.match(text, position).end()
                close = "}" if char == "{" else "]"
                if text.startswith(close, position):
                    value = frame.container
                    position += 1
                    span = make_span(start, position)
                    value.span = span
                else:
                    stack.append(frame)
                    if char == "{":
                        position = self.key(frame, position)
                    continue
            elif char == '"':
                spend(start)
                value, position = self.string(position)
                span = make_span(start, position)
                if ranges is not None:
                    ranges.append((start, position))
            elif char in _NUMBER_START:
                spend(start)
                value, position = self.number(position)
                span = make_span(start, position)
                if ranges is not None:
                    ranges.append((start, position))
            elif char in _LITERALS and text.startswith(_LITERALS[char][0], position):
                spend(start)
                word, value = _LITERALS[char]
                position += len(word)
                span = make_span(start, position)
                if ranges is not None:
                    ranges.append((start, position))
            else:
                raise self.unexpected_value(position, stack)
            # attach the finished value to its parent, closing the containers it completes
            while True:
                if not stack:
                    return value, span, position
                frame = stack[-1]
                holder = frame.container
                if text[position:position + 1] in _SPACES:
                    position = _SPACE.match(text, position).end()
                char = text[position] if position < length else ""
                if isinstance(holder, YMap):
                    key = frame.key
                    if key in holder:
                        duplicates.append((clip(key), frame.key_span))
                    holder[key] = value
                    holder.spans[key] = (frame.key_span, span)
                    if char == ",":
                        comma = position
                        position = _SPACE.match(text, position + 1).end()
                        if text.startswith("}", position):
                            raise _Failure(comma, "invalid JSON: a trailing comma before '}' (JSON allows none)")
                        position = self.key(frame, position)
                        break
                    if char != "}":
                        raise self.unexpected(position, "',' or '}' after an object member")
                else:
                    holder.append(value)
                    holder.spans.append(span)
                    if char == ",":
                        comma = position
                        position = _SPACE.match(text, position + 1).end()
                        if text.startswith("]", position):
                            raise _Failure(comma, "invalid JSON: a trailing comma before ']' (JSON allows none)")
                        break
                    if char != "]":
                        raise self.unexpected(position, "',' or ']' after an array item")
                stack.pop()
                position += 1
                value = holder
                span = make_span(frame.start, position)
                holder.span = span

    def key(self, frame: _Frame, position: int) -> int:
        """Read an object's key and its colon at ``position`` into ``frame``; the offset of the value."""
        text = self.text
        if not text.startswith('"', position):
            raise self.unexpected(position, "a string in double quotes as an object key")
        self.spend(position)
        frame.key, end = self.string(position)
        frame.key_span = self.span(position, end)
        if self.loaded.scalar_ranges is not None:
            self.loaded.scalar_ranges.append((position, end))
        if text[end:end + 1] in _SPACES:
            end = _SPACE.match(text, end).end()
        if not text.startswith(":", end):
            raise self.unexpected(end, "':' after an object key")
        end += 1
        if text[end:end + 1] in _SPACES:
            end = _SPACE.match(text, end).end()
        return end

    def string(self, position: int) -> tuple[str, int]:
        """The string whose opening quote is at ``position``, and the offset after its closing quote."""
        try:
            value, end = scanstring(self.text, position + 1, True)
        except ValueError as exc:
            raise self.string_error(position, exc) from None
        if not value.isascii() and _SURROGATE.search(value):
            value = _SURROGATE.sub("\ufffd", value)  # lone surrogates, as Go's decoder reads them
        return value, end

    def string_error(self, position: int, exc: ValueError) -> _Failure:
        """The failure for a string the stdlib scanner refuses."""
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
            return _Failure(where, f"invalid JSON: invalid escape {clip(text[where:where + 2])!r} in a string")
        if message.startswith("Invalid \\uXXXX"):
            return _Failure(where, f"invalid JSON: invalid escape {clip(text[where:where + 6])!r} in a string "
                            "(\\u takes four hexadecimal digits)")
        return _Failure(position, "invalid JSON: a string without its closing quote")

    def number(self, position: int) -> tuple[int | float, int]:
        """The number at ``position`` and the offset after it."""
        text = self.text
        match = _NUMBER.match(text, position)
        if match is None or text[match.end():match.end() + 1] in _NUMBER_TAIL:
            if text.startswith("-Infinity", position):
                raise _Failure(position, "invalid JSON: -Infinity is not a JSON number")
            end = position + 1
            while end < len(text) and text[end] in _NUMBER_TAIL:
                end += 1
            raise _Failure(position, f"invalid JSON: malformed number {clip(text[position:end])!r}")
        token = match.group()
        end = match.end()
        if match.group(1) is None and token.find("e") == -1 and token.find("E") == -1:
            if len(token) > self.max_int:
                raise _Failure(position, f"integer longer than {self.max_int} characters", final=True)
            return int(token), end
        return float(token), end

    def unexpected_value(self, position: int, stack: list[_Frame]) -> _Failure:
        """The failure where a value should start."""
        text = self.text
        if text.startswith(("//", "/*"), position):
            return _Failure(position, _COMMENT)
        for word in _NOT_NUMBERS:
            if text.startswith(word, position):
                return _Failure(position, f"invalid JSON: {word} is not a JSON number")
        if not stack:
            if text.startswith(",", position):
                return _Failure(position, "invalid JSON: ',' between top-level values (the values of a JSON "
                                "stream are separated by whitespace only)")
            if text.startswith("---", position):
                return _Failure(position, "invalid JSON: '---' between JSON values (a YAML document separator; "
                                "kubectl reads a text that starts with '{' as a stream of JSON values)")
        return self.unexpected(position, "a value")

    def unexpected(self, position: int, expected: str) -> _Failure:
        """The failure where ``expected`` should stand."""
        if self.text.startswith(("//", "/*"), position):
            return _Failure(position, _COMMENT)
        return _Failure(position, f"invalid JSON: expected {expected}, found {_found(self.text, position)}")


def _blank_prefix(text: str, end: int) -> str:
    """``text`` with its first ``end`` characters turned into spaces, line breaks kept (so that what
    is read after them keeps its lines, columns and offsets)."""
    return _NOT_A_BREAK.sub(" ", text[:end]) + text[end:]
