"""The JSON report contract: fields, types, nulls, counts and order."""
from __future__ import annotations

from stslint import __version__
from tests.conftest import FIXTURES, check_json

FIELDS = ["code", "name", "severity", "message", "file", "line", "column", "end_line", "end_column", "kind",
          "namespace", "object", "container", "fixable", "related", "fix"]


def test_report_shape_and_summary(tmp_path):
    bad = FIXTURES / "STS301-readiness-probe-missing" / "bad.yaml"
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [\n")
    report = check_json(str(bad), str(broken))
    assert set(report) == {"version", "findings", "summary", "warnings", "exit_code"}
    assert report["version"] == __version__
    assert report["exit_code"] == 1
    assert report["summary"] == {"files": 2, "objects": 2, "errors": 1, "warnings": 1}
    for finding in report["findings"]:
        assert list(finding) == FIELDS
    by_code = {f["code"]: f for f in report["findings"]}
    probe, error = by_code["STS301"], by_code["STS001"]
    assert probe["code"] == "STS301" and probe["name"] == "readiness-probe-missing"
    assert probe["severity"] == "warning"
    assert probe["kind"] == "StatefulSet" and probe["object"] == "StatefulSet/pg"
    assert probe["container"] is not None and probe["namespace"] is None and probe["fixable"] is False
    assert probe["end_line"] >= probe["line"] and isinstance(probe["end_column"], int)
    assert error["code"] == "STS001" and error["file"] == str(broken)
    assert (error["kind"], error["namespace"], error["object"], error["container"]) == (None, None, None, None)


def test_namespace_is_the_effective_one(tmp_path):
    bad = FIXTURES / "STS301-readiness-probe-missing" / "bad.yaml"
    report = check_json(str(bad), extra=("--namespace", "apps"))
    assert {f["namespace"] for f in report["findings"]} == {"apps"}


def test_cluster_scoped_objects_have_no_namespace():
    report = check_json(str(FIXTURES / "STS403-pv-reclaim-delete" / "bad.yaml"), extra=("-n", "x"))
    assert [(f["code"], f["kind"], f["namespace"]) for f in report["findings"]] == [
        ("STS403", "PersistentVolume", None)]


def test_findings_sorted_by_file_line_column_code(tmp_path):
    report = check_json(str(FIXTURES / "STS406-claim-template-unused"), str(FIXTURES / "STS302-liveness-probe-missing"))
    keys = [(f["file"], f["line"], f["column"], f["code"]) for f in report["findings"]]
    assert keys == sorted(keys) and len(keys) >= 2


def test_objects_count_list_items_not_the_list(tmp_path):
    manifest = tmp_path / "list.yaml"
    manifest.write_text("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                        "  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n"
                        "---\nfoo: bar\n")
    report = check_json(str(manifest))
    assert report["summary"] == {"files": 1, "objects": 2, "errors": 0, "warnings": 0}
    assert report["exit_code"] == 0
