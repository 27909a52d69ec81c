"""Fixes: offset edits against the one source text change only the bytes they name, whatever the
encoding, BOM, line breaks and comments of the file."""
from __future__ import annotations

import codecs
from typing import Any, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stslint.engine import Settings, lint
from stslint.findings import Edit, Finding, Fix
from stslint.fixes import EditConflict, apply_edits, fixed_bytes
from stslint.loading import load_source
from stslint.loading.discover import Source, discover
from stslint.loading.yamlload import load_text
from stslint.model.fields import Fields
from stslint.model.network import Service
from stslint.rules import BUILTIN, define_object_rule
from stslint.selection import resolve

SERVICE = ("# the database's Service — ünïcode before the edit\r\n"
           "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: db   # keep this comment\r\n"
           "spec:\r\n  clusterIP: 10.0.0.7  # was set by hand\r\n  selector: {app: db}\r\n")


def headless_fix(service: Service, options: dict[str, Any]) -> Iterator[Finding]:
    """A throwaway rule whose fix sets clusterIP to None."""
    spec = service.spec()
    if spec is None or not spec.has_key("clusterIP") or not spec.editable("clusterIP"):
        return
    span = spec.value_span("clusterIP")
    edit = Edit(service.file, span[4], span[5], "None", service.source_path)
    yield service.finding("TST900", "not headless", span, fix=Fix("set clusterIP: None", "unsafe", (edit,)))


RULES = BUILTIN.with_rules([define_object_rule("TST900", "fix-me", "error", headless_fix, view=Service)])


@pytest.mark.parametrize("encoding, bom", [("utf-8", codecs.BOM_UTF8), ("utf-8", b""),
                                           ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-be", codecs.BOM_UTF32_BE)])
def test_a_fix_changes_only_the_bytes_it_edits(tmp_path, encoding, bom):
    path = tmp_path / "svc.yaml"
    original = bom + SERVICE.encode(encoding)
    path.write_bytes(original)
    result = lint(discover([str(path)]), Settings(selected=resolve(["TST900"], rules=RULES), rules=RULES))
    [finding] = result.findings
    assert finding.fix is not None and finding.fix.applicability == "unsafe"
    content = load_source(Source(str(path), str(path), True)).content
    fixed = fixed_bytes(content, finding.fix.edits)
    expected = bom + SERVICE.replace("10.0.0.7", "None").encode(encoding)
    assert fixed == expected
    assert SERVICE[finding.start:finding.end] == "10.0.0.7"  # offsets are code points of the decoded text


def test_a_field_reached_through_a_merge_key_or_an_alias_is_not_editable():
    root = load_text("base: &b {clusterIP: 1.2.3.4}\nspec:\n  <<: *b\n  type: ClusterIP\nother: *b\n").documents[0].root
    spec = Fields(root["spec"], "spec")
    assert not spec.editable("clusterIP") and spec.editable("type")
    other = Fields(root, "").nested("other", root["other"])
    assert not other.editable("clusterIP")  # positions are the alias's, not the field's


def test_edits_must_not_overlap_or_leave_the_text():
    with pytest.raises(EditConflict):
        apply_edits("abcdef", [Edit("f", 1, 3, "x"), Edit("f", 2, 4, "y")])
    with pytest.raises(EditConflict):
        apply_edits("abc", [Edit("f", 2, 9, "x")])


@given(st.text(max_size=40), st.data())
def test_applied_edits_keep_every_character_outside_them(text, data):
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(text)), max_size=6))))  # distinct: order-free
    edits = [Edit("f", a, b, data.draw(st.text(max_size=3))) for a, b in zip(cuts[::2], cuts[1::2])]
    result = apply_edits(text, list(reversed(edits)))  # the order given does not matter
    expected = list(text)
    for edit in reversed(edits):  # an independent oracle: from the end, on a list of characters
        expected[edit.start:edit.end] = list(edit.replacement)
    assert result == "".join(expected)
    untouched = [i for i in range(len(text)) if not any(e.start <= i < e.end for e in edits)]
    assert all(text[i] in result for i in untouched)
    assert apply_edits(text, []) == text
