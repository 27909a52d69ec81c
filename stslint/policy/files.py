"""Policy files: found, read with positions, validated, every problem at ``file:line:column``.

A file holds one policy (a mapping) or a set (``kind: PolicySet`` with ``policies: [...]``). It is
read with stslint's own positioned YAML loader (YAML 1.1, limits, no tags), and each key is checked
by its entry in :data:`POLICY_KEYS` / :data:`MATCH_KEYS`: later keys (joins, expressions, exceptions,
tests) slot in as new entries. A directory given as a policy path holds policy files: its ``*.yaml``,
``*.yml`` and ``*.json`` files (hidden ones skipped), not its subdirectories (which may hold the
manifests that test the policies).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NamedTuple

from stslint.config import ConfigError
from stslint.model.nodes import Span, YMap, YSeq, type_name
from stslint.rules import BUILTIN, SEVERITIES, RuleSet
from stslint.rules.options import SCALAR_TYPES, Option

CODE = re.compile(r"[A-Z][A-Z0-9]{1,9}[0-9]{3}\Z")
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
PARAM = re.compile(r"[a-z][a-z0-9]*([-_][a-z0-9]+)*\Z")
POLICY_SUFFIXES = (".yaml", ".yml", ".json")
PLACEHOLDERS = ("object", "kind", "name", "namespace", "container", "path", "value", "ref")
"""What a message template may name besides the policy's params."""
TARGETS = ("object", "podSpec", "containers", "initContainers", "allContainers", "volumeClaimTemplates",
           "volumes", "volumeMounts")
"""Where a policy applies (see stslint.policy.targets)."""


class PolicyError(ConfigError):
    """An invalid policy (or an unreadable policy file): where, and why."""

    def __init__(self, file: str, line: int | None, column: int | None, message: str) -> None:
        super().__init__(file, line, message)
        self.column = column

    def __str__(self) -> str:
        if self.line and self.column:
            return f"{self.file}:{self.line}:{self.column}: {self.message}"
        return super().__str__()


class PolicySource(NamedTuple):
    """A policy path as given: ``base`` is the directory its policies' ``files`` globs are relative to
    (the configuration file's, or the current directory for ``--policy``); ``origin`` is where it was
    named ((file, line, path as written) of a configuration entry), for the error when it does not
    exist."""

    path: str
    base: str
    origin: tuple[str, int | None, str] | None = None


@dataclass
class Match:
    """Which objects a policy applies to (empty filters match everything)."""

    kinds: tuple[str, ...] = ("StatefulSet",)
    namespaces: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    labels: Any = None
    """A stslint.model.selectors.LabelSelector on the object's own labels, or None."""
    files: tuple[str, ...] = ()
    base: str = "."


REF_NAME = re.compile(r"[a-z_][a-zA-Z0-9_]*\Z")
OF = {"claimTemplate": ("StorageClass",), "serviceName": ("Service",)}
"""What ``of:`` refs follow, and the kinds they name: a claim template's StorageClass (the legacy
annotation wins, as in STS402), the governing Service."""
SELECTING = {"pods": ("PodDisruptionBudget", "Service", "NetworkPolicy")}
"""What ``selecting:`` refs select, and the kinds that select it."""
UNRESOLVED = ("fail", "warn", "skip")
"""What a ref that finds no object does: a finding, a warning of the run, or nothing."""


@dataclass
class Ref:
    """A declarative join: the objects of ``kind`` that the judged object names (``of``) or that select
    its pods (``selecting``), found through the index; how many there must be, the schema each must
    satisfy, and what an unresolved one does."""

    name: str
    kind: str
    of: str | None = None
    selecting: str | None = None
    minimum: int = 0
    maximum: int | None = None
    schema: Any = None
    unresolved: str = "fail"
    line: int = 1
    column: int = 1


@dataclass
class Policy:
    """One validated policy. ``schema`` is the JSON Schema as written (``{$param: name}`` where a
    param's value goes); ``file``/``line``/``column`` locate the policy (its ``code:`` key)."""

    code: str
    name: str
    severity: str
    summary: str
    rationale: str
    remediation: str
    schema: Any
    file: str
    line: int
    column: int
    examples: dict[str, str] = field(default_factory=dict)
    match: Match = field(default_factory=Match)
    target: str = "object"
    params: tuple[Option, ...] = ()
    param_docs: dict[str, str] = field(default_factory=dict)
    message: str | None = None
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    """(line, column) of each key of the policy as written."""
    refs: tuple[Ref, ...] = ()
    expr: str | None = None
    """A CEL expression (cel-python) over ``object``, ``item``, ``refs`` and ``params``: true passes."""

    def doc(self) -> dict[str, Any]:
        """The documentation, as ``rules/*.yaml`` holds a built-in rule's (plus where it comes from)."""
        return {"summary": self.summary, "rationale": self.rationale, "remediation": self.remediation,
                "options": {name: {"description": text} for name, text in self.param_docs.items()},
                "examples": dict(self.examples), "source": f"{self.file}:{self.line}"}


def _found(value: Any) -> str:
    if isinstance(value, bool):
        return f"found boolean {str(value).lower()}"
    if isinstance(value, str):
        return f'found string "{value[:60]}"'
    if isinstance(value, (int, float)):
        return f"found {type_name(value)} {value}"
    return f"found {type_name(value)}"


def _shown(value: Any) -> str:
    """A value in a message: a string in quotes, anything else by its type and value."""
    return f'"{value[:60]}"' if isinstance(value, str) else _found(value)[len("found "):]


def suggest(word: Any, choices: Iterable[str]) -> str:
    """``; did you mean "x"?`` for a close choice, else nothing."""
    import difflib

    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


class Reader:
    """Validation of one policy file's data: every failure is a PolicyError at a node's position."""

    def __init__(self, display: str, base: str) -> None:
        self.display = display
        self.base = base
        self.text = ""
        self.path = ""

    def fail(self, span: Span, message: str) -> PolicyError:
        """The error at ``span``."""
        return PolicyError(self.display, span[0], span[1], message)

    @staticmethod
    def key_span(node: Any, key: Any) -> Span:
        """Where a key (or list item) is written."""
        if isinstance(node, YMap):
            return node.key_span(key)
        if isinstance(node, YSeq):
            return node.item_span(key)
        return (1, 1, 1, 1, 0, 0)

    @staticmethod
    def value_span(node: Any, key: Any) -> Span:
        """Where the value of a key (or a list item) is written."""
        if isinstance(node, YMap):
            return node.value_span(key)
        if isinstance(node, YSeq):
            return node.item_span(key)
        return (1, 1, 1, 1, 0, 0)

    def quoted(self, span: Span) -> bool:
        """Whether the scalar at ``span`` is written in quotes (its first character is one)."""
        return self.first_char(span) in "'\""

    def first_char(self, span: Span) -> str:
        """The first character written at ``span`` (empty when unknown)."""
        return self.text[span[4]] if 0 <= span[4] < len(self.text) else ""

    def mapping(self, value: Any, span: Span, what: str) -> YMap:
        """``value`` when it is a mapping."""
        if not isinstance(value, dict):
            raise self.fail(span, f"{what} must be a mapping; {_found(value)}")
        return value  # type: ignore[return-value]

    def keys(self, node: YMap, known: Iterable[str], what: str, required: Iterable[str] = ()) -> None:
        """Refuse unknown keys (with a suggestion) and missing required ones."""
        known = list(known)
        for key in node:
            if key not in known:
                raise self.fail(node.key_span(key), f'{what}: unknown key "{key}"; expected one of '
                                f"{', '.join(known)}{suggest(key, known)}")
        for key in required:
            if key not in node:
                raise self.fail(node.span, f'{what}: missing key "{key}"')

    def string(self, node: YMap, key: str, *, one_line: bool = False) -> str:
        """A non-empty string under ``key``."""
        value = node[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(node.value_span(key), f'"{key}" must be a non-empty string; {_found(value)}')
        if one_line and "\n" in value.strip():
            raise self.fail(node.value_span(key), f'"{key}" must be one line')
        return value

    def strings(self, node: YMap, key: str, what: str) -> list[str]:
        """A list of non-empty strings under ``key`` (a single string is a list of one)."""
        value = node[key]
        if isinstance(value, str) and value:
            return [value]
        if not isinstance(value, list):
            raise self.fail(node.value_span(key), f'"{key}" must be a list of {what}; {_found(value)}')
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item:
                raise self.fail(self.value_span(value, index), f'item {index + 1} of "{key}" must be a non-empty '
                                f"string ({what}); {_found(item)}")
        return list(value)


# ---- the keys of a policy -------------------------------------------------------------------------

Check = Callable[[Reader, YMap, str, dict[str, Any]], Any]
"""Validates ``node[key]`` (the values validated so far in hand) and returns the normalised value."""


def _code(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    value = node[key]
    if not isinstance(value, str) or not CODE.match(value):
        raise reader.fail(node.value_span(key), 'the code must be letters and digits, starting with a letter '
                          'and ending with three digits, such as "ACME101"; ' + _found(value))
    if value.startswith("STS"):
        raise reader.fail(node.value_span(key), f'the code "{value}" starts with STS, which is reserved for '
                          "stslint's own rules; use your organisation's prefix (ACME101)")
    return value


def _name(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    value = node[key]
    if not isinstance(value, str) or not NAME.match(value):
        raise reader.fail(node.value_span(key), "the name must be lowercase words joined by '-' (such as "
                          f'"prod-storage-class"); {_found(value)}')
    return value


def _severity(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    value = node[key]
    if value not in SEVERITIES or not isinstance(value, str):
        raise reader.fail(node.value_span(key), f'the severity must be "error" or "warning"; {_found(value)}')
    return value


def _text(one_line: bool = False) -> Check:
    def check(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
        return reader.string(node, key, one_line=one_line)
    return check


def _examples(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> dict[str, str]:
    examples = reader.mapping(node[key], node.value_span(key), '"examples"')
    reader.keys(examples, ("bad", "good"), '"examples"')
    return {label: reader.string(examples, label) for label in examples}


def _target(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    value = node[key]
    if value not in TARGETS or not isinstance(value, str):
        raise reader.fail(node.value_span(key), f"unknown target {_shown(value)}; expected one of "
                          f"{', '.join(TARGETS)}{suggest(value, TARGETS)}")
    return value


def _param_type(value: Any) -> tuple[str, str | None] | None:
    """The option type of a param's default (None when no option type holds it)."""
    for name in ("boolean", "integer", "string"):
        if SCALAR_TYPES[name][0](value):
            return name, None
    if isinstance(value, list):
        for name in ("integer", "string"):
            if all(SCALAR_TYPES[name][0](item) for item in value):
                return "array", name
    return None


def _params(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> tuple[tuple[Option, ...], dict[str, str]]:
    given = reader.mapping(node[key], node.value_span(key), '"params"')
    options: list[Option] = []
    docs: dict[str, str] = {}
    for name, value in given.items():
        span = given.key_span(name)
        if not isinstance(name, str) or not PARAM.match(name):
            raise reader.fail(span, f'param "{name}": a param name is lowercase words joined by "-" or "_"')
        if name in PLACEHOLDERS:
            raise reader.fail(span, f'param "{name}": the name is taken by the message placeholder {{{name}}}; '
                              "choose another")
        description = ""
        where = given.value_span(name)
        if isinstance(value, dict):  # the long form: {default, type, items, description}
            reader.keys(value, ("default", "type", "items", "description"), f'param "{name}"', ("default",))
            if "description" in value:
                description = reader.string(value, "description")
            default = value["default"]
            where = value.value_span("default")
            if "type" in value:
                kind, items = value["type"], value.get("items")
                types = ["array", *SCALAR_TYPES]
                if kind not in types or not isinstance(kind, str):
                    raise reader.fail(value.value_span("type"), f'param "{name}": unknown type {_shown(kind)}; '
                                      f"expected one of {', '.join(types)}{suggest(kind, types)}")
                try:
                    options.append(Option(name, kind, _plain(default), items))
                except TypeError as exc:
                    raise reader.fail(value.key_span("type"), f'param "{name}": {str(exc).split(": ", 1)[-1]}') \
                        from None
                docs[name] = description
                continue
        else:
            default = value
        inferred = _param_type(default)
        if inferred is None:
            raise reader.fail(where, f'param "{name}": the default must be a string, an integer, true or false, '
                              f"or a list of strings or of integers; {_found(default)}")
        options.append(Option(name, inferred[0], _plain(default), inferred[1]))
        docs[name] = description
    return tuple(options), docs


def _message(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    from stslint.policy.message import placeholders

    text = reader.string(node, key)
    params = [option.name for option in done.get("params", ((), {}))[0]]
    known = [*PLACEHOLDERS, *params]
    for name in placeholders(text):
        if name not in known:
            extra = " (a placeholder is a plain name: no attribute or index access)" if re.search(r"[.\[]", name) \
                else ""
            raise reader.fail(node.value_span(key), f"the message names {{{name}}}, which is neither a placeholder "
                              f"({', '.join(PLACEHOLDERS)}) nor a param{extra}{suggest(name, known)}")
    return text


def _match(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> Match:
    given = reader.mapping(node[key], node.value_span(key), '"match"')
    reader.keys(given, MATCH_KEYS, '"match"')
    match = Match(base=reader.base)
    for name, check in MATCH_KEYS.items():
        if name in given:
            setattr(match, name, check(reader, given, name))
    return match


def _kinds(reader: Reader, node: YMap, key: str) -> tuple[str, ...]:
    from stslint.model.views import view_classes

    kinds = [cls.KIND for cls in view_classes()]
    given = reader.strings(node, key, "kinds")
    for index, kind in enumerate(given):
        if kind not in kinds:
            span = reader.value_span(node[key], index) if isinstance(node[key], list) else node.value_span(key)
            raise reader.fail(span, f'unknown kind "{kind}"; policies read {", ".join(kinds)}{suggest(kind, kinds)}')
    return tuple(dict.fromkeys(given))


def _globs(what: str) -> Callable[[Reader, YMap, str], tuple[str, ...]]:
    def check(reader: Reader, node: YMap, key: str) -> tuple[str, ...]:
        return tuple(reader.strings(node, key, what))
    return check


def _files(reader: Reader, node: YMap, key: str) -> tuple[str, ...]:
    from stslint.globs import GlobError, check_glob

    given = reader.strings(node, key, "path globs")
    for index, glob in enumerate(given):
        try:
            check_glob(glob)
        except GlobError as exc:
            span = reader.value_span(node[key], index) if isinstance(node[key], list) else node.value_span(key)
            raise reader.fail(span, f'"{glob}" is not a valid path glob: {exc}') from None
    return tuple(given)


def _labels(reader: Reader, node: YMap, key: str) -> Any:
    from stslint.model.selectors import LabelSelector, requirement_problem

    given = reader.mapping(node[key], node.value_span(key), '"labels" (a label selector)')
    reader.keys(given, ("matchLabels", "matchExpressions"), '"labels"')
    labels = given.get("matchLabels") or {}
    if "matchLabels" in given:
        reader.mapping(labels, given.value_span("matchLabels"), '"matchLabels"')
        for name, value in labels.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise reader.fail(labels.key_span(name), f'"matchLabels": label {name} must map a string to a '
                                  f"string (quote it); {_found(value)}")
    expressions = given.get("matchExpressions") or []
    if not isinstance(expressions, list):
        raise reader.fail(given.value_span("matchExpressions"), f'"matchExpressions" must be a list; '
                          f"{_found(expressions)}")
    for index, expression in enumerate(expressions):
        problem = requirement_problem(expression)
        if problem is None and isinstance(expression, dict):
            extra = [k for k in expression if k not in ("key", "operator", "values")]
            problem = f'has the unknown key "{extra[0]}"' if extra else None
        if problem is not None:
            raise reader.fail(reader.value_span(expressions, index), f"matchExpressions item {index + 1} {problem}")
    return LabelSelector(labels, expressions)


MATCH_KEYS: dict[str, Callable[[Reader, YMap, str], Any]] = {
    "kinds": _kinds,
    "namespaces": _globs("namespace globs, ! to exclude"),
    "names": _globs("name globs, ! to exclude"),
    "labels": _labels,
    "files": _files,
}
"""Every key of ``match`` and its check."""


def _schema(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> Any:
    from stslint.policy.schema import check_policy_schema

    value = node[key]
    if not isinstance(value, (dict, bool)):
        raise reader.fail(node.value_span(key), f'"{key}" must be a JSON Schema (a mapping); {_found(value)}')
    params = {option.name: option.default for option in done.get("params", ((), {}))[0]}
    check_policy_schema(value, params, reader.fail, node.value_span(key))
    return value


REF_KEYS = ("kind", "of", "selecting", "count", "schema", "unresolved")


def _choice(reader: Reader, node: YMap, key: str, choices: Iterable[str], what: str) -> str:
    choices = list(choices)
    value = node[key]
    if not isinstance(value, str) or value not in choices:
        raise reader.fail(node.value_span(key), f"unknown {what} {_shown(value)}; expected one of "
                          f"{', '.join(choices)}{suggest(value, choices)}")
    return value


def _ref(reader: Reader, refs: YMap, name: Any, done: dict[str, Any]) -> Ref:
    span = refs.key_span(name)
    if not isinstance(name, str) or not REF_NAME.match(name):
        raise reader.fail(span, f'ref "{name}": a ref name is a word of letters, digits and "_" starting with a '
                          "lowercase letter (what an expression calls it: refs.name)")
    given = reader.mapping(refs[name], refs.value_span(name), f'ref "{name}"')
    what = f'ref "{name}"'
    reader.keys(given, REF_KEYS, what, ("kind",))
    kinds = sorted({kind for table in (OF, SELECTING) for kinds in table.values() for kind in kinds})
    kind = _choice(reader, given, "kind", kinds, f"{what} kind")
    ref = Ref(name, kind, line=span[0], column=span[1])
    if ("of" in given) == ("selecting" in given):
        raise reader.fail(given.span, f'{what} needs one of "of" ({", ".join(OF)}) or "selecting" '
                          f'({", ".join(SELECTING)})')
    if "of" in given:
        ref.of = _choice(reader, given, "of", OF, f'{what} "of"')
        ref.minimum = 1
        if kind not in OF[ref.of]:
            raise reader.fail(given.value_span("kind"), f'{what}: "of: {ref.of}" names a '
                              f'{" or ".join(OF[ref.of])}, not a {kind}')
    else:
        ref.selecting = _choice(reader, given, "selecting", SELECTING, f'{what} "selecting"')
        if kind not in SELECTING[ref.selecting]:
            raise reader.fail(given.value_span("kind"), f'{what}: a {kind} does not select {ref.selecting}; '
                              f'{", ".join(SELECTING[ref.selecting])} do')
    if "count" in given:
        count = reader.mapping(given["count"], given.value_span("count"), f'{what} "count"')
        reader.keys(count, ("min", "max"), f'{what} "count"')
        for bound in count:
            value = count[bound]
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise reader.fail(count.value_span(bound), f'{what}: count "{bound}" must be a non-negative '
                                  f"integer; {_found(value)}")
        ref.minimum = count.get("min", 0)
        ref.maximum = count.get("max")
        if ref.maximum is not None and ref.maximum < ref.minimum:
            raise reader.fail(count.value_span("max"), f'{what}: count "max" ({ref.maximum}) is less than "min" '
                              f"({ref.minimum})")
    if "unresolved" in given:
        ref.unresolved = _choice(reader, given, "unresolved", UNRESOLVED, f'{what} "unresolved" value')
    if "schema" in given:
        ref.schema = _schema(reader, given, "schema", done)
    return ref


def _refs(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> tuple[Ref, ...]:
    given = reader.mapping(node[key], node.value_span(key), '"refs"')
    if not given:
        raise reader.fail(node.value_span(key), '"refs" must name at least one ref')
    return tuple(_ref(reader, given, name, done) for name in given)


def _expr(reader: Reader, node: YMap, key: str, done: dict[str, Any]) -> str:
    from stslint.policy.cel import CelMissing, CelSyntaxError, compile_expression

    text = reader.string(node, key)
    try:
        compile_expression(text)
    except CelMissing as exc:
        raise reader.fail(node.key_span(key), str(exc)) from None
    except CelSyntaxError as exc:
        span = node.value_span(key)
        line, column = span[0], span[1]
        if exc.line == 1 and span[0] == span[2]:  # a one-line plain or quoted scalar: the exact column
            column += (exc.column or 1) - 1 + (1 if reader.quoted(span) else 0)
        elif exc.line:
            line += exc.line - (0 if span[0] == span[2] else 0)
        raise reader.fail((line, column, line, column, 0, 0), f'invalid CEL expression in "expr": {exc}') \
            from None
    return text


POLICY_KEYS: dict[str, Check] = {
    "code": _code,
    "name": _name,
    "severity": _severity,
    "summary": _text(one_line=True),
    "rationale": _text(),
    "remediation": _text(),
    "examples": _examples,
    "match": _match,
    "target": _target,
    "params": _params,
    "schema": _schema,
    "refs": _refs,
    "expr": _expr,
    "message": _message,
}
"""Every key of a policy and its check, in the order they are checked (params before the schema and
the message that use them)."""
REQUIRED = ("code", "name", "severity", "summary", "rationale", "remediation")
CHECKS = ("schema", "refs", "expr")
"""What a policy checks: at least one of them."""


def _policy(reader: Reader, node: Any, span: Span) -> Policy:
    node = reader.mapping(node, span, "a policy")
    reader.keys(node, POLICY_KEYS, "policy", REQUIRED)
    done: dict[str, Any] = {}
    for key, check in POLICY_KEYS.items():
        if key in node:
            done[key] = check(reader, node, key, done)
    if not any(key in node for key in CHECKS):
        raise reader.fail(node.span, 'a policy needs "schema", "refs" or "expr" (what it checks)')
    done.setdefault("schema", None)
    _compatible(reader, node, done)
    params, docs = done.pop("params", ((), {}))
    where = node.key_span("code")
    positions = {key: node.key_span(key)[:2] for key in node}
    return Policy(**done, params=params, param_docs=docs, file=reader.display, line=where[0], column=where[1],
                  positions=positions)


def _compatible(reader: Reader, node: YMap, done: dict[str, Any]) -> None:
    """A target needs kinds that have it: a pod template, or a StatefulSet's claim templates."""
    from stslint.policy.targets import target_problem

    target = done.get("target", "object")
    kinds = done["match"].kinds if "match" in done else Match().kinds
    problem = target_problem(target, kinds)
    if problem is not None:
        raise reader.fail(node.key_span("target") if "target" in node else node.span, problem)
    for ref in done.get("refs", ()):
        problem = ref_problem(ref, kinds)
        if problem is not None:
            raise reader.fail((ref.line, ref.column, ref.line, ref.column, 0, 0), problem)


def ref_problem(ref: Ref, kinds: tuple[str, ...]) -> str | None:
    """Why ``ref`` cannot follow from objects of ``kinds``, or None when it can."""
    from stslint.model.workloads import PodTemplateWorkload, StatefulSet
    from stslint.rules import resolve_view

    needed, what = (StatefulSet, "StatefulSets") if ref.of else (PodTemplateWorkload, "kinds with a pod template")
    wrong = [kind for kind in kinds if not issubclass(resolve_view(kind), needed)]
    if not wrong:
        return None
    how = f'"of: {ref.of}"' if ref.of else f'"selecting: {ref.selecting}"'
    return f'ref "{ref.name}": {how} follows from {what}; {", ".join(wrong)} cannot (list only such kinds in match.kinds)'


# ---- files --------------------------------------------------------------------------------------


def _read(path: str, display: str) -> str:
    from stslint.config import _read_bounded, _Unreadable
    from stslint.loading.decode import DecodeError, decode

    try:
        raw = _read_bounded(path)
    except OSError as exc:
        raise PolicyError(display, None, None, f"cannot read the policy file: {exc.strerror or exc}") from None
    except _Unreadable as exc:
        raise PolicyError(display, None, None, f"cannot read the policy file: {exc}") from None
    try:
        return decode(raw).text
    except DecodeError as exc:
        raise PolicyError(display, exc.line, exc.column, f"cannot read the policy file: {exc.message}") from None


def load_file(path: str, base: str, display: str | None = None) -> list[Policy]:
    """The policies of one file (one policy or a PolicySet; none for a PolicyException or a PolicyTest
    file)."""
    found = load_document(path, base, display)
    return found if found and isinstance(found[0], Policy) else []


def load_document(path: str, base: str, display: str | None = None) -> list[Any]:
    """What one file in a policy path holds: its policies (one, or a PolicySet), its exceptions (a
    ``kind: PolicyException`` file, see stslint.policy.exceptions), or nothing (a ``kind: PolicyTest``
    file, which ``stslint test`` reads)."""
    from stslint.loading.yamlload import LoadError, load_text

    display = display or path
    reader = Reader(display, base)
    reader.path = path
    try:
        reader.text = _read(path, display)
        loaded = load_text(reader.text)
    except LoadError as exc:
        raise PolicyError(display, exc.line, exc.column, f"invalid YAML: {exc.message}") from None
    if loaded.duplicate_keys:
        key, span = loaded.duplicate_keys[0]
        raise reader.fail(span, f'duplicate key "{key}"; expected each key once')
    documents = [doc for doc in loaded.documents if doc.root is not None]
    if len(documents) != 1:
        where = documents[1].span if documents else (1, 1, 1, 1, 0, 0)
        raise reader.fail(where, "a policy file holds one YAML document (a policy, or a PolicySet); found "
                          f"{len(documents)}")
    root = reader.mapping(documents[0].root, documents[0].span, "a policy file (a policy, or a PolicySet)")
    if root.get("kind") == "PolicyTest":
        return []
    if root.get("kind") == "PolicyException":
        from stslint.policy.exceptions import read_exceptions

        return read_exceptions(reader, root)
    if root.get("kind") != "PolicySet":
        return [_policy(reader, root, root.span)]
    reader.keys(root, ("kind", "policies"), "PolicySet", ("policies",))
    items = root["policies"]
    if not isinstance(items, list) or not items:
        raise reader.fail(root.value_span("policies"), f'"policies" must be a non-empty list of policies; '
                          f"{_found(items)}")
    return [_policy(reader, item, reader.value_span(items, index)) for index, item in enumerate(items)]


PACKAGE_PREFIX = "pkg:"
ENTRY_POINT_GROUP = "stslint.policies"


def package_paths(name: str, origin: tuple[str, int | None, str] | None) -> list[str]:
    """The policy paths an installed package ships under the entry point ``name`` of the group
    ``stslint.policies``: ``name = "module"`` gives the package's directory (its code is not run),
    ``name = "module:attr"`` the path or list of paths the attribute holds (relative to the module's
    directory). Nothing is ever fetched: the package is installed (pip, pre-commit's
    additional_dependencies) or the policy path is an error."""
    from importlib.metadata import entry_points
    from importlib.util import find_spec

    file, line = (origin[0], origin[1]) if origin else (f"{PACKAGE_PREFIX}{name}", None)
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        known = sorted({ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)})
        listed = f"installed: {', '.join(known)}" if known else "no installed package has one"
        raise PolicyError(file, line, None, f'"{PACKAGE_PREFIX}{name}": no installed package has the entry point '
                          f'"{name}" in the group {ENTRY_POINT_GROUP} ({listed}{suggest(name, known)}); install '
                          "the package that ships these policies")
    entry = found[0]
    module, _, attr = entry.value.partition(":")
    module, attr = module.strip(), attr.strip()
    try:
        spec = find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None or not (spec.submodule_search_locations or spec.origin):
        raise PolicyError(file, line, None, f'"{PACKAGE_PREFIX}{name}": the entry point names the module "{module}", '
                          "which is not installed")
    directory = (list(spec.submodule_search_locations)[0] if spec.submodule_search_locations
                 else os.path.dirname(spec.origin or ""))
    if not attr:
        return [directory]
    try:
        value = entry.load()
    except Exception as exc:  # noqa: BLE001 - a broken third-party package is a configuration error
        raise PolicyError(file, line, None, f'"{PACKAGE_PREFIX}{name}": loading the entry point "{entry.value}" '
                          f"failed: {type(exc).__name__}: {exc}") from None
    values = [value] if isinstance(value, (str, os.PathLike)) else value
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, (str, os.PathLike)) for v in values):
        raise PolicyError(file, line, None, f'"{PACKAGE_PREFIX}{name}": the entry point "{entry.value}" must hold '
                          "a path or a list of paths")
    return [os.path.join(directory, os.fspath(v)) for v in values]


def policy_files(source: PolicySource) -> list[str]:
    """The files a policy path names: itself, or a directory's policy files (not its subdirectories);
    ``pkg:NAME`` names those an installed package ships (see :func:`package_paths`)."""
    path = source.path
    if path.startswith(PACKAGE_PREFIX):
        files: list[str] = []
        for found in package_paths(path[len(PACKAGE_PREFIX):], source.origin):
            files += policy_files(PolicySource(found, source.base, source.origin))
        return files
    if os.path.isdir(path):
        names = sorted(name for name in os.listdir(path)
                       if name.endswith(POLICY_SUFFIXES) and not name.startswith(".")
                       and os.path.isfile(os.path.join(path, name)))
        return [os.path.join(path, name) for name in names]
    if not os.path.exists(path):
        if source.origin is None:
            raise PolicyError(path, None, None, "the policy file does not exist")
        file, line, written = source.origin
        raise PolicyError(file, line, None, f'the policy path "{written}" does not exist (relative to the directory '
                          "of the configuration file)")
    return [path]


def load_policies(sources: Iterable[PolicySource], rules: RuleSet = BUILTIN) -> list[Policy]:
    """Every policy of ``sources``, validated; codes and names must clash neither with ``rules`` nor
    with each other."""
    return load_all(sources, rules)[0]


def load_all(sources: Iterable[PolicySource], rules: RuleSet = BUILTIN) -> tuple[list[Policy], list[Any]]:
    """Every policy and every policy exception of ``sources``, validated (exceptions' codes are
    checked against the rule set they make, by stslint.policy.policy_rule_set)."""
    policies: list[Policy] = []
    exceptions: list[Any] = []
    seen: dict[str, Policy] = {}
    for source in sources:
        for path in policy_files(source):
            for item in load_document(path, os.path.abspath(source.base), _display(path)):
                if isinstance(item, Policy):
                    _no_clash(item, rules, seen)
                    policies.append(item)
                else:
                    exceptions.append(item)
    return policies, exceptions


def _no_clash(policy: Policy, rules: RuleSet, seen: dict[str, Policy]) -> None:
    for label, value in (("code", policy.code), ("name", policy.name)):
        rule = rules.lookup(value)
        line, column = policy.positions.get(label, (policy.line, policy.column))
        if rule is not None and (rule.code == value or rule.name == value):
            raise PolicyError(policy.file, line, column, f'the {label} "{value}" is taken by the '
                              f"built-in rule {rule.code} {rule.name}")
        earlier = seen.get(f"{label}:{value}")
        if earlier is not None:
            raise PolicyError(policy.file, line, column, f'the {label} "{value}" is taken by the '
                              f"policy {earlier.code} at {earlier.file}:{earlier.line}")
        seen[f"{label}:{value}"] = policy


def _display(path: str) -> str:
    relative = os.path.relpath(path)
    return relative if len(relative) < len(path) else path


def _plain(value: Any) -> Any:
    """Positioned YAML as plain dicts and lists (what option defaults and schemas are made of)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
