"""Wrong types in the Kubernetes fields the rules read: one STS006 invalid-field-type per bad field,
at its value, however many rules read it; the rules that need the field stay quiet; a null value is
an omitted field. Run through the CLI."""
from __future__ import annotations

import pytest

from tests.conftest import check_json

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  annotations: {annotations}
spec:
  replicas: {replicas}
  serviceName: {service_name}
  selector: {selector}
  template:
    metadata:
      labels: {labels}
    spec:
      containers: {containers}
      volumes: {volumes}
  volumeClaimTemplates: {claims}
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: {cluster_ip}
  selector: {service_selector}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: slow
reclaimPolicy: {reclaim}
"""
CONTAINER = ("[{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}], "
             "readinessProbe: {tcpSocket: {port: pg}}, livenessProbe: {tcpSocket: {port: pg}, failureThreshold: 6}, "
             "volumeMounts: [{name: data, mountPath: /data}, {name: conf, mountPath: /etc/pg}]}]")
FIELDS = dict(annotations="{a: b}", replicas="1", service_name="db", selector="{matchLabels: {app: db}}",
              labels="{app: db}", containers=CONTAINER, volumes="[{name: conf, emptyDir: {}}]",
              claims="[{metadata: {name: data}, spec: {storageClassName: slow}}]", cluster_ip="None",
              service_selector="{app: db}", reclaim="Retain")


def lint(tmp_path, select: str = "ALL", **fields: str) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of the findings for the manifest with ``fields`` replaced."""
    (tmp_path / "sts.yaml").write_text(STS.format(**{**FIELDS, **fields}))
    report = check_json(str(tmp_path / "sts.yaml"), extra=("--isolated", "--select", select))
    return [(f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]]


def test_the_manifest_is_clean_as_written(tmp_path):
    assert lint(tmp_path) == []


def where(tmp_path, line: int, needle: str) -> tuple[int, int]:
    """Line ``line`` and the column where ``needle`` starts on it in the linted manifest."""
    text = (tmp_path / "sts.yaml").read_text().splitlines()[line - 1]
    assert needle in text, (needle, text)
    return line, text.index(needle) + 1


@pytest.mark.parametrize("field, value, line, needle, message", [
    ("containers", "{name: pg, image: postgres}", 14, "{name",
     "spec.template.spec.containers must be a list, not mapping"),
    ("labels", "[app, db]", 12, "[app", "spec.template.metadata.labels must be a mapping of strings, not list"),
    ("labels", "{app: true}", 12, "true", "spec.template.metadata.labels.app must be a string (quote it), not boolean True"),
    ("labels", "{app: 5}", 12, "5}", "spec.template.metadata.labels.app must be a string (quote it), not integer 5"),
    ("selector", '"app=db"', 9, '"app', 'spec.selector must be a mapping, not string "app=db"'),
    ("selector", "{matchLabels: {app: on}}", 9, "on}",
     "spec.selector.matchLabels.app must be a string (quote it), not boolean True"),
    ("selector", "{matchExpressions: [{key: app, operator: In, values: [1]}]}", 9, "1]",
     "spec.selector.matchExpressions[0].values[0] must be a string (quote it), not integer 1"),
    ("selector", "{matchExpressions: [{key: [app], operator: In, values: [db]}]}", 9, "[app]",
     "spec.selector.matchExpressions[0].key must be a string, not list"),
    ("containers", CONTAINER.replace("ports: [{name: pg, containerPort: 5432}]", 'ports: "5432"'), 14, '"5432"',
     'spec.template.spec.containers[0].ports must be a list, not string "5432"'),
    ("containers", CONTAINER.replace("ports: [{name: pg,", "ports: [{name: 5432,"), 14, "5432,",
     "spec.template.spec.containers[0].ports[0].name must be a string, not integer 5432"),
    ("containers", CONTAINER.replace("{name: pg, image", "{name: 42, image"), 14, "42,",
     "spec.template.spec.containers[0].name must be a string, not integer 42"),
    ("containers", "[pg]", 14, "pg]", 'spec.template.spec.containers[0] must be a mapping, not string "pg"'),
    ("containers", CONTAINER.replace("volumeMounts: [{name: data", "volumeMounts: [{name: 7"), 14, "7,",
     "spec.template.spec.containers[0].volumeMounts[0].name must be a string, not integer 7"),
    ("containers", CONTAINER.replace("volumeMounts: [{name: data, mountPath: /data}, {name: conf, mountPath: /etc/pg}]",
                                     "volumeMounts: {name: data}"), 14, "{name: data}",
     "spec.template.spec.containers[0].volumeMounts must be a list, not mapping"),
    ("volumes", "[{name: 1, emptyDir: {}}]", 15, "1,", "spec.template.spec.volumes[0].name must be a string, not integer 1"),
    ("volumes", '"conf"', 15, '"conf"', 'spec.template.spec.volumes must be a list, not string "conf"'),
    ("claims", "[{metadata: {name: 9}, spec: {storageClassName: slow}}]", 16, "9}",
     "spec.volumeClaimTemplates[0].metadata.name must be a string, not integer 9"),
    ("claims", "[{metadata: {name: data}, spec: {storageClassName: 5}}]", 16, "5}",
     "spec.volumeClaimTemplates[0].spec.storageClassName must be a string, not integer 5"),
    ("claims", "[{metadata: {name: data, annotations: [x]}, spec: {storageClassName: slow}}]", 16, "[x]",
     "spec.volumeClaimTemplates[0].metadata.annotations must be a mapping of strings, not list"),
    ("service_name", "[db]", 8, "[db]", "spec.serviceName must be a string, not list"),
    ("service_name", "yes", 8, "yes", "spec.serviceName must be a string, not boolean True"),
])
def test_one_report_at_the_value_and_the_rules_needing_it_quiet(tmp_path, field, value, line, needle, message):
    found = lint(tmp_path, **{field: value})
    assert found == [("STS006", *where(tmp_path, line, needle), f'StatefulSet "db": {message}')]


@pytest.mark.parametrize("fields, line, column, message", [
    (dict(cluster_ip="[None]"), 23, 14, 'Service "db": spec.clusterIP must be a string, not list'),
    (dict(service_selector="app=db"), 24, 13, 'Service "db": spec.selector must be a mapping of strings, not string "app=db"'),
    (dict(service_selector="{app: [db]}"), 24, 19, 'Service "db": spec.selector.app must be a string (quote it), not list'),
    (dict(reclaim="{policy: Delete}"), 30, 16, 'StorageClass "slow": reclaimPolicy must be a string, not mapping'),
])
def test_cross_object_rules_report_the_fields_they_read_and_stay_quiet(tmp_path, fields, line, column, message):
    assert lint(tmp_path, **fields) == [("STS006", line, column, message)]


def test_a_field_read_by_many_rules_is_reported_once_whichever_of_them_run(tmp_path):
    # the containers are read by STS301, STS302, STS303, STS405 and STS406
    for select in ("ALL", "STS006,STS301", "STS006,STS406", "STS006,STS3,STS4"):
        assert [code for code, *_ in lint(tmp_path, select, containers="{name: pg}")] == ["STS006"], select
    # the template labels are read by STS202 and STS104; the serviceName by STS101 to STS104
    for select in ("ALL", "STS006,STS202", "STS006,STS104"):
        assert [code for code, *_ in lint(tmp_path, select, labels="[db]")] == ["STS006"], select
    for select in ("ALL", "STS006,STS101", "STS006,STS102", "STS006,STS103,STS104"):
        assert [code for code, *_ in lint(tmp_path, select, service_name="42")] == ["STS006"], select


def test_a_field_no_selected_rule_reads_is_not_reported(tmp_path):
    assert lint(tmp_path, "STS006", containers="{name: pg}") == []
    assert lint(tmp_path, "STS006,STS501", labels="[db]") == []  # STS501 reads the apiVersion only


def test_with_sts006_ignored_the_rules_still_stay_quiet(tmp_path):
    (tmp_path / "sts.yaml").write_text(STS.format(**{**FIELDS, "containers": "{name: pg}", "labels": "[db]"}))
    report = check_json(str(tmp_path / "sts.yaml"), extra=("--isolated", "--ignore", "STS006"))
    assert (report["findings"], report["exit_code"]) == ([], 0)


def test_wrong_typed_replicas_is_one_report_and_the_rules_reading_it_stay_quiet(tmp_path):
    # spec.replicas is read by STS601, STS602 (through the index) and STS605 (the object)
    for select in ("ALL", "STS006,STS601", "STS006,STS605"):
        assert lint(tmp_path, select, replicas='"three"') == [
            ("STS006", 7, 13, 'StatefulSet "db": spec.replicas must be an integer, not string "three"')], select
    assert [code for code, *_ in lint(tmp_path, replicas="[3]")] == ["STS006"]
    assert lint(tmp_path, "STS601,STS605", replicas='"three"') == []  # STS006 not selected: nothing
    # an integral float is the integer the API server receives: 3 replicas, no budget, not spread
    assert [code for code, *_ in lint(tmp_path, replicas="3.0")] == ["STS601", "STS605"]


@pytest.mark.parametrize("field, value", [
    ("annotations", ""), ("annotations", "~"), ("annotations", "null"), ("labels", ""), ("volumes", ""),
    ("claims", ""), ("containers", CONTAINER.replace("ports: [{name: pg, containerPort: 5432}]", "ports: null")
                     .replace("readinessProbe: {tcpSocket: {port: pg}}", "readinessProbe: {tcpSocket: {port: 5432}}")
                     .replace("livenessProbe: {tcpSocket: {port: pg}, failureThreshold: 6}", "livenessProbe: {tcpSocket: {port: 5432}, failureThreshold: 6}")),
    ("claims", "[{metadata: {name: data, annotations: }, spec: {storageClassName: slow}}]"),
    ("service_selector", "{app: db}\n  type:"),
    ("reclaim", "Retain\nparameters:"),
])
def test_a_null_value_is_an_omitted_field_not_a_type_error(tmp_path, field, value):
    codes = [code for code, *_ in lint(tmp_path, **{field: value})]
    assert "STS006" not in codes
    if field == "labels":
        assert codes == ["STS202", "STS104"] or sorted(codes) == ["STS104", "STS202"]  # no labels: nothing selected


def test_a_null_selector_is_a_missing_selector(tmp_path):
    assert [code for code, *_ in lint(tmp_path, selector="")] == ["STS201"]


def test_wrong_types_in_the_identity_of_objects(tmp_path):
    text = STS.format(**FIELDS).replace("  name: db\n  annotations", "  name: 1234\n  namespace: [x]\n  annotations")
    (tmp_path / "sts.yaml").write_text(text.replace("serviceName: db", "serviceName: '1234'"))
    report = check_json(str(tmp_path / "sts.yaml"), extra=("--isolated",))
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]] == [
        ("STS006", 4, 9, 'StatefulSet "1234": metadata.name must be a string, not integer 1234'),
        ("STS006", 5, 14, 'StatefulSet "1234": metadata.namespace must be a string, not list'),
        ("STS102", 9, 3, 'StatefulSet "1234": no Service "1234" in its namespace, so no per-pod DNS names; '
                         'did you mean "db"?; if it is defined in another '
                         'file, pass that file or use --context/--context-git'),
    ]


def test_metadata_that_is_not_a_mapping(tmp_path):
    (tmp_path / "pv.yaml").write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: [pv]\n"
                                      "spec: {persistentVolumeReclaimPolicy: Delete}\n")
    report = check_json(str(tmp_path / "pv.yaml"), extra=("--isolated",))
    assert [(f["code"], f["line"], f["column"]) for f in report["findings"]] == [("STS006", 3, 11), ("STS403", 4, 8)]
