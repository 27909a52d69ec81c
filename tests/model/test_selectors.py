"""Label selector semantics, as apimachinery evaluates them."""
from __future__ import annotations

import pytest

from stslint.model.selectors import requirement_matches, requirement_problem, unmatched_labels

LABELS = {"app": "db", "tier": "data"}


@pytest.mark.parametrize("expr, matches", [
    ({"key": "tier", "operator": "In", "values": ["data", "x"]}, True),
    ({"key": "tier", "operator": "In", "values": ["x"]}, False),
    ({"key": "zone", "operator": "In", "values": ["a"]}, False),
    ({"key": "tier", "operator": "NotIn", "values": ["data"]}, False),
    ({"key": "zone", "operator": "NotIn", "values": ["a"]}, True),  # an absent key is not in any set
    ({"key": "app", "operator": "Exists"}, True),
    ({"key": "zone", "operator": "Exists"}, False),
    ({"key": "zone", "operator": "DoesNotExist"}, True),
    ({"key": "app", "operator": "DoesNotExist"}, False),
])
def test_requirement_matches(expr, matches):
    assert requirement_problem(expr) is None
    assert requirement_matches(expr, LABELS) is matches


@pytest.mark.parametrize("expr, problem", [
    ("x", "is not a mapping"),
    ({"operator": "Exists"}, "has no key"),
    ({"key": "a", "operator": "Gt", "values": ["1"]}, "has operator 'Gt'"),
    ({"key": "a", "operator": "In"}, "uses In without values"),
    ({"key": "a", "operator": "NotIn", "values": []}, "uses NotIn without values"),
    ({"key": "a", "operator": "Exists", "values": ["x"]}, "uses Exists with values"),
])
def test_invalid_requirements(expr, problem):
    assert problem in requirement_problem(expr)


def test_equality_selector_is_a_subset_check():
    assert unmatched_labels({"app": "db"}, LABELS) == []
    assert unmatched_labels({"app": "db", "tier": "cache", "zone": "a"}, LABELS) == ["tier=cache", "zone=a"]
    assert unmatched_labels({}, {}) == []
