"""Builds ``schemas/policy.schema.json``, the JSON Schema of policy files (for editors: put
``# yaml-language-server: $schema=…/policy.schema.json`` at the top of a policy file). Never imported
by a run; a test checks that the committed file is what this builds and that it agrees with the
loader. Regenerate with::

    python -m stslint.policy.editor_schema > schemas/policy.schema.json
"""
from __future__ import annotations

import json
from typing import Any

from stslint.model.views import view_classes
from stslint.policy.files import CODE, NAME, PARAM, PLACEHOLDERS, REQUIRED, TARGETS
from stslint.policy.schema import DIALECT
from stslint.rules.options import SCALAR_TYPES


def _anchored(pattern: str) -> str:
    return "^" + pattern.replace("\\Z", "$")


def _strings(description: str) -> dict[str, Any]:
    return {"description": description,
            "oneOf": [{"type": "string", "minLength": 1},
                      {"type": "array", "items": {"type": "string", "minLength": 1}}]}


def build_schema() -> dict[str, Any]:
    """The JSON Schema (Draft 2020-12) of a policy file."""
    kinds = [cls.KIND for cls in view_classes()]
    scalar = [{"type": "string"}, {"type": "integer"}, {"type": "boolean"},
              {"type": "array", "items": {"type": "string"}}, {"type": "array", "items": {"type": "integer"}}]
    text = {"type": "string", "minLength": 1}
    return {
        "$schema": DIALECT,
        "$id": "https://stslint.io/schemas/policy.schema.json",
        "title": "stslint policy file",
        "description": "One policy, or a PolicySet of policies: an organisation's rule, checked by stslint like a "
                       "built-in rule (stslint check --policy PATH, or the configuration's policies).",
        "oneOf": [{"$ref": "#/$defs/policy"}, {"$ref": "#/$defs/policySet"}],
        "$defs": {
            "policySet": {
                "type": "object", "additionalProperties": False, "required": ["kind", "policies"],
                "properties": {"kind": {"const": "PolicySet"},
                               "policies": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/policy"}}},
            },
            "policy": {
                "type": "object", "additionalProperties": False, "required": list(REQUIRED),
                "properties": {
                    "code": {"description": "The rule code: your organisation's prefix and three digits (ACME101); "
                                            "never STS, which is stslint's.",
                             "type": "string", "pattern": _anchored(CODE.pattern), "not": {"pattern": "^STS"}},
                    "name": {"description": "The rule name: lowercase words joined by '-'.",
                             "type": "string", "pattern": _anchored(NAME.pattern)},
                    "severity": {"enum": ["error", "warning"]},
                    "summary": {**text, "description": "One line saying what the policy requires.",
                                "pattern": "^[^\\n]+\\n?$"},
                    "rationale": {**text, "description": "Why it matters."},
                    "remediation": {**text, "description": "How to fix a finding."},
                    "examples": {"type": "object", "additionalProperties": False,
                                 "properties": {"bad": text, "good": text}},
                    "match": {"$ref": "#/$defs/match"},
                    "target": {"description": "Where the schema applies (default: object).", "enum": list(TARGETS)},
                    "params": {
                        "description": "Params and their defaults (or {default, type, items, description}); "
                                       "{$param: name} in the schema and {name} in the message use them; the "
                                       "configuration's rules: {CODE: {name: value}} overrides them.",
                        "type": "object", "propertyNames": {"pattern": _anchored(PARAM.pattern),
                                                            "not": {"enum": list(PLACEHOLDERS)}},
                        "additionalProperties": {"anyOf": [*scalar, {"$ref": "#/$defs/param"}]},
                    },
                    "schema": {"description": "The JSON Schema (Draft 2020-12) the target must satisfy, plus "
                                              "minimumQuantity/maximumQuantity (Kubernetes quantities) and "
                                              "{$param: name}. $ref is local only.",
                               "type": ["object", "boolean"]},
                    "message": {**text, "description": "The finding's message: {object}, {kind}, {name}, "
                                                       "{namespace}, {container}, {path}, {value} and param names, "
                                                       "replaced as plain text ({{ and }} for braces)."},
                },
            },
            "param": {
                "type": "object", "additionalProperties": False, "required": ["default"],
                "properties": {"default": {}, "type": {"enum": ["array", *SCALAR_TYPES]},
                               "items": {"enum": list(SCALAR_TYPES)}, "description": text},
            },
            "match": {
                "description": "Which objects the policy applies to (every filter must hold).",
                "type": "object", "additionalProperties": False,
                "properties": {
                    "kinds": {"description": "Kinds (default: StatefulSet).",
                              "oneOf": [{"enum": kinds}, {"type": "array", "items": {"enum": kinds}}]},
                    "namespaces": _strings("Namespace globs; ! excludes. An object without a namespace takes "
                                           "--namespace, and without it matches no namespace filter."),
                    "names": _strings("Name globs; ! excludes."),
                    "labels": {"description": "A label selector on the object's own labels.",
                               "type": "object", "additionalProperties": False,
                               "properties": {"matchLabels": {"type": "object",
                                                              "additionalProperties": {"type": "string"}},
                                              "matchExpressions": {"type": "array", "items": {
                                                  "type": "object", "required": ["key", "operator"],
                                                  "additionalProperties": False,
                                                  "properties": {"key": text, "operator": {
                                                      "enum": ["In", "NotIn", "Exists", "DoesNotExist"]},
                                                      "values": {"type": "array", "items": {"type": "string"}}}}}}},
                    "files": _strings("Path globs, relative to the configuration file's directory (the current "
                                      "directory for --policy)."),
                },
            },
        },
    }


def render() -> str:
    """The schema as the committed file holds it."""
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
