"""Rule selection: --select / --extend-select / --ignore with codes, prefixes, names and ALL."""
from __future__ import annotations

from typing import Iterable

from stslint.rules import RULES, Rule


class SelectionError(ValueError):
    """A selector that names no rule."""


def _matches(token: str, rule: Rule, *, for_select: bool) -> bool:
    """Whether ``token`` covers ``rule``. An opt-in rule is selected only by its code, its name, a
    prefix longer than ``STS`` or ``ALL`` — never by the default set or a bare ``STS``."""
    upper = token.upper()
    if upper == "ALL" or upper == rule.code or token.lower() == rule.name:
        return True
    if rule.code.startswith(upper) and upper.startswith("STS"):
        return not (for_select and rule.opt_in and upper == "STS")
    return False


def _expand(tokens: Iterable[str], *, for_select: bool) -> set[str]:
    codes: set[str] = set()
    for token in tokens:
        token = token.strip()
        if not token:
            continue
        hit = {r.code for r in RULES.values() if _matches(token, r, for_select=for_select)}
        if not hit and not any(_matches(token, r, for_select=False) for r in RULES.values()):
            raise SelectionError(f"unknown rule selector {token!r} (use a code such as STS103, a prefix such as "
                                 "STS1, a rule name, or ALL)")
        codes |= hit
    return codes


def default_codes() -> set[str]:
    """Every rule that is not opt-in."""
    return {r.code for r in RULES.values() if not r.opt_in}


def resolve(select: Iterable[str] | None = None, ignore: Iterable[str] = (),
            extend_select: Iterable[str] = ()) -> frozenset[str]:
    """The codes a run reports. Input errors (STS001-STS004) are always included."""
    chosen = default_codes() if select is None else _expand(select, for_select=True)
    chosen |= _expand(extend_select, for_select=True)
    chosen -= _expand(ignore, for_select=False)
    chosen |= {r.code for r in RULES.values() if r.scope == "input"}
    return frozenset(chosen)


def resolve_layers(layers: Iterable[tuple[list[str] | None, list[str], list[str]]]) -> frozenset[str]:
    """The codes a run reports when settings come from several sources, later ones overriding
    earlier ones (the configuration file, then the command line): a layer's ``select`` replaces
    the set so far, then its ``extend_select`` adds and its ``ignore`` removes."""
    chosen = default_codes()
    for select, ignore, extend_select in layers:
        if select is not None:
            chosen = _expand(select, for_select=True)
        chosen |= _expand(extend_select, for_select=True)
        chosen -= _expand(ignore, for_select=False)
    chosen |= {r.code for r in RULES.values() if r.scope == "input"}
    return frozenset(chosen)


def expand_ignored(tokens: Iterable[str]) -> frozenset[str]:
    """The codes that ``tokens`` (codes, prefixes, names, ALL) cover, opt-in rules included."""
    return frozenset(_expand(tokens, for_select=False))


def canonical_selectors() -> list[str]:
    """Every selector a configuration file may write, as written: ``ALL``, every code, every rule
    name and every code prefix from ``STS`` on (the command line also accepts other cases)."""
    prefixes = {code[:length] for code in RULES for length in range(3, len(code))}
    return ["ALL", *sorted(prefixes), *sorted(RULES), *sorted(r.name for r in RULES.values())]


def split_list(value: str | None) -> list[str] | None:
    """A comma-separated command-line value as a list (None stays None)."""
    if value is None:
        return None
    return [part.strip() for part in value.split(",") if part.strip()]
