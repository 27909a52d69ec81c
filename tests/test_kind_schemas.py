"""schemas/kinds/: JSON Schemas of the Kubernetes kinds stslint reads, limited to the fields it reads.

The schemas must be valid draft 2020-12 schemas, accept every object of their kind in the good
fixtures, the example app and the shared corpus, and agree with stslint's own type checks: on a set
of manifests with one wrong-typed field each, a schema rejects an object exactly where stslint reports
STS006 invalid-field-type (same object, same field path), and both accept the manifests once fixed.

Objects are handed to a schema in the form the API server receives them: loaded with YAML 1.1 rules
(timestamps stay strings, as in stslint's loader and in go-yaml v2 for untyped values), then with
mapping keys turned into strings the way sigs.k8s.io/yaml does it for kubectl (JSON has only string
keys)."""
from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Iterator

import jsonschema
import pytest
import yaml

from tests.conftest import FIXTURES, ROOT, check_json

SCHEMAS = ROOT / "schemas" / "kinds"
KINDS = {
    "StatefulSet": "statefulset.schema.json",
    "Service": "service.schema.json",
    "StorageClass": "storageclass.schema.json",
    "PersistentVolume": "persistentvolume.schema.json",
    "PersistentVolumeClaim": "persistentvolumeclaim.schema.json",
    "PodDisruptionBudget": "poddisruptionbudget.schema.json",
}


def _api_matches(kind: str, api: Any) -> bool:
    """Whether stslint reads an object of ``kind`` with apiVersion ``api`` as that kind (as
    stslint.model.resources.view_for decides; other APIs of the same kind name are not read)."""
    if not isinstance(api, str):
        return False
    if kind == "StatefulSet":
        return api.startswith("apps/")
    if kind == "StorageClass":
        return api.startswith("storage.k8s.io/")
    if kind == "PodDisruptionBudget":
        return api.startswith("policy/")
    return api == "v1"


# -- loading -------------------------------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with timestamps kept as strings."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _json_key(key: Any) -> str:
    """A YAML key as sigs.k8s.io/yaml turns it into a JSON key."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return format(key, "g")
    return str(key)


def as_json(value: Any) -> Any:
    """The loaded YAML value as the JSON the API server receives (string keys everywhere)."""
    if isinstance(value, dict):
        return {_json_key(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def load_documents(text: str) -> list[Any]:
    """The documents of a YAML text, in JSON form."""
    return [as_json(doc) for doc in yaml.load_all(text, Loader=_Loader)]


def kind_of(obj: Any) -> str | None:
    """The kind of an object that one of the schemas describes, or None."""
    if not isinstance(obj, dict):
        return None
    kind = obj.get("kind")
    if isinstance(kind, str) and kind in KINDS and _api_matches(kind, obj.get("apiVersion")):
        return kind
    return None


# -- validating ----------------------------------------------------------------------------------------

@cache
def schema(kind: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / KINDS[kind]).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(kind))


def field_path(parts: Any) -> str:
    """A jsonschema instance path written as stslint writes field paths: spec.containers[0].name."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def ref(obj: dict[str, Any]) -> str:
    """``Kind/name`` as stslint names the object (a wrong-typed scalar name as written)."""
    meta = obj.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if not isinstance(name, str):
        name = "" if name is None or isinstance(name, (dict, list)) else str(name)
    return f"{obj['kind']}/{name}"


def schema_errors(obj: dict[str, Any]) -> set[tuple[str, str]]:
    """(object, field path) of every place the object's schema rejects."""
    kind = kind_of(obj)
    assert kind is not None
    return {(ref(obj), field_path(e.absolute_path)) for e in validator(kind).iter_errors(obj)}


def schema_verdicts(text: str) -> set[tuple[str, str]]:
    """(object, field path) of every rejection, over the objects of a manifest the schemas describe."""
    found: set[tuple[str, str]] = set()
    for doc in load_documents(text):
        if kind_of(doc):
            found |= schema_errors(doc)
    return found


_STS006 = re.compile(r'\w+ ".*?": (?P<path>\S+) must be ')


def stslint_verdicts(path: Path) -> set[tuple[str, str]]:
    """(object, field path) of every STS006 stslint reports, all rules selected."""
    report = check_json(str(path), extra=("--isolated", "--select", "ALL"))
    found = set()
    for finding in report["findings"]:
        if finding["code"] == "STS006":
            match = _STS006.match(finding["message"])
            assert match, finding["message"]
            found.add((finding["object"], match["path"]))
    return found


# -- (a) valid schemas ---------------------------------------------------------------------------------

def test_one_schema_per_kind_and_nothing_else():
    assert sorted(p.name for p in SCHEMAS.glob("*.json")) == sorted(KINDS.values())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_schema_is_a_valid_draft_2020_12_schema(kind):
    document = schema(kind)
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"].endswith("/kinds/" + KINDS[kind])
    assert document["properties"]["kind"]["const"] == kind


def test_the_wheel_ships_the_schemas_as_package_data():
    """pyproject.toml maps schemas/ to stslint._data.schemas; its package-data globs must reach kinds/
    (tests/test_packaging.py builds a real wheel)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert config["package-dir"]["stslint._data.schemas"] == "schemas"
    patterns = config["package-data"]["stslint._data.schemas"]

    def matches(path: str, pattern: str) -> bool:  # setuptools globs: "*" stops at "/"
        parts, wanted = path.split("/"), pattern.split("/")
        return len(parts) == len(wanted) and all(map(fnmatch.fnmatchcase, parts, wanted))

    for name in KINDS.values():
        assert any(matches(f"kinds/{name}", pattern) for pattern in patterns), name


def _descriptions(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        if "properties" in node:
            for key, sub in node["properties"].items():
                yield f"{path}.{key}", sub
        for key, sub in node.items():
            if key != "if":  # a condition, not a field
                yield from _descriptions(sub, f"{path}.{key}")
    elif isinstance(node, list):
        for index, sub in enumerate(node):
            yield from _descriptions(sub, f"{path}[{index}]")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_field_is_described_and_other_fields_are_allowed(kind):
    document = schema(kind)
    for where, sub in _descriptions(document):
        assert isinstance(sub, dict) and sub.get("description"), f"{kind}: {where} has no description"
    assert '"additionalProperties": false' not in json.dumps(document)


# -- (b) real manifests validate -----------------------------------------------------------------------

def _objects(files: list[Path]) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(file, document index, object) of every object the schemas describe; files that do not load
    (invalid YAML, templates) are skipped."""
    for file in files:
        try:
            documents = load_documents(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError, ValueError):
            continue
        for index, doc in enumerate(documents):
            if kind_of(doc):
                yield str(file), index, doc


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*/good.yaml")) + sorted((FIXTURES / "example-app").rglob("*.yaml"))


def _assert_all_valid(objects: list[tuple[str, int, dict[str, Any]]]) -> None:
    failures = [f"{file} document {index}: {ref(obj)} {path or '(root)'}"
                for file, index, obj in objects for _, path in sorted(schema_errors(obj))]
    assert not failures, "\n".join(failures)


def test_every_object_of_the_good_fixtures_and_the_example_app_validates():
    objects = list(_objects(_fixture_files()))
    _assert_all_valid(objects)
    assert {"StatefulSet", "Service", "StorageClass", "PersistentVolume", "PodDisruptionBudget"} <= \
        {obj["kind"] for _, _, obj in objects}


def test_a_bad_fixture_is_rejected_exactly_when_it_expects_sts006():
    for file in sorted(FIXTURES.glob("*/bad.yaml")):
        text = file.read_text(encoding="utf-8")
        expects_sts006 = re.search(r"^# expect: STS006 ", text, re.MULTILINE) is not None
        rejected = [error for _, _, obj in _objects([file]) for error in schema_errors(obj)]
        assert bool(rejected) == expects_sts006, (file, rejected)


def test_every_object_of_the_shared_corpus_validates(corpus: Path):
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    objects = list(_objects(files))
    _assert_all_valid(objects)
    assert set(KINDS) == {obj["kind"] for _, _, obj in objects}


# -- (c) agreement with STS006 -------------------------------------------------------------------------

MANIFEST = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: {sts_name}
  namespace: {namespace}
spec:
  serviceName: {service_name}
  selector: {selector}
  template:
    metadata:
      labels: {labels}
    spec:
      initContainers: {init_containers}
      containers: {containers}
      volumes: {volumes}
  volumeClaimTemplates: {claims}
  persistentVolumeClaimRetentionPolicy: {retention}
---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: {service_type}
  clusterIP: {cluster_ip}
  clusterIPs: {cluster_ips}
  selector: {service_selector}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: slow
reclaimPolicy: {reclaim}
---
apiVersion: v1
kind: PersistentVolume
metadata: {pv_metadata}
spec: {pv_spec}
"""
INIT = "[{name: init, image: busybox, volumeMounts: [{name: data, mountPath: /data}]}, {init_sidecar}]"
SIDECAR = ("{name: proxy, image: envoy, restartPolicy: Always, ports: [{name: admin, containerPort: 9901}], "
           "readinessProbe: {httpGet: {path: /ready, port: admin}}}")
CONTAINER = ("[{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}], "
             "readinessProbe: {tcpSocket: {port: pg}}, livenessProbe: {httpGet: {path: /, port: 8080}}, "
             "startupProbe: {tcpSocket: {port: pg}}, "
             "volumeMounts: [{name: data, mountPath: /data}, {name: conf, mountPath: /etc/pg}]}]")
CLAIMS = "[{metadata: {name: data, annotations: {team: db}}, spec: {storageClassName: slow}}]"
FIELDS = dict(sts_name="db", namespace="prod", service_name="db", selector="{matchLabels: {app: db}}",
              labels="{app: db}", init_containers=INIT.replace("{init_sidecar}", SIDECAR),
              containers=CONTAINER, volumes="[{name: conf, emptyDir: {}}]", claims=CLAIMS,
              retention="{whenDeleted: Retain, whenScaled: Retain}", service_type="ClusterIP",
              cluster_ip="None", cluster_ips="[None]", service_selector="{app: db}", reclaim="Retain",
              pv_metadata="{name: pv}", pv_spec="{persistentVolumeReclaimPolicy: Retain}")


def manifest(**fields: str) -> str:
    return MANIFEST.format(**{**FIELDS, **fields})


def container(old: str, new: str) -> str:
    assert old in CONTAINER
    return CONTAINER.replace(old, new)


def sidecar(old: str, new: str) -> str:
    assert old in SIDECAR
    return INIT.replace("{init_sidecar}", SIDECAR.replace(old, new))


STS = "StatefulSet/db"
POD = "spec.template.spec"
C0 = f"{POD}.containers[0]"

# (case id, the field replaced, wrong-typed value, the fixed value, the (object, path) both must report)
WRONG: list[Any] = [
    # the STS006 cases of tests/hostile/test_field_types.py
    ("containers-mapping", "containers", "{name: pg, image: postgres}", None, [(STS, f"{POD}.containers")]),
    ("labels-list", "labels", "[app, db]", None, [(STS, "spec.template.metadata.labels")]),
    ("label-true", "labels", "{app: true}", '{app: "true"}', [(STS, "spec.template.metadata.labels.app")]),
    ("label-int", "labels", "{app: 5}", '{app: "5"}', [(STS, "spec.template.metadata.labels.app")]),
    ("label-float", "labels", "{app: db, version: 1.0}", '{app: db, version: "1.0"}',
     [(STS, "spec.template.metadata.labels.version")]),
    ("selector-string", "selector", '"app=db"', None, [(STS, "spec.selector")]),
    ("matchlabels-on", "selector", "{matchLabels: {app: on}}", '{matchLabels: {app: "on"}}',
     [(STS, "spec.selector.matchLabels.app")]),
    ("expression-value-int", "selector", "{matchExpressions: [{key: app, operator: In, values: [1]}]}",
     "{matchExpressions: [{key: app, operator: In, values: ['1']}]}",
     [(STS, "spec.selector.matchExpressions[0].values[0]")]),
    ("expression-key-list", "selector", "{matchExpressions: [{key: [app], operator: In, values: [db]}]}",
     "{matchExpressions: [{key: app, operator: In, values: [db]}]}",
     [(STS, "spec.selector.matchExpressions[0].key")]),
    ("ports-string", "containers", container("ports: [{name: pg, containerPort: 5432}]", 'ports: "5432"'),
     None, [(STS, f"{C0}.ports")]),
    ("port-name-int", "containers", container("ports: [{name: pg,", "ports: [{name: 5432,"), None,
     [(STS, f"{C0}.ports[0].name")]),
    ("container-name-int", "containers", container("{name: pg, image", "{name: 42, image"),
     container("{name: pg, image", "{name: '42', image"), [(STS, f"{C0}.name")]),
    ("container-string", "containers", "[pg]", None, [(STS, f"{POD}.containers[0]")]),
    ("mount-name-int", "containers", container("volumeMounts: [{name: data", "volumeMounts: [{name: 7"), None,
     [(STS, f"{C0}.volumeMounts[0].name")]),
    ("mounts-mapping", "containers", container("volumeMounts: [{name: data, mountPath: /data}, "
                                               "{name: conf, mountPath: /etc/pg}]", "volumeMounts: {name: data}"),
     None, [(STS, f"{C0}.volumeMounts")]),
    ("volume-name-int", "volumes", "[{name: 1, emptyDir: {}}]", None, [(STS, f"{POD}.volumes[0].name")]),
    ("volumes-string", "volumes", '"conf"', None, [(STS, f"{POD}.volumes")]),
    ("claim-name-int", "claims", CLAIMS.replace("{name: data,", "{name: 9,"), None,
     [(STS, "spec.volumeClaimTemplates[0].metadata.name")]),
    ("claim-class-int", "claims", CLAIMS.replace("storageClassName: slow", "storageClassName: 5"), None,
     [(STS, "spec.volumeClaimTemplates[0].spec.storageClassName")]),
    ("claim-annotations-list", "claims", CLAIMS.replace("{team: db}", "[x]"), None,
     [(STS, "spec.volumeClaimTemplates[0].metadata.annotations")]),
    ("service-name-list", "service_name", "[db]", None, [(STS, "spec.serviceName")]),
    ("service-name-yes", "service_name", "yes", None, [(STS, "spec.serviceName")]),
    ("service-cluster-ip-list", "cluster_ip", "[None]", None, [("Service/db", "spec.clusterIP")]),
    ("service-selector-string", "service_selector", "app=db", None, [("Service/db", "spec.selector")]),
    ("service-selector-value-list", "service_selector", "{app: [db]}", None, [("Service/db", "spec.selector.app")]),
    ("reclaim-mapping", "reclaim", "{policy: Delete}", None, [("StorageClass/slow", "reclaimPolicy")]),
    # more of the fields the rules read
    ("selector-expressions-mapping", "selector", "{matchExpressions: {key: app}}",
     "{matchExpressions: [{key: app, operator: In, values: [db]}]}", [(STS, "spec.selector.matchExpressions")]),
    ("expression-operator-int", "selector", "{matchExpressions: [{key: app, operator: 1, values: [db]}]}",
     "{matchExpressions: [{key: app, operator: In, values: [db]}]}",
     [(STS, "spec.selector.matchExpressions[0].operator")]),
    ("expression-string", "selector", "{matchExpressions: [app]}",
     "{matchExpressions: [{key: app, operator: Exists}]}", [(STS, "spec.selector.matchExpressions[0]")]),
    ("matchlabels-list", "selector", "{matchLabels: [app]}", None, [(STS, "spec.selector.matchLabels")]),
    ("probe-port-true", "containers",
     container("tcpSocket: {port: pg}}, liveness", "tcpSocket: {port: true}}, liveness"), None,
     [(STS, f"{C0}.readinessProbe.tcpSocket.port")]),
    ("probe-port-list", "containers", container("port: 8080", "port: [8080]"), None,
     [(STS, f"{C0}.livenessProbe.httpGet.port")]),
    ("probe-port-float", "containers", container("port: 8080", "port: 8080.5"), None,
     [(STS, f"{C0}.livenessProbe.httpGet.port")]),
    ("probe-string", "containers", container("readinessProbe: {tcpSocket: {port: pg}}", 'readinessProbe: "tcp"'),
     None, [(STS, f"{C0}.readinessProbe")]),
    ("probe-handler-string", "containers", container("startupProbe: {tcpSocket: {port: pg}}",
                                                     "startupProbe: {tcpSocket: pg}"),
     None, [(STS, f"{C0}.startupProbe.tcpSocket")]),
    ("port-string-item", "containers", container("ports: [{name: pg, containerPort: 5432}]", "ports: [pg]"),
     None, [(STS, f"{C0}.ports[0]")]),
    ("devices-mapping", "containers", container("volumeMounts: [{name: data", "volumeDevices: {name: raw}, "
                                                "volumeMounts: [{name: data"), None, [(STS, f"{C0}.volumeDevices")]),
    ("device-name-int", "containers", container("volumeMounts: [{name: data, mountPath: /data}",
                                                "volumeDevices: [{name: 3, devicePath: /dev/x}], "
                                                "volumeMounts: [{name: data, mountPath: /data}"),
     None, [(STS, f"{C0}.volumeDevices[0].name")]),
    ("init-containers-mapping", "init_containers", "{name: init}", None, [(STS, f"{POD}.initContainers")]),
    ("init-name-int", "init_containers", INIT.replace("{name: init,", "{name: 0,").replace("{init_sidecar}", SIDECAR),
     None, [(STS, f"{POD}.initContainers[0].name")]),
    ("init-mounts-string", "init_containers", INIT.replace("volumeMounts: [{name: data, mountPath: /data}]",
                                                           "volumeMounts: data").replace("{init_sidecar}", SIDECAR),
     None, [(STS, f"{POD}.initContainers[0].volumeMounts")]),
    ("sidecar-ports-string", "init_containers", sidecar("ports: [{name: admin, containerPort: 9901}]", "ports: admin"),
     None, [(STS, f"{POD}.initContainers[1].ports")]),
    ("sidecar-probe-port-list", "init_containers", sidecar("port: admin", "port: [admin]"), None,
     [(STS, f"{POD}.initContainers[1].readinessProbe.httpGet.port")]),
    ("claims-mapping", "claims", "{metadata: {name: data}}", None, [(STS, "spec.volumeClaimTemplates")]),
    ("claim-string", "claims", "[data]", None, [(STS, "spec.volumeClaimTemplates[0]")]),
    ("claim-spec-list", "claims", "[{metadata: {name: data}, spec: [slow]}]", None,
     [(STS, "spec.volumeClaimTemplates[0].spec")]),
    ("claim-metadata-string", "claims", "[{metadata: data, spec: {storageClassName: slow}}]", None,
     [(STS, "spec.volumeClaimTemplates[0].metadata")]),
    ("claim-annotation-int", "claims",
     CLAIMS.replace("{team: db}", "{volume.beta.kubernetes.io/storage-class: 1}"), None,
     [(STS, "spec.volumeClaimTemplates[0].metadata.annotations.volume.beta.kubernetes.io/storage-class")]),
    ("retention-int", "retention", "{whenDeleted: 1, whenScaled: Retain}", None,
     [(STS, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted")]),
    ("retention-list", "retention", "[Delete]", None, [(STS, "spec.persistentVolumeClaimRetentionPolicy")]),
    ("sts-name-int", "sts_name", "1234", "'1234'", [("StatefulSet/1234", "metadata.name")]),
    ("sts-namespace-list", "namespace", "[prod]", None, [(STS, "metadata.namespace")]),
    ("service-type-int", "service_type", "5", None, [("Service/db", "spec.type")]),
    ("service-cluster-ips-string", "cluster_ips", "None", None, [("Service/db", "spec.clusterIPs")]),
    ("service-cluster-ips-item-int", "cluster_ips", "[1]", None, [("Service/db", "spec.clusterIPs[0]")]),
    ("service-selector-value-bool", "service_selector", "{app: yes}", None, [("Service/db", "spec.selector.app")]),
    ("pv-reclaim-int", "pv_spec", "{persistentVolumeReclaimPolicy: 5}", None,
     [("PersistentVolume/pv", "spec.persistentVolumeReclaimPolicy")]),
    ("pv-spec-list", "pv_spec", "[Retain]", None, [("PersistentVolume/pv", "spec")]),
    ("pv-metadata-list", "pv_metadata", "[pv]", None, [("PersistentVolume/", "metadata")]),
    ("pv-name-int", "pv_metadata", "{name: 7}", None, [("PersistentVolume/7", "metadata.name")]),
    # null is an omitted field: nothing to report, for either of them
    *[(f"null-{field}", field, "~", None, []) for field in
      ("namespace", "service_name", "selector", "labels", "init_containers", "containers", "volumes", "claims",
       "retention", "service_type", "cluster_ips", "service_selector", "pv_spec")],
    # plain init containers cannot have probes or serve ports: neither stslint nor the schema reads them
    ("plain-init-probe-not-read", "init_containers", INIT.replace("{init_sidecar}", SIDECAR).replace(
        "image: busybox,", "image: busybox, readinessProbe: yes, ports: x,"), None, []),
    ("null-items", "containers", "[~, " + CONTAINER[1:], None, []),
    ("null-probe-port", "containers", container("port: 8080", "port: ~"), None, []),
    # kubectl makes YAML keys JSON strings: the label keys 1 and true are "1" and "true"
    ("label-key-int", "labels", "{app: db, 1: one, true: two}", None, []),
    ("two-volume-names-int", "volumes", "[{name: 1, emptyDir: {}}, {name: 2, emptyDir: {}}]", None,
     [(STS, f"{POD}.volumes[0].name"), (STS, f"{POD}.volumes[1].name")]),
    # an integral float reaches the API server as the JSON number (8080), which IntOrString accepts
    ("probe-port-integral-float", "containers", container("port: 8080", "port: 8080.0"), None, []),
    ("image-int", "containers", container("image: postgres", "image: 5"), None, [(STS, f"{C0}.image")]),
    ("restart-policy-bool", "init_containers", sidecar("restartPolicy: Always", "restartPolicy: true"), None,
     [(STS, f"{POD}.initContainers[1].restartPolicy")]),
    ("service-type-and-cluster-ip", "service_type", {"service_type": "5", "cluster_ip": "[None]"}, None,
     [("Service/db", "spec.type"), ("Service/db", "spec.clusterIP")]),
]



def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "manifest.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_base_manifest_is_clean_for_both(tmp_path):
    text = manifest()
    assert schema_verdicts(text) == set()
    report = check_json(str(_write(tmp_path, text)), extra=("--isolated", "--select", "ALL"))
    assert report["findings"] == []


def _agree(tmp_path: Path, field: str, bad: str | dict[str, str], fixed: str | None,
           expected: list[tuple[str, str]]) -> None:
    """``bad`` replaces ``field`` (or, as a dict, several fields); ``fixed`` replaces ``field`` in the
    fixed manifest (None: the base manifest's value)."""
    text = manifest(**(bad if isinstance(bad, dict) else {field: bad}))
    by_schema = schema_verdicts(text)
    by_stslint = stslint_verdicts(_write(tmp_path, text))
    assert by_schema == by_stslint, f"schemas: {sorted(by_schema)}; stslint STS006: {sorted(by_stslint)}"
    assert by_stslint == set(expected)
    fixed_text = manifest(**{field: fixed if fixed is not None else FIELDS[field]})
    assert schema_verdicts(fixed_text) == set()
    assert stslint_verdicts(_write(tmp_path, fixed_text)) == set()


@pytest.mark.parametrize("field, bad, fixed, expected", [case[1:] for case in WRONG], ids=[case[0] for case in WRONG])
def test_a_schema_rejects_exactly_where_stslint_reports_sts006(tmp_path, field, bad, fixed, expected):
    _agree(tmp_path, field, bad, fixed, expected)


def test_the_cases_cover_every_sts006_case_of_the_hostile_field_type_tests():
    covered = {case[0] for case in WRONG}
    assert {"containers-mapping", "labels-list", "label-true", "label-int", "selector-string", "matchlabels-on",
            "expression-value-int", "expression-key-list", "ports-string", "port-name-int", "container-name-int",
            "container-string", "mount-name-int", "mounts-mapping", "volume-name-int", "volumes-string",
            "claim-name-int", "claim-class-int", "claim-annotations-list", "service-name-list", "service-name-yes",
            "service-cluster-ip-list", "service-selector-string", "service-selector-value-list",
            "reclaim-mapping"} <= covered


# Fields the schemas type that STS006 leaves alone on purpose: it reports only what a selected rule reads.
OUT_OF_SCOPE = [
    ("object-annotations-list", manifest().replace("  namespace: prod\n", "  namespace: prod\n  annotations: [x]\n"),
     {(STS, "metadata.annotations")}),
    ("object-annotation-int", manifest().replace("  namespace: prod\n", "  namespace: prod\n  annotations: {a: 1}\n"),
     {(STS, "metadata.annotations.a")}),
    ("ungoverned-service", "apiVersion: v1\nkind: Service\nmetadata: {name: other}\nspec: {clusterIP: [None]}\n",
     {("Service/other", "spec.clusterIP")}),
    ("unused-storage-class", "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: fast}\n"
                             "reclaimPolicy: [Delete]\n", {("StorageClass/fast", "reclaimPolicy")}),
]

# The identity of every modelled object (a PVC, a PDB as much as a StatefulSet): STS007 reads the names and
# namespaces of all of them to find duplicates, so a wrong-typed one is reported.
IDENTITY = [
    ("pvc-name-int", "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: 5}\n",
     {("PersistentVolumeClaim/5", "metadata.name")}),
]


@pytest.mark.parametrize("text, rejected", [case[1:] for case in IDENTITY], ids=[case[0] for case in IDENTITY])
def test_the_identity_of_every_modelled_object_is_read_and_reported(tmp_path, text, rejected):
    assert schema_verdicts(text) == rejected
    assert stslint_verdicts(_write(tmp_path, text)) == rejected


@pytest.mark.parametrize("text, rejected", [case[1:] for case in OUT_OF_SCOPE], ids=[case[0] for case in OUT_OF_SCOPE])
def test_fields_no_rule_reads_are_typed_by_the_schemas_but_not_reported(tmp_path, text, rejected):
    assert schema_verdicts(text) == rejected
    assert stslint_verdicts(_write(tmp_path, text)) == set()


def test_a_budgets_identity_is_read_by_the_budget_rules(tmp_path):
    text = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db, namespace: [a]}\n"
    assert schema_verdicts(text) == stslint_verdicts(_write(tmp_path, text)) == {
        ("PodDisruptionBudget/db", "metadata.namespace")}
