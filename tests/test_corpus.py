"""The shared real-world corpus: every set of ../shared/corpus/EXPECTED.md, linted alone, gives the
expected findings of the six scored families (file, object, container and line), and the expected
input errors. Codes outside the families are left out here and tested on their own fixtures."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from stslint.engine import lint
from stslint.loading.discover import discover
from tests.conftest import CORPUS

FAMILY = {
    "STS101": "governing-service", "STS102": "governing-service", "STS103": "governing-service",
    "STS104": "governing-service", "STS201": "selector-mismatch", "STS202": "selector-mismatch",
    "STS301": "probes", "STS302": "probes", "STS401": "reclaim-delete", "STS402": "reclaim-delete",
    "STS403": "reclaim-delete", "STS404": "storage-class", "STS501": "deprecated-api",
}
INPUT = {"STS001", "STS002", "STS003", "STS004"}

# Sets where we believe EXPECTED.md is wrong, with the reason. Empty: stslint agrees with every set.
KNOWN_DISAGREEMENTS: dict[str, str] = {}


def parse_expected(md: Path) -> dict[str, dict]:
    """Sets as {name: {"repo", "files", "rows": [(family, file, line, object, container, optional)]}}."""
    sets: dict[str, dict] = {}
    current = None
    for line in md.read_text(encoding="utf-8").splitlines():
        head = re.match(r"^### `([^`]+)` — (\S+)", line)
        if head:
            current = sets.setdefault(head.group(1), {"repo": head.group(2).replace("/", "__"),
                                                      "files": [], "rows": []})
            continue
        if current is None:
            continue
        item = re.match(r"^  - `([^`]+)`", line)
        if item:
            current["files"].append(item.group(1))
            continue
        row = re.match(r"^\| (E?\d+) \| ([^|]+) \| `([^`]+)` \| ([^|]*) \| ([^|]*) \|(.*)$", line)
        if row:
            number, family, where, obj, container, why = (g.strip() for g in row.groups())
            file, line_no = where.split(":")[:2]
            is_input = number.startswith("E")
            current["rows"].append(("input-error" if is_input else family, file, int(line_no), obj,
                                    container.strip("`"), is_input and "documented skip" in why))
    return sets


SETS = parse_expected(CORPUS / "EXPECTED.md") if (CORPUS / "EXPECTED.md").exists() else {}


def test_expected_md_parsed():
    if not SETS:
        pytest.skip("../shared/corpus is not available")
    assert len(SETS) == 32
    assert sum(len(s["rows"]) for s in SETS.values()) == 83


@pytest.mark.parametrize("name", sorted(SETS))
def test_corpus_set(name: str):
    if name in KNOWN_DISAGREEMENTS:
        pytest.xfail(KNOWN_DISAGREEMENTS[name])
    entry = SETS[name]
    files = [str(CORPUS / f) for f in entry["files"]]
    result = lint(discover(files))
    base = str(CORPUS / entry["repo"]) + "/"
    got = Counter()
    inputs = set()
    for f in result.findings:
        rel = f.file[len(base):] if f.file.startswith(base) else f.file
        if f.code in INPUT:
            inputs.add(rel)
        elif f.code in FAMILY:
            got[(FAMILY[f.code], rel, f.line, f.object or "", f.container or "")] += 1
    want = Counter()
    want_inputs, optional_inputs = set(), set()
    for family, file, line, obj, container, optional in entry["rows"]:
        if family == "input-error":
            (optional_inputs if optional else want_inputs).add(file)
        else:
            want[(family, file, line, obj, container)] += 1
    assert got == want
    assert want_inputs <= inputs <= want_inputs | optional_inputs
