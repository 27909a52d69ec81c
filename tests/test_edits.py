"""Building edits: scalars that YAML 1.1 would misread are quoted; a replacement keeps the quoting
style; insertions follow the mapping's indentation, line breaks and style; shapes that cannot be
edited safely give no edit."""
from __future__ import annotations

import pytest

from stslint.edits import insert_entries, insert_key, line_break, make_fix, replace_scalar, scalar_text
from stslint.fixes import apply_edits
from stslint.loading.source_text import SourceText
from stslint.loading.yamlload import load_text
from stslint.model.fields import Fields


def _fields(text: str, *path: str) -> tuple[SourceText, Fields]:
    root = load_text(text).documents[0].root
    fields = Fields(root, "")
    for key in path:
        fields = fields.nested(key, fields.raw(key)) if not key.isdigit() else Fields(fields.data, "")
    return SourceText(text), fields


@pytest.mark.parametrize("value", ["on", "yes", "Y", "off", "null", "1.10", "2001-12-14", "a: b", "#x", "", " x",
                                   "x ", "*a", "- x", "true", "0x1F", "190:20:30", "é"])
def test_scalars_read_back_as_the_same_string(value):
    written = scalar_text(value)
    assert load_text(f"k: {written}\n").documents[0].root["k"] == value
    assert load_text(f"{{k: {scalar_text(value, json_style=True)}}}\n").documents[0].root["k"] == value


@pytest.mark.parametrize("value", ["on", "yes", "1.10", "2001-12-14", "a: b", "#x", "", " x", "*a", "- x", "true",
                                   "0x1F", "it's: 'q'", "~", "[x]"])
def test_quoted_scalars_are_what_ruamel_yaml_emits_in_yaml_1_1_mode(value):
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.version = (1, 1)
    stream = io.StringIO()
    yaml.dump([value], stream)
    emitted = [line for line in stream.getvalue().splitlines() if not line.startswith(("%YAML", "---"))]
    assert scalar_text(value) == emitted[0][2:]


def test_a_value_with_a_control_character_is_quoted_by_ruamel_yaml():
    written = scalar_text("a\x07b")
    assert written.startswith('"') and load_text(f"k: {written}\n").documents[0].root["k"] == "a\x07b"


def test_plain_words_stay_plain():
    assert scalar_text("db") == "db" and scalar_text("app.kubernetes.io/name") == "app.kubernetes.io/name"
    assert scalar_text("on") != "on"


@pytest.mark.parametrize("written, replacement", [("Delete", "Retain"), ('"Delete"', '"Retain"'),
                                                   ("'Delete'", "'Retain'")])
def test_a_replacement_keeps_the_quoting_style(written, replacement):
    source, fields = _fields(f"p: {written}  # c\n")
    edit = replace_scalar(source, fields, "p", "Retain", "f", None)
    assert edit is not None and apply_edits(source.text, [edit]) == f"p: {replacement}  # c\n"


@pytest.mark.parametrize("text", ["p: &a Delete\n", "p: !!str Delete\n", "p: |\n  Delete\n", "p: [Delete]\n",
                                  "p:\n", "base: &b {p: Delete}\nm:\n  <<: *b\n"])
def test_shapes_not_edited_give_no_edit(text):
    source, fields = _fields(text)
    if "<<" in text:
        source, fields = _fields(text, "m")
    assert replace_scalar(source, fields, "p", "Retain", "f", None) is None


def test_insertion_follows_indentation_line_breaks_and_list_items():
    text = "items:\r\n- kind: A\r\n  spec:\r\n     x: 1\r\n"
    root = load_text(text).documents[0].root
    item = Fields(root["items"][0], "items[0]")
    source = SourceText(text)
    edit = insert_entries(source, item, {"new": {"a": "on"}}, "f", None, step=3)
    assert apply_edits(text, [edit]) == "items:\r\n- new:\r\n     a: 'on'\r\n  kind: A\r\n  spec:\r\n     x: 1\r\n"
    assert line_break(source, 2) == "\r\n"


def test_insertion_into_a_flow_mapping_is_flow_and_json_in_json():
    source, fields = _fields("spec: {a: 1}\n", "spec")
    edit = insert_key(source, fields, "k", "v", "f", None)
    assert apply_edits(source.text, [edit]) == "spec: {k: v, a: 1}\n"
    json_text = '{"spec": {"a": 1}}\n'
    source, fields = _fields(json_text, "spec")
    edit = insert_key(source, fields, "k", "on", "f", None)
    assert apply_edits(json_text, [edit]) == '{"spec": {"k": "on", "a": 1}}\n'


def test_no_insertion_before_a_complex_key_or_into_an_aliased_mapping_or_over_a_present_key():
    source, fields = _fields("m:\n  ? a\n  : 1\n", "m")
    assert insert_key(source, fields, "k", "v", "f", None) is None
    source, fields = _fields("m: {a: 1}\n", "m")
    assert insert_key(source, fields, "a", "v", "f", None) is None
    text = "base: &b {a: 1}\nm: *b\n"
    root = load_text(text).documents[0].root
    aliased = Fields(root, "").nested("m", root["m"])
    assert insert_key(SourceText(text), aliased, "k", "v", "f", None) is None


def test_a_fix_with_a_missing_edit_is_none():
    source, fields = _fields("p: Delete\n")
    edit = replace_scalar(source, fields, "p", "Retain", "f", None)
    assert make_fix("t", "safe", [edit]) is not None
    assert make_fix("t", "safe", [edit, None]) is None and make_fix("t", "safe", []) is None
