"""Rule selection: --select / --extend-select / --ignore with codes, prefixes, names and ALL.

Selectors are matched against the rule set of the run (the built-in rules by default), so a prefix
works for any code family: ``STS1`` selects STS101-STS104, ``ORG1`` a policy family's ORG101.
"""
from __future__ import annotations

from typing import Iterable

from stslint.rules import BUILTIN, Rule, RuleSet


class SelectionError(ValueError):
    """A selector that names no rule."""


def _matches(token: str, rule: Rule, *, for_select: bool) -> bool:
    """Whether ``token`` covers ``rule``. An opt-in rule is selected only by its code, its name, a
    prefix longer than its family's letters (``STS``) or ``ALL`` — never by the default set or a bare
    family."""
    upper = token.upper()
    if upper == "ALL" or upper == rule.code or token.lower() == rule.name:
        return True
    family = rule.family
    if rule.code.startswith(upper) and upper.startswith(family):
        return not (for_select and rule.opt_in and upper == family)
    return False


def _expand(tokens: Iterable[str], rules: RuleSet, *, for_select: bool) -> set[str]:
    codes: set[str] = set()
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        hit = {r.code for r in rules.values() if _matches(token, r, for_select=for_select)}
        if not hit and not any(_matches(token, r, for_select=False) for r in rules.values()):
            raise SelectionError(f"unknown rule selector {token!r} (use a code such as STS103, a prefix such as "
                                 "STS1, a rule name, or ALL)")
        codes |= hit
    return codes


def default_codes(rules: RuleSet = BUILTIN) -> set[str]:
    """Every rule that is not opt-in."""
    return {r.code for r in rules.values() if not r.opt_in}


def _inputs(rules: RuleSet) -> set[str]:
    return {r.code for r in rules.values() if r.scope == "input"}


def resolve(select: Iterable[str] | None = None, ignore: Iterable[str] = (),
            extend_select: Iterable[str] = (), rules: RuleSet = BUILTIN) -> frozenset[str]:
    """The codes a run reports. Input errors (STS001-STS004) are always included."""
    chosen = default_codes(rules) if select is None else _expand(select, rules, for_select=True)
    chosen |= _expand(extend_select, rules, for_select=True)
    chosen -= _expand(ignore, rules, for_select=False)
    return frozenset(chosen | _inputs(rules))


def resolve_layers(layers: Iterable[tuple[list[str] | None, list[str], list[str]]],
                   rules: RuleSet = BUILTIN) -> frozenset[str]:
    """The codes a run reports when settings come from several sources, later ones overriding
    earlier ones (the configuration file, then the command line): a layer's ``select`` replaces
    the set so far, then its ``extend_select`` adds and its ``ignore`` removes."""
    chosen = default_codes(rules)
    for select, ignore, extend_select in layers:
        if select is not None:
            chosen = _expand(select, rules, for_select=True)
        chosen |= _expand(extend_select, rules, for_select=True)
        chosen -= _expand(ignore, rules, for_select=False)
    return frozenset(chosen | _inputs(rules))


def expand_ignored(tokens: Iterable[str], rules: RuleSet = BUILTIN) -> frozenset[str]:
    """The codes that ``tokens`` (codes, prefixes, names, ALL) cover, opt-in rules included."""
    return frozenset(_expand(tokens, rules, for_select=False))


def canonical_selectors(rules: RuleSet = BUILTIN) -> list[str]:
    """Every selector a configuration file may write, as written: ``ALL``, every code, every rule
    name and every code prefix from the family letters on (the command line also accepts other cases)."""
    prefixes = {code[:length] for code, rule in rules.items() for length in range(len(rule.family), len(code))}
    return ["ALL", *sorted(prefixes), *sorted(rules), *sorted(r.name for r in rules.values())]


def input_error_selectors(tokens: Iterable[str], rules: RuleSet = BUILTIN) -> list[tuple[int, str]]:
    """(index, message) for each selector that names an input error by its code or name (not a prefix
    nor ALL): input errors are always reported, so naming one in a selection has no effect."""
    found = []
    for index, token in enumerate(tokens):
        token = token.strip()
        rule = rules.lookup(token)
        if rule is not None and rule.scope == "input":
            other = rule.name if token.upper() == rule.code else rule.code
            found.append((index, f"{token} ({other}) is an input error, always reported: naming it in a "
                                 "selection has no effect"))
    return found


def split_list(value: str | None) -> list[str] | None:
    """A comma-separated command-line value as a list (None stays None)."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]
