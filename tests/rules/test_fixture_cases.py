"""Cross-file fixture cases: each ``fixtures/<CODE>-<name>/cases/<case>/`` directory is one run over
all its manifests together (its ``context/`` directory, when there is one, given as context), linted
like the rule's own fixtures, with the case's ``options.yaml`` when there is one. Every file gives
exactly the findings its ``# expect:`` lines name; a context file gives none."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from stslint.api import lint_paths
from stslint.context import ContextRequest
from stslint.engine import Settings
from tests.conftest import FIXTURES
from tests.rules.test_fixtures import expected, fixture_selection

CASES = sorted(p for p in FIXTURES.glob("STS*/cases/*") if p.is_dir())


def case_findings(case: Path) -> dict[str, list[tuple[str, int, int]]]:
    """The findings of one case run, by file name relative to the case directory."""
    code = case.parent.parent.name.split("-")[0]
    options_file = case / "options.yaml"
    options = yaml.safe_load(options_file.read_text(encoding="utf-8")) if options_file.exists() else {}
    files = sorted(str(p) for p in case.glob("*.yaml") if p.name != "options.yaml")
    context = ContextRequest(paths=[str(case / "context")], use_cache=False) if (case / "context").is_dir() else None
    result = lint_paths(files, Settings(selected=fixture_selection(code), rule_options=options), context)
    found: dict[str, list[tuple[str, int, int]]] = {}
    for finding in result.findings:
        name = str(Path(finding.file).resolve().relative_to(case.resolve()))
        found.setdefault(name, []).append((finding.code, finding.line, finding.column))
    return {name: sorted(items) for name, items in found.items()}


def test_cases_exist_for_the_cross_file_rules():
    rules = {case.parent.parent.name.split("-")[0] for case in CASES}
    assert {"STS601", "STS602", "STS603", "STS608"} <= rules


@pytest.mark.parametrize("case", CASES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_case_gives_exactly_the_expected_findings(case: Path):
    want = {str(p.relative_to(case)): expected(p) for p in sorted(case.rglob("*.yaml")) if p.name != "options.yaml"}
    want = {name: items for name, items in want.items() if items}
    assert not any(name.startswith("context/") for name in want), "context files are never reported on"
    assert case_findings(case) == want
