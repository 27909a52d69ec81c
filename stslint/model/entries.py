"""Index entries: the compact part of an object that cross-object rules read, and its serialisation.

Each view kind that cross-object rules relate declares an :class:`Entry` subclass beside it, with one
:class:`Value` per thing its rules read (names, labels, selectors, policies and the positions
findings point at — never whole documents). Values are plain JSON data or small types with a
:class:`Codec`, so the context cache stores every indexed kind through one generic record format,
and rebuilding a record checks every value's type (a damaged or forged record is rejected, never
trusted into a crash).

Type problems met while extracting an entry are kept with it, grouped by the values they affect.
Reading a value of a group with problems marks the group as read; the engine reports the problems
of read groups as STS006 once, so a rule never re-yields another rule's code and never forgets to.
A group with problems reads as absent (MISSING or None), so the rules that need it stay quiet;
:meth:`Entry.readable` asks first, and counts as a read too.
"""
from __future__ import annotations

from typing import Any, ClassVar, Iterable, Iterator

from stslint.findings import Finding, Fix, Related
from stslint.model.fields import TypeProblem
from stslint.model.nodes import NO_SPAN, Span


class _Missing:
    """The type of :data:`MISSING`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""Marks a value the manifest does not set (null is a value: ``clusterIPs: null``)."""


class BadRecord(ValueError):
    """A record (from the cache) that does not have the expected shape."""


def namespaces_match(a: str | None, b: str | None) -> bool:
    """kubectl apply semantics: an unknown namespace (None) matches any; explicit ones must be equal."""
    return a is None or b is None or a == b


def certainly_same_namespace(a: Entry, b: Entry) -> bool:
    """Whether two entries certainly land in one namespace: both namespaces known (explicit, or
    given by ``--namespace``) and equal, or both unknown and in one file (applied together)."""
    if a.namespace is not None and b.namespace is not None:
        return a.namespace == b.namespace
    return a.namespace is None and b.namespace is None and a.file_key == b.file_key


# --- codecs -----------------------------------------------------------------------------------


class Codec:
    """How one kind of value becomes JSON data and back, with the type check on the way back."""

    def dump(self, value: Any) -> Any:
        """The JSON data of ``value``."""
        return value

    def load(self, data: Any) -> Any:
        """The value of JSON ``data``; BadRecord when it has the wrong shape."""
        raise NotImplementedError


class _Scalar(Codec):
    def __init__(self, *types: type, nullable: bool = False) -> None:
        self.types = types
        self.nullable = nullable

    def load(self, data: Any) -> Any:
        if data is None and self.nullable:
            return None
        if isinstance(data, bool) and bool not in self.types:
            raise BadRecord(f"expected {self.types}, got a boolean")
        if not isinstance(data, self.types):
            raise BadRecord(f"expected {self.types}, got {type(data).__name__}")
        return data


class _List(Codec):
    def __init__(self, item: Codec, nullable: bool = False) -> None:
        self.item = item
        self.nullable = nullable

    def dump(self, value: Any) -> Any:
        return None if value is None else [self.item.dump(v) for v in value]

    def load(self, data: Any) -> Any:
        if data is None and self.nullable:
            return None
        if not isinstance(data, list):
            raise BadRecord(f"expected a list, got {type(data).__name__}")
        return [self.item.load(v) for v in data]


class _StringMap(Codec):
    def __init__(self, nullable: bool = True) -> None:
        self.nullable = nullable

    def dump(self, value: Any) -> Any:
        return None if value is None else dict(value)

    def load(self, data: Any) -> Any:
        if data is None and self.nullable:
            return None
        if not isinstance(data, dict):
            raise BadRecord(f"expected a mapping, got {type(data).__name__}")
        for key, item in data.items():
            if not isinstance(key, str) or not isinstance(item, str):
                raise BadRecord("expected a mapping of strings")
        return dict(data)


_INT_ONLY = {int}


class _Span(Codec):
    def dump(self, value: Any) -> Any:
        return list(value)

    def load(self, data: Any) -> Any:
        if type(data) is not list or len(data) != 6 or set(map(type, data)) != _INT_ONLY:
            raise BadRecord("expected a span of six integers")
        return tuple(data)


class _Edits(Codec):
    """Edits of the entry's own file, each ``[start, end, replacement]`` (what a fix changes there)."""

    def load(self, data: Any) -> Any:
        if data is None:
            return None
        if type(data) is not list or not all(
                type(item) is list and len(item) == 3 and type(item[0]) is int and type(item[1]) is int
                and isinstance(item[2], str) and 0 <= item[0] <= item[1] for item in data):
            raise BadRecord("expected a list of [start, end, replacement] edits")
        return [list(item) for item in data]


EDITS = _Edits()


class _Json(Codec):
    """Any JSON data (a whole object, for the kinds user policies' ref schemas and expressions read):
    positioned YAML is dumped as plain data; loaded back as it is (any JSON is a valid value)."""

    def dump(self, value: Any) -> Any:
        return plain_data(value)

    def load(self, data: Any) -> Any:
        if not isinstance(data, dict):
            raise BadRecord(f"expected a mapping, got {type(data).__name__}")
        return data


def plain_data(value: Any) -> Any:
    """Positioned YAML (or any nesting of dicts and lists) as plain JSON data; keys become strings."""
    if isinstance(value, dict):
        return {str(key): plain_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain_data(item) for item in value]
    return value


STRING = _Scalar(str)
OPTIONAL_STRING = _Scalar(str, nullable=True)
BOOLEAN = _Scalar(bool)
INTEGER = _Scalar(int)
OPTIONAL_INT = _Scalar(int, nullable=True)
OPTIONAL_INT_OR_STRING = _Scalar(int, str, nullable=True)
STRING_MAP = _StringMap()
SPAN = _Span()
STRINGS = _List(STRING)


def list_of(item: Codec, nullable: bool = False) -> Codec:
    """A codec for lists of ``item`` values."""
    return _List(item, nullable)


class Record(Codec):
    """A codec for a small value type with ``to_record()`` and a ``from_record(data)`` classmethod
    (None stays None)."""

    def __init__(self, kind: Any) -> None:
        self.kind = kind

    def dump(self, value: Any) -> Any:
        return None if value is None else value.to_record()

    def load(self, data: Any) -> Any:
        if data is None:
            return None
        if not isinstance(data, dict):
            raise BadRecord(f"expected a mapping, got {type(data).__name__}")
        return self.kind.from_record(data)


# --- values and entries -----------------------------------------------------------------------


class Value:
    """A kind-specific value of an entry: its codec, its default, and the problem group reading it
    reports (None: reading it never reports)."""

    __slots__ = ("name", "codec", "group", "default")

    def __init__(self, codec: Codec, *, group: str | None = None, default: Any = MISSING) -> None:
        self.name = ""
        self.codec = codec
        self.group = group
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, entry: Entry | None, owner: type | None = None) -> Any:
        if entry is None:
            return self
        group = self.group
        if group is not None and group in entry.problems:
            entry.read.add(group)
        return entry.values.get(self.name, self.default)

    def __set__(self, entry: Entry, value: Any) -> None:
        entry.values[self.name] = value


ENTRY_TYPES: dict[str, type[Entry]] = {}
"""Every entry type by name, for rebuilding records."""


class Entry:
    """What every indexed object has: identity, where it was read, its ``kind:`` and ``metadata.name``
    positions, its ``stslint.io/ignore`` annotation (the string as written) and its values."""

    __slots__ = ("kind", "name", "namespace", "explicit_namespace", "api_version", "file", "source_path",
                 "object_at", "kind_span", "name_span", "annotation", "problems", "read", "values")

    VALUES: ClassVar[dict[str, Value]] = {}
    CLUSTER_SCOPED: ClassVar[bool] = False
    KINDS: ClassVar[frozenset[str]] = frozenset()
    """The kinds whose entries this type holds (a record of another kind is refused)."""
    SELECTOR: ClassVar[str | None] = None
    """The value holding the LabelSelector the object selects pods with (None: it selects none)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        values: dict[str, Value] = {}
        for klass in reversed(cls.__mro__):
            values.update({k: v for k, v in vars(klass).items() if isinstance(v, Value)})
        cls.VALUES = values
        ENTRY_TYPES[cls.__name__] = cls

    document = Value(_Json(), default=None)
    """The whole object (positioned YAML in a checked file, plain JSON data from a context record):
    kept only for the kinds whose documents a rule of the run reads (user policies' ref schemas and
    expressions; Rule.documents), None otherwise."""

    def __init__(self, kind: str, name: str, namespace: str | None, *, explicit_namespace: str | None = None,
                 api_version: str = "", file: str = "", source_path: str | None = None,
                 object_at: int | None = None, kind_span: Span = NO_SPAN, name_span: Span | None = None,
                 annotation: str | None = None) -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.explicit_namespace = explicit_namespace
        self.api_version = api_version
        self.file = file
        self.source_path = source_path
        self.object_at = object_at
        self.kind_span = kind_span
        self.name_span = name_span or kind_span
        self.annotation = annotation
        self.problems: dict[str, list[TypeProblem]] = {}
        self.read: set[str] = set()
        self.values: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.ref} in {self.namespace!r} from {self.file}>"

    @property
    def ref(self) -> str:
        """``Kind/name``."""
        return f"{self.kind}/{self.name}"

    @property
    def file_key(self) -> str:
        """What identifies the file the entry was read from (its real path; the display name of
        standard input)."""
        return self.source_path or self.file

    def selects(self, labels: dict[str, str]) -> bool:
        """Whether this object selects a pod with ``labels`` (reading its selector; kinds without one
        select none)."""
        selector = getattr(self, self.SELECTOR) if self.SELECTOR else None
        return selector is not None and selector.matches(labels)

    def readable(self, group: str) -> bool:
        """Whether the values of ``group`` could be read (no wrong-typed field among them); asking
        counts as reading them, so their problems are reported."""
        if group in self.problems:
            self.read.add(group)
            return False
        return True

    def has_problems(self, group: str) -> bool:
        """Whether ``group`` met wrong-typed fields, without counting as a read (for looking at
        objects a rule does not judge, such as "did you mean" candidates)."""
        return group in self.problems

    def collect(self, group: str, problems: list[TypeProblem]) -> None:
        """Keep ``problems`` as the type problems of ``group`` (nothing when there are none)."""
        if problems:
            self.problems.setdefault(group, []).extend(problems)

    def reported_problems(self) -> Iterator[TypeProblem]:
        """The type problems of every group a rule read."""
        for group in sorted(self.read):
            yield from self.problems.get(group, ())

    def finding(self, code: str, message: str, span: Span, *, container: str | None = None, anchor: str = "",
                related: Iterable[Related] = (), fix: Fix | None = None) -> Finding:
        """A finding located in this entry's object."""
        return Finding(code, message, self.file, span, object=self.ref, kind=self.kind, namespace=self.namespace,
                       container=container, anchor=anchor, source_path=self.source_path, object_at=self.object_at,
                       related=tuple(related), fix=fix)

    def related(self, span: Span, message: str) -> Related:
        """A related location in this entry's object."""
        return Related(self.file, span, message, object=self.ref, namespace=self.namespace,
                       object_at=self.object_at, source_path=self.source_path)

    def to_record(self) -> dict[str, Any]:
        """The entry as JSON data (for the context cache): identity, positions, the groups that could
        not be read, and every value that is set; null and empty fields are left out. Problems
        themselves are not kept: a context file is never reported on."""
        values = {name: value.codec.dump(self.values[name]) for name, value in self.VALUES.items()
                  if name in self.values and self.values[name] is not MISSING}
        record = {"type": type(self).__name__, "kind": self.kind, "name": self.name,
                  "namespace": self.explicit_namespace, "api_version": self.api_version, "at": self.object_at,
                  "kind_span": list(self.kind_span), "name_span": list(self.name_span),
                  "annotation": self.annotation, "invalid": sorted(self.problems), "values": values}
        return {key: value for key, value in record.items() if value is not None and value != []}

    @classmethod
    def from_record(cls, data: Any, file: str, source_path: str | None,
                    default_namespace: str | None) -> Entry:
        """Rebuild an entry of a context file; its namespace is ``default_namespace`` when the
        record names none (what ``--namespace`` gives objects without one). Raises BadRecord."""
        if not isinstance(data, dict):
            raise BadRecord("an entry record is a mapping")
        unknown = set(data) - _RECORD_KEYS
        if unknown:
            raise BadRecord(f"unknown keys {sorted(map(str, unknown))} in an entry record")
        entry_type = ENTRY_TYPES.get(data.get("type"))  # type: ignore[arg-type]
        if entry_type is None or not issubclass(entry_type, cls):
            raise BadRecord(f"unknown entry type {data.get('type')!r}")
        if data.get("kind") not in entry_type.KINDS:
            raise BadRecord(f"{entry_type.__name__} holds no {data.get('kind')!r}")
        explicit = OPTIONAL_STRING.load(data.get("namespace"))
        namespace = None if entry_type.CLUSTER_SCOPED else (explicit or default_namespace)
        object_at = data.get("at")
        entry = entry_type(STRING.load(data.get("kind")), STRING.load(data.get("name")), namespace,
                           explicit_namespace=explicit, api_version=STRING.load(data.get("api_version", "")),
                           file=file, source_path=source_path,
                           object_at=None if object_at is None else INTEGER.load(object_at),
                           kind_span=SPAN.load(data.get("kind_span")),
                           name_span=SPAN.load(data.get("name_span", data.get("kind_span"))),
                           annotation=OPTIONAL_STRING.load(data.get("annotation")))
        invalid = data.get("invalid")
        if invalid is not None:
            for group in STRINGS.load(invalid):
                entry.problems[group] = []
        values = data.get("values", {})
        if not isinstance(values, dict):
            raise BadRecord("entry values are a mapping")
        for name, item in values.items():
            value = entry_type.VALUES.get(name)
            if value is None:
                raise BadRecord(f"unknown value {name!r} of {entry_type.__name__}")
            entry.values[name] = value.codec.load(item)
        return entry


_RECORD_KEYS = frozenset({"type", "kind", "name", "namespace", "api_version", "at", "kind_span", "name_span",
                          "annotation", "invalid", "values"})
