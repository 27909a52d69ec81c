"""Refs: joins resolved through the index — of: claimTemplate (the legacy annotation wins), of:
serviceName, selecting: pods (PodDisruptionBudgets, Services, NetworkPolicies) — with count bounds,
ref schemas (the referenced object as a related location), unresolved fail/warn/skip, and context
files (cached records keep the referenced objects)."""
from __future__ import annotations

import json

import pytest

from tests.config_helpers import repo, stslint
from tests.policy.helpers import HEADER, check, findings, messages, policy

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: prod
spec:
  serviceName: db
  replicas: 3
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          image: postgres:16
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        storageClassName: fast
    - metadata:
        name: logs
        annotations:
          volume.beta.kubernetes.io/storage-class: slow
      spec:
        storageClassName: fast
"""
"""kind: at 2:1, serviceName: at 7:3, the "data" class at 22:9, the "logs" legacy annotation at 26:11
(it wins over the field at 28:9)."""

KIND, SERVICE_NAME, DATA_CLASS, LOGS_ANNOTATION = (2, 1), (7, 3), (22, 9), (26, 11)


def storage_class(name: str, reclaim: str = "Retain") -> str:
    return (f"apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: {name}\nprovisioner: x\n"
            f"reclaimPolicy: {reclaim}\n")


def service(name: str = "db", cluster_ip: str | None = "None", selector: str = "{app: db}") -> str:
    ip = f"  clusterIP: {cluster_ip}\n" if cluster_ip else ""
    return f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: prod\nspec:\n{ip}  selector: {selector}\n"


def pdb(name: str, max_unavailable: int = 1, selector: str = "{matchLabels: {app: db}}", namespace: str = "prod") -> str:
    return (f"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
            f"spec:\n  maxUnavailable: {max_unavailable}\n  selector: {selector}\n")


def network_policy(name: str, selector: str = "{matchLabels: {app: db}}") -> str:
    return (f"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: prod\n"
            f"spec:\n  podSelector: {selector}\n")


def refs_policy(refs: str) -> str:
    return policy("refs:\n" + "".join(f"  {line}\n" for line in refs.strip().splitlines()))


CLASS_REF = "class: {kind: StorageClass, of: claimTemplate, schema: {properties: {reclaimPolicy: {const: Retain}}}}"


def run_refs(tmp_path, refs: str, manifests: str, *args: str):
    return check(tmp_path, {"policy.yaml": refs_policy(refs), "sts.yaml": manifests}, "sts.yaml", *args)


# ---- of: claimTemplate ---------------------------------------------------------------------------

def test_claim_template_refs_resolve_per_template_and_the_legacy_annotation_wins(tmp_path):
    manifests = STS + "---\n" + storage_class("fast", "Delete") + "---\n" + storage_class("slow")
    run = run_refs(tmp_path, CLASS_REF, manifests)
    assert findings(run) == [("ACME101", *DATA_CLASS)]  # "logs" names slow (Retain) by its annotation
    assert messages(run) == ['StatefulSet "db": StorageClass "fast" (ref "class") fails ACME101: reclaimPolicy is '
                             '"Delete"']
    related = [f for f in run.json()["findings"] if f["code"] == "ACME101"][0]["related"]
    assert [(r["file"], r["line"], r["column"]) for r in related] == [("sts.yaml", 35, 1)]  # its reclaimPolicy:


def test_a_legacy_annotation_naming_a_deleting_class_is_reported_at_the_annotation(tmp_path):
    manifests = STS + "---\n" + storage_class("fast") + "---\n" + storage_class("slow", "Delete")
    assert findings(run_refs(tmp_path, CLASS_REF, manifests)) == [("ACME101", *LOGS_ANNOTATION)]


@pytest.mark.parametrize(("unresolved", "expected", "warned"), [
    ("", [("ACME101", *DATA_CLASS), ("ACME101", *LOGS_ANNOTATION)], False),
    (", unresolved: fail", [("ACME101", *DATA_CLASS), ("ACME101", *LOGS_ANNOTATION)], False),
    (", unresolved: warn", [], True),
    (", unresolved: skip", [], False),
])
def test_unresolved_claim_template_classes(tmp_path, unresolved, expected, warned):
    run = run_refs(tmp_path, CLASS_REF.replace("of: claimTemplate", "of: claimTemplate" + unresolved), STS)
    assert findings(run) == expected
    warnings = [w for w in run.json().get("warnings", []) if "ACME101" in w["message"]]
    assert bool(warnings) is warned
    if warned:
        assert run.exit_code == 1  # STS findings remain; the warning alone does not fail the gate
        assert 'StorageClass "fast" (claim template "data") is in none of the checked or context files' in \
            warnings[0]["message"]
        assert "sts.yaml:22: warning: ACME101" in run.stderr
    if expected:
        assert 'StorageClass "slow" (claim template "logs") is in none of the checked or context files' in \
            messages(run)[1]


def test_an_omitted_or_empty_class_names_no_storage_class(tmp_path):
    manifests = STS.replace("        storageClassName: fast\n    - metadata:", "        storageClassName: \"\"\n"
                            "    - metadata:").replace("          volume.beta.kubernetes.io/storage-class: slow\n",
                                                      "          other: x\n").replace(
        "      spec:\n        storageClassName: fast\n", "      spec: {}\n")
    assert findings(run_refs(tmp_path, CLASS_REF, manifests)) == []


# ---- of: serviceName -----------------------------------------------------------------------------

SERVICE_REF = "svc: {kind: Service, of: serviceName, schema: {properties: {spec: {required: [clusterIP]}}}}"


def test_the_governing_service_ref_lands_on_service_name_with_the_service_as_related(tmp_path):
    manifests = STS + "---\n" + service(cluster_ip=None)
    run = run_refs(tmp_path, SERVICE_REF, manifests, "--select", "ACME")
    assert findings(run) == [("ACME101", *SERVICE_NAME)]
    assert messages(run) == ['StatefulSet "db": Service "db" (ref "svc") fails ACME101: spec.clusterIP is missing']
    related = run.json()["findings"][0]["related"]
    assert [(r["line"], r["column"]) for r in related] == [(35, 1)]  # the Service's spec: (it lacks clusterIP)
    assert findings(run_refs(tmp_path / "ok", SERVICE_REF, STS + "---\n" + service())) == []


def test_an_unresolved_governing_service_fails_by_default(tmp_path):
    run = run_refs(tmp_path, SERVICE_REF, STS, "--select", "ACME")
    assert findings(run) == [("ACME101", *SERVICE_NAME)]
    assert 'Service "db" (spec.serviceName) is in none of the checked or context files' in messages(run)[0]


# ---- selecting: pods -----------------------------------------------------------------------------

@pytest.mark.parametrize(("kind", "make"), [
    ("PodDisruptionBudget", lambda name, selector: pdb(name, selector=selector)),
    ("NetworkPolicy", lambda name, selector: network_policy(name, selector)),
    ("Service", lambda name, selector: service(name, selector=selector.replace("matchLabels: ", "")[1:-1])),
])
def test_selecting_refs_count_the_objects_that_select_the_pods(tmp_path, kind, make):
    ref = f"sel: {{kind: {kind}, selecting: pods, count: {{min: 1, max: 1}}}}"
    none = run_refs(tmp_path / "none", ref, STS, "--select", "ACME")
    assert findings(none) == [("ACME101", *KIND)]
    assert messages(none) == [f'StatefulSet "db": no {kind} selects its pods (ref "sel" of ACME101)']
    other = make("other", "{matchLabels: {app: web}}")
    one = run_refs(tmp_path / "one", ref, STS + "---\n" + make("a", "{matchLabels: {app: db}}") + "---\n" + other,
                   "--select", "ACME")
    assert findings(one) == []
    two = run_refs(tmp_path / "two", ref, STS + "---\n" + make("a", "{matchLabels: {app: db}}") + "---\n"
                   + make("b", "{matchLabels: {app: db}}"), "--select", "ACME")
    assert findings(two) == [("ACME101", *KIND)]
    assert messages(two)[0].endswith(f'2 {kind}{"es" if kind.endswith("s") else "s"} select its pods; ref "sel" of '
                                     "ACME101 allows at most 1")
    assert len(two.json()["findings"][0]["related"]) == 2


def test_count_minimum_above_one(tmp_path):
    ref = "pdbs: {kind: PodDisruptionBudget, selecting: pods, count: {min: 2}}"
    run = run_refs(tmp_path, ref, STS + "---\n" + pdb("a"), "--select", "ACME")
    assert messages(run) == ['StatefulSet "db": 1 PodDisruptionBudget selects its pods; ref "pdbs" of ACME101 allows '
                             "at least 2"]


def test_a_selecting_ref_without_count_only_checks_what_it_finds(tmp_path):
    ref = "pdbs: {kind: PodDisruptionBudget, selecting: pods, schema: {properties: {spec: {properties: " \
          "{maxUnavailable: {const: 1}}}}}}"
    assert findings(run_refs(tmp_path / "none", ref, STS, "--select", "ACME")) == []
    run = run_refs(tmp_path / "bad", ref, STS + "---\n" + pdb("a", 2) + "---\n" + pdb("b", 1), "--select", "ACME")
    assert findings(run) == [("ACME101", *KIND)]
    assert messages(run) == ['StatefulSet "db": PodDisruptionBudget "a" (ref "pdbs") fails ACME101: '
                             "spec.maxUnavailable is 2"]


def test_budgets_of_other_namespaces_do_not_cover_the_pods(tmp_path):
    ref = "pdbs: {kind: PodDisruptionBudget, selecting: pods, count: {min: 1}}"
    run = run_refs(tmp_path, ref, STS + "---\n" + pdb("a", namespace="staging"), "--select", "ACME")
    assert findings(run) == [("ACME101", *KIND)]


@pytest.mark.parametrize(("unresolved", "expected", "warned"), [
    ("fail", [("ACME101", *KIND)], False), ("warn", [], True), ("skip", [], False)])
def test_unresolved_selecting_refs(tmp_path, unresolved, expected, warned):
    ref = f"pdbs: {{kind: PodDisruptionBudget, selecting: pods, count: {{min: 1}}, unresolved: {unresolved}}}"
    run = run_refs(tmp_path, ref, STS, "--select", "ACME")
    assert findings(run) == expected
    assert run.exit_code == (1 if expected else 0)
    assert any("no PodDisruptionBudget selects its pods" in w["message"] for w in run.json()["warnings"]) is warned


# ---- context -------------------------------------------------------------------------------------

def test_referenced_objects_are_found_in_context_files_cached_or_not(tmp_path):
    refs = CLASS_REF + "\n" + SERVICE_REF + "\npdbs: {kind: PodDisruptionBudget, selecting: pods, count: {min: 1}, " \
        "schema: {properties: {spec: {properties: {maxUnavailable: {const: 1}}}}}}"
    files = {"policy.yaml": refs_policy(refs), "sts.yaml": STS,
             "platform/classes.yaml": storage_class("fast", "Delete") + "---\n" + storage_class("slow"),
             "platform/svc.yaml": service(), "platform/pdb.yaml": pdb("db", 2)}
    root = repo(tmp_path, files)
    expected = [("ACME101", *KIND), ("ACME101", *DATA_CLASS)]
    for attempt in ("parsed", "from the cache"):
        run = stslint(root, "check", "--format", "json", "--policy", "policy.yaml", "--context", "platform",
                      "--select", "ACME", "sts.yaml")
        assert findings(run) == expected, attempt
        related = {r["file"] for f in run.json()["findings"] for r in f["related"]}
        assert related == {"platform/classes.yaml", "platform/pdb.yaml"}
    without = stslint(root, "check", "--format", "json", "--policy", "policy.yaml", "--select", "ACME", "sts.yaml")
    assert len(findings(without)) == 4  # nothing resolves: the two classes, the Service and the budget


def test_the_cache_keys_records_by_the_kinds_policies_read_whole(tmp_path):
    files = {"policy.yaml": refs_policy(CLASS_REF), "sts.yaml": STS,
             "platform/classes.yaml": storage_class("fast", "Delete") + "---\n" + storage_class("slow")}
    root = repo(tmp_path, files)
    plain = stslint(root, "check", "--format", "json", "--select", "STS402", "--context", "platform", "sts.yaml")
    assert [t[0] for t in plain.triples()] == ["STS402"]  # warms the cache with records without documents
    run = stslint(root, "check", "--format", "json", "--policy", "policy.yaml", "--context", "platform",
                  "--select", "ACME", "sts.yaml")
    assert findings(run) == [("ACME101", *DATA_CLASS)]


# ---- SARIF and full ------------------------------------------------------------------------------

def test_ref_findings_carry_the_referenced_object_in_sarif_and_full(tmp_path):
    root = repo(tmp_path, {"policy.yaml": refs_policy(SERVICE_REF), "sts.yaml": STS, "svc.yaml": service(cluster_ip=None)})
    sarif = stslint(root, "check", "--format", "sarif", "--policy", "policy.yaml", "--select", "ACME", ".")
    result = json.loads(sarif.stdout)["runs"][0]["results"][0]
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == SERVICE_NAME
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"].endswith("svc.yaml") and related["region"]["startLine"] == 6
    full = stslint(root, "check", "--format", "full", "--policy", "policy.yaml", "--select", "ACME", ".")
    assert "svc.yaml:6:1" in full.stdout and "Service/db: spec.clusterIP is missing" in full.stdout


# ---- invalid refs --------------------------------------------------------------------------------

@pytest.mark.parametrize(("refs", "error"), [
    ("x: {kind: ConfigMap, of: serviceName}", '8:13: unknown ref "x" kind "ConfigMap"'),
    ("x: {kind: Service, of: claimTemplate}", '8:13: ref "x": "of: claimTemplate" names a StorageClass, not a Service'),
    ("x: {kind: Service, of: servicename}", '8:26: unknown ref "x" "of" "servicename"'),
    ("x: {kind: StorageClass, selecting: pods}", '8:13: ref "x": a StorageClass does not select pods'),
    ("x: {kind: Service, selecting: nodes}", '8:33: unknown ref "x" "selecting" "nodes"'),
    ("x: {kind: Service}", '8:6: ref "x" needs one of "of"'),
    ("x: {kind: Service, of: serviceName, selecting: pods}", '8:6: ref "x" needs one of "of"'),
    ("x: {kind: Service, of: serviceName, count: {min: 2, max: 1}}", '8:60: ref "x": count "max" (1) is less than'),
    ("x: {kind: Service, of: serviceName, unresolved: ignore}", '8:51: unknown ref "x" "unresolved" value "ignore"'),
    ("x: {kind: Service, of: serviceName, schema: {type: strng}}", "8:48: invalid JSON Schema"),
    ("x: {kind: Service, of: serviceName, sheme: {}}", '8:39: ref "x": unknown key "sheme"'),
    ("Bad-Name: {kind: Service, of: serviceName}", '8:3: ref "Bad-Name": a ref name is a word'),
])
def test_invalid_refs_exit_2_at_their_location(tmp_path, refs, error):
    run = check(tmp_path, {"policy.yaml": refs_policy(refs), "sts.yaml": STS}, "sts.yaml")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"stslint: policy.yaml:{error}"), run.stderr


def test_an_of_ref_needs_statefulsets(tmp_path):
    text = HEADER + "match: {kinds: [StatefulSet, Deployment]}\nrefs:\n  svc: {kind: Service, of: serviceName}\n"
    run = check(tmp_path, {"policy.yaml": text, "sts.yaml": STS}, "sts.yaml")
    assert run.exit_code == 2 and 'policy.yaml:9:3: ref "svc": "of: serviceName" follows from StatefulSets; ' \
        "Deployment cannot" in run.stderr


def test_a_selecting_ref_works_for_any_pod_template_workload(tmp_path):
    deployment = STS.replace("kind: StatefulSet", "kind: Deployment").split("  volumeClaimTemplates:")[0] \
        .replace("  serviceName: db\n", "")
    text = HEADER + "match: {kinds: [Deployment]}\nrefs:\n  pdbs: {kind: PodDisruptionBudget, selecting: pods, " \
                    "count: {min: 1}}\n"
    run = check(tmp_path, {"policy.yaml": text, "sts.yaml": deployment}, "sts.yaml", "--select", "ACME")
    assert findings(run) == [("ACME101", *KIND)]


def test_a_policy_needs_something_to_check(tmp_path):
    run = check(tmp_path, {"policy.yaml": HEADER, "sts.yaml": STS}, "sts.yaml")
    assert run.exit_code == 2 and 'a policy needs "schema", "refs" or "expr"' in run.stderr


def test_a_name_several_objects_could_be_holds_when_one_of_them_passes(tmp_path):
    unnamespaced = STS.replace("  namespace: prod\n", "", 1)
    other = service(cluster_ip=None).replace("  namespace: prod\n", "")
    good = service().replace("  namespace: prod\n", "")
    run = check(tmp_path, {"policy.yaml": refs_policy(SERVICE_REF), "sts.yaml": unnamespaced, "a/svc.yaml": other,
                           "b/svc.yaml": good}, ".", "--select", "ACME")
    assert findings(run) == []
    bad = check(tmp_path / "bad", {"policy.yaml": refs_policy(SERVICE_REF), "sts.yaml": unnamespaced + "---\n" + other,
                                   "a/svc.yaml": other}, ".", "--select", "ACME")
    assert findings(bad) == [("ACME101", 6, 3)]  # one finding (serviceName:), about the Service in the same file
    assert [r["file"] for r in bad.json()["findings"][0]["related"]] == ["sts.yaml"]
