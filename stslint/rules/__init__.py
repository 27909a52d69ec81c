"""The rule registry: every rule's code, name, severity and check function.

A rule is a small pure function in one of the family modules (``governing_service``, ``selectors``,
``probes``, ``storage``, ``volumes``, ``api_versions``), registered with :func:`rule`.

- An *object* rule reads one object: ``check(obj, options) -> Iterable[Finding]``; it runs as each
  file is loaded.
- An *index* rule relates objects: ``check(index, options) -> Iterable[Finding]``; it runs once
  over the index of all files of the run.

Codes, names and severities live here so that a run never parses the rule documentation; the
documentation (summary, rationale, remediation, examples, options) lives in ``rules/*.yaml`` and
is read only by ``stslint rules``, ``stslint explain`` and the report formats that embed it. A test
keeps the two in agreement.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from stslint.findings import Finding

Check = Callable[[Any, dict[str, Any]], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A rule: identity, default severity, what it reads and its check function."""

    code: str
    name: str
    severity: str
    scope: str  # "object", "index", "input" (loader problems) or "meta" (engine-made findings)
    target: str = ""  # the kind an object rule reads
    check: Check | None = None
    opt_in: bool = False


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, *, scope: str = "object", target: str = "StatefulSet",
         opt_in: bool = False) -> Callable[[Check], Check]:
    """Register the decorated function as the check of rule ``code``."""

    def register(check: Check) -> Check:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = Rule(code, name, severity, scope, target, check, opt_in)
        return check

    return register


def _meta(code: str, name: str, severity: str, scope: str, opt_in: bool = False) -> None:
    RULES[code] = Rule(code, name, severity, scope, opt_in=opt_in)


_meta("STS001", "invalid-yaml", "error", "input")
_meta("STS002", "duplicate-key", "error", "input")
_meta("STS003", "not-an-object", "error", "input")
_meta("STS004", "unreadable-file", "error", "input")
_meta("STS005", "unused-suppression", "warning", "meta", opt_in=True)
_meta("STS006", "invalid-field-type", "error", "meta")

FAMILIES = ("governing_service", "selectors", "probes", "storage", "volumes", "api_versions")
for _family in FAMILIES:
    importlib.import_module(f"{__name__}.{_family}")

BY_NAME: dict[str, Rule] = {r.name: r for r in RULES.values()}


def lookup(code_or_name: str) -> Rule | None:
    """The rule with that code (any case) or name, or None."""
    return RULES.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def object_rules(kind: str, selected: Iterable[str]) -> list[Rule]:
    """The selected object rules that read objects of ``kind``, in code order."""
    chosen = set(selected)
    return [r for code, r in sorted(RULES.items())
            if code in chosen and r.scope == "object" and r.target == kind]


def index_rules(selected: Iterable[str]) -> list[Rule]:
    """The selected index rules, in code order."""
    chosen = set(selected)
    return [r for code, r in sorted(RULES.items()) if code in chosen and r.scope == "index"]
