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
    assert report["summary"] == {"files": 2, "objects": 2, "statefulsets": 1, "errors": 1, "warnings": 1}
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
    assert report["summary"] == {"files": 1, "objects": 2, "statefulsets": 0, "errors": 0, "warnings": 0}
    assert report["exit_code"] == 0


def test_related_fix_and_warnings_fields(tmp_path):
    (tmp_path / "sts.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n"
        "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
        "    spec:\n      containers:\n      - name: db  # stslint: disable-line=NOPE999\n"
        "        readinessProbe: {exec: {command: [a]}}\n        livenessProbe: {exec: {command: [a]}, failureThreshold: 6}\n")
    (tmp_path / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
                                       "spec:\n  clusterIP: 10.1.1.1\n  selector: {app: db}\n")
    report = check_json(str(tmp_path / "sts.yaml"), str(tmp_path / "svc.yaml"))
    [finding] = report["findings"]
    assert finding["related"] == [{"file": str(tmp_path / "svc.yaml"), "line": 5, "column": 3, "end_line": 5,
                                   "end_column": 12, "message": 'Service "db" is not headless here'}]
    assert finding["fixable"] is True  # STS103's fix edits the Service in the other file
    assert finding["fix"] == {"title": 'Make Service "db" headless (clusterIP: None)', "applicability": "unsafe",
                              "edits": [{"file": str(tmp_path / "svc.yaml"), "start": 69, "end": 77,
                                         "replacement": "None"}]}
    assert report["warnings"] == [{"file": str(tmp_path / "sts.yaml"), "line": 11,
                                   "message": "unknown rule NOPE999 in disable-line=; ignored (`stslint rules` "
                                              "lists the codes and names)"}]


def test_a_fix_is_written_with_offsets_and_applicability():
    from stslint.engine import RunResult
    from stslint.findings import Edit, Finding, Fix
    from stslint.reporting.json_format import document

    fix = Fix("set clusterIP: None", "unsafe", (Edit("svc.yaml", 40, 48, "None"), Edit("b.yaml", 3, 3, "x")))
    finding = Finding("STS103", "m", "sts.yaml", (1, 1, 1, 2, 0, 1), fix=fix)
    [written] = document(RunResult([finding], 1, 1, file_keys=["sts.yaml", "svc.yaml", "b.yaml"]), "v")["findings"]
    assert written["fixable"] is True
    [elsewhere] = document(RunResult([finding], 1, 1, file_keys=["sts.yaml", "svc.yaml"]), "v")["findings"]
    assert elsewhere["fixable"] is False  # b.yaml is not a file of the run: fix would not apply it
    assert written["fix"] == {"title": "set clusterIP: None", "applicability": "unsafe",
                              "edits": [{"file": "svc.yaml", "start": 40, "end": 48, "replacement": "None"},
                                        {"file": "b.yaml", "start": 3, "end": 3, "replacement": "x"}]}
