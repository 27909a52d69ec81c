"""The rule registry: every rule's code, name, severity, options and check function, and rule sets.

A rule is a small pure function in one of the family modules (``governing_service``, ``selectors``,
``probes``, ``storage``, ``storage_classes``, ``volumes``, ``api_versions``, ``objects``, ``rollout``,
``disruption``, ``scheduling``, ``overlap``), registered with a decorator that declares everything about it except its documentation, once:

- :func:`object_rule` — reads one object through a view class: ``check(view, options) ->
  Iterable[Finding]``; the engine runs it on every object whose view is that class or a subclass
  (a rule on ``PodTemplateWorkload`` runs on every pod-template workload).
- :func:`index_rule` — relates objects: ``check(index, options) -> Iterable[Finding]``; it runs once
  over the index of the run, judges the entries of the kinds it ``judges`` (``index.subjects(kind)``:
  the checked files' objects) and looks up the entries of the kinds it ``reads`` (in every file,
  context included — so context files record only the kinds some rule reads).

A rule yields findings of its own code only. A view kind that has no view class fails at import.
The documentation (summary, rationale, remediation, examples, option descriptions) lives in
``rules/<CODE>-<name>.yaml`` and is read only by ``stslint rules``, ``stslint explain`` and the
formats that embed it, never by a check.

A :class:`RuleSet` is the rules of one run (the built-in ones, plus user policies: stslint.policy); selection,
configuration, suppressions and reports all read it.
"""
from __future__ import annotations

import copy
import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from stslint.findings import Finding
from stslint.model.resource import VIEWS, Resource
from stslint.model.views import view_classes
from stslint.rules.options import Option

Check = Callable[[Any, dict[str, Any]], Iterable[Finding]]
SEVERITIES = ("error", "warning")
_CODE = re.compile(r"([A-Z](?:[A-Z0-9]*[A-Z])?)[0-9]+\Z")
"""A code: its family (letters, digits between letters allowed: ``K8S``) then digits."""
_NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


class RuleDefinitionError(TypeError):
    """A rule declared wrongly: a duplicate code, a kind without a view, a bad severity."""


@dataclass(frozen=True)
class Rule:
    """A rule: identity, default severity, what it reads, its options and its check function.

    ``scope`` is "object", "index", "input" (loader problems) or "meta" (findings the engine makes:
    STS005, STS006). ``view`` is the view class an object rule reads; ``reads`` the view classes whose
    objects a rule reads (an object rule's own view; an index rule's judged and looked-up kinds);
    ``looks_up`` the view classes an index rule looks up in every file (context included). ``doc`` is the
    documentation of a rule that has no ``rules/*.yaml`` file (a user policy)."""

    code: str
    name: str
    severity: str
    scope: str
    check: Check | None = None
    opt_in: bool = False
    view: type[Resource] | None = None
    reads: tuple[type[Resource], ...] = ()
    options: tuple[Option, ...] = ()
    looks_up: tuple[type[Resource], ...] = ()
    doc: dict[str, Any] | None = field(default=None, compare=False)
    run_inputs: tuple[str, ...] = ()
    """Run-wide settings the check receives among its options (``kubernetes-version``: the target
    release as a (major, minor) tuple), whatever the configuration's ``rules:`` say."""
    documents: tuple[type[Resource], ...] = ()
    """The view classes whose index entries must carry the whole object (``Entry.document``): what a
    user policy's ref schemas and expressions read."""

    @property
    def family(self) -> str:
        """The letters of the code (``STS`` of STS103): a bare family does not select opt-in rules."""
        match = _CODE.match(self.code)
        return match.group(1) if match else self.code

    def defaults(self) -> dict[str, Any]:
        """Every option at its default (a copy: a rule may not change another run's defaults)."""
        return {option.name: copy.deepcopy(option.default) for option in self.options}

    def option(self, name: str) -> Option | None:
        """The option called ``name``, or None."""
        return next((option for option in self.options if option.name == name), None)


class RuleSet(Mapping[str, Rule]):
    """The rules of one run, by code (iterated in code order), also found by name."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_code: dict[str, Rule] = {}
        for rule in rules:
            if rule.code in by_code:
                raise RuleDefinitionError(f"rule {rule.code} defined twice")
            by_code[rule.code] = rule
        self._by_code = dict(sorted(by_code.items()))
        self._by_name = {rule.name: rule for rule in self._by_code.values()}
        self.exceptions: tuple[Any, ...] = ()
        """The policy exceptions of the run (stslint.policy.exceptions), which exempt objects from codes."""

    def __getitem__(self, code: str) -> Rule:
        return self._by_code[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def __repr__(self) -> str:
        return f"RuleSet({len(self)} rules)"

    def lookup(self, code_or_name: str) -> Rule | None:
        """The rule with that code (any case) or name, or None."""
        return self._by_code.get(code_or_name.upper()) or self._by_name.get(code_or_name.lower())

    def with_rules(self, rules: Iterable[Rule]) -> RuleSet:
        """This set plus ``rules`` (a code defined twice is an error)."""
        combined = RuleSet([*self.values(), *rules])
        combined.exceptions = self.exceptions
        return combined

    def indexed_kinds(self) -> frozenset[str]:
        """The kinds whose index entries the index rules of this set look up (what context files
        must record; judged kinds come from the checked files only)."""
        looked_up = {view for rule in self._by_code.values() if rule.scope == "index" for view in rule.looks_up}
        return frozenset(cls.KIND for cls in view_classes() if any(issubclass(cls, view) for view in looked_up))

    def document_kinds(self) -> frozenset[str]:
        """The kinds whose index entries must carry the whole object (what context records keep too)."""
        wanted = {view for rule in self._by_code.values() for view in rule.documents}
        return frozenset(cls.KIND for cls in view_classes() if any(issubclass(cls, view) for view in wanted))

    def object_rules(self, selected: Iterable[str]) -> list[Rule]:
        """The selected object rules, in code order."""
        chosen = set(selected)
        return [r for code, r in self._by_code.items() if code in chosen and r.scope == "object"]

    def index_rules(self, selected: Iterable[str]) -> list[Rule]:
        """The selected index rules, in code order."""
        chosen = set(selected)
        return [r for code, r in self._by_code.items() if code in chosen and r.scope == "index"]


_REGISTERED: dict[str, Rule] = {}


def resolve_view(view: type[Resource] | str) -> type[Resource]:
    """The view class a rule names: a registered view class (or a base of some), or a kind name
    that has a view. Raises RuleDefinitionError otherwise."""
    if isinstance(view, str):
        for cls in view_classes():
            if cls.KIND == view:
                return cls
        raise RuleDefinitionError(f"kind {view!r} has no view; rules can read "
                                  f"{', '.join(cls.KIND for cls in view_classes())}")
    registered = set(VIEWS.values())
    if not (isinstance(view, type) and issubclass(view, Resource)
            and any(issubclass(cls, view) for cls in registered)) or view is Resource:
        raise RuleDefinitionError(f"{view!r} is not a view class of a registered kind")
    return view


def _validated(rule: Rule) -> Rule:
    if rule.severity not in SEVERITIES:
        raise RuleDefinitionError(f"rule {rule.code}: severity is error or warning, not {rule.severity!r}")
    if not _CODE.match(rule.code):
        raise RuleDefinitionError(f"rule code {rule.code!r} is letters then digits")
    if not _NAME.match(rule.name):
        raise RuleDefinitionError(f"rule name {rule.name!r} is lowercase words joined by '-'")
    names = [option.name for option in rule.options]
    if len(set(names)) != len(names):
        raise RuleDefinitionError(f"rule {rule.code} declares an option twice")
    return rule


def define_object_rule(code: str, name: str, severity: str, check: Check, *, view: type[Resource] | str,
                       opt_in: bool = False, options: Iterable[Option] = (),
                       run_inputs: Iterable[str] = ()) -> Rule:
    """An object rule: ``check(view, options)`` runs on every object whose view is ``view`` (a view
    class, or the kind name of one) or a subclass of it; ``view=Resource`` runs it on every object,
    modelled or not (such a rule reads only ``apiVersion`` and ``kind``: the objects' identity is
    not read, so no STS006 comes of it)."""
    cls = Resource if view is Resource else resolve_view(view)
    return _validated(Rule(code, name, severity, "object", check, opt_in, cls, (cls,), tuple(options),
                           run_inputs=_run_inputs(run_inputs)))


RUN_INPUTS = ("kubernetes-version",)
"""The run-wide settings a rule may receive among its options."""


def _run_inputs(names: Iterable[str]) -> tuple[str, ...]:
    names = tuple(names)
    unknown = [name for name in names if name not in RUN_INPUTS]
    if unknown:
        raise RuleDefinitionError(f"unknown run inputs {unknown}; expected some of {', '.join(RUN_INPUTS)}")
    return names


def _views(views: Any) -> tuple[type[Resource], ...]:
    if isinstance(views, (str, type)):
        views = [views]
    return tuple(dict.fromkeys(resolve_view(view) for view in views))


def define_index_rule(code: str, name: str, severity: str, check: Check, *, judges: Any, reads: Any = (),
                      opt_in: bool = False, options: Iterable[Option] = ()) -> Rule:
    """An index rule: ``check(index, options)`` runs once over the run's index, judges the entries of
    the ``judges`` view kinds (a view class, a kind name or several) and looks up those of the
    ``reads`` kinds."""
    judged, looked_up = _views(judges), _views(reads)
    if not judged:
        raise RuleDefinitionError(f"index rule {code} must name the kinds it judges")
    return _validated(Rule(code, name, severity, "index", check, opt_in, None,
                           tuple(dict.fromkeys((*judged, *looked_up))), tuple(options), looked_up))


def _register(rule: Rule) -> None:
    if rule.code in _REGISTERED:
        raise RuleDefinitionError(f"rule {rule.code} registered twice")
    _REGISTERED[rule.code] = _validated(rule)


def object_rule(code: str, name: str, severity: str, *, view: type[Resource] | str, opt_in: bool = False,
                options: Iterable[Option] = (), run_inputs: Iterable[str] = ()) -> Callable[[Check], Check]:
    """Register the decorated function as a built-in object rule (see :func:`define_object_rule`)."""

    def register(check: Check) -> Check:
        _register(define_object_rule(code, name, severity, check, view=view, opt_in=opt_in, options=options,
                                     run_inputs=run_inputs))
        return check

    return register


def index_rule(code: str, name: str, severity: str, *, judges: Any, reads: Any = (), opt_in: bool = False,
               options: Iterable[Option] = ()) -> Callable[[Check], Check]:
    """Register the decorated function as a built-in index rule (see :func:`define_index_rule`)."""

    def register(check: Check) -> Check:
        _register(define_index_rule(code, name, severity, check, judges=judges, reads=reads, opt_in=opt_in,
                                    options=options))
        return check

    return register


def _engine_rule(code: str, name: str, severity: str, scope: str, opt_in: bool = False) -> None:
    _register(Rule(code, name, severity, scope, opt_in=opt_in))


_engine_rule("STS001", "invalid-yaml", "error", "input")
_engine_rule("STS002", "duplicate-key", "error", "input")
_engine_rule("STS003", "not-an-object", "error", "input")
_engine_rule("STS004", "unreadable-file", "error", "input")
_engine_rule("STS005", "unused-suppression", "warning", "meta", opt_in=True)
_engine_rule("STS006", "invalid-field-type", "error", "meta")

FAMILIES = ("governing_service", "selectors", "probes", "storage", "storage_classes", "volumes", "api_versions",
            "objects", "rollout", "disruption", "scheduling", "overlap")
for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")

BUILTIN = RuleSet(_REGISTERED.values())
"""The built-in rules."""

RULES = BUILTIN
"""The built-in rules (the name the rest of the code and users' scripts know)."""


def lookup(code_or_name: str) -> Rule | None:
    """The built-in rule with that code (any case) or name, or None."""
    return BUILTIN.lookup(code_or_name)
