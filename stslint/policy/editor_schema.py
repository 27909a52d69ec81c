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
from stslint.policy.files import CODE, NAME, OF, PARAM, PLACEHOLDERS, REF_NAME, REQUIRED, SELECTING, TARGETS, UNRESOLVED
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
        "oneOf": [{"$ref": "#/$defs/policy"}, {"$ref": "#/$defs/policySet"}, {"$ref": "#/$defs/policyException"},
                  {"$ref": "#/$defs/policyTest"}],
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
                    "refs": {"description": "Joins resolved through stslint's index: by name (of: claimTemplate, "
                                            "serviceName) or by selector (selecting: pods).",
                             "type": "object", "minProperties": 1,
                             "propertyNames": {"pattern": _anchored(REF_NAME.pattern)},
                             "additionalProperties": {"$ref": "#/$defs/ref"}},
                    "expr": {**text, "description": "A CEL expression over object, item, refs and params (needs the "
                                                    "policy extra: cel-python); true passes."},
                    "message": {**text, "description": "The finding's message: {object}, {kind}, {name}, "
                                                       "{namespace}, {container}, {path}, {value}, {ref} and param "
                                                       "names, replaced as plain text ({{ and }} for braces)."},
                },
                "anyOf": [{"required": ["schema"]}, {"required": ["refs"]}, {"required": ["expr"]}],
            },
            "ref": {
                "type": "object", "additionalProperties": False, "required": ["kind"],
                "oneOf": [{"required": ["of"]}, {"required": ["selecting"]}],
                "properties": {
                    "kind": {"enum": sorted({k for table in (OF, SELECTING) for ks in table.values() for k in ks})},
                    "of": {"description": "The object the judged one names: claimTemplate (a StorageClass, per "
                                          "claim template), serviceName (the governing Service).", "enum": list(OF)},
                    "selecting": {"description": "The objects that select the judged object's pods.",
                                  "enum": list(SELECTING)},
                    "count": {"type": "object", "additionalProperties": False,
                              "properties": {"min": {"type": "integer", "minimum": 0},
                                             "max": {"type": "integer", "minimum": 0}}},
                    "schema": {"description": "The JSON Schema each referenced object must satisfy.",
                               "type": ["object", "boolean"]},
                    "unresolved": {"description": "When no object is found: fail (a finding, the default), warn "
                                                  "(a warning of the run) or skip.", "enum": list(UNRESOLVED)},
                },
            },
            "policyException": {
                "type": "object", "additionalProperties": False, "required": ["kind", "exceptions"],
                "properties": {"kind": {"const": "PolicyException"}, "exceptions": {
                    "type": "array", "minItems": 1, "items": {
                        "type": "object", "additionalProperties": False, "required": ["codes", "reason"],
                        "properties": {"codes": _strings("Rule codes or names (policies' and built-in)."),
                                       "match": {"$ref": "#/$defs/match"}, "reason": text,
                                       "owner": text, "expires": {"type": "string", "format": "date"}}}}},
            },
            "policyTest": {
                "type": "object", "additionalProperties": False, "required": ["kind", "policies", "cases"],
                "properties": {"kind": {"const": "PolicyTest"},
                               "policies": {"type": "array", "items": text},
                               "cases": {"type": "array", "items": {
                                   "type": "object", "additionalProperties": False, "required": ["name", "files"],
                                   "properties": {"name": text, "files": {"type": "array", "items": text},
                                                  "context": {"type": "array", "items": text},
                                                  "namespace": text,
                                                  "expect": {"type": "array", "items": {
                                                      "type": "object", "additionalProperties": False,
                                                      "required": ["code"],
                                                      "properties": {"code": text, "at": text,
                                                                     "message": text}}}}}}},
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
