"""Policy schemas: JSON Schema (Draft 2020-12) plus stslint's quantity keywords, checked when a
policy is loaded and compiled once per run and set of param values.

``minimumQuantity`` / ``maximumQuantity`` compare Kubernetes quantities (``"2Ti"`` against
``"500Gi"``, CPU ``"500m"``); a value that is not a quantity fails them, a value of another type
(a mapping, a boolean) is left to ``type``. ``{$param: name}`` anywhere in a schema stands for the
value of a param. A schema is self-contained: ``$ref`` is local (``#/$defs/...``), nothing is ever
fetched. Unknown keywords are refused (a misspelt ``maxLenght`` would silently check nothing);
``x-`` keywords are free for annotations.

jsonschema (and its dependencies) is imported only here, when a policy is loaded.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Callable, Iterable

from stslint.model.nodes import Span, YMap, YSeq
from stslint.model.quantity import parse_quantity

DIALECT = "https://json-schema.org/draft/2020-12/schema"
QUANTITY_KEYWORDS = ("minimumQuantity", "maximumQuantity")
SCHEMA_VALUED = ("not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames",
                 "unevaluatedItems", "unevaluatedProperties", "contentSchema")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
OTHER_KEYWORDS = ("$schema", "$ref", "$anchor", "$dynamicRef", "$dynamicAnchor", "$comment", "type", "enum",
                  "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
                  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains",
                  "minContains", "maxProperties", "minProperties", "required", "dependentRequired", "title",
                  "description", "default", "deprecated", "readOnly", "writeOnly", "examples", "format",
                  "contentEncoding", "contentMediaType")
KEYWORDS = (*SCHEMA_VALUED, *SCHEMA_LISTS, *SCHEMA_MAPS, *OTHER_KEYWORDS, *QUANTITY_KEYWORDS)
"""Every keyword a policy schema may use (Draft 2020-12's, and stslint's)."""

Fail = Callable[[Span, str], Exception]


def is_param(node: Any) -> bool:
    """True for ``{$param: name}``."""
    return isinstance(node, dict) and len(node) == 1 and "$param" in node


def _span(node: Any, key: Any, fallback: Span) -> Span:
    if isinstance(node, YMap):
        return node.key_span(key)
    if isinstance(node, YSeq):
        return node.item_span(key)
    return fallback


def check_policy_schema(schema: Any, params: dict[str, Any], fail: Fail, span: Span) -> None:
    """Raise ``fail(span, reason)`` for the first problem of a policy's schema: an unknown keyword,
    an unknown param, a quantity keyword whose value is not a quantity, a remote reference, an
    invalid regular expression, or what the Draft 2020-12 meta-schema refuses."""
    _check_params(schema, params, fail, span)
    _walk(schema, fail, span, root=True)
    from jsonschema.exceptions import SchemaError

    try:
        validator_class().check_schema(substitute(schema, params))
    except SchemaError as error:
        node: Any = schema
        where = span
        for part in error.path:
            if is_param(node) or not isinstance(node, (dict, list)):
                break
            try:
                child = node[part]
            except (KeyError, IndexError, TypeError):
                break
            where = _span(node, part, where)
            node = child
        reason = error.message if len(error.message) <= 200 else error.message[:200] + "..."
        raise fail(where, f"invalid JSON Schema: {reason}") from None


def _check_params(node: Any, params: dict[str, Any], fail: Fail, span: Span) -> None:
    stack: list[tuple[Any, Span]] = [(node, span)]
    while stack:
        node, where = stack.pop()
        if is_param(node):
            name = node["$param"]
            if not isinstance(name, str) or name not in params:
                known = ", ".join(params) or "none are declared"
                raise fail(where, f"{{$param: {name}}} names no param (params: {known})")
        elif isinstance(node, dict):
            stack.extend((value, _span(node, key, where)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, _span(node, index, where)) for index, value in enumerate(node))


def _walk(schema: Any, fail: Fail, span: Span, *, root: bool = False) -> None:
    """Check the keywords of a schema and its subschemas (params stand for valid values)."""
    if not isinstance(schema, dict) or is_param(schema):
        return  # true/false, or left to the meta-schema
    from stslint.policy.files import suggest

    for key, value in schema.items():
        where = _span(schema, key, span)
        if not isinstance(key, str):
            raise fail(where, f"invalid JSON Schema: the keyword {key!r} is not a string")
        if key.startswith("x-"):
            continue
        if key == "$id":
            raise fail(where, "$id is not allowed: a policy's schema is self-contained (use $defs, and $ref: "
                       '"#/$defs/name")')
        if key not in KEYWORDS:
            raise fail(where, f'unknown JSON Schema keyword "{key}"{suggest(key, KEYWORDS)} (Draft 2020-12 and '
                       f"stslint's {', '.join(QUANTITY_KEYWORDS)}; x- keywords are free)")
        value_where = schema.value_span(key) if isinstance(schema, YMap) else where
        if is_param(value):
            continue
        if key in QUANTITY_KEYWORDS and parse_quantity(value) is None:
            raise fail(value_where, f'{key} must be a Kubernetes quantity (such as "2Ti", "500Mi" or "500m")')
        elif key in ("$ref", "$dynamicRef") and not (isinstance(value, str) and value.startswith("#")):
            raise fail(value_where, f"{key} must be a local reference (#/$defs/...): a policy is self-contained and "
                       "nothing is ever fetched")
        elif key == "$schema" and (not root or str(value).rstrip("#") != DIALECT):
            raise fail(where, f'$schema may only be "{DIALECT}", at the top of the schema')
        elif key == "pattern" and isinstance(value, str):
            _regex(value, fail, value_where)
        elif key in SCHEMA_VALUED:
            _walk(value, fail, value_where)
        elif key in SCHEMA_LISTS and isinstance(value, list):
            for index, item in enumerate(value):
                _walk(item, fail, _span(value, index, value_where))
        elif key in SCHEMA_MAPS and isinstance(value, dict):
            for name, item in value.items():
                if key == "patternProperties" and isinstance(name, str):
                    _regex(name, fail, _span(value, name, value_where))
                _walk(item, fail, _span(value, name, value_where))


def _regex(pattern: str, fail: Fail, where: Span) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise fail(where, f"invalid regular expression {pattern!r}: {exc}") from None


def substitute(node: Any, params: dict[str, Any]) -> Any:
    """The schema as plain data, each ``{$param: name}`` replaced by that param's value."""
    if is_param(node):
        return copy.deepcopy(params[node["$param"]])
    if isinstance(node, dict):
        return {key: substitute(value, params) for key, value in node.items()}
    if isinstance(node, list):
        return [substitute(value, params) for value in node]
    return node


def _quantity(keyword: str, holds: Callable[[Any, Any], bool], relation: str) -> Callable[..., Iterable[Any]]:
    def check(validator: Any, limit: Any, instance: Any, schema: Any) -> Iterable[Any]:
        from jsonschema.exceptions import ValidationError

        if isinstance(instance, bool) or not isinstance(instance, (str, int, float)):
            return
        value, bound = parse_quantity(instance), parse_quantity(limit)
        if value is None:
            yield ValidationError(f"{instance!r} is not a Kubernetes quantity")
        elif bound is not None and not holds(value, bound):
            yield ValidationError(f"{instance!r} is {relation} {limit}")

    check.__name__ = keyword
    return check


_VALIDATOR: Any = None


def validator_class() -> Any:
    """Draft 2020-12's validator class with the quantity keywords (jsonschema imported on first use)."""
    global _VALIDATOR
    if _VALIDATOR is None:
        from jsonschema import Draft202012Validator, validators

        _VALIDATOR = validators.extend(Draft202012Validator, {
            "minimumQuantity": _quantity("minimumQuantity", lambda v, b: v >= b, "less than"),
            "maximumQuantity": _quantity("maximumQuantity", lambda v, b: v <= b, "more than"),
        })
    return _VALIDATOR


def compile_schema(schema: Any, params: dict[str, Any]) -> Any:
    """A validator of the schema with these param values (an empty registry: no reference outside
    the schema is ever retrieved)."""
    from referencing import Registry

    return validator_class()(substitute(schema, params), registry=Registry())
