"""STS201-STS202: the StatefulSet selector against its pod template labels."""
from __future__ import annotations

from tests.rules.helpers import codes, run, service, sts


def test_missing_selector_points_at_kind_and_empty_at_selector(tmp_path):
    assert run(tmp_path, sts(selector=""), service()) == [("STS201", "main.yaml", 2)]
    assert run(tmp_path, sts(selector="selector: {}"), service()) == [("STS201", "main.yaml", 7)]
    assert run(tmp_path, sts(selector="selector:\n    matchLabels: {}"), service()) == [("STS201", "main.yaml", 7)]


def test_v1beta1_without_selector_fires_both_rules(tmp_path):
    assert codes(tmp_path, sts(selector="", api="apps/v1beta1"), service()) == ["STS501", "STS201"]  # sorted by line: apiVersion, then kind


def test_match_labels_and_expressions(tmp_path):
    def check(selector: str, labels: str = "app: web\ntier: db") -> list[str]:
        return codes(tmp_path, sts(selector=selector, labels=labels), service())

    assert check("selector:\n    matchLabels: {app: other}") == ["STS202"]
    assert check("selector:\n    matchExpressions: [{key: tier, operator: In, values: [db, cache]}]") == []
    assert check("selector:\n    matchExpressions: [{key: tier, operator: NotIn, values: [db]}]") == ["STS202"]
    assert check("selector:\n    matchExpressions: [{key: zone, operator: NotIn, values: [a]}]") == []
    assert check("selector:\n    matchExpressions: [{key: tier, operator: Exists}]") == []
    assert check("selector:\n    matchExpressions: [{key: tier, operator: DoesNotExist}]") == ["STS202"]
    assert check("selector:\n    matchExpressions: [{key: tier, operator: Gt, values: ['1']}]") == ["STS202"]
    assert check("selector:\n    matchExpressions: [{key: tier, operator: In}]") == ["STS202"]
    assert check("selector:\n    matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: In, "
                 "values: [x]}]") == ["STS202"]
