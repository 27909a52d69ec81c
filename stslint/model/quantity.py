"""Kubernetes resource quantities (``2Ti``, ``500M``, ``1.5``, ``100m``, ``1e3``), as apimachinery
parses them: a signed decimal number and an optional suffix — binary SI (Ki, Mi, Gi, Ti, Pi, Ei),
decimal SI (n, u, m, k, M, G, T, P, E) or a decimal exponent (e3, E-2)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_QUANTITY = re.compile(r"([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?\Z")
_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
MAX_LENGTH = 100
"""Longer texts are not quantities (and would be slow to parse)."""


def parse_quantity(value: object) -> Decimal | None:
    """The number a quantity stands for, or None when ``value`` is not a quantity (an integer or a
    float is one; a boolean is not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            return Decimal(str(value)) if value == value and abs(value) != float("inf") else None
        except InvalidOperation:
            return None
    if not isinstance(value, str) or len(value) > MAX_LENGTH:
        return None
    match = _QUANTITY.match(value.strip())
    if match is None:
        return None
    number, suffix = Decimal(match.group(1)), match.group(2) or ""
    if suffix in _BINARY:
        return number * (1024 ** _BINARY[suffix])
    if suffix in _DECIMAL:
        return number.scaleb(_DECIMAL[suffix])
    if suffix:
        exponent = int(suffix[1:])
        if abs(exponent) > 100:
            return None
        return number.scaleb(exponent)
    return number
