"""Which objects a policy judges: namespaces (with and without --namespace, ! to exclude), names,
labels (matchLabels, matchExpressions) and files (relative to the configuration's directory, or the
current directory for --policy)."""
from __future__ import annotations

import pytest

from stslint.policy.match import globs_match
from tests.config_helpers import repo, stslint
from tests.policy.helpers import STS, check, findings, policy

REPLICAS = "schema:\n  properties:\n    spec:\n      properties:\n        replicas: {minimum: 3}\n"
NO_NAMESPACE = STS.replace("  namespace: prod-a\n", "")
"""The StatefulSet without a namespace: its replicas: key is then on line 9."""


def judged(tmp_path, match: str, manifest: str = STS, *args: str) -> list[tuple[str, int, int]]:
    return findings(check(tmp_path, {"policy.yaml": policy(f"match: {match}\n{REPLICAS}"), "sts.yaml": manifest},
                          *args))


@pytest.mark.parametrize(("globs", "value", "matches"), [
    (("prod-*",), "prod-a", True), (("prod-*",), "dev", False), (("!kube-*",), "prod-a", True),
    (("!kube-*",), "kube-system", False), (("prod-*", "!prod-legacy"), "prod-legacy", False),
    (("prod-*", "staging"), "staging", True), (("!a", "!b"), "c", True),
])
def test_globs(globs, value, matches):
    assert globs_match(globs, value) is matches


@pytest.mark.parametrize(("namespaces", "expected"), [
    ('["prod-*"]', [("ACME101", 10, 3)]), ('["dev-*"]', []), ('["!prod-a"]', []),
    ('["!dev", "prod-?"]', [("ACME101", 10, 3)]),
    ("prod-a", [("ACME101", 10, 3)]),
])
def test_namespaces_of_objects_that_carry_one(tmp_path, namespaces, expected):
    assert judged(tmp_path, f"{{namespaces: {namespaces}}}") == expected


def test_an_object_without_a_namespace_takes_the_namespace_option(tmp_path):
    assert judged(tmp_path / "a", '{namespaces: ["prod-*"]}', NO_NAMESPACE, "--namespace", "prod-b") == [
        ("ACME101", 9, 3)]
    assert judged(tmp_path / "b", '{namespaces: ["prod-*"]}', NO_NAMESPACE, "-n", "dev") == []
    assert judged(tmp_path / "c", '{namespaces: ["prod-*"]}', STS, "-n", "dev") == [("ACME101", 10, 3)]  # its own wins


def test_an_object_without_any_namespace_matches_no_namespace_filter(tmp_path):
    assert judged(tmp_path / "a", '{namespaces: ["prod-*"]}', NO_NAMESPACE) == []
    assert judged(tmp_path / "b", '{namespaces: ["!kube-system"]}', NO_NAMESPACE) == []  # not even an exclusion
    assert judged(tmp_path / "c", "{}", NO_NAMESPACE) == [("ACME101", 9, 3)]  # no filter: judged


def test_the_configurations_namespace_counts_as_the_option(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "namespace: prod-z\npolicies: [policy.yaml]\n",
                           "policy.yaml": policy(f'match: {{namespaces: ["prod-*"]}}\n{REPLICAS}'),
                           "sts.yaml": NO_NAMESPACE})
    assert findings(stslint(root, "check", "--format", "json")) == [("ACME101", 9, 3)]


@pytest.mark.parametrize(("names", "expected"), [
    ('["db"]', [("ACME101", 10, 3)]), ('["d*"]', [("ACME101", 10, 3)]), ('["web-*"]', []), ('["!db"]', []),
])
def test_names(tmp_path, names, expected):
    assert judged(tmp_path, f"{{names: {names}}}") == expected


@pytest.mark.parametrize(("labels", "expected"), [
    ("{matchLabels: {tier: database}}", [("ACME101", 10, 3)]),
    ("{matchLabels: {tier: web}}", []),
    ("{matchExpressions: [{key: tier, operator: In, values: [database, cache]}]}", [("ACME101", 10, 3)]),
    ("{matchExpressions: [{key: tier, operator: NotIn, values: [database]}]}", []),
    ("{matchExpressions: [{key: team, operator: DoesNotExist}]}", [("ACME101", 10, 3)]),
    ("{matchExpressions: [{key: team, operator: Exists}]}", []),
    ("{matchLabels: {tier: database}, matchExpressions: [{key: team, operator: Exists}]}", []),
])
def test_labels(tmp_path, labels, expected):
    assert judged(tmp_path, f"{{labels: {labels}}}") == expected


def test_labels_that_cannot_be_read_match_no_selector(tmp_path):
    bad_labels = STS.replace("    tier: database\n", "    tier: [database]\n")
    run = check(tmp_path, {"policy.yaml": policy(f"match: {{labels: {{matchLabels: {{tier: database}}}}}}\n{REPLICAS}"),
                           "sts.yaml": bad_labels})
    # the policy read them: the wrong type is reported (STS006), and nothing is judged
    assert findings(run, "ACME") == [] and findings(run, "STS006") == [("STS006", 7, 11)]


def test_files_relative_to_the_configuration_directory(tmp_path):
    root = repo(tmp_path, {
        "ops/.stslint.yaml": "policies: [../policies/acme.yaml]\n",
        "policies/acme.yaml": policy(f'match: {{files: ["prod/**"]}}\n{REPLICAS}'),
        "ops/prod/db.yaml": STS, "ops/dev/db.yaml": STS, "prod/db.yaml": STS})
    run = stslint(root / "ops", "check", "--format", "json", ".", "../prod")
    assert [(f["file"], f["code"]) for f in run.json()["findings"] if f["code"] == "ACME101"] == [
        ("prod/db.yaml", "ACME101")]


def test_files_relative_to_the_current_directory_for_the_policy_option(tmp_path):
    root = repo(tmp_path, {"policies/acme.yaml": policy(f'match: {{files: ["prod/*.yaml"]}}\n{REPLICAS}'),
                           "prod/db.yaml": STS, "dev/db.yaml": STS})
    run = stslint(root, "check", "--format", "json", "--policy", "policies/acme.yaml", ".")
    assert [(f["file"], f["code"]) for f in run.json()["findings"] if f["code"] == "ACME101"] == [
        ("prod/db.yaml", "ACME101")]
    from_below = stslint(root / "prod", "check", "--format", "json", "--policy", "../policies/acme.yaml", ".")
    assert findings(from_below) == []  # prod/*.yaml from prod/ is prod/prod/*.yaml


def test_every_filter_must_hold(tmp_path):
    assert judged(tmp_path / "a", '{namespaces: ["prod-*"], names: [db], labels: {matchLabels: {tier: database}}}') \
        == [("ACME101", 10, 3)]
    assert judged(tmp_path / "b", '{namespaces: ["prod-*"], names: [web]}') == []
