"""Rule documentation from ``rules/<CODE>-<name>.yaml``: summary, rationale, remediation, examples,
options. Read only by the commands and formats that show it, never by a plain check."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from stslint.package_data import data_dir
from stslint.rules import RULES, lookup


class UnknownRule(LookupError):
    """No rule has that code or name."""


@lru_cache(maxsize=None)
def rule_doc(code: str) -> dict[str, Any]:
    """The documentation of one rule, by code."""
    import yaml

    rule = RULES[code]
    entry = data_dir("rules") / f"{rule.code}-{rule.name}.yaml"
    doc = yaml.safe_load(entry.read_text(encoding="utf-8"))
    return doc if isinstance(doc, dict) else {}


def explain(code_or_name: str) -> dict[str, Any]:
    """Everything known about a rule, for ``stslint explain``."""
    rule = lookup(code_or_name)
    if rule is None:
        raise UnknownRule(code_or_name)
    doc = rule_doc(rule.code)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "opt_in": rule.opt_in,
        "summary": doc.get("summary", ""),
        "rationale": doc.get("rationale", ""),
        "remediation": doc.get("remediation", ""),
        "options": doc.get("options") or {},
        "examples": doc.get("examples") or {},
    }


def all_rules() -> list[dict[str, Any]]:
    """The catalog: code, name, severity, opt-in and summary of every rule, in code order."""
    return [{"code": r.code, "name": r.name, "severity": r.severity, "opt_in": r.opt_in,
             "summary": rule_doc(r.code).get("summary", "")} for _, r in sorted(RULES.items())]
