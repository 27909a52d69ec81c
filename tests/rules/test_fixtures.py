"""Every rule on its fixtures: each bad.yaml gives exactly the findings its `# expect:` lines name
(code, line, column), each good.yaml gives none, and the example app is clean as a whole."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.conftest import FIXTURES

EXPECT = re.compile(r"^# expect: (STS\d{3}) (\d+):(\d+)\s*$")
RULE_DIRS = sorted(p for p in FIXTURES.glob("STS*") if p.is_dir())


def expected(path: Path) -> list[tuple[str, int, int]]:
    """The findings a fixture declares in its `# expect:` header lines."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match:
            found.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return sorted(found)


def fixture_options(path: Path) -> dict[str, dict[str, object]]:
    """The rule options a fixture is linted with: its directory's ``options.yaml`` (a configuration's
    ``rules:``, for rules that do nothing until configured, such as STS407), else none."""
    import yaml

    options = path.parent / "options.yaml"
    return yaml.safe_load(options.read_text(encoding="utf-8")) if options.exists() else {}


def fixture_selection(code: str) -> frozenset[str]:
    """What a fixture of rule ``code`` is linted with: every rule (opt-in ones too, STS005 and STS409
    among them) but the opt-in STS605, which only its own fixtures run (replicas not spread is a
    placement policy most fixtures have no reason to state)."""
    return resolve(["ALL"], ignore=[] if code == "STS605" else ["STS605"])


def findings(*paths: Path) -> list[tuple[str, int, int]]:
    code = paths[0].parent.name.split("-")[0]
    selected = fixture_selection(code)
    settings = Settings(selected=selected, rule_options=fixture_options(paths[0]))
    result = lint(discover([str(p) for p in paths]), settings)
    return sorted((f.code, f.line, f.column) for f in result.findings)


def test_every_rule_has_fixtures():
    from stslint.rules import RULES

    codes = {p.name.split("-")[0] for p in RULE_DIRS}
    generated = {"STS004"}  # unreadable files (permissions, binaries, sizes) are made by the tests
    assert codes == set(RULES) - generated, f"rules without fixtures: {sorted(set(RULES) - generated - codes)}"
    for directory in RULE_DIRS:
        code, name = directory.name.split("-", 1)
        assert RULES[code].name == name, directory


@pytest.mark.parametrize("directory", RULE_DIRS, ids=lambda p: p.name)
def test_bad_fixture_gives_exactly_the_expected_findings(directory: Path):
    bad = directory / "bad.yaml"
    want = expected(bad)
    code = directory.name.split("-")[0]
    assert want and any(c == code for c, _, _ in want), "a bad fixture must expect its own rule"
    assert findings(bad) == want


@pytest.mark.parametrize("directory", [d for d in RULE_DIRS if (d / "good.yaml").exists()], ids=lambda p: p.name)
def test_good_fixture_is_clean(directory: Path):
    assert findings(directory / "good.yaml") == []


def test_example_app_is_clean_as_a_whole():
    result = lint(discover([str(FIXTURES / "example-app")]))
    assert [(f.code, f.file, f.line) for f in result.findings] == []
    assert result.files >= 4 and result.objects >= 6


def test_example_app_statefulset_alone_misses_its_service():
    alone = FIXTURES / "example-app" / "statefulsets" / "postgres.yaml"
    assert "STS102" in {c for c, _, _ in findings(alone)}
