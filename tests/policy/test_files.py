"""Invalid policies fail loudly before anything is linted: exit 2, one line on standard error with
``file:line:column`` and the reason, nothing on standard output."""
from __future__ import annotations

import pytest

from stslint.policy import PolicySource, load_policies
from tests.config_helpers import repo, stslint
from tests.policy.helpers import HEADER, STS

SCHEMA = "schema: {}\n"


def refused(tmp_path, text: str, *, name: str = "policy.yaml", extra: dict[str, str] | None = None,
            args: tuple[str, ...] = ("--policy", "policy.yaml")) -> str:
    """The error line of a run whose policies are refused (after checking it linted nothing)."""
    root = repo(tmp_path, {name: text, "sts.yaml": STS, **(extra or {})})
    run = stslint(root, "check", *args, "sts.yaml")
    assert run.exit_code == 2, run.stdout + run.stderr
    assert run.stdout == ""  # nothing was linted
    lines = run.stderr.splitlines()
    assert len(lines) == 1
    return lines[0]


@pytest.mark.parametrize(("text", "error"), [
    (HEADER + "schema: {a: [\n", "8:1: invalid YAML: did not find expected node content"),
    (HEADER + "schema:\n\t{}\n", "8:1: invalid YAML: a tab character where YAML forbids one (indent with spaces)"),
    (HEADER + SCHEMA + "schema: {}\n", '8:1: duplicate key "schema"; expected each key once'),
    (HEADER + SCHEMA + "---\n" + HEADER + SCHEMA,
     "9:1: a policy file holds one YAML document (a policy, or a PolicySet); found 2"),
    ("- a\n", "1:1: a policy file (a policy, or a PolicySet) must be a mapping; found list"),
], ids=["syntax", "tab", "duplicate-key", "two-documents", "not-a-mapping"])
def test_bad_yaml(tmp_path, text, error):
    assert refused(tmp_path, text) == f"stslint: policy.yaml:{error}"


@pytest.mark.parametrize(("text", "error"), [
    (HEADER + SCHEMA + "targte: containers\n",
     '8:1: policy: unknown key "targte"; expected one of code, name, severity, summary, rationale, remediation, '
     'examples, match, target, params, schema, refs, expr, message; did you mean "target"?'),
    (HEADER + SCHEMA + "match: {namespace: [prod]}\n",
     '8:9: "match": unknown key "namespace"; expected one of kinds, namespaces, names, labels, files; did you mean '
     '"namespaces"?'),
    (HEADER + SCHEMA + "examples: {bda: x}\n",
     '8:12: "examples": unknown key "bda"; expected one of bad, good; did you mean "bad"?'),
    (HEADER + "params: {size: {default: 2Ti, typ: quantity}}\n" + SCHEMA,
     '7:31: param "size": unknown key "typ"; expected one of default, type, items, description; did you mean '
     '"type"?'),
    ("kind: PolicySet\npolicis: []\n",
     '2:1: PolicySet: unknown key "policis"; expected one of kind, policies; did you mean "policies"?'),
    (HEADER.replace("remediation: Fix it.\n", "") + SCHEMA, '1:1: policy: missing key "remediation"'),
], ids=["policy", "match", "examples", "param", "policy-set", "missing"])
def test_unknown_and_missing_keys(tmp_path, text, error):
    assert refused(tmp_path, text) == f"stslint: policy.yaml:{error}"


@pytest.mark.parametrize(("schema", "error"), [
    ("schema:\n  properties:\n    replicas:\n      type: intger\n",
     "10:7: invalid JSON Schema: 'intger' is not valid under any of the given schemas"),
    ("schema:\n  required: replicas\n", "8:3: invalid JSON Schema: 'replicas' is not of type 'array'"),
    ("schema:\n  properties:\n    image:\n      patern: x\n",
     '10:7: unknown JSON Schema keyword "patern"; did you mean "pattern"? (Draft 2020-12 and stslint\'s '
     "minimumQuantity, maximumQuantity; x- keywords are free)"),
    ("schema:\n  $ref: https://example.com/s.json\n",
     "8:9: $ref must be a local reference (#/$defs/...): a policy is self-contained and nothing is ever fetched"),
    ("schema: {$id: x}\n",
     "7:10: $id is not allowed: a policy's schema is self-contained (use $defs, and $ref: \"#/$defs/name\")"),
    ("schema:\n  properties:\n    storage: {maximumQuantity: 2TB}\n",
     '9:32: maximumQuantity must be a Kubernetes quantity (such as "2Ti", "500Mi" or "500m")'),
    ("schema:\n  properties:\n    image: {pattern: '(x'}\n",
     "9:22: invalid regular expression '(x': missing ), unterminated subpattern at position 0"),
    ("schema: [a]\n", '7:9: "schema" must be a JSON Schema (a mapping); found list'),
    ("schema:\n  properties:\n    replicas: {minimum: {$param: min}}\n",
     "9:16: {$param: min} names no param (params: none are declared)"),
], ids=["meta-schema", "meta-schema-top", "unknown-keyword", "remote-ref", "id", "quantity", "regex", "not-a-schema",
        "unknown-param"])
def test_invalid_json_schemas(tmp_path, schema, error):
    assert refused(tmp_path, HEADER + schema) == f"stslint: policy.yaml:{error}"


@pytest.mark.parametrize(("body", "error"), [
    ("target: container\n" + SCHEMA,
     '7:9: unknown target "container"; expected one of object, podSpec, containers, initContainers, allContainers, '
     'volumeClaimTemplates, volumes, volumeMounts; did you mean "containers"?'),
    ("match: {kinds: [StatefulSet, Statefulset]}\n" + SCHEMA,
     '7:30: unknown kind "Statefulset"; policies read CronJob, DaemonSet, Deployment, Job, NetworkPolicy, '
     "PersistentVolume, PersistentVolumeClaim, PodDisruptionBudget, ReplicaSet, Service, StatefulSet, StorageClass; "
     'did you mean "StatefulSet"?'),
    ("match: {kinds: [Service]}\ntarget: containers\n" + SCHEMA,
     '8:1: target "containers" applies to kinds with a pod template; Service has none: list only such kinds in '
     "match.kinds, or use another target"),
    ("match: {kinds: [Deployment]}\ntarget: volumeClaimTemplates\n" + SCHEMA,
     '8:1: target "volumeClaimTemplates" applies to kinds with claim templates (a StatefulSet); Deployment has none: '
     "list only such kinds in match.kinds, or use another target"),
    ("match: {labels: {matchExpressions: [{key: a, operator: In}]}}\n" + SCHEMA,
     "7:37: matchExpressions item 1 uses In without values"),
    ("match: {files: ['[z-a]']}\n" + SCHEMA, None),
], ids=["target", "kind", "target-kind", "claims-kind", "labels", "files"])
def test_unknown_targets_and_kinds(tmp_path, body, error):
    line = refused(tmp_path, HEADER + body)
    if error is None:
        assert line.startswith('stslint: policy.yaml:7:17: "[z-a]" is not a valid path glob'), line
    else:
        assert line == f"stslint: policy.yaml:{error}"


@pytest.mark.parametrize(("body", "error"), [
    ("params: {ratio: 0.5}\n" + SCHEMA, '7:17: param "ratio": the default must be a string, an integer, true or '
                                        "false, or a list of strings or of integers; found number 0.5"),
    ("params: {size: {default: 2Ti, type: quantty}}\n" + SCHEMA,
     '7:37: param "size": unknown type "quantty"; expected one of array, string, integer, boolean, quantity; did '
     'you mean "quantity"?'),
    ("params: {size: {default: 2Tx, type: quantity}}\n" + SCHEMA,
     "7:31: param \"size\": the default '2Tx' is not a Kubernetes quantity (such as 2Ti or 500M)"),
    ("params: {path: x}\n" + SCHEMA, '7:10: param "path": the name is taken by the message placeholder {path}; '
                                     "choose another"),
    (SCHEMA + "message: 'bad {object.__class__}'\n",
     "8:10: the message names {object.__class__}, which is neither a placeholder (object, kind, name, namespace, "
     "container, path, value, ref) nor a param (a placeholder is a plain name: no attribute or index access)"),
    ("params: {registry: x}\n" + SCHEMA + "message: 'bad {registy}'\n",
     "9:10: the message names {registy}, which is neither a placeholder (object, kind, name, namespace, container, "
     'path, value, ref) nor a param; did you mean "registry"?'),
    ("severity: info\n", None),
], ids=["param-default", "param-type", "param-quantity", "param-name", "message-attribute", "message-unknown",
        "metadata-twice"])
def test_params_and_messages(tmp_path, body, error):
    if error is None:
        line = refused(tmp_path, HEADER + body + SCHEMA)
        assert line == 'stslint: policy.yaml:7:1: duplicate key "severity"; expected each key once'
    else:
        assert refused(tmp_path, HEADER + body) == f"stslint: policy.yaml:{error}"


@pytest.mark.parametrize(("header", "error"), [
    (HEADER.replace("ACME101", "STS901"), '1:7: the code "STS901" starts with STS, which is reserved for '
                                          "stslint's own rules; use your organisation's prefix (ACME101)"),
    (HEADER.replace("ACME101", "acme1"), '1:7: the code must be letters and digits, starting with a letter and ending '
                                         'with three digits, such as "ACME101"; found string "acme1"'),
    (HEADER.replace("ACME101", "ACME10"), None),
    (HEADER.replace("acme-check", "storage-class-missing"),
     '2:1: the name "storage-class-missing" is taken by the built-in rule STS404 storage-class-missing'),
    (HEADER.replace("acme-check", "Acme_Check"), "2:7: the name must be lowercase words joined by '-' (such as "
                                                 '"prod-storage-class"); found string "Acme_Check"'),
    (HEADER.replace("severity: error", "severity: fatal"), '3:11: the severity must be "error" or "warning"; found '
                                                            'string "fatal"'),
    (HEADER.replace("summary: The ACME check holds.", "summary: |\n  Two\n  lines"), '4:10: "summary" must be one '
                                                                                      "line"),
], ids=["sts", "lowercase", "short", "builtin-name", "name", "severity", "summary"])
def test_codes_names_and_metadata(tmp_path, header, error):
    line = refused(tmp_path, header + SCHEMA)
    if error is None:
        assert line.startswith("stslint: policy.yaml:1:7: the code must be"), line
    else:
        assert line == f"stslint: policy.yaml:{error}"


def test_a_code_or_name_that_clashes_with_another_policy(tmp_path):
    other = HEADER.replace("acme-check", "other-check") + SCHEMA
    line = refused(tmp_path, HEADER + SCHEMA, name="policies/a.yaml", extra={"policies/b.yaml": other},
                   args=("--policy", "policies"))
    assert line == ('stslint: policies/b.yaml:1:1: the code "ACME101" is taken by the policy ACME101 at '
                    "policies/a.yaml:1")
    same_name = HEADER.replace("ACME101", "ACME102") + SCHEMA
    line = refused(tmp_path / "names", HEADER + SCHEMA, name="policies/a.yaml", extra={"policies/b.yaml": same_name},
                   args=("--policy", "policies"))
    assert line == 'stslint: policies/b.yaml:2:1: the name "acme-check" is taken by the policy ACME101 at ' \
                   "policies/a.yaml:1"


def test_a_policy_set_is_validated_item_by_item(tmp_path):
    policy_set = "kind: PolicySet\npolicies:\n  - " + (HEADER + SCHEMA).replace("\n", "\n    ").rstrip() + \
                 "\n  - " + (HEADER.replace("ACME101", "ACME102") + "target: nowhere\n" + SCHEMA).replace(
                     "\n", "\n    ").rstrip() + "\n"
    line = refused(tmp_path, policy_set)
    assert line.startswith('stslint: policy.yaml:16:13: unknown target "nowhere"'), line
    empty = refused(tmp_path / "empty", "kind: PolicySet\npolicies: []\n")
    assert empty == 'stslint: policy.yaml:2:11: "policies" must be a non-empty list of policies; found list'


def test_a_missing_policy_path_in_the_configuration_is_located_there(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "select: [ALL]\npolicies:\n  - policies/\n  - nowhere.yaml\n",
                           "policies/a.yaml": HEADER + SCHEMA, "sts.yaml": STS})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr == ('stslint: .stslint.yaml:4: the policy path "nowhere.yaml" does not exist (relative to the '
                          "directory of the configuration file)\n")


def test_a_missing_policy_option_path_is_a_usage_error(tmp_path):
    root = repo(tmp_path, {"sts.yaml": STS})
    run = stslint(root, "check", "--policy", "nowhere.yaml", "sts.yaml")
    assert run.exit_code == 2
    assert "nowhere.yaml" in run.stderr and "does not exist" in run.stderr


def test_an_invalid_policy_in_the_configuration_fails_the_run(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "policies: [policies]\n",
                           "policies/a.yaml": HEADER + "target: pods\n" + SCHEMA, "sts.yaml": STS})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith('stslint: policies/a.yaml:7:9: unknown target "pods"')


def test_a_directory_holds_policy_files_not_subdirectories(tmp_path):
    root = repo(tmp_path, {"policies/a.yaml": HEADER + SCHEMA, "policies/.hidden.yaml": "not: a policy\n",
                           "policies/README.md": "# docs\n", "policies/tests/bad.yaml": STS})
    policies = load_policies([PolicySource(str(root / "policies"), str(root))])
    assert [policy.code for policy in policies] == ["ACME101"]
