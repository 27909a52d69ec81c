"""Rule documentation: summary, rationale, remediation, examples and option descriptions, from
``rules/<CODE>-<name>.yaml`` for the built-in rules (a rule of another origin carries its own). Read
only by the commands and formats that show it, never by a plain check. Code, name, severity, opt-in
and option types and defaults are the rule's own (declared in Python, stslint.rules)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from stslint.package_data import data_dir
from stslint.rules import BUILTIN, Rule, RuleSet


class UnknownRule(LookupError):
    """No rule has that code or name."""


@lru_cache(maxsize=None)
def _builtin_doc(code: str, name: str) -> dict[str, Any]:
    import yaml

    entry = data_dir("rules") / f"{code}-{name}.yaml"
    try:
        text = entry.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}  # a rule made at run time without documentation
    doc = yaml.safe_load(text)
    return doc if isinstance(doc, dict) else {}


def rule_doc(code: str, rules: RuleSet = BUILTIN) -> dict[str, Any]:
    """The documentation of one rule, by code."""
    return documentation(rules[code])


def documentation(rule: Rule) -> dict[str, Any]:
    """The documentation of a rule: its own ``doc``, else its ``rules/*.yaml`` file."""
    if rule.doc is not None:
        return rule.doc
    return _builtin_doc(rule.code, rule.name)


def options_of(rule: Rule) -> dict[str, dict[str, Any]]:
    """Each option of a rule: type and default (declared with the rule) and description (documented)."""
    described = documentation(rule).get("options") or {}
    result = {}
    for option in rule.options:
        entry = described.get(option.name) if isinstance(described, dict) else None
        result[option.name] = {**option.describe(),
                               "description": (entry or {}).get("description", "") if isinstance(entry, dict) else ""}
    return result


MAX_SUGGESTIONS = 8
"""More rules matching a word than this are counted, not listed."""


def near_rules(word: str, rules: RuleSet = BUILTIN) -> list[Rule]:
    """The rules a word that names none may mean, in code order: those whose name contains it
    (``readiness-probe``, ``probe``) or whose code starts with it (``STS30``), else those whose code
    or name is spelled closely (``STS0301``, ``readines-probe-missing``)."""
    lowered, upper = word.strip().lower(), word.strip().upper()
    if not lowered:
        return []
    partial = [rule for rule in rules.values() if lowered in rule.name
               or (len(upper) > len(rule.family) and rule.code.startswith(upper))]
    if not partial:
        import difflib

        close = set(difflib.get_close_matches(upper, [rule.code for rule in rules.values()], n=1, cutoff=0.8))
        close |= set(difflib.get_close_matches(lowered, [rule.name for rule in rules.values()], n=1, cutoff=0.75))
        partial = [rule for rule in rules.values() if rule.code in close or rule.name in close]
    return sorted(partial, key=lambda rule: rule.code)


def unknown_rule_message(word: str, rules: RuleSet = BUILTIN) -> str:
    """``unknown rule 'X'`` with the rules it may mean (see near_rules), for a one-line error."""
    near = near_rules(word, rules)
    if not near:
        return f"unknown rule {word!r}; `stslint rules` lists them"
    if len(near) > MAX_SUGGESTIONS:
        return f"unknown rule {word!r}; {len(near)} rules match it, `stslint rules` lists them"
    listed = ", ".join(f"{rule.code} ({rule.name})" for rule in near)
    return f"unknown rule {word!r}; did you mean {'one of ' if len(near) > 1 else ''}{listed}?"


def explain(code_or_name: str, rules: RuleSet = BUILTIN) -> dict[str, Any]:
    """Everything known about a rule, for ``stslint explain``."""
    rule = rules.lookup(code_or_name)
    if rule is None:
        raise UnknownRule(code_or_name)
    doc = documentation(rule)
    extra = {"source": doc["source"]} if doc.get("source") else {}  # a policy: the file and line defining it
    if doc.get("reference"):
        extra["reference"] = doc["reference"]  # the Kubernetes documentation page behind the rule
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "opt_in": rule.opt_in,
        "summary": doc.get("summary", ""),
        "rationale": doc.get("rationale", ""),
        "remediation": doc.get("remediation", ""),
        "options": options_of(rule),
        "examples": doc.get("examples") or {},
        **extra,
    }


def all_rules(rules: RuleSet = BUILTIN) -> list[dict[str, Any]]:
    """The catalog: code, name, severity, opt-in and summary of every rule, in code order."""
    return [{"code": r.code, "name": r.name, "severity": r.severity, "opt_in": r.opt_in,
             "summary": documentation(r).get("summary", "")} for r in rules.values()]
