"""Label selector semantics (apimachinery's LabelSelectorAsSelector and Service selectors).

A :class:`LabelSelector` is what an object selects pods with; ``None`` stands for a selector that
selects nothing (absent, null, invalid, or empty where the kind says so). Which empty selectors
select every pod is each kind's business (a ``policy/v1`` PodDisruptionBudget's ``{}`` does, a
``policy/v1beta1`` one's does not), decided where its entry is built.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stslint.model.entries import BadRecord

if TYPE_CHECKING:
    from stslint.model.fields import Fields

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


class LabelSelector:
    """A well-formed selector: every matchLabels pair and every requirement must hold. With neither,
    it selects every pod (of its namespace)."""

    __slots__ = ("match_labels", "expressions")

    def __init__(self, match_labels: dict[str, str] | None = None,
                 expressions: list[dict[str, Any]] | None = None) -> None:
        self.match_labels = dict(match_labels or {})
        self.expressions = [{"key": e["key"], "operator": e["operator"], "values": [str(v) for v in e.get("values")
                                                                                     or []]}
                            for e in expressions or []]

    def __repr__(self) -> str:
        return f"LabelSelector({self.match_labels!r}, {self.expressions!r})"

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, LabelSelector) and other.match_labels == self.match_labels
                and other.expressions == self.expressions)

    __hash__ = None  # type: ignore[assignment]

    @property
    def empty(self) -> bool:
        """True for ``{}``: no matchLabels, no matchExpressions."""
        return not self.match_labels and not self.expressions

    def matches(self, labels: dict[str, str]) -> bool:
        """Whether a pod with ``labels`` is selected."""
        return (not unmatched_labels(self.match_labels, labels)
                and all(requirement_matches(expr, labels) for expr in self.expressions))

    def to_record(self) -> dict[str, Any]:
        """The selector as JSON data."""
        return {"match_labels": self.match_labels, "expressions": self.expressions}

    @classmethod
    def from_record(cls, data: dict[str, Any]) -> LabelSelector:
        """A selector from :meth:`to_record` data (BadRecord when malformed)."""
        labels, expressions = data.get("match_labels"), data.get("expressions")
        if not isinstance(labels, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                   for k, v in labels.items()):
            raise BadRecord("match_labels is a mapping of strings")
        if not isinstance(expressions, list):
            raise BadRecord("expressions is a list")
        for expr in expressions:
            if requirement_problem(expr) is not None or not all(isinstance(v, str) for v in expr.get("values")
                                                                 or []):
                raise BadRecord("expressions are well-formed requirements")
        return cls(labels, expressions)


def read_match_expressions(selector: Fields) -> list[Any] | None:
    """The matchExpressions items of a selector, or None when a field of one has the wrong type
    (each is reported): a non-mapping item, a key or operator that is not a string, values that are
    not a list of strings. Items that are merely incomplete are kept for :func:`requirement_problem`
    to describe."""
    if not selector.maps_readable("matchExpressions"):
        return None
    readable = True
    for _, expr in selector.maps("matchExpressions"):
        readable = expr.str_readable("key") and readable
        readable = expr.str_readable("operator") and readable
        values = expr.seq("values")
        if values is None:
            readable = readable and not expr.present("values")
            continue
        for index, value in enumerate(values):
            if not isinstance(value, str):
                expr.report(f"{expr.sub('values')}[{index}]", expr.item_span("values", index), "a string (quote it)",
                            value)
                readable = False
    items = selector.seq("matchExpressions")
    return [item for item in items or [] if item is not None] if readable else None


def read_label_selector(owner: Fields, key: str, *, empty_selects_all: bool) -> LabelSelector | None:
    """The LabelSelector under ``key`` of ``owner`` (wrong-typed parts reported), or None when it
    selects nothing: absent, null, wrong-typed, holding an invalid requirement, or ``{}`` when
    ``empty_selects_all`` is False."""
    selector = owner.map(key)
    if selector is None:
        return None
    labels = selector.string_map("matchLabels") if selector.present("matchLabels") else {}
    expressions = read_match_expressions(selector)
    if labels is None or expressions is None or any(requirement_problem(e) for e in expressions):
        return None
    result = LabelSelector(labels, expressions)
    return result if empty_selects_all or not result.empty else None
