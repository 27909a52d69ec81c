"""The engine: which documents are objects, input errors, counts and patch handling."""
from __future__ import annotations

import codecs

from stslint.engine import Settings, lint
from stslint.loading.discover import discover


def run(*paths) -> tuple[list[tuple[str, int, int]], int, int]:
    result = lint(discover([str(p) for p in paths]))
    return [(f.code, f.line, f.column) for f in result.findings], result.files, result.objects


def test_only_one_of_apiversion_and_kind_is_not_an_object(tmp_path):
    path = tmp_path / "half.yaml"
    path.write_text("metadata: {name: x}\nkind: Service\n")
    assert run(path) == ([("STS003", 2, 1)], 1, 0)


def test_list_and_scalar_documents_are_skipped_silently_named_or_walked(tmp_path):
    (tmp_path / "d").mkdir()
    listed = tmp_path / "d" / "ops.json"
    listed.write_text('[{"op": "add"}]')
    scalar = tmp_path / "d" / "s.yaml"
    scalar.write_text("just a string\n")
    number = tmp_path / "d" / "n.yaml"
    number.write_text("3\n---\n[]\n---\n- [a, b]\n- {apiVersion: v1}\n- {kind: Service}\n")
    assert run(listed) == ([], 1, 0)  # named: not a Kubernetes object, not stslint's business
    assert run(scalar) == ([], 1, 0)
    assert run(number) == ([], 1, 0)  # a half object inside a list does not make the list a manifest
    assert run(tmp_path / "d") == ([], 3, 0)  # found by walking: the same


def test_a_top_level_list_of_objects_is_one_error_named_or_walked(tmp_path):
    (tmp_path / "d").mkdir()
    path = tmp_path / "d" / "objects.yaml"
    path.write_text("# a Service and a ConfigMap\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n"
                    "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n")
    mixed = tmp_path / "d" / "mixed.json"
    mixed.write_text('[{"op": "add"}, 3, {"apiVersion": "v1", "kind": "ConfigMap"}]')
    assert run(path) == ([("STS003", 2, 1)], 1, 0)  # at the list, the document's root; its items are not judged
    assert run(mixed) == ([("STS003", 1, 1)], 1, 0)  # any item that is an object makes it a manifest
    assert run(tmp_path / "d") == ([("STS003", 1, 1), ("STS003", 2, 1)], 2, 0)
    result = lint(discover([str(path)]))
    assert result.findings[0].message == ("document 1 is a list holding Kubernetes objects (items[0] is the first), "
                                          "not an object; use `kind: List` or separate documents with `---`")
    assert "items[2]" in lint(discover([str(mixed)])).findings[0].message
    assert "JSON6902" not in result.findings[0].message


def test_a_list_of_objects_that_a_kustomization_lists_as_a_patch_is_silent(tmp_path):
    (tmp_path / "kustomization.yaml").write_text("resources: [svc.yaml]\npatches:\n- path: objects.yaml\n")
    (tmp_path / "objects.yaml").write_text("- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n")
    assert run(tmp_path / "objects.yaml") == ([("STS003", 1, 1)], 1, 0)
    assert run(tmp_path) == ([], 2, 0)
    assert run(tmp_path / "kustomization.yaml", tmp_path / "objects.yaml") == ([], 2, 0)


def test_non_objects_and_empty_documents_are_skipped_silently(tmp_path):
    files = {"values.yaml": "replicaCount: 3\n", "empty.yaml": "", "bom.yaml": codecs.BOM_UTF8.decode("utf-8"),
             "comments.yaml": "# nothing\n", "dashes.yaml": "---\n---\n~\n"}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert run(*sorted(tmp_path.iterdir())) == ([], 5, 0)


def test_unreadable_inputs_are_reported_and_the_run_goes_on(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\n"
                    "spec: {persistentVolumeReclaimPolicy: Delete}\n")
    binary = tmp_path / "blob.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    directory = tmp_path / "dir.yaml"
    directory.mkdir()
    findings, files, objects = run(binary, directory, tmp_path / "missing.yaml", good)
    assert findings == [("STS004", 1, 1), ("STS004", 1, 1), ("STS403", 4, 8), ("STS004", 1, 1)]
    assert (files, objects) == (4, 1)


def test_duplicate_key_is_reported_and_the_object_still_linted(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\n"
                    "spec:\n  persistentVolumeReclaimPolicy: Retain\n  persistentVolumeReclaimPolicy: Delete\n")
    assert run(path)[0] == [("STS002", 6, 3), ("STS403", 6, 3)]


def test_helm_template_is_one_input_error(tmp_path):
    path = tmp_path / "sts.yaml"
    path.write_text("apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n"
                    "      - name: web\n        image: {{.Image}}\n")
    assert run(path)[0] == [("STS001", 8, 17)]


def test_text_is_kept_for_files_whose_only_findings_come_from_the_index(tmp_path):
    sts = tmp_path / "sts.yaml"
    sts.write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: web}\nspec:\n  serviceName: web\n"
                   "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
                   "    spec:\n      containers:\n      - name: app\n        readinessProbe: {exec: {command: [a]}}\n"
                   "        livenessProbe: {exec: {command: [a]}, failureThreshold: 6}\n")
    result = lint(discover([str(sts)]))
    assert [(f.code, f.line) for f in result.findings] == [("STS102", 5)]
    assert {name: text.text for name, text in result.texts.items()} == {str(sts): sts.read_text()}


def test_list_items_that_are_not_objects(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n- kind: Service\n- 3\n- {a: 1}\n"
                    "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: ok}\n")
    assert run(path) == ([("STS003", 4, 3), ("STS003", 5, 3), ("STS003", 6, 3), ("STS003", 7, 3)], 1, 1)


def test_a_list_without_items_holds_no_object(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("apiVersion: v1\nkind: List\nitems:\n")
    assert run(path) == ([], 1, 0)


def test_texts_are_kept_only_when_asked(tmp_path):
    from stslint.engine import Settings

    path = tmp_path / "broken.yaml"
    path.write_text("a: [\n")
    assert {name: text.text for name, text in lint(discover([str(path)])).texts.items()} == {str(path): "a: [\n"}
    assert lint(discover([str(path)]), Settings(keep_texts=False)).texts == {}


STS = """apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        readinessProbe: {exec: {command: [a]}}
        livenessProbe: {exec: {command: [a]}, failureThreshold: 6}
"""
WRONG_CLUSTER_IP = "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  clusterIP: [None]\n  selector: {app: db}\n"


def findings_of(tmp_path, text: str, select: list[str], rules=None) -> list[tuple[str, int, int]]:
    from stslint.selection import resolve

    path = tmp_path / "m.yaml"
    path.write_text(text)
    kwargs = {"rules": rules} if rules is not None else {}
    result = lint(discover([str(path)]), Settings(selected=resolve(select, **kwargs), **kwargs))
    return [(f.code, f.line, f.column) for f in result.findings]


def test_sts006_for_an_entry_value_comes_once_from_the_rules_that_read_it(tmp_path):
    text = STS + "---\n" + WRONG_CLUSTER_IP
    # STS103 reads clusterIP: the wrong type is reported once, as STS006, and STS103 stays quiet
    assert findings_of(tmp_path, text, ["STS103", "STS006"]) == [("STS006", 19, 14)]
    assert findings_of(tmp_path, text, ["STS103", "STS104", "STS102", "STS006"]) == [("STS006", 19, 14)]
    # STS102 and STS104 do not read clusterIP: nothing to say about it
    assert findings_of(tmp_path, text, ["STS102", "STS104", "STS006"]) == []


def test_a_wrong_typed_field_no_rule_reads_is_not_reported(tmp_path):
    unreferenced = WRONG_CLUSTER_IP.replace("name: db", "name: other")
    assert findings_of(tmp_path, STS + "---\n" + unreferenced, ["STS103", "STS006"]) == []


def test_did_you_mean_candidates_are_looked_at_not_judged(tmp_path):
    candidate = WRONG_CLUSTER_IP.replace("name: db", "name: db-svc")
    found = findings_of(tmp_path, STS.replace("serviceName: db", "serviceName: db-sv") + "---\n" + candidate,
                        ["STS102", "STS006"])
    assert found == [("STS102", 5, 3)]


def test_any_index_rule_reading_an_entry_value_reports_its_type_problems(tmp_path):
    from stslint.rules import BUILTIN, define_index_rule

    def reads_budget(index, options):
        for pdb in index.subjects("PodDisruptionBudget"):
            if pdb.readable("budget") and pdb.min_available is None:
                yield pdb.finding("TST001", "no minAvailable", pdb.kind_span)

    def reads_selector(index, options):
        for pdb in index.subjects("PodDisruptionBudget"):
            if pdb.selector is None:
                yield pdb.finding("TST002", "selects nothing", pdb.kind_span)

    rules = BUILTIN.with_rules([define_index_rule("TST001", "budget", "warning", reads_budget,
                                                  judges="PodDisruptionBudget"),
                                define_index_rule("TST002", "selector", "warning", reads_selector,
                                                  judges="PodDisruptionBudget")])
    pdb = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n"
           "spec:\n  minAvailable: [1]\n  selector: {matchLabels: {app: 3}}\n")
    assert findings_of(tmp_path, pdb, ["TST001", "STS006"], rules) == [("STS006", 5, 17)]
    assert findings_of(tmp_path, pdb, ["TST002", "STS006"], rules) == [("TST002", 2, 1), ("STS006", 6, 33)]
    assert findings_of(tmp_path, pdb, ["TST001", "TST002"], rules) == [("TST002", 2, 1)]  # STS006 not selected


def test_a_kustomization_cannot_silence_a_file_outside_its_root(tmp_path):
    import json as _json

    from tests.conftest import check_json

    (tmp_path / "app").mkdir()
    (tmp_path / "victim.yaml").write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\n"
                                          "spec: {persistentVolumeReclaimPolicy: Delete}\n")
    (tmp_path / "app" / "kustomization.yaml").write_text(
        f"patchesStrategicMerge:\n  - ../victim.yaml\n  - {tmp_path / 'victim.yaml'}\n")
    report = check_json(str(tmp_path), extra=("--render", "never"))
    assert [(f["code"], f["line"]) for f in report["findings"]] == [("STS403", 4)]
    rendering = check_json(str(tmp_path))  # a build refuses the overlay (as kustomize does) and silences nothing
    assert ("STS403", 4) in [(f["code"], f["line"]) for f in rendering["findings"]]
    kustomization = str(tmp_path / "app" / "kustomization.yaml")
    assert [(w["file"], w["line"]) for w in report["warnings"]] == [(kustomization, 2), (kustomization, 3)]
    context = check_json(str(tmp_path / "victim.yaml"), extra=("--context", str(tmp_path / "app"), "--no-cache"))
    assert [f["code"] for f in context["findings"]] == ["STS403"]
    assert [w["line"] for w in context["warnings"]] == [2, 3]
    _json.dumps(report)


def test_a_list_inside_a_list_is_flattened_as_kubectl_does(tmp_path):
    path = tmp_path / "lists.yaml"
    path.write_text("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items:\n"
                    "  - apiVersion: v1\n    kind: PersistentVolume\n    metadata: {name: p}\n"
                    "    spec: {persistentVolumeReclaimPolicy: Delete}\n  - 7\n")
    assert run(path) == ([("STS403", 10, 12), ("STS003", 11, 5)], 1, 1)


def test_a_plain_merge_marker_as_a_value_is_text(tmp_path):
    from stslint.loading.yamlload import load_text

    assert load_text("name: <<\nx: [<<]\n").documents[0].root == {"name": "<<", "x": ["<<"]}
    path = tmp_path / "odd.yaml"
    path.write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: <<}\nspec:\n  serviceName: <<\n"
                    "  selector: {matchLabels: {app: <<}}\n  template:\n    metadata: {labels: {app: <<}}\n"
                    "    spec: {containers: [{name: <<, image: x, readinessProbe: {exec: {command: [a]}},"
                    " livenessProbe: {exec: {command: [a]}, failureThreshold: 6}}]}\n")
    findings = lint(discover([str(path)])).findings
    assert [(f.code, f.message.split(":")[0]) for f in findings] == [("STS102", 'StatefulSet "<<"')]


def test_an_unnamed_claim_template_is_shown_as_unnamed(tmp_path):
    path = tmp_path / "claim.yaml"
    path.write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: ''\n"
                    "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
                    "    spec: {containers: [{name: c, image: x, readinessProbe: {exec: {command: [a]}},"
                    " livenessProbe: {exec: {command: [a]}, failureThreshold: 6}}]}\n  volumeClaimTemplates:\n  - spec: {}\n")
    [message] = [f.message for f in lint(discover([str(path)])).findings if f.code == "STS404"]
    assert 'volumeClaimTemplate "(unnamed)"' in message and '"None"' not in message


def test_flow_nesting_past_libyaml_s_own_limit_gets_our_message(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 1200 + "]" * 1200 + "\n")
    report = lint(discover([str(path)]))
    assert [(f.code, f.message) for f in report.findings] == [("STS001", "nesting deeper than 500 levels")]
