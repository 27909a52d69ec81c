"""Properties of fixing, on mutated fixtures (Hypothesis): a fixed text always loads with the check
loader; a text the loader rejects is never changed; a second fix changes nothing; the fixed
findings are gone; and outside the changed lines every line is as it was."""
from __future__ import annotations

import difflib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stslint.api import fix_paths
from stslint.loading.yamlload import LoadError, load_manifest_text
from stslint.settings import Settings
from tests.conftest import FIXTURES

SOURCES = sorted(p.read_text(encoding="utf-8") for p in FIXTURES.glob("STS[1-5]*/bad.yaml"))
SETTINGS = Settings(rule_options={"STS404": {"default-storage-class": "ssd"}})
INSERTED = [" ", "  ", "#", ":", "- ", "{", "}", "\n", "'", '"', "\t", "a", "on", "*x", "&x ", "---\n"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bool, bool]:
    """A fixture with a few random mutations, its line breaks (CRLF or LF) and whether it has a BOM."""
    text = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(0, 3))):
        operation = draw(st.sampled_from(["insert", "delete", "indent", "comment", "strip-end"]))
        position = draw(st.integers(0, max(len(text) - 1, 0)))
        if operation == "insert":
            text = text[:position] + draw(st.sampled_from(INSERTED)) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + 1:]
        elif operation in ("indent", "comment"):
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = " " + lines[index] if operation == "indent" else lines[index] + "  # note"
            text = "\n".join(lines)
        else:
            text = text.rstrip("\n")
    return text, draw(st.booleans()), draw(st.booleans())


def _loads(text: str) -> bool:
    try:
        loaded = load_manifest_text(text)
    except LoadError:
        return False
    return not loaded.duplicate_keys


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(), st.booleans())
def test_fix_never_produces_a_text_the_loader_rejects(case: tuple[str, bool, bool], unsafe: bool) -> None:
    text, crlf, bom = case
    if crlf:
        text = text.replace("\n", "\r\n")
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "m.yaml"
        path.write_bytes(data)
        outcome = fix_paths([str(path)], SETTINGS, unsafe=unsafe)
        [item] = outcome.files
        fixed = item.current.content.text
        if not _loads(text):
            assert not item.changed  # a file the check loader rejects is never touched
            return
        assert _loads(fixed)
        assert item.new_bytes().startswith(b"\xef\xbb\xbf") is bom
        if crlf:
            assert "\n" not in fixed.replace("\r\n", "")  # inserted lines break as the file does
        fixed_keys = {(f.code, f.object, f.anchor) for f in outcome.fixed}
        assert not fixed_keys & {(f.code, f.object, f.anchor) for f in outcome.result.findings}
        old_lines, new_lines = text.splitlines(), fixed.splitlines()
        for tag, i1, i2, _, _ in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
            if tag in ("replace", "delete"):  # a changed line held a fixed field (or a flow mapping it went in)
                assert all(any(key in line for key in ("apiVersion", "Delete", "clusterIP", "{", "- "))
                           for line in old_lines[i1:i2]), old_lines[i1:i2]
        path.write_bytes(item.new_bytes())
        again = fix_paths([str(path)], SETTINGS, unsafe=unsafe)
        assert not again.files[0].changed  # idempotent
