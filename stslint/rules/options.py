"""Typed rule options: a name, a type and a default, declared with the rule.

Types are ``string``, ``integer``, ``boolean``, ``quantity`` (a Kubernetes quantity such as ``2Ti``)
and ``array`` of one of those (``items``). The configuration's ``rules:`` values are checked against
them; a rule always receives every option, its default filled in when the configuration does not
set it.
"""
from __future__ import annotations

from typing import Any, Callable


def _is_quantity(value: Any) -> bool:
    from stslint.model.quantity import parse_quantity  # decimal: only when a quantity is checked

    return parse_quantity(value) is not None


SCALAR_TYPES: dict[str, tuple[Callable[[Any], bool], str, dict[str, Any]]] = {
    "string": (lambda v: isinstance(v, str), "a string", {"type": "string"}),
    "integer": (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer", {"type": "integer"}),
    "boolean": (lambda v: isinstance(v, bool), "true or false", {"type": "boolean"}),
    "quantity": (_is_quantity, "a Kubernetes quantity (such as 2Ti or 500M)",
                 {"type": ["string", "number"], "pattern": r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
                  r"(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$"}),
}
"""Each scalar type: its check, how to name it in a message, and its JSON Schema."""


class Option:
    """One option of a rule. ``items`` is the item type of an ``array``."""

    __slots__ = ("name", "type", "default", "items")

    def __init__(self, name: str, type: str, default: Any, items: str | None = None) -> None:
        self.name = name
        self.type = type
        self.default = default
        self.items = items
        if self.type == "array":
            if self.items not in SCALAR_TYPES:
                raise TypeError(f"option {self.name}: an array's items are one of {', '.join(SCALAR_TYPES)}")
        elif self.type not in SCALAR_TYPES or self.items is not None:
            raise TypeError(f"option {self.name}: type is array or one of {', '.join(SCALAR_TYPES)}")
        if self.problem(self.default) is not None:
            raise TypeError(f"option {self.name}: the default {self.default!r} is not {self.expected}")

    def __repr__(self) -> str:
        return f"Option({self.name!r}, {self.type!r}, {self.default!r}{f', items={self.items!r}' if self.items else ''})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Option) and (self.name, self.type, self.default, self.items) == (
            other.name, other.type, other.default, other.items)

    __hash__ = None  # type: ignore[assignment]

    @property
    def expected(self) -> str:
        """What a value must be, for messages."""
        if self.type == "array":
            assert self.items is not None
            item = SCALAR_TYPES[self.items][1]
            return "a list of " + ("strings" if self.items == "string" else f"values, each {item}")
        return SCALAR_TYPES[self.type][1]

    def problem(self, value: Any) -> str | None:
        """Why ``value`` is not a value of this option, or None when it is."""
        if self.type == "array":
            assert self.items is not None
            accepts = SCALAR_TYPES[self.items][0]
            ok = isinstance(value, list) and all(accepts(item) for item in value)
        else:
            ok = SCALAR_TYPES[self.type][0](value)
        return None if ok else f"must be {self.expected}"

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of the option's values."""
        if self.type == "array":
            assert self.items is not None
            return {"type": "array", "items": dict(SCALAR_TYPES[self.items][2])}
        return dict(SCALAR_TYPES[self.type][2])

    def describe(self) -> dict[str, Any]:
        """Type and default, as ``stslint explain`` shows them."""
        described: dict[str, Any] = {"type": self.type, "default": self.default}
        if self.items is not None:
            described["items"] = self.items
        return described
