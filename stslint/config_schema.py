"""Builds ``schemas/config.schema.json``, the JSON Schema of the configuration file (for editors),
from the rule registry and the options each rule declares. Never imported by a run; a test checks
that the committed file is what this builds. Regenerate with::

    python -m stslint.config_schema > schemas/config.schema.json
"""
from __future__ import annotations

import json
from typing import Any

from stslint.catalog import options_of
from stslint.config_validation import NAMESPACE
from stslint.reporting import FORMATS
from stslint.rules import RULES, lookup
from stslint.selection import canonical_selectors

FORMAT_NAMES = list(FORMATS)
"""The report formats the configuration may name: the reporters' formats, in their order."""
POLICY_CODE = "^(?!STS)[A-Z][A-Z0-9]{1,9}[0-9]{3}$"
"""A policy's code (policies are loaded at run time: the schema knows their codes only by form)."""
POLICY_SELECTOR = "^(?!STS)[A-Z][A-Z0-9]*$"
"""A policy's code or code prefix as a selector (ACME, ACME1, ACME101)."""

def _rule_options(code: str) -> dict[str, Any]:
    rule = RULES[code]
    described = options_of(rule)
    properties = {}
    for option in sorted(rule.options, key=lambda o: o.name):
        schema = option.json_schema()
        schema["description"] = described[option.name]["description"]
        schema["default"] = option.default
        properties[option.name] = schema
    return {"type": "object", "additionalProperties": False, "properties": properties}


def build_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``.stslint.yaml`` / ``[tool.stslint]``."""
    rules = sorted(RULES.values(), key=lambda r: r.code)
    rule_keys = [r.code for r in rules] + sorted(r.name for r in rules)
    severity_keys = [r.code for r in rules if r.scope != "input"] + sorted(r.name for r in rules
                                                                          if r.scope != "input")
    selectors = {"$ref": "#/$defs/selectors"}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://stslint.io/schemas/config.schema.json",
        "title": "stslint configuration",
        "description": "The .stslint.yaml / .stslint.yml file, or the [tool.stslint] table of pyproject.toml. "
                       "Paths and globs are relative to the directory of the file.",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "select": {**selectors, "minItems": 1, "description": "The rules to report (replaces the default set)."},
            "extend-select": {**selectors, "description": "Rules to report in addition to the selected ones."},
            "ignore": {**selectors, "description": "Rules not to report."},
            "severity": {
                "description": "Severity per rule, by code or name (input errors STS001-STS004 stay errors).",
                "type": "object",
                "propertyNames": {"anyOf": [{"enum": severity_keys}, {"type": "string", "pattern": POLICY_CODE}]},
                "additionalProperties": {"enum": ["error", "warning"]},
            },
            "exclude": {
                "description": "Globs of files and directories not to check when walking directories (and, "
                               "with --force-exclude, when named on the command line).",
                "type": "array", "items": {"type": "string", "minLength": 1},
            },
            "per-file-ignores": {
                "description": "Glob of files → rules not to report in them.",
                "type": "object",
                "propertyNames": {"minLength": 1},
                "additionalProperties": selectors,
            },
            "namespace": {
                "description": "Namespace of objects that carry none (what kubectl apply -n would give them).",
                "type": "string", "pattern": "^" + NAMESPACE.pattern.replace("\\Z", "$"),
            },
            "kubernetes-version": {
                "description": "The Kubernetes release the manifests target (1.29 or v1.29): STS501 and STS502 "
                               "report only APIs removed at or before it (default: the newest release stslint "
                               "knows).",
                "type": "string", "pattern": r"^v?1\.[0-9]{1,3}(\.[0-9]{1,4})?$",
            },
            "fail-on": {"description": "Lowest severity that makes the run exit 1.", "enum": ["error", "warning"]},
            "fail-on-empty": {"description": "Exit 1 when the run reads no Kubernetes object (a gate pointed at the "
                                             "wrong path); as --fail-on-empty. Not applied in hook mode (--hook).",
                              "type": "boolean"},
            "format": {"description": "Output format when --format is not given.", "enum": FORMAT_NAMES},
            "render": {"description": "Render Helm charts and build kustomize overlays: auto (when an engine is "
                                      "installed), always (a missing engine is an error) or never.",
                       "enum": ["auto", "always", "never"]},
            "helm": {
                "description": "Render options per chart directory (relative to this file); the command line's "
                               "--values, --set and --release-name override them.",
                "type": "object", "propertyNames": {"minLength": 1},
                "additionalProperties": {
                    "type": "object", "additionalProperties": False,
                    "properties": {
                        "values": {"type": "array", "items": {"type": "string", "minLength": 1}},
                        "set": {"type": "object"},
                        "release-name": {"type": "string", "minLength": 1},
                    },
                },
            },
            "kustomize": {
                "description": "kustomize settings: overlays names the root kustomization directories to build.",
                "type": "object", "additionalProperties": False,
                "properties": {"overlays": {"type": "array", "items": {"type": "string", "minLength": 1}}},
            },
            "baseline": {"description": "A baseline file (written by check --write-baseline), relative to this "
                                        "file: only findings beyond it are reported (as --baseline).",
                         "type": "string", "minLength": 1},
            "context": {
                "description": "Manifests loaded only to resolve references: a list of paths, or \"git\" for "
                               "every manifest git lists in the work tree.",
                "oneOf": [{"const": "git"}, {"type": "array", "items": {"type": "string", "minLength": 1}}],
            },
            "policies": {
                "description": "Policy files or directories (see schemas/policy.schema.json), relative to this "
                               "file; their policies are rules of every run (nothing is ever fetched).",
                "type": "array", "items": {"type": "string", "minLength": 1},
            },
            "rules": {
                "description": "Options per rule, by code or name.",
                "type": "object",
                "additionalProperties": False,
                "properties": {key: {"$ref": f"#/$defs/options-{_code(key)}"} for key in rule_keys},
                "patternProperties": {POLICY_CODE: {"type": "object",
                                                    "description": "A policy's params, by its code."}},
            },
        },
        "$defs": {
            "selectors": {
                "type": "array",
                "items": {"anyOf": [{"enum": canonical_selectors()}, {"type": "string", "pattern": POLICY_SELECTOR}],
                          "description": "A rule code (STS103), a code prefix (STS1), a rule name or ALL (a "
                                         "policy's code or prefix: ACME101, ACME1)."},
            },
            **{f"options-{r.code}": _rule_options(r.code) for r in rules},
        },
    }


def _code(code_or_name: str) -> str:
    rule = lookup(code_or_name)
    assert rule is not None
    return rule.code


def render() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
