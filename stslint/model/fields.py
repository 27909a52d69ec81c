"""Typed, position-aware reads of positioned YAML, and the type problems they meet.

A read never raises on a badly typed manifest: a field of the wrong type is recorded as a
:class:`TypeProblem` in the reading view's :class:`ProblemLog` and then treated as absent, so the
rules that need it stay quiet. The engine turns recorded problems into STS006 invalid-field-type
findings, once per field, and only for fields a selected rule read. A null value is an omitted field.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator, NamedTuple

from stslint.model.nodes import Span, YMap, YSeq, type_name

TypeReport = Callable[[str, Span, str, Any], None]
"""Called as report(field_path, value_span, expected_type, value) for a field of the wrong type."""

DESCRIBE_LIMIT = 60
"""Longer strings are cut in messages (a value can be megabytes long)."""

_LIST_INDEX = re.compile(r"\[\d+\]")


def blank_indexes(path: str) -> str:
    """A field path with its list indexes blanked (``a[3].b`` → ``a[].b``): an item aliased into many
    lists is one field."""
    return _LIST_INDEX.sub("[]", path)


MAX_LISTED = 5
"""Lists in messages name at most this many items (a message must not grow with the input)."""


def listed(items: Iterable[str], separator: str = ", ", limit: int = MAX_LISTED) -> str:
    """Items joined for a message, the first ``limit`` of them and then ``and N more``."""
    items = list(items)
    shown = separator.join(items[:limit])
    rest = len(items) - limit
    return f"{shown} and {rest:,} more" if rest > 0 else shown


def describe(value: Any) -> str:
    """A short rendering of a value for messages."""
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= DESCRIBE_LIMIT else f'"{value[:DESCRIBE_LIMIT]}..."'
    if isinstance(value, list) and len(value) <= 4 and all(isinstance(v, (str, int, float)) or v is None
                                                           for v in value):
        return f"[{', '.join(describe(v) for v in value)}]"[:DESCRIBE_LIMIT]
    return type_name(value) if isinstance(value, (dict, list)) else repr(value)[:DESCRIBE_LIMIT]


def found_text(value: Any) -> str:
    """What a wrong-typed value is, for the end of an STS006 message: ``integer 3``, ``mapping``."""
    shown = describe(value) if value is not None and not isinstance(value, (dict, list)) else ""
    return f"{type_name(value)} {shown}".rstrip()


class TypeProblem(NamedTuple):
    """A field of the wrong type: its dotted path, where its value is, the type expected and what
    was found instead (already rendered: the value itself may be a large shared structure)."""

    path: str
    span: Span
    expected: str
    found: str

    def key(self) -> tuple[Span, str]:
        """What identifies the field: its place, and its path with list indexes blanked (an item
        aliased into many lists is one field)."""
        return self.span, blank_indexes(self.path)


class ProblemLog:
    """The type problems a view met, in the order met, each field once per phase.

    A *phase* is a stretch of reading started by :meth:`begin` (the object rules, or the extraction
    of one group of index-entry values); :meth:`since` returns what a phase recorded. Within a phase
    a field is recorded once however often it is read (an alias repeated a million times must not
    make a million records)."""

    __slots__ = ("problems", "_seen")

    def __init__(self) -> None:
        self.problems: list[TypeProblem] = []
        self._seen: set[tuple[Span, str]] = set()

    def report(self, path: str, span: Span, expected: str, value: Any) -> None:
        """Record a field of the wrong type (a :data:`TypeReport`)."""
        problem = TypeProblem(path, span, expected, found_text(value))
        key = problem.key()
        if key not in self._seen:
            self._seen.add(key)
            self.problems.append(problem)

    def begin(self) -> int:
        """Start a phase; the returned mark is what :meth:`since` takes."""
        self._seen = set()
        return len(self.problems)

    def since(self, mark: int) -> list[TypeProblem]:
        """The problems recorded since ``mark``."""
        return self.problems[mark:]


def _ignore(path: str, span: Span, expected: str, value: Any) -> None:
    return None


class Fields:
    """Typed, position-aware reads of one mapping; ``path`` is its dotted path in the object.

    ``site`` is set when the mapping was reached through an alias or a merge key (``containers:
    [*c]``, ``template: *t``, ``<<: *base``): the mapping's own positions are then those of its
    anchor, elsewhere in the file (often inside another object), so every position read through it
    is the place where it is used instead — the alias item, or the key whose value the alias is."""

    __slots__ = ("data", "path", "report", "site")

    def __init__(self, data: YMap, path: str, report: TypeReport = _ignore, site: Span | None = None) -> None:
        self.data = data
        self.path = path
        self.report = report
        self.site = site

    @property
    def span(self) -> Span:
        """Where the mapping is (where it is used, when reached through an alias)."""
        return self.site or self.data.span

    def sub(self, key: str) -> str:
        """The dotted path of ``key`` below this mapping."""
        return f"{self.path}.{key}" if self.path else key

    def present(self, key: str) -> bool:
        """True when ``key`` is there with a non-null value."""
        return self.data.get(key) is not None

    def has_key(self, key: str) -> bool:
        """True when ``key`` is written in the mapping, even with a null value."""
        return key in self.data

    def raw(self, key: str) -> Any:
        """The value under ``key`` as loaded, unchecked."""
        return self.data.get(key)

    def key_span(self, key: str) -> Span:
        """Where ``key`` is written (the mapping itself when absent)."""
        return self.site or self.data.key_span(key)

    def value_span(self, key: str) -> Span:
        """Where the value of ``key`` is written (the mapping itself when absent)."""
        return self.site or self.data.value_span(key)

    def _site_of(self, key: str, value: YMap | YSeq) -> Span | None:
        """The use site of the collection under ``key``: this mapping's own site, or the key when the
        value is an alias or merged in (then its recorded value span is not the collection's own)."""
        if self.site is not None:
            return self.site
        return self.data.key_span(key) if self.data.value_span(key) != value.span else None

    def item_site(self, key: str, items: YSeq, index: int) -> Span | None:
        """The use site of item ``index`` of the list ``items`` under ``key`` (None when the item is
        where it is written): the list's site, or the alias item itself."""
        site = self._site_of(key, items)
        if site is not None:
            return site
        item = items[index]
        if isinstance(item, (YMap, YSeq)) and items.item_span(index) != item.span:
            return items.item_span(index)
        return None

    def item_span(self, key: str, index: int) -> Span:
        """Where item ``index`` of the list under ``key`` is (where it is used, through an alias)."""
        items = self.data.get(key)
        if not isinstance(items, YSeq):
            return self.value_span(key)
        return self.item_site(key, items, index) or items.item_span(index)

    def nested(self, key: str, value: YMap) -> Fields:
        """The mapping ``value`` under ``key`` as Fields, located where it is used."""
        return Fields(value, self.sub(key), self.report, self._site_of(key, value))

    def _typed(self, key: str, kind: type | tuple[type, ...], expected: str) -> Any:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else ()):
            self.report(self.sub(key), self.value_span(key), expected, value)
            return None
        if not isinstance(value, kind):
            self.report(self.sub(key), self.value_span(key), expected, value)
            return None
        return value

    def map(self, key: str) -> Fields | None:
        """The mapping under ``key`` as Fields, or None when absent, null or not a mapping."""
        value = self._typed(key, dict, "a mapping")
        return self.nested(key, value) if value is not None else None

    def str(self, key: str) -> str | None:
        """The string under ``key``, or None."""
        return self._typed(key, str, "a string")  # type: ignore[no-any-return]

    def integer(self, key: str) -> int | None:
        """The integer under ``key``, or None (an integral float, ``3.0``, is the integer it reaches the
        API server as)."""
        value = self.data.get(key)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self._typed(key, int, "an integer")  # type: ignore[no-any-return]

    def int_or_str(self, key: str) -> int | str | None:
        """An IntOrString field (ports), or None. An integral float (``8080.0``) is the integer it
        reaches the API server as (YAML to JSON writes it ``8080``)."""
        value = self.data.get(key)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return self._typed(key, (int, str), "an integer or a string")  # type: ignore[no-any-return]

    def seq(self, key: str) -> YSeq | None:
        """The list under ``key``, or None."""
        return self._typed(key, list, "a list")  # type: ignore[no-any-return]

    def maps_readable(self, key: str) -> bool:
        """True when the list under ``key`` is absent, null, or a list of mappings (null items are
        skipped); otherwise the bad value or items are reported and the answer is False."""
        items = self.seq(key)
        if items is None:
            return not self.present(key)
        readable = True
        for index, item in enumerate(items):
            if item is not None and not isinstance(item, dict):
                self.report(f"{self.sub(key)}[{index}]", self.item_span(key, index), "a mapping", item)
                readable = False
        return readable

    def str_readable(self, key: str) -> bool:
        """True when the value under ``key`` is absent, null or a string (otherwise it is reported)."""
        return self.str(key) is not None or not self.present(key)

    def maps(self, key: str) -> Iterator[tuple[int, Fields]]:
        """The mapping items of the list under ``key`` with their indexes; other items are reported."""
        items = self.seq(key)
        if items is None:
            return
        for index, item in enumerate(items):
            if item is None:
                continue
            path = f"{self.sub(key)}[{index}]"
            if not isinstance(item, dict):
                self.report(path, self.item_span(key, index), "a mapping", item)
                continue
            yield index, Fields(item, path, self.report, self.item_site(key, items, index))

    def editable(self, key: str) -> bool:
        """True when the text at ``key``'s positions is this key's own, so a fix may edit it: the
        mapping is not reached through an alias and the key was not brought in by a merge key (its
        positions are then the alias's or the ``<<``'s)."""
        return self.site is None and not self.data.merged(key)

    def string_map(self, key: str) -> dict[str, str] | None:
        """A map of strings (labels, selectors, annotations): wrong-typed values are reported and the
        whole map is then None, so a rule never judges a half-read map."""
        value = self._typed(key, dict, "a mapping of strings")
        if value is None:
            return None
        ok = True
        where = self.nested(key, value)
        for item_key, item in value.items():
            if not isinstance(item_key, str):
                self.report(f"{self.sub(key)}.{describe(item_key)}", where.key_span(item_key),
                            "a string key (quote it)", item_key)
                ok = False
            elif not isinstance(item, str):
                shown = item_key if len(item_key) <= DESCRIBE_LIMIT else describe(item_key)
                self.report(f"{self.sub(key)}.{shown}", where.value_span(item_key), "a string (quote it)", item)
                ok = False
        return dict(value) if ok else None
