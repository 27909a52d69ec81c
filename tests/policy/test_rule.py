"""A policy is a rule like a built-in one: in the default selection, selected and ignored by code,
prefix and name, its params overridden in the configuration, its severity too, per-file-ignores,
suppression comments and annotations, STS005, every output format, ``stslint rules`` and
``stslint explain``; context objects are never reported on."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stslint.config import resolve_config
from stslint.engine import lint
from stslint.loading.discover import discover
from stslint.policy import PolicySource, policy_rule_set
from stslint.policy.rule import policy_rule
from tests.config_helpers import repo, stslint
from tests.policy.helpers import HEADER, STS, check, findings, messages, policy

IMAGES = ("target: allContainers\nparams:\n  registry: registry.acme.io/\nschema:\n  properties:\n"
          "    image: {pattern: '^registry[.]acme[.]io/'}\nmessage: '{container} pulls {value}, not from {registry}'\n")
"""Three findings on STS: at 19:11 (init), 24:11 (sidecar) and 28:11 (main)."""
ALL_THREE = [("ACME101", 19, 11), ("ACME101", 24, 11), ("ACME101", 28, 11)]


def files(**extra: str) -> dict[str, str]:
    return {"policy.yaml": policy(IMAGES), "sts.yaml": STS, **extra}


def test_policies_are_in_the_default_selection_and_fail_the_run(tmp_path):
    run = check(tmp_path, files())
    assert findings(run) == ALL_THREE
    assert run.exit_code == 1
    finding = next(f for f in run.json()["findings"] if f["code"] == "ACME101")
    assert {key: finding[key] for key in ("name", "severity", "kind", "object", "namespace", "container")} == {
        "name": "acme-check", "severity": "error", "kind": "StatefulSet", "object": "StatefulSet/db",
        "namespace": "prod-a", "container": "init"}


@pytest.mark.parametrize(("args", "expected"), [
    (("--select", "ACME101"), ALL_THREE), (("--select", "ACME1"), ALL_THREE), (("--select", "acme-check"), ALL_THREE),
    (("--select", "ACME"), ALL_THREE), (("--select", "ALL"), ALL_THREE), (("--select", "STS3"), []),
    (("--ignore", "ACME1"), []), (("--ignore", "acme-check"), []), (("--extend-select", "ACME101"), ALL_THREE),
])
def test_selection_by_code_prefix_and_name(tmp_path, args, expected):
    assert findings(check(tmp_path, files(), *args)) == expected


def test_only_policies_selected_by_their_family(tmp_path):
    run = check(tmp_path, files(), "--select", "ACME")
    assert {code for code, _, _ in run.triples()} == {"ACME101"}


def test_an_unknown_policy_selector_is_refused(tmp_path):
    run = check(tmp_path, files(), "--select", "ACME9")
    assert run.exit_code == 2 and "unknown rule selector 'ACME9'" in run.stderr


def test_params_overridden_in_the_configuration(tmp_path):
    config = ".stslint.yaml", "policies: [policy.yaml]\nrules:\n  acme-check:\n    registry: docker.io/\n"
    root = repo(tmp_path, {**files(), config[0]: config[1]})
    run = stslint(root, "check", "--format", "json", "--select", "ACME")
    assert [f["message"] for f in run.json()["findings"]][0] == 'init pulls "busybox:1.36", not from docker.io/'
    schema_param = policy("params: {min: 3}\n"
                          "schema: {properties: {spec: {properties: {replicas: {minimum: {$param: min}}}}}}\n")
    lenient = repo(tmp_path / "lenient", {"policy.yaml": schema_param, "sts.yaml": STS,
                                          ".stslint.yaml": "policies: [policy.yaml]\nrules: {ACME101: {min: 1}}\n"})
    assert findings(stslint(lenient, "check", "--format", "json")) == []
    strict = repo(tmp_path / "strict", {"policy.yaml": schema_param, "sts.yaml": STS,
                                        ".stslint.yaml": "policies: [policy.yaml]\n"})
    assert findings(stslint(strict, "check", "--format", "json")) == [("ACME101", 10, 3)]


@pytest.mark.parametrize(("rules", "error"), [
    ("{ACME101: {registy: x}}", '.stslint.yaml:2: "rules.ACME101": unknown option "registy"; expected one of registry; '
                                'did you mean "registry"?'),
    ("{ACME101: {registry: [x]}}", '.stslint.yaml:2: "rules.ACME101.registry" must be a string; found list'),
    ("{ACME102: {}}", '.stslint.yaml:2: "rules": unknown rule "ACME102"; expected a rule code or name (`stslint '
                      'rules` lists them); did you mean "ACME101"?'),
])
def test_configured_params_are_validated_against_the_policy(tmp_path, rules, error):
    root = repo(tmp_path, {**files(), ".stslint.yaml": f"policies: [policy.yaml]\nrules: {rules}\n"})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2
    assert run.stderr == f"stslint: {error}\n"


def test_the_policy_option_adds_to_the_configurations_policies(tmp_path):
    second = policy(IMAGES, HEADER.replace("ACME101", "ACME102").replace("acme-check", "acme-second"))
    root = repo(tmp_path, {**files(), "more/second.yaml": second,
                           ".stslint.yaml": "policies: [policy.yaml]\nrules: {ACME102: {registry: x/}}\n"})
    run = stslint(root, "check", "--format", "json", "--policy", "more", "--select", "ACME")
    assert sorted({code for code, _, _ in run.triples()}) == ["ACME101", "ACME102"]
    isolated = stslint(root, "check", "--format", "json", "--isolated", "--policy", "more", "--select", "ACME")
    assert {code for code, _, _ in isolated.triples()} == {"ACME102"}


def test_severity_override_and_fail_on(tmp_path):
    root = repo(tmp_path, {**files(), ".stslint.yaml": "policies: [policy.yaml]\nselect: [ACME]\n"
                                                       "severity: {acme-check: warning}\n"})
    run = stslint(root, "check", "--format", "json", "--fail-on", "error")
    assert {f["severity"] for f in run.json()["findings"]} == {"warning"}
    assert run.exit_code == 0


def test_per_file_ignores(tmp_path):
    config = "policies: [policy.yaml]\nper-file-ignores:\n  'sts.yaml': [ACME1]\n"
    root = repo(tmp_path, {**files(), ".stslint.yaml": config})
    assert findings(stslint(root, "check", "--format", "json")) == []


def test_suppression_comments_and_annotations(tmp_path):
    commented = STS.replace("image: busybox:1.36", "image: busybox:1.36  # stslint: disable-line=ACME101 -- vendored") \
        .replace("        - name: main\n", "        - name: main\n          # stslint: disable-next-line=acme-check\n")
    run = check(tmp_path / "c", files(**{"sts.yaml": commented}))
    assert findings(run) == [("ACME101", 24, 11)]
    annotated = STS.replace("  labels:\n    tier: database\n",
                            "  labels:\n    tier: database\n  annotations:\n    stslint.io/ignore: ACME101\n")
    assert findings(check(tmp_path / "a", files(**{"sts.yaml": annotated}))) == []


def test_an_unused_policy_suppression_is_sts005(tmp_path):
    clean = STS.replace("image: busybox:1.36", "image: registry.acme.io/busybox:1.36") \
        .replace("image: envoy:1.30", "image: registry.acme.io/envoy:1.30") \
        .replace("image: postgres:16", "image: registry.acme.io/postgres:16  # stslint: disable-line=ACME101")
    run = check(tmp_path, files(**{"sts.yaml": clean}), "--select", "ACME,STS005")
    assert run.triples() == [("STS005", 28, 48)]  # the comment's #
    assert "ACME101 (acme-check)" in run.json()["findings"][0]["message"]


def test_sarif_describes_the_policy_and_locates_its_results(tmp_path):
    root = repo(tmp_path, files())
    run = stslint(root, "check", "--format", "sarif", "--policy", "policy.yaml", "--select", "ACME", "sts.yaml")
    log = json.loads(run.stdout)
    driver = log["runs"][0]["tool"]["driver"]
    rule = next(r for r in driver["rules"] if r["id"] == "ACME101")
    assert rule["name"] == "acme-check"
    assert rule["shortDescription"]["text"] == "The ACME check holds."
    assert rule["defaultConfiguration"]["level"] == "error"
    assert "policy" in rule["properties"]["tags"]
    results = log["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["locations"][0]["physicalLocation"]["region"]["startColumn"]) for r in results] == ALL_THREE
    assert all(driver["rules"][r["ruleIndex"]]["id"] == "ACME101" for r in results)


@pytest.mark.parametrize("output_format", ["text", "full", "github", "gitlab", "junit"])
def test_every_format_reports_policy_findings(tmp_path, output_format):
    root = repo(tmp_path, files())
    run = stslint(root, "check", "--format", output_format, "--policy", "policy.yaml", "--select", "ACME", "sts.yaml")
    assert run.exit_code == 1
    assert "ACME101" in run.stdout and "init pulls" in run.stdout


def test_context_objects_are_never_reported(tmp_path):
    service = "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: prod-a}\n"
    root = repo(tmp_path, {**files(), "other/sts.yaml": STS, "checked.yaml": service})
    run = stslint(root, "check", "--format", "json", "--policy", "policy.yaml", "--context", "other", "checked.yaml")
    assert findings(run) == []


def test_rules_and_explain_include_policies(tmp_path):
    root = repo(tmp_path, {**files(), ".stslint.yaml": "policies: [policy.yaml]\n"})
    listing = stslint(root, "rules")
    assert "ACME101  acme-check" in listing.stdout
    assert "STS103   service-not-headless" in listing.stdout  # codes padded to the longest
    as_json = json.loads(stslint(root, "rules", "--format", "json").stdout)
    assert {"code": "ACME101", "name": "acme-check", "severity": "error", "opt_in": False,
            "summary": "The ACME check holds."} in as_json
    explained = stslint(root, "explain", "acme-check")
    assert explained.stdout.startswith("ACME101 acme-check [error]\n\nThe ACME check holds.")
    assert "registry (string, default 'registry.acme.io/')" in explained.stdout
    assert explained.stdout.rstrip().endswith("Defined by the policy at policy.yaml:1.")
    doc = json.loads(stslint(root, "explain", "ACME101", "--format", "json").stdout)
    assert doc["source"] == "policy.yaml:1" and doc["options"]["registry"]["default"] == "registry.acme.io/"
    elsewhere = repo(tmp_path / "elsewhere", {"p/policy.yaml": policy(IMAGES)})
    assert stslint(elsewhere, "explain", "ACME101").exit_code == 2  # no configuration names it: unknown
    assert stslint(elsewhere, "explain", "ACME101", "--policy", "p").exit_code == 0
    assert "ACME101  acme-check" in stslint(elsewhere, "rules", "--policy", "p/policy.yaml").stdout


def test_the_python_api(tmp_path):
    root = repo(tmp_path, files())
    rules = policy_rule_set([PolicySource(str(root / "policy.yaml"), str(root))])
    config = resolve_config(isolated=True, cwd=str(root))
    config.rule_set = rules
    result = lint(discover([str(root / "sts.yaml")]), config.settings(select=["ACME"]))
    assert [(f.code, f.line, f.column) for f in result.findings] == ALL_THREE
    assert result.rules["ACME101"].doc["summary"] == "The ACME check holds."
    assert policy_rule is not None


CONTAINER = "        - name: c{index}\n          image: {image}\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["registry.acme.io/db:1", "docker.io/db:1", "db"]), min_size=1, max_size=6),
       st.data())
def test_a_directive_on_a_findings_line_removes_exactly_that_finding(tmp_path_factory, images, data):
    """Property: for any set of containers, a disable-line directive on the line of some of the policy's
    findings removes exactly those findings."""
    head = STS[:STS.index("      initContainers:")]
    manifest = head + "      containers:\n" + "".join(CONTAINER.format(index=i, image=image)
                                                       for i, image in enumerate(images))
    tmp_path = tmp_path_factory.mktemp("property")
    before = findings(check(tmp_path, files(**{"sts.yaml": manifest})))
    assert len(before) == sum(not image.startswith("registry.acme.io/") for image in images)
    silenced = data.draw(st.sets(st.sampled_from(before))) if before else set()
    lines = manifest.split("\n")
    for _, line, _ in silenced:
        lines[line - 1] += "  # stslint: disable-line=ACME101"
    after = findings(check(tmp_path / "after", files(**{"sts.yaml": "\n".join(lines)})))
    assert after == [f for f in before if f not in silenced]


def test_policy_files_in_the_checked_tree_are_not_manifests(tmp_path):
    policy_set = "kind: PolicySet\npolicies:\n  - " + policy(IMAGES).replace("\n", "\n    ").rstrip() + "\n"
    root = repo(tmp_path, {"policies/one.yaml": policy(IMAGES), "policies/set.yaml": policy_set.replace(
        "ACME101", "ACME102").replace("acme-check", "acme-set"), ".stslint.yaml": "policies: [policies]\n"})
    run = stslint(root, "check", "--format", "json", ".")
    assert run.exit_code == 0 and run.json()["findings"] == []
