"""YAML 1.1 text to positioned documents, built from parser events.

Why events and not PyYAML's composer: the composer hands an alias the node of its anchor (with the
anchor's position) and recurses once per nesting level. Building from events is iterative (no
RecursionError however deep the input), gives every alias its own position, shares aliased values
instead of copying them (a billion-laughs document stays small), and lets us refuse tags that would
construct objects without ever constructing anything.
"""
from __future__ import annotations


import gc
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from stslint.loading.source_text import LINE_BREAK, SourceText, mentions_directive
from stslint.model.nodes import Span, YMap, YSeq

try:  # libyaml when present: an order of magnitude faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 500
"""Nesting deeper than this is refused as invalid YAML (no real manifest comes close). It is below
libyaml's own limit (1,000 levels since libyaml 0.2.6; none before), so the refusal, its message and
its position are the same whichever PyYAML build is installed."""

MAX_INT_LENGTH = 1000
"""Longer integers are refused: Python cannot print an integer of more than 4,300 digits (hex
digits build one without that limit), YAML 1.1's base-60 integers take quadratic time to build, and no
Kubernetes field holds more than 64 bits."""

MAX_BASE60_FLOAT_PARTS = 100
"""YAML 1.1 base-60 floats (``1:30:00.5``) of more colon-separated parts are refused: PyYAML weighs
each part by a power of 60 that no float can hold past 174 parts (an OverflowError), and no duration
or angle needs more than 4. Base-60 integers are bounded by MAX_INT_LENGTH."""

MAX_VALUES = 2_000_000
"""A file holding more values than this is refused as unreadable: documents, scalars, aliases,
collections and the keys merge keys copy all count. Memory grows with the values built (up to about
330 bytes each), not with the bytes read (`[{},{},...]` is 3 bytes a value), so this bounds a file's
memory to about 700 MB; typical YAML has 30 bytes a value, so the limit sits near the 64 MiB size
limit for real manifests."""

MAX_FLOW_WORK = 20_000_000
"""A file whose values, each counted once per flow collection ([...] or {...}) enclosing it, add up
to more than this is refused as unreadable. A YAML scanner keeps one pending simple key per open flow
collection and re-examines them at every token, so deep flow nesting repeated over a file costs
time quadratically (minutes per megabyte in PyYAML's pure-Python parser); real JSON and YAML stay
one to two orders of magnitude below the limit."""

_LIMIT_MESSAGES = ("nesting deeper than ", "integer longer than ", "base-60 float of more than ")
"""How the STS001 refusals at a limit start (the STS004 ones are all limits)."""

_Y = "tag:yaml.org,2002:"
_MERGE = _Y + "merge"
_STRING_TAGS = {_Y + "str", _Y + "timestamp", _Y + "binary", _Y + "value", "!"}
_COLLECTION_TAGS = {_Y + "map", _Y + "omap", _Y + "pairs", _Y + "set", _Y + "seq", "!"}
_RESOLVER = Resolver()
_GO_YAML_BOOLS = {"y": True, "Y": True, "n": False, "N": False}
"""YAML 1.1 booleans that PyYAML leaves as strings but Kubernetes' YAML reader (go-yaml v2, through
sigs.k8s.io/yaml) resolves: a plain ``app: y`` reaches the API server as ``true``."""
_CONSTRUCTOR = SafeConstructor()


class LoadError(Exception):
    """The text cannot be loaded; carries the code and 1-based position of the problem."""

    def __init__(self, code: str, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column

    @property
    def limit(self) -> bool:
        """Whether loading stopped at one of the limits (depth, values, flow work, integer length,
        base-60 parts) rather than at something the text gets wrong."""
        return self.code == "STS004" or self.message.startswith(_LIMIT_MESSAGES)


@dataclass
class Document:
    """One YAML document: its root value, the span of that root and its 0-based index in the file."""

    root: Any
    span: Span
    index: int


@dataclass
class Loaded:
    """What one file holds: its documents and the duplicate keys met while loading them."""

    documents: list[Document] = field(default_factory=list)
    duplicate_keys: list[tuple[str, Span]] = field(default_factory=list)
    scalar_ranges: list[tuple[int, int]] | None = None
    """The [start, end) offsets of every scalar, in text order, from the parser's own marks (a tag or
    an anchor before a scalar included): a ``#`` inside one is text, not a comment. Recorded only when
    the text holds a suppression directive's marker (``stslint:``); None otherwise."""


def _start(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _span(start_event: Any, end_event: Any) -> Span:
    start, end = start_event.start_mark, end_event.end_mark
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1, start.index, end.index)


def _scalar(event: ScalarEvent) -> Any:
    """The Python value of a scalar event under YAML 1.1 rules (timestamps stay strings)."""
    tag = event.tag
    if tag is None or tag == "!":
        if tag == "!" or not event.implicit[0]:
            return event.value  # quoted or non-specific: a string
        if event.value in _GO_YAML_BOOLS:
            return _GO_YAML_BOOLS[event.value]
        tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
    if tag in _STRING_TAGS:
        return event.value
    if tag == _MERGE:
        return _MergeKey()
    if tag == _Y + "null":
        return None
    if tag == _Y + "bool":
        value = SafeConstructor.bool_values.get(event.value.lower())
        if value is None:
            raise LoadError("STS001", f"invalid boolean {quoted(event.value)}", *_start(event))
        return value
    if tag in (_Y + "int", _Y + "float"):
        node = ScalarNode(tag, event.value, event.start_mark, event.end_mark)
        try:
            if tag == _Y + "int":
                if len(event.value) > MAX_INT_LENGTH:
                    raise LoadError("STS001", f"integer longer than {MAX_INT_LENGTH} characters", *_start(event))
                return _CONSTRUCTOR.construct_yaml_int(node)
            if event.value.count(":") >= MAX_BASE60_FLOAT_PARTS:
                raise LoadError("STS001", f"base-60 float of more than {MAX_BASE60_FLOAT_PARTS} parts", *_start(event))
            return _CONSTRUCTOR.construct_yaml_float(node)
        except (ValueError, ConstructorError, OverflowError):
            raise LoadError("STS001", f"invalid {tag[len(_Y):]} {quoted(event.value)}", *_start(event)) from None
    raise _tag_error(event, tag)


def _tag_error(event: Any, tag: str | None = None) -> LoadError:
    return LoadError("STS001", f"unsupported YAML tag {_short(tag or event.tag)} (only YAML 1.1's own tags "
                     "are read)", *_start(event))


def _is_local_tag(tag: str | None) -> bool:
    """Whether ``tag`` is a local tag such as Ansible's ``!vault`` or ``!unsafe`` (not ``!``, not ``!!x``)."""
    return tag is not None and len(tag) > 1 and tag[0] == "!" and tag[1] != "!"


def _looks_like_kubernetes(root: Any) -> bool:
    """Whether a document root is, or holds, what could be a Kubernetes object: a mapping with apiVersion
    or kind, or a list with an item that has both. A local tag (``!vault``) in any other document (an
    Ansible playbook or vars file) is not stslint's business: that document is skipped, not an error."""
    if isinstance(root, dict):
        return "apiVersion" in root or "kind" in root
    if isinstance(root, list):
        return any(isinstance(item, dict) and "apiVersion" in item and "kind" in item for item in root)
    return False


def clip(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for a message (a scalar can be megabytes long)."""
    return text if len(text) <= limit else text[:limit] + "..."


_QUOTE_ESCAPES = {**{code: f"\\u{code:04x}" for code in range(0x20)}, ord("\n"): "\\n", ord("\r"): "\\r",
                  ord("\t"): "\\t", ord("\b"): "\\b", ord("\f"): "\\f", ord('"'): '\\"', ord("\\"): "\\\\"}


def quoted(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters in double quotes, as messages show names and values
    (quotes, backslashes and control characters escaped as JSON escapes them)."""
    return '"' + clip(text, limit).translate(_QUOTE_ESCAPES) + '"'


_JSON_START = re.compile("\ufeff?[ \t\n\r]*{")
"""A JSON stream: an optional BOM, JSON whitespace, then ``{`` (kubectl's test, JSON whitespace only)."""


def starts_json_stream(text: str) -> bool:
    """Whether kubectl reads ``text`` as a JSON stream: its first character after an optional BOM and
    JSON whitespace (space, tab, line feed, carriage return) is ``{``. Only the leading whitespace is
    looked at, so a YAML text costs nothing."""
    return _JSON_START.match(text) is not None


def load_manifest_text(text: str, source: Any = None) -> Loaded:
    """Load a manifest text as kubectl does: a JSON stream when it starts with ``{`` (the JSON reader,
    stslint.loading.jsonstream, is imported only then), YAML otherwise. ``source`` is the text's
    SourceText when the caller has one. Raises LoadError."""
    if not starts_json_stream(text):
        return load_text(text)
    from stslint.loading.jsonstream import load_stream

    return load_stream(text, source)


def _json_key(key: Any) -> Any:
    """A mapping key as Kubernetes sees it: kubectl turns YAML into JSON, whose keys are strings, so
    ``1:`` is "1", ``on:`` is "true" and ``~:`` is "null" (and ``1`` and ``true`` stay two keys)."""
    if isinstance(key, str) or isinstance(key, _MergeKey):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float) and key.is_integer() and abs(key) < 1e21:
        return str(int(key))
    return str(key)


def _char_at(source: SourceText, line: int, column: int) -> str:
    """The character at a 1-based line and column ("" when out of range); a column past the end of
    the line reads on into the lines after it."""
    index = source.offset(line, column)
    return source.text[index] if index < len(source.text) else ""


_SLASH_COMMENT = re.compile(r"(?:^|(?<=[\r\x85\u2028\u2029]))[ \t]*(//|/\*)", re.MULTILINE)
"""A ``//`` or ``/*`` starting a line (after any of YAML's line breaks)."""


def template_before(source: SourceText, marker: str, line: int) -> tuple[int, int] | None:
    """Where a template ``marker`` ({{ or {%) stands unquoted (starting a line or a value) on ``line``
    or the line before: the template is then why the text does not parse there."""
    for number in (line, line - 1):
        content = source.line(number)
        match = re.match(r"[ \t]*(?:- )?(?:[^\"'#{]*?:[ \t]+)?(" + re.escape(marker) + ")", content)
        if match:
            return number, match.start(1) + 1
    return None


def _comment_before(source: SourceText, line: int) -> tuple[int, int] | None:
    """Where a line starting with ``//`` or ``/*`` (a JSON-with-comments comment) stands, when one
    does at or before ``line`` in a JSON-looking text (the comment is then why it does not parse)."""
    if not _looks_like_json(source.text):
        return None
    match = _SLASH_COMMENT.search(source.text)
    if match is None:
        return None
    comment_line = source.line_of(match.start())
    if comment_line > line:
        return None
    return comment_line, match.start(1) - match.start() + 1


def _short(tag: str) -> str:
    return "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag


class _MergeKey:
    """Marker for the YAML 1.1 merge key ``<<``."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(_MergeKey)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _MergeKey)


class _Frame:
    """A collection being built: the container, its start event and, for mappings, the pending key."""

    __slots__ = ("container", "start", "key", "key_span", "has_key", "merges", "seen")

    def __init__(self, container: YMap | YSeq, start: Any) -> None:
        self.container = container
        self.start = start
        self.key: Any = None
        self.key_span: Span | None = None
        self.has_key = False
        self.merges: list[tuple[Any, Span]] = []
        self.seen: set[Any] = set()


def _apply_merges(mapping: YMap, merges: list[tuple[Any, Span]]) -> None:
    """Add the keys that ``<<`` merges bring in, without overriding explicit keys (YAML 1.1)."""
    for value, key_span in merges:
        sources = value if isinstance(value, list) else [value]
        for source in sources:
            if not isinstance(source, dict):
                raise LoadError("STS001", "a merge key (<<) must name a mapping or a list of mappings",
                                key_span[0], key_span[1])
            for key, item in source.items():
                if key not in mapping:
                    mapping[key] = item
                    mapping.spans[key] = (key_span, key_span)  # one object twice: YMap.merged()


def _merged_count(value: Any) -> int:
    """How many keys a merge key's value can bring in (what merging it costs)."""
    sources = value if isinstance(value, list) else [value]
    return sum(len(source) for source in sources if isinstance(source, dict))


_BUILDING_EVENTS = frozenset({ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent, DocumentStartEvent})


def values_limit_error(line: int, column: int) -> LoadError:
    """The error for the value that goes past MAX_VALUES, at ``line`` and ``column``."""
    return LoadError("STS004", f"more than {MAX_VALUES:,} YAML values in one file (a limit that bounds "
                     "memory): split the file", line, column)


class _Budget:
    """Counts the values a file builds and stops loading past MAX_VALUES."""

    __slots__ = ("spent", "flow_work")

    def __init__(self) -> None:
        self.spent = 0
        self.flow_work = 0

    def spend(self, amount: int, event: Any) -> None:
        """Count ``amount`` more values built at ``event``; raise LoadError past the limit."""
        self.spent += amount
        if self.spent > MAX_VALUES:
            raise values_limit_error(*_start(event))

    def spend_flow(self, flow_depth: int, event: Any) -> None:
        """Count a value built inside ``flow_depth`` flow collections; raise LoadError past the limit."""
        self.flow_work += flow_depth
        if self.flow_work > MAX_FLOW_WORK:
            raise LoadError("STS004", "flow collections ([...] or {...}) nested too deeply too often (a limit "
                            "that bounds parsing time): use block style or split the file", *_start(event))


def _scalar_range(text: str, event: ScalarEvent, span: Span) -> tuple[int, int]:
    """The [start, end) offsets of a scalar's text: a block scalar's begins on the line after its
    header (``|`` or ``>`` and what follows it on that line, where a comment may stand)."""
    start = span[4]
    if event.style in ("|", ">"):
        line_break = LINE_BREAK.search(text, start)
        start = line_break.end() if line_break else span[5]
    return start, span[5]


_SURROGATE_ESCAPE = "found invalid Unicode character escape code"


def load_text(text: str, values_before: int = 0, *, scalar_ranges: bool = False) -> Loaded:
    """Load every document of ``text`` as YAML; raise LoadError for the first problem that stops
    loading. ``values_before`` values already count against MAX_VALUES (read before this text).

    JSON escapes a character outside the Basic Multilingual Plane as a surrogate pair
    (``"\\ud83d\\ude00"``, what ``json.dumps`` writes), which libyaml refuses; a JSON text (its
    first character ``{`` or ``[``) that libyaml refuses for that is read by the JSON reader
    (stslint.loading.jsonstream) instead, when it is JSON."""
    collecting = gc.isenabled()
    gc.disable()  # a tree of fresh containers, none garbage until the file is done: nothing to collect
    try:
        return _load_text(text, _Loader, values_before, scalar_ranges)
    except LoadError as exc:
        if exc.message != _SURROGATE_ESCAPE or not _looks_like_json(text):
            raise
        from stslint.loading.jsonstream import load_json

        try:
            return load_json(text)
        except LoadError:
            raise exc from None
    finally:
        if collecting:
            gc.enable()


def _looks_like_json(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith(("{", "["))


def _load_text(text: str, loader: Any, values_before: int = 0, scalar_ranges: bool = False) -> Loaded:
    result = Loaded()
    ranges: list[tuple[int, int]] | None = [] if scalar_ranges or mentions_directive(text) else None
    result.scalar_ranges = ranges
    anchors: dict[str, tuple[Any, Span]] = {}
    stack: list[_Frame] = []
    doc_start: Any = None
    root: Any = None
    root_span: Span | None = None
    index = 0
    budget = _Budget()
    budget.spent = values_before
    flow_depth = 0
    pending_tag: LoadError | None = None
    try:
        for event in yaml.parse(text, Loader=loader):
            cls = type(event)
            if cls in _BUILDING_EVENTS:
                budget.spend(1, event)
                if flow_depth:
                    budget.spend_flow(flow_depth, event)
            if cls is ScalarEvent:
                if _is_local_tag(event.tag):
                    pending_tag = pending_tag or _tag_error(event)
                    value: Any = event.value
                else:
                    value = _scalar(event)
                span = _span(event, event)
                if ranges is not None:
                    ranges.append(_scalar_range(text, event, span))
            elif cls is AliasEvent:
                if event.anchor not in anchors:
                    raise LoadError("STS001", f"undefined alias *{event.anchor}", *_start(event))
                value = anchors[event.anchor][0]
                span = _span(event, event)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                    if not _is_local_tag(event.tag):
                        raise _tag_error(event)
                    pending_tag = pending_tag or _tag_error(event)
                if len(stack) >= MAX_DEPTH:
                    raise LoadError("STS001", f"nesting deeper than {MAX_DEPTH} levels", *_start(event))
                container: YMap | YSeq = YMap() if cls is MappingStartEvent else YSeq()
                if event.anchor is not None:
                    anchors[event.anchor] = (container, (0, 0, 0, 0, 0, 0))
                stack.append(_Frame(container, event))
                flow_depth += bool(event.flow_style)
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = stack.pop()
                flow_depth -= bool(frame.start.flow_style)
                value = frame.container
                span = _span(frame.start, event)
                value.span = span
                if frame.merges:
                    budget.spend(sum(_merged_count(v) for v, _ in frame.merges), event)
                    _apply_merges(value, frame.merges)
                if frame.start.anchor is not None:
                    anchors[frame.start.anchor] = (value, span)
            elif cls is DocumentStartEvent:
                doc_start = event
                root, root_span, pending_tag = None, None, None
                anchors.clear()  # an anchor is defined for its own document only (YAML 1.1 §3.2.2.2)
                continue
            elif cls is DocumentEndEvent:
                if pending_tag is not None and _looks_like_kubernetes(root):
                    raise pending_tag
                start = root_span or _span(doc_start, event)
                result.documents.append(Document(root, start, index))
                index += 1
                continue
            else:
                continue
            if cls is ScalarEvent and event.anchor is not None:
                anchors[event.anchor] = (value, span)
            # attach the finished value to its parent
            if isinstance(value, _MergeKey) and not (stack and isinstance(stack[-1].container, YMap)
                                                     and not stack[-1].has_key):
                value = "<<"  # a plain << is the merge key only as a mapping key; elsewhere it is text
            if not stack:
                root, root_span = value, span
                continue
            parent = stack[-1]
            holder = parent.container
            if isinstance(holder, YSeq):
                holder.append(value)
                holder.spans.append(span)
            elif not parent.has_key:
                if isinstance(value, (dict, list)):
                    raise LoadError("STS001", "a mapping or list cannot be a mapping key "
                                    "(a Go/Helm template such as {{ .Value }}?)", span[0], span[1])
                parent.key, parent.key_span, parent.has_key = _json_key(value), span, True
            else:
                key, key_span = parent.key, parent.key_span
                parent.has_key = False
                assert key_span is not None
                if isinstance(key, _MergeKey):
                    parent.merges.append((value, key_span))
                    continue
                if key in parent.seen:
                    result.duplicate_keys.append((clip(str(key)), key_span))
                parent.seen.add(key)
                holder[key] = value
                holder.spans[key] = (key_span, span)
    except yaml.MarkedYAMLError as exc:
        source = SourceText(text)  # the one line table, only when there is an error to place
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        if mark is not None and _char_at(source, line, column) == "\t":
            problem = "a tab character where YAML forbids one (indent with spaces)"
        if "maximum nesting depth" in problem:  # libyaml >= 0.2.6 scans flow collections ahead of us
            problem = f"nesting deeper than {MAX_DEPTH} levels"  # true there too: one message whoever stops it
        for marker, hint in (("{{", "a Go/Helm template"), ("{%", "a Jinja template")):
            template = template_before(source, marker, line)
            if template is not None:
                problem = f"{problem} ({hint}?)" if "template" not in problem else problem
                line, column = template
                break
        comment = _comment_before(source, line)
        if comment is not None:
            raise LoadError("STS001", "a // or /* comment, which neither JSON nor YAML has (YAML comments "
                            "start with #)", *comment) from None
        raise LoadError("STS001", problem, line, column) from None
    except yaml.reader.ReaderError as exc:  # control characters: an offset, not a mark
        position = exc.position
        if loader is not yaml.SafeLoader:  # libyaml reads the text as UTF-8: a byte offset
            position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        line, column = SourceText(text).position(position)
        raise LoadError("STS001", f"control character #x{exc.character:04x} is not allowed in YAML",
                        line, column) from None
    except yaml.YAMLError as exc:
        raise LoadError("STS001", str(exc).splitlines()[0] if str(exc) else "invalid YAML", 1, 1) from None
    return result
