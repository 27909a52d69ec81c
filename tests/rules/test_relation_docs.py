"""The documentation of STS601-STS605 and STS608: explain gives the rationale, the source page, the
options, and a bad example that triggers the rule and a good one that does not."""
from __future__ import annotations

from pathlib import Path

import pytest

from stslint.catalog import explain
from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.conftest import run_stslint

CODES = ["STS601", "STS602", "STS603", "STS604", "STS605", "STS608"]


@pytest.mark.parametrize("code", CODES)
def test_explain_is_complete(code: str):
    doc = explain(code)
    assert doc["rationale"].strip() and doc["remediation"].strip()
    assert doc["reference"].startswith("https://")
    assert set(doc["options"]) == ({"min-replicas"} if code in ("STS601", "STS605") else set())
    for spec in doc["options"].values():
        assert spec == {"type": "integer", "default": 2, "description": spec["description"]} and spec["description"]


@pytest.mark.parametrize("code", CODES)
def test_examples_bad_triggers_the_rule_good_does_not(tmp_path: Path, code: str):
    for kind, fires in (("bad", True), ("good", False)):
        path = tmp_path / f"{kind}.yaml"
        path.write_text(explain(code)["examples"][kind], encoding="utf-8")
        codes = [f.code for f in lint(discover([str(path)]), Settings(selected=resolve([code]))).findings]
        assert codes == ([code] if fires else []), kind


def test_explain_text_shows_the_source_and_rules_marks_the_opt_in_rule():
    text = run_stslint("explain", "STS602").stdout
    assert "Kubernetes documentation: https://kubernetes.io/docs/tasks/run-application/configure-pdb/" in text
    listing = run_stslint("rules").stdout.splitlines()
    rows = {line.split()[0]: line for line in listing if line.split()[0] in CODES}
    assert sorted(rows) == CODES
    assert [rows[c].split()[3] for c in CODES] == ["on", "on", "on", "on", "opt-in", "on"]  # the default state
