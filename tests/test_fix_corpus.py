"""``fix --diff`` over the shared corpus, set by set (as EXPECTED.md lists them), with and without
--unsafe-fixes: every hunk applies cleanly (patch -p1) and gives exactly what ``fix`` writes; it
touches only the lines of the fixed fields; a set with no applicable fix gets no diff; and the
fixed files load, with none of the fixed findings left."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CORPUS, _invoke_in
from tests.diff_helpers import apply_unified_diff
from tests.test_corpus import SETS

FIELD_KEYS = ("apiVersion", "whenDeleted", "whenScaled", "persistentVolumeReclaimPolicy", "reclaimPolicy",
              "clusterIP", "storageClassName")
"""The keys whose lines a fix may change (a flow mapping's line gains the key inserted into it)."""

INSERTED = ("selector:", "matchLabels:", "updateStrategy:", "type: OnDelete", "reclaimPolicy: Retain",
            "clusterIP: None", "storageClassName:")


def _copy(files: list[str], root: Path) -> None:
    for name in files:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(CORPUS / name, target)


def _check_lines(diff: str) -> None:
    """Changed lines hold a fixed field; added lines are that field or a block a fix inserts (a
    selector's labels included)."""
    in_block = False
    for line in diff.splitlines():
        if line.startswith(("---", "+++", "@@", "#", "\\")):
            in_block = False
            continue
        body = line[1:].strip()
        if line.startswith("-"):
            assert any(key in body for key in FIELD_KEYS) or body.startswith("- "), line
        elif line.startswith("+"):
            if any(body.startswith(key) or key in body for key in INSERTED):
                in_block = body.endswith(":")
                continue
            assert in_block or any(key in body for key in FIELD_KEYS) or body.startswith("- "), line
        else:
            in_block = False


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("name", sorted(SETS))
def test_corpus_fix_diff(tmp_path: Path, name: str, unsafe: bool) -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    files = SETS[name]["files"]
    options = ["--isolated", *(["--unsafe-fixes"] if unsafe else [])]
    diffed, patched, fixed = tmp_path / "diffed", tmp_path / "patched", tmp_path / "fixed"
    for root in (diffed, patched, fixed):
        _copy(files, root)
    result = _invoke_in(diffed, ["fix", "--diff", *options, *files])
    assert result.exit_code in (0, 1)
    for file in files:  # --diff writes nothing
        assert (diffed / file).read_bytes() == (CORPUS / file).read_bytes()
    _invoke_in(fixed, ["fix", *options, *files])
    changed = [file for file in files if (fixed / file).read_bytes() != (CORPUS / file).read_bytes()]
    if not changed:
        assert result.stdout == "" and result.exit_code == 0
        return
    assert result.exit_code == 1
    _check_lines(result.stdout)
    assert sorted(apply_unified_diff(patched, result.stdout)) == sorted(changed)  # every hunk applies exactly
    if shutil.which("patch"):  # and so does patch(1)
        again_patched = tmp_path / "patch1"
        _copy(files, again_patched)
        (tmp_path / "fix.patch").write_text(result.stdout, encoding="utf-8", newline="")
        subprocess.run(["patch", "-s", "-p1", "--binary", "-i", str(tmp_path / "fix.patch")], cwd=again_patched,
                       check=True)
        for file in files:
            assert (again_patched / file).read_bytes() == (fixed / file).read_bytes(), file
    for file in files:
        assert (patched / file).read_bytes() == (fixed / file).read_bytes(), file
    again = _invoke_in(fixed, ["fix", "--diff", *options, *files])
    assert again.stdout == "" and again.exit_code == 0  # idempotent


def test_the_corpus_has_fixes_to_apply() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    assert any(row[0] in ("reclaim-delete", "deprecated-api") for s in SETS.values() for row in s["rows"])
