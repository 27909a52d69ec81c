"""The policies that ship in examples/policies: each failing manifest gives exactly the findings its
``# expect:`` lines name (with every rule and every example policy on), each passing one none; they
validate against schemas/policy.schema.json, which is what stslint.policy.editor_schema builds."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.policy import PolicySource, policy_rule_set
from stslint.policy.editor_schema import render
from stslint.policy.files import MATCH_KEYS, POLICY_KEYS, REQUIRED
from stslint.selection import resolve
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "policies"
EXPECT = re.compile(r"^# expect: ([A-Z][A-Z0-9]*\d{3}) (\d+):(\d+)\s*$")
CASES = sorted(p for p in (EXAMPLES / "tests").iterdir() if p.is_dir())
SCHEMA = json.loads((ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8"))


def example_findings(path: Path) -> list[tuple[str, int, int]]:
    """Every finding of every rule and of the case's own policy (each example policy is judged on its
    own manifests: the join policies would otherwise ask every other case for budgets)."""
    rules = policy_rule_set([PolicySource(str(EXAMPLES), str(ROOT))])
    selected = resolve(["ALL"], ["STS605"], rules=rules)  # opt-in STS605 runs on its own fixtures only
    result = lint(discover([str(path)]), Settings(selected=selected, rules=rules))
    own = path.parent.name
    return sorted((f.code, f.line, f.column) for f in result.findings if f.code.startswith("STS") or f.code == own)


def test_stslint_test_runs_the_shipped_examples_and_their_policy_tests():
    from click.testing import CliRunner

    from stslint.cli import cli

    result = CliRunner().invoke(cli, ["test", str(EXAMPLES)])
    assert result.exit_code == 0, result.output
    tests = int(result.output.strip().splitlines()[-1].split()[0])
    assert tests >= 2 + 4 * 3 and "0 failed" in result.output


def expected(path: Path) -> list[tuple[str, int, int]]:
    found = [EXPECT.match(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted((m.group(1), int(m.group(2)), int(m.group(3))) for m in found if m)


def test_every_example_policy_has_a_failing_and_a_passing_manifest():
    codes = sorted(p.name.split("-")[0] for p in EXAMPLES.glob("*.yaml"))
    assert codes == [case.name for case in CASES] and len(codes) >= 5
    for case in CASES:
        assert (case / "bad.yaml").is_file() and (case / "good.yaml").is_file()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_failing_manifest_gives_exactly_the_expected_findings(case: Path):
    want = expected(case / "bad.yaml")
    assert want and all(code == case.name for code, _, _ in want)
    assert example_findings(case / "bad.yaml") == want


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_the_passing_manifest_is_clean(case: Path):
    assert example_findings(case / "good.yaml") == []


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_example_policies_validate_against_the_editor_schema(path: Path):
    jsonschema.Draft202012Validator(SCHEMA).validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_committed_editor_schema_is_up_to_date():
    assert (ROOT / "schemas" / "policy.schema.json").read_text(encoding="utf-8") == render()
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_editor_schema_knows_the_keys_the_loader_knows():
    policy = SCHEMA["$defs"]["policy"]
    assert sorted(policy["properties"]) == sorted(POLICY_KEYS)
    assert policy["required"] == list(REQUIRED)
    assert sorted(SCHEMA["$defs"]["match"]["properties"]) == sorted(MATCH_KEYS)


@pytest.mark.parametrize("document", [
    {"code": "STS901", "name": "x", "severity": "error", "summary": "s", "rationale": "r", "remediation": "f",
     "schema": {}},
    {"code": "ACME101", "name": "x", "severity": "error", "summary": "s", "rationale": "r", "remediation": "f",
     "schema": {}, "target": "pods"},
    {"kind": "PolicySet", "policies": []},
], ids=["sts-code", "target", "empty-set"])
def test_the_editor_schema_refuses_what_the_loader_refuses(document):
    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(document)


def test_the_readme_walks_through_a_shipped_policy():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Writing a policy"):]
    assert "examples/policies/ACME101-prod-storage-class.yaml" in section
    shipped = (EXAMPLES / "ACME101-prod-storage-class.yaml").read_text(encoding="utf-8")
    block = section[section.index("```yaml\n") + 8:]
    assert block[:block.index("```")] in shipped
