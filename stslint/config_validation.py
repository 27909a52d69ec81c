"""Validation of a configuration file's data, without jsonschema (a pre-commit hook pays every
import on every commit). ``schemas/config.schema.json`` describes the same file for editors, and
the tests check that the two agree.

Errors carry the path of the offending key (``("rules", "STS301", "exempt-images")``, list items
by index) so the loader can name the line it was written on. Rule codes, names and selectors are
checked against the rule set of the run (the built-in rules, plus user policies later).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from stslint.model.nodes import type_name
from stslint.rules import BUILTIN, RuleSet

KeyPath = tuple[Any, ...]

LEVELS = ("error", "warning")
NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
SELECTOR_HELP = "a rule code (STS103), a code prefix (STS1), a rule name or ALL"


class ConfigInvalid(ValueError):
    """The configuration data breaks the schema; ``path`` locates the offending key."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _found(value: Any) -> str:
    """``found string "x"``, ``found boolean true``... for the end of a message."""
    if isinstance(value, bool):
        return f"found boolean {str(value).lower()} (YAML reads yes/no/on/off as booleans: quote it)"
    if isinstance(value, str):
        return f'found string "{value}"'
    if isinstance(value, (int, float)):
        return f"found {type_name(value)} {value}"
    return f"found {type_name(value)}"


def _label(path: KeyPath) -> str:
    parts: list[str] = []
    for part in path:
        if isinstance(part, int):
            parts.append(f"[{part + 1}]")
        else:
            parts.append(("." if parts else "") + str(part))
    return '"' + "".join(parts) + '"'


def _suggest(word: str, choices: list[str]) -> str:
    import difflib

    if re.fullmatch(r"STS\d*", word):
        return ""  # a mistyped code: a near code would be a guess
    close = difflib.get_close_matches(word, [c for c in choices if not word.startswith(c)], n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def _string_list(value: Any, path: KeyPath, what: str) -> list[str]:
    if not isinstance(value, list):
        raise ConfigInvalid(path, f"{_label(path)} must be a list of {what}; {_found(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item:
            raise ConfigInvalid((*path, index), f"item {index + 1} of {_label(path)} must be a non-empty string "
                                f"({what}); {_found(item)}")
    return list(value)


def _valid_glob(glob: str, path: KeyPath, what: str) -> None:
    """Raise ConfigInvalid when ``glob`` (``what`` names it in the message) is not a usable glob."""
    from stslint.globs import GlobError, check_glob

    try:
        check_glob(glob)
    except GlobError as exc:
        raise ConfigInvalid(path, f"{what} is not a valid path glob: {exc}") from None


def _globs(value: Any, path: KeyPath, rules: RuleSet) -> list[str]:
    items = _string_list(value, path, "path globs")
    for index, item in enumerate(items):
        _valid_glob(item, (*path, index), f"item {index + 1} of {_label(path)}")
    return items


def _selectors(value: Any, path: KeyPath, rules: RuleSet) -> list[str]:
    from stslint.selection import canonical_selectors

    items = _string_list(value, path, "rule selectors: " + SELECTOR_HELP)
    if not items and path == ("select",):
        raise ConfigInvalid(path, f'{_label(path)} names no rule; expected at least one selector ({SELECTOR_HELP}; '
                            "input errors are always reported)")
    known = canonical_selectors(rules)
    known_set = set(known)
    for index, item in enumerate(items):
        if item not in known_set:
            raise ConfigInvalid((*path, index), f'{_label(path)}: unknown rule selector "{item}"; expected '
                                f"{SELECTOR_HELP}{_suggest(item, known)}")
    return items


def _rule_code(key: Any, path: KeyPath, allow_input: bool, rules: RuleSet) -> str:
    rule = rules.lookup(key) if isinstance(key, str) else None
    if rule is None or key not in (rule.code, rule.name):
        choices = sorted(rules) + sorted(r.name for r in rules.values())
        raise ConfigInvalid((*path, key), f'{_label(path)}: unknown rule "{key}"; expected a rule code or name '
                            f"(`stslint rules` lists them){_suggest(str(key), choices)}")
    if not allow_input and rule.scope == "input":
        raise ConfigInvalid((*path, key), f"{_label(path)}: {rule.code} is an input error, always reported as an "
                            "error; expected a rule that is not an input error (STS001-STS004)")
    return rule.code


def _mapping(value: Any, path: KeyPath, what: str) -> dict[Any, Any]:
    if not isinstance(value, dict):
        raise ConfigInvalid(path, f"{_label(path)} must be a mapping of {what}; {_found(value)}")
    return value


def _severity(value: Any, path: KeyPath, rules: RuleSet) -> dict[str, str]:
    result: dict[str, str] = {}
    for key, level in _mapping(value, path, 'rule code or name to "error" or "warning"').items():
        code = _rule_code(key, path, allow_input=False, rules=rules)
        if level not in LEVELS:
            raise ConfigInvalid((*path, key), f'{_label((*path, key))} must be "error" or "warning"; {_found(level)}')
        _no_twice(result, code, key, path)
        result[code] = level
    return result


def _no_twice(seen: dict[str, Any], code: str, key: Any, path: KeyPath) -> None:
    if code in seen:
        raise ConfigInvalid((*path, key), f'{_label(path)}: rule {code} is given twice (by its code and its name); '
                            "expected each rule once")


NAMESPACE_HELP = "a Kubernetes namespace name (lowercase letters, digits and '-', at most 63 characters)"


def namespace_problem(value: Any) -> str | None:
    """Why ``value`` is not a namespace name (``must be ...; found ...``), or None when it is one: the
    same words for the configuration's ``namespace`` and ``-n``."""
    if isinstance(value, str) and NAMESPACE.match(value):
        return None
    return f"must be {NAMESPACE_HELP}; {_found(value)}"


def _namespace(value: Any, path: KeyPath, rules: RuleSet) -> str:
    problem = namespace_problem(value)
    if problem is not None:
        raise ConfigInvalid(path, f"{_label(path)} {problem}")
    return value  # type: ignore[no-any-return]


def _kubernetes_version(value: Any, path: KeyPath, rules: RuleSet) -> str:
    from stslint.kubernetes import version_problem

    problem = version_problem(value)
    if problem is not None:
        raise ConfigInvalid(path, f"{_label(path)} {problem}")
    return value  # type: ignore[no-any-return]


def _choice(choices: tuple[str, ...]) -> Callable[[Any, KeyPath, RuleSet], str]:
    def check(value: Any, path: KeyPath, rules: RuleSet) -> str:
        if value not in choices or not isinstance(value, str):
            listed = " or ".join(f'"{c}"' for c in choices)
            near = _suggest(value, list(choices)) if isinstance(value, str) else ""
            raise ConfigInvalid(path, f"{_label(path)} must be {listed}; {_found(value)}{near}")
        return value
    return check


def _boolean(value: Any, path: KeyPath, rules: RuleSet) -> bool:
    if not isinstance(value, bool):
        raise ConfigInvalid(path, f"{_label(path)} must be true or false; {_found(value)}")
    return value


def _path(value: Any, path: KeyPath, rules: RuleSet) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigInvalid(path, f"{_label(path)} must be a non-empty string (a file path); {_found(value)}")
    return value


def _format(value: Any, path: KeyPath, rules: RuleSet) -> str:
    from stslint.reporting import FORMATS

    return _choice(tuple(FORMATS))(value, path, rules)


def _context(value: Any, path: KeyPath, rules: RuleSet) -> list[str] | str:
    if value == "git":
        return "git"
    if not isinstance(value, list):
        raise ConfigInvalid(path, f'{_label(path)} must be "git" or a list of paths; {_found(value)}')
    return _string_list(value, path, "paths")


def _per_file_ignores(value: Any, path: KeyPath, rules: RuleSet) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for glob, selectors in _mapping(value, path, "path globs to lists of rule selectors").items():
        if not isinstance(glob, str) or not glob:
            raise ConfigInvalid((*path, glob), f"{_label(path)}: every key must be a path glob (a string); "
                                f"{_found(glob)}")
        _valid_glob(glob, (*path, glob), f'{_label(path)}: key "{glob}"')
        result[glob] = _selectors(selectors, (*path, glob), rules)
    return result


def _rules(value: Any, path: KeyPath, rules: RuleSet) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for key, options in _mapping(value, path, "rule code or name to a mapping of that rule's options").items():
        code = _rule_code(key, path, allow_input=True, rules=rules)
        _no_twice(result, code, key, path)
        here = (*path, key)
        given = _mapping(options, here, f"the options of {code}")
        declared = {option.name: option for option in rules[code].options}
        for name, option_value in given.items():
            option = declared.get(name) if isinstance(name, str) else None
            if option is None:
                expected = (f"expected one of {', '.join(sorted(declared))}" if declared
                            else f"{code} has no options")
                raise ConfigInvalid((*here, name), f'{_label(here)}: unknown option "{name}"; {expected}'
                                    f"{_suggest(str(name), sorted(declared))}")
            problem = option.problem(option_value)
            if problem is not None:
                raise ConfigInvalid((*here, name), f"{_label((*here, name))} {problem}; {_found(option_value)}")
        result[code] = dict(given)
    return result


def _helm(value: Any, path: KeyPath, rules: RuleSet) -> dict[str, dict[str, Any]]:
    """``helm: {CHART_PATH: {values: [FILES], set: {KEY: VALUE}, release-name: NAME}}``."""
    result: dict[str, dict[str, Any]] = {}
    for chart, options in _mapping(value, path, "chart path to its render options").items():
        here = (*path, chart)
        given = _mapping(options, here, "the render options of a chart (values, set, release-name)")
        for key, option in given.items():
            if key == "values":
                _string_list(option, (*here, key), "values files")
            elif key == "set":
                _mapping(option, (*here, key), "value paths to values (as --set KEY=VALUE)")
            elif key == "release-name":
                if not isinstance(option, str) or not option:
                    raise ConfigInvalid((*here, key), f"{_label((*here, key))} must be a release name; {_found(option)}")
            else:
                raise ConfigInvalid((*here, key), f'{_label(here)}: unknown option "{key}"; expected one of '
                                    "release-name, set, values")
        result[str(chart)] = dict(given)
    return result


def _kustomize(value: Any, path: KeyPath, rules: RuleSet) -> dict[str, list[str]]:
    """``kustomize: {overlays: [DIRECTORIES]}``."""
    given = _mapping(value, path, "kustomize settings (overlays)")
    for key in given:
        if key != "overlays":
            raise ConfigInvalid((*path, key), f'{_label(path)}: unknown key "{key}"; expected overlays')
    return {"overlays": _string_list(given.get("overlays", []), (*path, "overlays"), "overlay directories")}


VALIDATORS: dict[str, Callable[[Any, KeyPath, RuleSet], Any]] = {
    "baseline": _path,
    "context": _context,
    "exclude": _globs,
    "extend-select": _selectors,
    "fail-on": _choice(LEVELS),
    "fail-on-empty": _boolean,
    "format": _format,
    "helm": _helm,
    "ignore": _selectors,
    "kubernetes-version": _kubernetes_version,
    "kustomize": _kustomize,
    "namespace": _namespace,
    "per-file-ignores": _per_file_ignores,
    "policies": lambda v, p, r: _string_list(v, p, "paths"),
    "render": _choice(("auto", "always", "never")),
    "rules": _rules,
    "select": _selectors,
    "severity": _severity,
}
"""Every key of the configuration file and its check (which returns the normalised value)."""


def validate(data: Any, rules: RuleSet = BUILTIN) -> dict[str, Any]:
    """The configuration as validated against the rule set ``rules``, normalised values by key (rule
    names turned into codes); raise ConfigInvalid for the first problem."""
    if not isinstance(data, dict):
        raise ConfigInvalid((), "the configuration must be a mapping of settings (select, ignore, rules, ...); "
                            f"{_found(data)}")
    result: dict[str, Any] = {}
    for key, value in data.items():
        check = VALIDATORS.get(key) if isinstance(key, str) else None
        if check is None:
            raise ConfigInvalid((key,), f'unknown key "{key}"; expected one of {", ".join(VALIDATORS)}'
                                f"{_suggest(str(key), list(VALIDATORS))}")
        result[key] = check(value, (key,), rules)
    return result
