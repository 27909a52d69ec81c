"""``stslint test``: policies' examples and PolicyTest cases; exit 1 on any failure and on no tests."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.config_helpers import repo, stslint
from tests.policy.helpers import HEADER, STS

SCHEMA = "schema: {properties: {spec: {properties: {replicas: {minimum: 3}}}}}\n"
BAD = STS  # replicas: 1 at 10:3
GOOD = STS.replace("  replicas: 1\n", "  replicas: 3\n")


def with_examples(bad: str, good: str) -> str:
    indent = lambda text: "".join(f"    {line}\n" for line in text.splitlines())  # noqa: E731
    return HEADER + SCHEMA + "examples:\n  bad: |\n" + indent(bad) + "  good: |\n" + indent(good)


def policy_test(expect: str = "", files: str = "[bad.yaml]") -> str:
    return ("kind: PolicyTest\npolicies: [policy.yaml]\ncases:\n  - name: replicas below three\n"
            f"    files: {files}\n" + expect)


def test_passing_examples_and_cases(tmp_path):
    root = repo(tmp_path, {"policies/policy.yaml": with_examples(BAD, GOOD),
                           "policies/test.yaml": policy_test("    expect:\n      - {code: ACME101, at: \"cases/bad.yaml:10:3\", "
                                                             "message: \"replicas is 1\"}\n", "[cases/bad.yaml]"),
                           "policies/cases/bad.yaml": BAD})
    run = stslint(root, "test", "policies")
    assert run.exit_code == 0, run.stdout
    assert run.stdout.strip() == "3 tests: 3 passed, 0 failed"


def test_a_wrong_expectation_fails_with_a_diff(tmp_path):
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA,
                           "test.yaml": policy_test("    expect:\n      - {code: ACME101, at: \"bad.yaml:11:3\"}\n"),
                           "bad.yaml": BAD})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 1
    assert run.stdout.splitlines() == [
        "FAIL test.yaml:4: replicas below three",
        "  - expected ACME101 at bad.yaml:11:3",
        '  + found    ACME101 at bad.yaml:10:3: StatefulSet "db": The ACME check holds (spec.replicas is 1)',
        "1 test: 0 passed, 1 failed"]


def test_a_message_that_does_not_match_fails(tmp_path):
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA, "bad.yaml": BAD,
                           "test.yaml": policy_test("    expect:\n      - {code: ACME101, message: \"replicas is 2\"}\n")})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 1 and "  - expected ACME101 with a message matching /replicas is 2/" in run.stdout


def test_expect_comments_on_the_offending_lines(tmp_path):
    marked = BAD.replace("  replicas: 1\n", "  replicas: 1  # expect: ACME101\n")
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA, "test.yaml": policy_test(), "bad.yaml": marked})
    assert stslint(root, "test", "test.yaml").exit_code == 0
    root = repo(tmp_path / "unmarked", {"policy.yaml": HEADER + SCHEMA, "test.yaml": policy_test(), "bad.yaml": BAD})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 1 and "  + found    ACME101 at bad.yaml:10:3" in run.stdout


def test_a_bad_example_without_a_finding_fails(tmp_path):
    root = repo(tmp_path, {"policy.yaml": with_examples(GOOD, GOOD)})
    run = stslint(root, "test", "policy.yaml")
    assert run.exit_code == 1
    assert "FAIL policy.yaml:1: ACME101 examples.bad\n  - expected at least one ACME101 finding in examples.bad; " \
        "found none" in run.stdout


def test_a_good_example_with_a_finding_fails(tmp_path):
    root = repo(tmp_path, {"policy.yaml": with_examples(BAD, BAD)})
    run = stslint(root, "test", "policy.yaml")
    assert run.exit_code == 1
    assert "FAIL policy.yaml:1: ACME101 examples.good\n  + unexpected ACME101 at examples.good:10:3: " in run.stdout


def test_no_tests_is_a_failure(tmp_path):
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA})
    run = stslint(root, "test", "policy.yaml")
    assert run.exit_code == 1 and run.stdout.startswith("No policy test found")
    junit = stslint(root, "test", "--format", "junit", "policy.yaml")
    assert junit.exit_code == 1 and ET.fromstring(junit.stdout).get("errors") == "1"


def test_junit_reports_each_test_and_its_failure(tmp_path):
    root = repo(tmp_path, {"policy.yaml": with_examples(GOOD, GOOD)})
    run = stslint(root, "test", "--format", "junit", "policy.yaml")
    suite = ET.fromstring(run.stdout)
    assert run.exit_code == 1 and (suite.get("tests"), suite.get("failures")) == ("2", "1")
    failure = suite.find("testcase/failure")
    assert failure is not None and "expected at least one ACME101" in (failure.text or "")


def test_without_paths_the_configurations_policies_and_the_tests_beside_them(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "policies: [policies]\n", "policies/policy.yaml": HEADER + SCHEMA,
                           "policies/cases/test.yaml": policy_test().replace("[policy.yaml]", "[../policy.yaml]"),
                           "policies/cases/bad.yaml": BAD.replace("  replicas: 1\n", "  replicas: 1  # expect: ACME101\n")})
    run = stslint(root, "test")
    assert run.exit_code == 0 and run.stdout.strip() == "1 test: 1 passed, 0 failed"
    assert stslint(root, "check", "--format", "json", "policies/cases/bad.yaml").exit_code == 1  # the test file is no policy


def test_an_invalid_test_file_exits_2(tmp_path):
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA, "test.yaml": policy_test().replace("files:", "fils:")})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 2 and run.stderr.startswith('stslint: test.yaml:5:5: case 1: unknown key "fils"')


def test_a_case_whose_file_is_missing_fails(tmp_path):
    root = repo(tmp_path, {"policy.yaml": HEADER + SCHEMA, "test.yaml": policy_test(files="[nowhere.yaml]")})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 1 and 'the file "nowhere.yaml" does not exist' in run.stdout


def test_cases_resolve_refs_in_their_context_files(tmp_path):
    pdb = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db, namespace: prod-a}\n"
           "spec: {maxUnavailable: 1, selector: {matchLabels: {app: db}}}\n")
    policy = HEADER + "refs:\n  pdbs: {kind: PodDisruptionBudget, selecting: pods, count: {min: 1}}\n"
    test = ("kind: PolicyTest\npolicies: [policy.yaml]\ncases:\n  - name: covered by a budget elsewhere\n"
            "    files: [sts.yaml]\n    context: [platform]\n  - name: not covered\n    files: [sts.yaml]\n"
            "    expect: [{code: ACME101, at: \"sts.yaml:2:1\"}]\n")
    root = repo(tmp_path, {"policy.yaml": policy, "test.yaml": test, "sts.yaml": STS, "platform/pdb.yaml": pdb})
    run = stslint(root, "test", "test.yaml")
    assert run.exit_code == 0, run.stdout
