"""Label selector semantics (apimachinery's LabelSelectorAsSelector and Service selectors)."""
from __future__ import annotations

from typing import Any

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def requirement_problem(expr: Any) -> str | None:
    """Why a matchExpressions item is invalid, or None when it is well-formed."""
    if not isinstance(expr, dict):
        return "is not a mapping"
    key, operator, values = expr.get("key"), expr.get("operator"), expr.get("values")
    if not isinstance(key, str) or not key:
        return "has no key"
    if operator not in OPERATORS:
        shown = repr(operator[:60]) if isinstance(operator, str) else "that is not a string"
        return f"has operator {shown}, which is not one of {', '.join(OPERATORS)}"
    if operator in ("In", "NotIn") and not (isinstance(values, list) and values):
        return f"uses {operator} without values"
    if operator in ("Exists", "DoesNotExist") and values:
        return f"uses {operator} with values"
    return None


def requirement_matches(expr: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether one well-formed matchExpressions item is satisfied by ``labels``."""
    key, operator = expr["key"], expr["operator"]
    values = [str(v) for v in expr.get("values") or []]
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    return key not in labels


def unmatched_labels(required: dict[str, str], labels: dict[str, str]) -> list[str]:
    """The ``key=value`` pairs of an equality selector that ``labels`` lacks."""
    return [f"{k}={v}" for k, v in required.items() if labels.get(k) != v]
