"""expr: CEL expressions (cel-python, the policy extra) over object, item, refs and params — true
passes, false fails, an evaluation error fails with the error in the message; a syntax error is an
invalid policy; without cel-python a policy with expr exits 2 naming the extra; cel-python is imported
only when a loaded policy has an expr."""
from __future__ import annotations

import subprocess
import sys

import pytest

from stslint.policy import cel
from tests.conftest import ROOT
from tests.policy.helpers import HEADER, STS, check, findings, messages
from tests.policy.test_refs import STS as JOIN_STS
from tests.policy.test_refs import pdb

PARTITION = "object.spec.updateStrategy.rollingUpdate.partition <= object.spec.replicas"


def expr_policy(expr: str, extra: str = "") -> str:
    return HEADER + extra + f"expr: '{expr}'\n"


def with_partition(partition: int) -> str:
    return STS.replace("  replicas: 1\n", f"  replicas: 3\n  updateStrategy:\n    rollingUpdate:\n"
                       f"      partition: {partition}\n")


@pytest.mark.parametrize(("partition", "expected"), [(2, []), (3, []), (5, [("ACME101", 2, 1)])])
def test_true_passes_and_false_fails_at_kind(tmp_path, partition, expected):
    run = check(tmp_path, {"policy.yaml": expr_policy(PARTITION), "sts.yaml": with_partition(partition)},
                "sts.yaml", "--select", "ACME")
    assert findings(run) == expected
    if expected:
        assert messages(run) == ['StatefulSet "db": The ACME check holds (expr is false)']


def test_an_evaluation_error_is_a_violation_naming_the_error(tmp_path):
    run = check(tmp_path, {"policy.yaml": expr_policy(PARTITION), "sts.yaml": STS}, "sts.yaml", "--select", "ACME")
    assert findings(run) == [("ACME101", 2, 1)]
    message = messages(run)[0]
    assert message.startswith('StatefulSet "db": The ACME check holds (expr failed: ') and "updateStrategy" in message
    assert "'" not in message
    guarded = f"!has(object.spec.updateStrategy) || {PARTITION}"
    assert findings(check(tmp_path / "guarded", {"policy.yaml": expr_policy(guarded), "sts.yaml": STS}, "sts.yaml",
                          "--select", "ACME")) == []


def test_a_non_boolean_result_is_a_violation(tmp_path):
    run = check(tmp_path, {"policy.yaml": expr_policy("object.spec.replicas"), "sts.yaml": STS}, "sts.yaml",
                "--select", "ACME")
    assert findings(run) == [("ACME101", 2, 1)] and "not a boolean" in messages(run)[0]


def test_item_is_each_target_and_findings_land_on_the_item(tmp_path):
    text = HEADER + "target: allContainers\nexpr: 'item.image.startsWith(\"registry.acme.io/\")'\n" \
        "message: 'container {container} of {object} pulls from elsewhere ({value})'\n"
    run = check(tmp_path, {"policy.yaml": text, "sts.yaml": STS.replace("image: busybox:1.36",
                                                                        "image: registry.acme.io/busybox:1.36")},
                "sts.yaml", "--select", "ACME")
    assert findings(run) == [("ACME101", 23, 11), ("ACME101", 27, 11)]  # each failing container's name:
    assert messages(run) == ["container sidecar of StatefulSet/db pulls from elsewhere (expr is false)",
                             "container main of StatefulSet/db pulls from elsewhere (expr is false)"]


def test_params_are_bound(tmp_path):
    text = HEADER + "params: {min-replicas: 3}\nexpr: 'object.spec.replicas >= params[\"min-replicas\"]'\n"
    run = check(tmp_path, {"policy.yaml": text, "sts.yaml": STS}, "sts.yaml", "--select", "ACME")
    assert findings(run) == [("ACME101", 2, 1)]
    config = ".stslint.yaml"
    run = check(tmp_path / "configured", {"policy.yaml": text, "sts.yaml": STS,
                                           config: "rules: {ACME101: {min-replicas: 1}}\n"}, "sts.yaml",
                "--select", "ACME")
    assert findings(run) == []


def test_refs_are_bound_as_lists_of_objects(tmp_path):
    text = HEADER + "refs:\n  pdbs: {kind: PodDisruptionBudget, selecting: pods}\n" \
        "expr: 'refs.pdbs.all(p, has(p.spec.maxUnavailable) && p.spec.maxUnavailable == 1) && size(refs.pdbs) == 1'\n"
    ok = check(tmp_path / "ok", {"policy.yaml": text, "sts.yaml": JOIN_STS + "---\n" + pdb("a")}, "sts.yaml",
               "--select", "ACME")
    assert findings(ok) == []
    bad = check(tmp_path / "bad", {"policy.yaml": text, "sts.yaml": JOIN_STS + "---\n" + pdb("a", 2)}, "sts.yaml",
                "--select", "ACME")
    assert findings(bad) == [("ACME101", 2, 1)]
    none = check(tmp_path / "none", {"policy.yaml": text, "sts.yaml": JOIN_STS}, "sts.yaml", "--select", "ACME")
    assert findings(none) == [("ACME101", 2, 1)]


@pytest.mark.parametrize(("expr", "where"), [
    ("object.spec.(", "7:20"),
    ("object.spec.replicas >", "7:"),
])
def test_a_syntax_error_is_an_invalid_policy(tmp_path, expr, where):
    run = check(tmp_path, {"policy.yaml": expr_policy(expr), "sts.yaml": STS}, "sts.yaml")
    assert run.exit_code == 2
    assert run.stderr.startswith(f"stslint: policy.yaml:{where}") and 'invalid CEL expression in "expr"' in run.stderr


def test_without_cel_python_a_policy_with_expr_exits_2_naming_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "celpy", None)  # what an environment without the extra gives: ImportError
    monkeypatch.setattr(cel, "_ENVIRONMENT", None)
    monkeypatch.setattr(cel, "_PROGRAMS", {})
    run = check(tmp_path, {"policy.yaml": expr_policy(PARTITION), "sts.yaml": STS}, "sts.yaml")
    assert run.exit_code == 2
    assert run.stderr == ('stslint: policy.yaml:7:1: "expr" needs cel-python, which is not installed: the "policy" '
                          'extra provides it (pip install "stslint[policy]")\n')
    schema_only = check(tmp_path / "schema", {"policy.yaml": HEADER + "schema: {required: [spec]}\n",
                                              "sts.yaml": STS}, "sts.yaml", "--select", "ACME")
    assert schema_only.exit_code == 0  # policies without expr need no extra


PROBE = ("import sys, runpy\nsys.argv = ['stslint', 'check', *sys.argv[1:]]\n"
         "try:\n    runpy.run_module('stslint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
         "print('celpy' in sys.modules)\n")


@pytest.mark.parametrize(("body", "expected"), [("schema: {required: [spec]}\n", "False"),
                                                 (f"expr: '{PARTITION}'\n", "True")])
def test_cel_python_is_imported_only_for_a_policy_with_expr(tmp_path, body, expected):
    (tmp_path / ".git").mkdir()
    (tmp_path / "policy.yaml").write_text(HEADER + body)
    (tmp_path / "sts.yaml").write_text(STS)
    done = subprocess.run([sys.executable, "-c", PROBE, "--policy", "policy.yaml", "sts.yaml"], cwd=tmp_path,
                          capture_output=True, text=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert done.stdout.strip().splitlines()[-1] == expected, done.stderr


def test_cel_python_leaves_the_recursion_limit_alone(monkeypatch):
    monkeypatch.setattr(cel, "_ENVIRONMENT", None)
    monkeypatch.setattr(cel, "_PROGRAMS", {})
    before = sys.getrecursionlimit()
    cel.compile_expression("object.spec.replicas > 1")
    assert sys.getrecursionlimit() == before


def test_a_deeply_nested_expression_never_crashes(tmp_path):
    deep = "(" * 3000 + "true" + ")" * 3000
    run = check(tmp_path, {"policy.yaml": expr_policy(deep), "sts.yaml": STS}, "sts.yaml", "--select", "ACME")
    assert run.exit_code in (1, 2) and "Traceback" not in run.stderr
    if run.exit_code == 1:  # parsed, but too deep to evaluate within the recursion limit: a violation naming it
        assert findings(run) == [("ACME101", 2, 1)] and "expr failed: RecursionError" in messages(run)[0]
