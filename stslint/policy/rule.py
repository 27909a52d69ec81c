"""A policy as a rule: an object rule of the run's rule set, like a built-in one.

The check runs on the objects of the policy's kinds that its ``match`` selects, validates each of its
targets against the schema (compiled once per run and set of param values, never per object), and
reports one finding per failing field: each JSON Schema error gives its field's path, a ``required``
error one finding per missing field, an ``additionalProperties``/``unevaluatedProperties`` error
one per unexpected key; errors on the same field (a value failing ``pattern`` and ``maxLength``)
make one finding. The finding is located at the field (see stslint.policy.locate) and named by its
path (the anchor that keeps fingerprints stable).
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from stslint.findings import Finding
from stslint.model.fields import describe
from stslint.model.resource import Resource
from stslint.policy.files import Policy
from stslint.policy.locate import dotted, field_span
from stslint.policy.match import Matcher
from stslint.policy.message import as_text, render
from stslint.policy.targets import Target, targets
from stslint.rules import Rule, resolve_view

_EXTRA_KEYWORDS = ("additionalProperties", "unevaluatedProperties")


class PolicyCheck:
    """The check function of a policy's rule: ``check(view, options)``."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.matcher = Matcher(policy.match)
        self._validators: dict[str, Any] = {}

    def validator(self, options: dict[str, Any]) -> Any:
        """The compiled schema for these param values (compiled on first use, then kept)."""
        key = json.dumps(options, sort_keys=True, default=str)
        found = self._validators.get(key)
        if found is None:
            from stslint.policy.schema import compile_schema

            found = self._validators[key] = compile_schema(self.policy.schema, options)
        return found

    def __call__(self, view: Resource, options: dict[str, Any]) -> Iterator[Finding]:
        if not self.matcher(view):
            return
        validator = None
        for target in targets(self.policy.target, view):
            validator = validator or self.validator(options)
            seen: set[tuple[Any, ...]] = set()
            for error in validator.iter_errors(target.value):
                for path, missing in _failures(error, target):
                    key = (*path, missing)
                    if key not in seen:
                        seen.add(key)
                        yield self._finding(view, target, path, missing, options)

    def _finding(self, view: Resource, target: Target, path: tuple[Any, ...], missing: str | None,
                 options: dict[str, Any]) -> Finding:
        policy = self.policy
        field_path = (*path, missing) if missing is not None else path
        span = field_span(view.data, path, missing=missing is not None)
        shown_path = dotted(field_path) or "(the object)"
        value = "missing" if missing is not None else describe(_value_at(target, path))
        if policy.message is not None:
            values = {name: as_text(options.get(name)) for name in options}
            values.update(object=view.ref, kind=view.kind, name=view.name, namespace=view.namespace or "",
                          container=target.container or "", path=shown_path, value=value)
            message = render(policy.message, values)
        else:
            summary = policy.summary.strip().rstrip(".")
            message = f'{view.kind} "{view.name}": {summary} ({shown_path} is {value})'
        return view.finding(policy.code, message, span, container=target.container, anchor=dotted(field_path))


def _value_at(target: Target, path: tuple[Any, ...]) -> Any:
    node = target.value
    for part in path[len(target.path):]:
        node = node[part]
    return node


def _failures(error: Any, target: Target) -> Iterator[tuple[tuple[Any, ...], str | None]]:
    """The failing fields of one schema error: (path from the object's root, missing field name)."""
    path = (*target.path, *error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        for name in error.validator_value:
            if name not in instance:
                yield path, name
    elif error.validator == "dependentRequired" and isinstance(instance, dict):
        for property_name, needed in error.validator_value.items():
            if property_name in instance:
                for name in needed:
                    if name not in instance:
                        yield path, name
    elif error.validator in _EXTRA_KEYWORDS and error.validator_value is False and isinstance(instance, dict):
        extra = _unexpected(instance, error.schema)
        for name in extra:
            yield (*path, name), None
        if not extra:
            yield path, None
    else:
        yield path, None


def _unexpected(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The keys of ``instance`` that neither ``properties`` nor ``patternProperties`` declare."""
    declared = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [key for key in instance if key not in declared and not any(re.search(p, key) for p in patterns)]


def policy_rule(policy: Policy) -> Rule:
    """The rule of a policy: an object rule on the view classes of its kinds, with its params as
    typed options and its metadata as documentation."""
    views = tuple(dict.fromkeys(resolve_view(kind) for kind in policy.match.kinds))
    view: type[Resource] = views[0]
    for cls in views[1:]:  # the nearest common base: the plan runs the rule on the kinds in ``reads`` only
        while not issubclass(cls, view):
            view = view.__mro__[1]
    return Rule(policy.code, policy.name, policy.severity, "object", PolicyCheck(policy), view=view, reads=views,
                options=policy.params, doc=policy.doc())
