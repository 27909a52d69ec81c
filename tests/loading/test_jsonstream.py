"""The JSON stream reader: values, spans, JSON semantics, errors, limits, and kubectl's YAML fallback."""
from __future__ import annotations

import json
import sys

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stslint.loading import FileResult, jsonstream, load_content, yamlload
from stslint.loading.discover import Source
from stslint.loading.jsonstream import load_json, load_stream, starts_json_stream
from stslint.loading.source_text import SourceText
from stslint.loading.yamlload import LoadError, load_text
from stslint.model.nodes import YMap, YSeq
from stslint.suppress import parse_comments
from tests.conftest import FIXTURES

STREAM = (
    '{\n'
    '  "apiVersion": "apps/v1",\n'
    '  "kind": "StatefulSet",\n'
    '  "spec": {"replicas": 3, "names": ["a", "b"]}\n'
    '}{"kind": "Service",\n'
    ' "spec": {}}\n'
    '\n'
    '\t{"kind": "ConfigMap", "data": {"k": "v"}}'
)


def roots(text: str) -> list:
    return [document.root for document in load_stream(text).documents]


def error(text: str, loader=load_stream) -> tuple[str, int, int, str]:
    with pytest.raises(LoadError) as info:
        loader(text)
    return info.value.code, info.value.line, info.value.column, info.value.message


# --- what is a JSON stream -----------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("{}", True), (" \t\r\n{", True), ("\ufeff{", True), ("\ufeff \n{}", True),
    ("[{}]", False), ("# a comment\n{}", False), ("---\n{}", False), ("a: {}", False), ("", False),
    ("\x85{}", False), ("\u00a0{}", False), ("\x0c{}", False), ("\n\n", False),
])
def test_a_stream_is_a_text_whose_first_non_whitespace_character_is_a_brace(text, expected):
    assert starts_json_stream(text) is expected


# --- values and spans ----------------------------------------------------------------------------

def test_positions_of_keys_and_values_in_a_multi_object_stream():
    loaded = load_stream(STREAM)
    first, second, third = loaded.documents
    assert [d.index for d in loaded.documents] == [0, 1, 2]
    assert first.root == {"apiVersion": "apps/v1", "kind": "StatefulSet",
                          "spec": {"replicas": 3, "names": ["a", "b"]}}
    assert first.span == (1, 1, 5, 2, 0, STREAM.index("}{") + 1)
    assert first.root.key_span("kind") == (3, 3, 3, 9, 31, 37)
    assert first.root.value_span("kind") == (3, 11, 3, 24, 39, 52)
    spec = first.root["spec"]
    assert spec.key_span("replicas")[:4] == (4, 12, 4, 22)
    assert spec.value_span("replicas")[:4] == (4, 24, 4, 25)
    assert spec["names"].item_span(1)[:4] == (4, 42, 4, 45)
    assert spec.span[:4] == (4, 11, 4, 47)
    assert second.span[:4] == (5, 2, 6, 13)
    assert second.root.key_span("kind")[:2] == (5, 3)
    assert second.root.value_span("spec")[:4] == (6, 10, 6, 12)
    assert third.span[:4] == (8, 2, 8, 43)
    assert third.root["data"].value_span("k")[:4] == (8, 38, 8, 41)


def test_every_offset_agrees_with_the_line_table_whatever_the_line_breaks():
    for line_break in ("\n", "\r\n", "\r"):
        text = STREAM.replace("\n", line_break)
        source = SourceText(text)
        for document in load_stream(text).documents:
            for span in _spans(document.root):
                assert source.position(span[4]) == span[:2]
                assert source.position(span[5]) == span[2:4]


def test_a_string_holding_one_of_yaml_s_other_line_breaks_moves_the_lines_after_it():
    text = '{"a": "x\x85y", "b":\n 1}'
    root = roots(text)[0]
    assert root["a"] == "x\x85y"
    assert root.value_span("a")[:4] == (1, 7, 2, 3)
    assert root.key_span("b")[:2] == (2, 5)
    assert root.value_span("b")[:2] == (3, 2)


def test_a_single_json_object_gets_the_yaml_loader_s_values_and_spans():
    # a single JSON object was read by the YAML loader before: the same nodes, spans and documents
    compared = 0
    for path in sorted(FIXTURES.rglob("*.yaml")):
        try:
            documents = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError:
            continue
        for data in documents:
            if not isinstance(data, dict):
                continue
            for text in (json.dumps(data, indent=2, default=str), json.dumps(data, default=str),
                         json.dumps(data, indent="\t", ensure_ascii=False, default=str) + "\n"):
                [from_yaml] = load_text(text).documents
                [from_json] = load_stream(text).documents
                assert from_json.span == from_yaml.span
                _assert_same(from_json.root, from_yaml.root)
                compared += 1
    assert compared > 100


def test_numbers_are_read_as_json_numbers():
    root = roots('{"a": 1e3, "b": 10, "c": -0, "d": 1.5, "e": 2E-2, "f": 1.0, "g": 123456789012345678901234567890,'
                 ' "h": 1e400}')[0]
    assert root == {"a": 1000.0, "b": 10, "c": 0, "d": 1.5, "e": 0.02, "f": 1.0, "g": 123456789012345678901234567890,
                    "h": float("inf")}
    assert [type(root[k]) for k in "abcdefg"] == [float, int, int, float, float, float, int]
    assert load_text('{"a": 1e3}').documents[0].root["a"] == "1e3"  # YAML 1.1 (the YAML path) differs


def test_strings_and_escapes_are_read_as_json_strings():
    root = roots(r'{"a": "\"\\\/\b\f\n\r\t", "b": "\u00e9\u4e2d", "c": "", "d": "x\u0000y", "\u006b": 1}')[0]
    assert root == {"a": "\"\\/\b\f\n\r\t", "b": "é中", "c": "", "d": "x\0y", "k": 1}


def test_surrogate_pairs_are_joined_and_lone_surrogates_become_replacement_characters():
    data = {"apiVersion": "v1", "kind": "Service", "metadata": {"annotations": {"emoji": "😀 x 𝄞"}}}
    text = json.dumps(data) + json.dumps(data)
    assert "\\ud83d\\ude00" in text
    assert roots(text) == [data, data]
    root = roots(r'{"a": "\ud800", "b": "x\udc00\ud83dy", "\udfff": "\ude00\ud83d"}')[0]
    assert root == {"a": "\ufffd", "b": "x\ufffd\ufffdy", "\ufffd": "\ufffd\ufffd"}  # as Go's decoder


def test_literals_and_values_that_are_not_objects_are_documents():
    assert roots('{"a": [true, false, null]}[1, {}]"s"\n7 null{}') == [
        {"a": [True, False, None]}, [1, {}], "s", 7, None, {}]


def test_empty_objects_and_streams():
    assert roots("{}{}") == [{}, {}]
    assert roots("{}\n{ }\n\n{\n}\n") == [{}, {}, {}]
    assert [d.span[:4] for d in load_stream("{}\n{ }").documents] == [(1, 1, 1, 3), (2, 1, 2, 4)]
    assert load_json("").documents == []
    assert load_json(" \n\t\r\n").documents == []
    assert load_json("\ufeff").documents == []


def test_a_bom_is_not_a_column_of_the_first_value_s_offset():
    [document] = load_stream('\ufeff{"a": 1}').documents
    assert document.span[4:] == (1, 9)
    assert document.root.key_span("a")[4:] == (2, 5)


def test_a_duplicate_key_is_recorded_at_the_repeated_key_and_the_last_value_wins():
    text = '{"a": 1,\n "b": {"c": 1, "c": 2},\n "a": 3}'
    loaded = load_stream(text)
    assert loaded.documents[0].root == {"a": 3, "b": {"c": 2}}
    assert loaded.documents[0].root.value_span("a")[:2] == (3, 7)
    assert loaded.duplicate_keys == [("c", (2, 16, 2, 19, 24, 27)), ("a", (3, 2, 3, 5, 34, 37))]
    single = '{"a": 1,\n "a": 2}'
    assert load_stream(single).duplicate_keys == load_text(single).duplicate_keys


def test_a_duplicate_key_is_sts002_at_the_same_place_as_in_yaml():
    text = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}\n{"kind": "Service",\n "kind": "x"}\n'
    result = load_content(FileResult(Source("s.json", None, True), content=SourceText(text)))
    assert [(f.code, f.line, f.column) for f in result.errors] == [("STS002", 3, 2)]
    assert result.errors[0].message.startswith("duplicate key \"kind\"")
    assert len(result.documents) == 2


# --- errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, where, message", [
    ('{"a": 1,}', (1, 8), "invalid JSON: a trailing comma before \"}\" (JSON allows none)"),
    ('{"a": [1,\n  2,\n]}', (2, 4), "invalid JSON: a trailing comma before \"]\" (JSON allows none)"),
    ('{"a": 1 "b": 2}', (1, 9), "invalid JSON: expected \",\" or \"}\" after an object member, found \"\\\"\""),
    ('{"a" 1}', (1, 6), "invalid JSON: expected \":\" after an object key, found \"1\""),
    ("{'a': 1}", (1, 2), "invalid JSON: expected a string in double quotes as an object key, found \"'\""),
    ('{a: 1}', (1, 2), "invalid JSON: expected a string in double quotes as an object key, found \"a\""),
    ('{"a": [1 2]}', (1, 10), "invalid JSON: expected \",\" or \"]\" after an array item, found \"2\""),
    ('{"a": tru}', (1, 7), "invalid JSON: expected a value, found \"t\""),
    ('{"a": NaN}', (1, 7), "invalid JSON: NaN is not a JSON number"),
    ('{"a": Infinity}', (1, 7), "invalid JSON: Infinity is not a JSON number"),
    ('{"a": -Infinity}', (1, 7), "invalid JSON: -Infinity is not a JSON number"),
    ('{"a": 01}', (1, 7), "invalid JSON: malformed number \"01\""),
    ('{"a": 1.}', (1, 7), "invalid JSON: malformed number \"1.\""),
    ('{"a": -}', (1, 7), "invalid JSON: malformed number \"-\""),
    ('{"a": +1}', (1, 7), "invalid JSON: expected a value, found \"+\""),
    ('{"a": "x\x07y"}', (1, 9), "invalid JSON: control character #x0007 in a string (write it as \\u0007)"),
    ('{"a": "x\ty"}', (1, 9), "invalid JSON: control character #x0009 in a string (write it as \\u0009)"),
    ('{"a": "x\ny"}', (1, 9), "invalid JSON: a line break (#x000a) in a string (write it as \\n or \\r)"),
    ('{"a": "x\\qy"}', (1, 9), "invalid JSON: invalid escape \"\\\\q\" in a string"),
    ('{"a": "\\u12g4"}', (1, 8), "invalid JSON: invalid escape \"\\\\u12g4\" in a string (\\u takes four "
                                 "hexadecimal digits)"),
    ('{"a": "open}', (1, 7), "invalid JSON: a string without its closing quote"),
    ('{"a": 1', (1, 8), "invalid JSON: expected \",\" or \"}\" after an object member, found the end of the text"),
    ("{", (1, 2), "invalid JSON: expected a string in double quotes as an object key, found the end of the text"),
    ('{\n  // note\n  "a": 1}', (2, 3), "a // or /* comment, which neither JSON nor YAML has (YAML comments "
                                        "start with #)"),
    ('{"a": /* x */ 1}', (1, 7), "a // or /* comment, which neither JSON nor YAML has (YAML comments start "
                                 "with #)"),
    ('{\x85"a": 1}', (1, 2), "invalid JSON: expected a string in double quotes as an object key, found U+0085 "
                             "(a line break in YAML, not whitespace in JSON)"),
    ("{}{}x", (1, 5), "invalid JSON: expected a value, found \"x\""),
    ("{}{},{}", (1, 5), "invalid JSON: \",\" between top-level values (the values of a JSON stream are separated "
                        "by whitespace only)"),
    ("{}\n{}\n---\n{}", (3, 1), "invalid JSON: \"---\" between JSON values (a YAML document separator; kubectl "
                                "reads a text that starts with \"{\" as a stream of JSON values)"),
    ("{{ .Values.x }}\n", (1, 1), "invalid JSON: expected a string in double quotes as an object key, found \"{\" "
                                  "(a Go/Helm template?)"),
])
def test_syntax_errors_are_sts001_at_the_offending_character(text, where, message):
    assert error(text, load_json) == ("STS001", *where, message)


def test_garbage_between_objects_is_an_error_at_the_garbage():
    text = '{"a": 1}\n{"b": 2}\n garbage\n{"c": 3}\n'
    assert error(text) == ("STS001", 3, 2, "invalid JSON: expected a value, found \"g\"")
    assert error('{}{} ]') == ("STS001", 1, 6, "invalid JSON: expected a value, found \"]\"")


def test_a_trailing_comma_in_a_stream_is_sts001_at_the_comma():
    stream = '{"kind": "A"}\n{"kind": "B"}\n{"kind": "C",\n "x": 1,\n}\n'
    assert error(stream) == ("STS001", 4, 8, "invalid JSON: a trailing comma before \"}\" (JSON allows none)")
    # also where kubectl falls back to YAML for the rest, when that YAML fails too (its first document)
    stream = '{"kind": "A", "x": 1,}\n{"kind": "B"}\n'
    assert error(stream) == ("STS001", 1, 21, "invalid JSON: a trailing comma before \"}\" (JSON allows none)")


def test_errors_in_a_file_starting_with_a_template_keep_the_template_hint():
    code, line, column, message = error("{{- if .Values.enabled }}\napiVersion: v1\nkind: Service\n{{- end }}\n")
    assert (code, line, column) == ("STS001", 1, 1)
    assert message.endswith("(a Go/Helm template?)")


# --- kubectl's fallback to YAML ------------------------------------------------------------------

def test_a_text_that_fails_as_json_at_once_is_read_as_yaml_as_before():
    for text in ('{"apiVersion": "v1", "kind": "Service",}\n',  # a trailing comma: valid YAML
                 "{apiVersion: v1, kind: Service}\n",  # a YAML flow mapping
                 '{\n  # a YAML comment\n  "apiVersion": "v1", "kind": "Service"\n}\n',
                 '{"apiVersion": "v1", "kind": "Service", "x": 1e3, "y": NaN}\n',
                 "{a: 1}\n---\n{b: 2}\n"):
        loaded, before = load_stream(text), load_text(text)
        assert [d.root for d in loaded.documents] == [d.root for d in before.documents]
        assert [d.span for d in loaded.documents] == [d.span for d in before.documents]
    assert roots('{"x": 1e3, "y": NaN,}') == [{"x": "1e3", "y": "NaN"}]  # YAML 1.1 there, as kubectl's YAML


def test_after_one_json_value_the_rest_is_read_as_yaml_with_its_positions():
    text = '{"kind": "A", "n": 1e3}\n---\n# stslint: disable-file=STS301\nkind: B\nlist: [1, 2]\n---\n{kind: C,}\n'
    loaded = load_stream(text)
    assert [d.root for d in loaded.documents] == [{"kind": "A", "n": 1000.0}, {"kind": "B", "list": [1, 2]},
                                                 {"kind": "C"}]
    assert [d.index for d in loaded.documents] == [0, 1, 2]
    assert loaded.documents[1].root.key_span("list")[:2] == (5, 1)
    assert loaded.documents[2].span[:2] == (7, 1)
    assert loaded.scalar_ranges is not None and loaded.scalar_ranges[0] == (1, 7)
    [suppression], warnings = parse_comments(SourceText(text), loaded.scalar_ranges)
    assert (suppression.kind, warnings) == ("file", [])


def test_after_two_json_values_the_stream_is_json():
    text = '{"kind": "A"}\n{"kind": "B"}\n---\nkind: C\n'
    assert error(text)[:3] == ("STS001", 3, 1)
    assert roots('{"kind": "A"}\n---\nkind: C\n') == [{"kind": "A"}, {"kind": "C"}]


def test_a_yaml_error_after_the_first_yaml_document_is_the_yaml_error():
    code, line, column, message = error("{a: 1}\n---\nb: [\n")
    assert (code, line) == ("STS001", 4)
    assert "invalid JSON" not in message
    code, line, column, message = error("{a: 1}\nb: 2\n")  # the first YAML document fails: JSON's error
    assert (code, line, column) == ("STS001", 1, 2)
    assert message.startswith("invalid JSON: expected a string in double quotes")


# --- limits --------------------------------------------------------------------------------------

def test_deep_nesting_is_refused_where_the_yaml_loader_refuses_it_without_recursion():
    limit = yamlload.MAX_DEPTH
    for text in ('{"a": ' * 100_000 + "1" + "}" * 100_000, '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"):
        code, line, column, message = error(text)
        assert (code, line, message) == ("STS001", 1, f"nesting deeper than {limit} levels")
        prefix = text[:column - 1]
        assert prefix.count("{") + prefix.count("[") == limit  # the first collection past the limit


def test_the_nesting_limit_has_the_yaml_loader_s_position(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_DEPTH", 3)
    text = '{"a": {"b": [{"c": 1}]}}'
    assert error(text) == error(text, load_text)


def test_deep_nesting_below_the_limit_is_read(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_DEPTH", 10**9)
    depth = sys.getrecursionlimit() * 3
    root = roots('{"a": ' * depth + "1" + "}" * depth)[0]
    for _ in range(depth - 1):
        root = root["a"]
    assert root == {"a": 1}


@pytest.mark.parametrize("limit", range(1, 16))
def test_the_value_limit_counts_what_the_yaml_loader_counts_and_stops_at_the_same_place(monkeypatch, limit):
    monkeypatch.setattr(yamlload, "MAX_VALUES", limit)
    text = '{"a": [1, {"b": null}],\n "c": {}, "d": "x"}'
    try:
        expected = load_text(text)
    except LoadError as exc:
        assert error(text) == (exc.code, exc.line, exc.column, exc.message)
        assert exc.code == "STS004" and "more than" in exc.message
    else:
        assert roots(text) == [expected.documents[0].root]


def test_the_value_limit_counts_every_document_of_a_stream(monkeypatch):
    monkeypatch.setattr(yamlload, "MAX_VALUES", 6)
    assert len(roots("{}{}\n{}\n")) == 3  # a document and its mapping each
    assert error("{}{}\n{}\n{}\n")[:3] == ("STS004", 3, 1)


def test_the_value_limit_counts_on_from_json_into_the_yaml_read_after_it(monkeypatch):
    text = '{"a": 1}\n{b: [1, 2, 3]}\n'  # 4 values in JSON, 7 in the YAML after it
    monkeypatch.setattr(yamlload, "MAX_VALUES", 11)
    assert roots(text) == [{"a": 1}, {"b": [1, 2, 3]}]
    monkeypatch.setattr(yamlload, "MAX_VALUES", 10)
    assert error(text)[:3] == ("STS004", 2, 12)  # the YAML's limit, not JSON's syntax error


def test_integers_longer_than_the_limit_are_refused():
    text = '{"a": ' + "7" * (yamlload.MAX_INT_LENGTH + 1) + "}"
    assert error(text) == ("STS001", 1, 7, f"integer longer than {yamlload.MAX_INT_LENGTH} characters")
    assert roots('{"a": ' + "7" * yamlload.MAX_INT_LENGTH + "}")[0]["a"] > 0
    assert roots('{"a": 0.' + "5" * 100_000 + "}")[0]["a"] == pytest.approx(5 / 9)


# --- scalar ranges and suppressions --------------------------------------------------------------

def test_scalar_ranges_are_recorded_only_when_a_directive_marker_is_present():
    assert load_stream('{"a": "b"}{"c": 1}').scalar_ranges is None
    text = '{"a": "# stslint: disable-file=STS301", "n": 1, "t": true}\n{"b": null}'
    ranges = load_stream(text).scalar_ranges
    assert [text[start:end] for start, end in ranges] == ['"a"', '"# stslint: disable-file=STS301"', '"n"', "1",
                                                          '"t"', "true", '"b"', "null"]


def test_a_directive_inside_a_json_string_is_text_not_a_comment():
    text = ('{"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": "x # stslint: disable-file=STS301"}}\n'
            '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}\n')
    assert parse_comments(SourceText(text)) == ([], [])
    result = load_content(FileResult(Source("s.json", None, True), content=SourceText(text)))
    assert parse_comments(result.content, result.scalar_ranges) == ([], [])


# --- the YAML loader's JSON fallback -------------------------------------------------------------

def test_the_yaml_loader_reads_json_with_surrogate_escapes_through_the_json_reader():
    data = [{"a": "😀"}, {"b": "\U0001d11e"}]
    text = json.dumps(data)
    assert load_text(text).documents[0].root == data
    with pytest.raises(LoadError) as info:
        load_text('a: "\\ud83d\\ude00"\n')
    assert info.value.message == "found invalid Unicode character escape code"
    with pytest.raises(LoadError) as info:  # not JSON either: the YAML loader's own error
        load_text('[a, "\\ud83d\\ude00"]\n')
    assert info.value.message == "found invalid Unicode character escape code"


# --- property: random streams round-trip ---------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-2**64, 2**64) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)
WHITESPACE = st.text(alphabet=" \t\r\n", max_size=4)


@st.composite
def streams(draw: st.DrawFn) -> tuple[str, list]:
    """Random JSON objects, each dumped in a random style, with random whitespace around them."""
    objects = draw(st.lists(st.dictionaries(st.text(max_size=8), JSON_VALUES, max_size=5), min_size=1, max_size=4))
    pieces = [draw(WHITESPACE)]
    for obj in objects:
        indent = draw(st.sampled_from([None, 0, 1, 2, "\t", " \r\n "]))
        separators = draw(st.sampled_from([None, (",", ":"), (" ,", " : "), (",\n", ":\t")]))
        ensure_ascii = draw(st.booleans())
        pieces.append(json.dumps(obj, indent=indent, separators=separators, ensure_ascii=ensure_ascii))
        pieces.append(draw(WHITESPACE))
    return "".join(pieces), objects


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(case=streams())
def test_random_streams_read_as_json_reads_each_object_with_spans_that_round_trip(case):
    text, objects = case
    loaded = load_stream(text)
    assert [d.root for d in loaded.documents] == objects
    assert [d.index for d in loaded.documents] == list(range(len(objects)))
    source = SourceText(text)
    for document in loaded.documents:
        assert json.loads(text[document.span[4]:document.span[5]]) == document.root
        for container, key, key_span, span in _entries(document.root):
            assert 0 <= span[4] <= span[5] <= len(text)
            assert json.loads(text[span[4]:span[5]]) == (container[key] if key is not None else container)
            assert source.position(span[4]) == span[:2] and source.position(span[5]) == span[2:4]
            if key_span is not None:
                assert json.loads(text[key_span[4]:key_span[5]]) == key
                assert source.position(key_span[4]) == key_span[:2]
                assert key_span[5] <= span[4]


# --- helpers -------------------------------------------------------------------------------------

def _entries(node):
    """(container, key or index, key span, value span) of every value below ``node``, and
    (node, None, None, node.span) for the containers themselves."""
    pending = [node]
    while pending:
        item = pending.pop()
        if isinstance(item, YMap):
            yield item, None, None, item.span
            for key, value in item.items():
                key_span, value_span = item.spans[key]
                yield item, key, key_span, value_span
                pending.append(value)
        elif isinstance(item, YSeq):
            yield item, None, None, item.span
            for index, value in enumerate(item):
                yield item, index, None, item.spans[index]
                pending.append(value)


def _spans(node):
    for _, _, key_span, span in _entries(node):
        if key_span is not None:
            yield key_span
        yield span


def _assert_same(ours, theirs, path="$"):
    assert type(ours) is type(theirs), path
    if isinstance(ours, YMap):
        assert list(ours) == list(theirs) and ours.span == theirs.span and ours.spans == theirs.spans, path
        for key in ours:
            _assert_same(ours[key], theirs[key], f"{path}.{key}")
    elif isinstance(ours, YSeq):
        assert ours.span == theirs.span and ours.spans == theirs.spans, path
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            _assert_same(mine, other, f"{path}[{index}]")
    else:
        assert ours == theirs, path


JSONISH = st.text(alphabet='{}[]:,"\\ \n\t\r0123456789-+.eEtruefalsnul/#*\x07\x85\u2028é😀' + "'", max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(tail=JSONISH, case=streams(), cut=st.integers(0, 10_000), insert=JSONISH)
def test_any_text_that_starts_with_a_brace_loads_or_is_a_load_error(tail, case, cut, insert):
    text, _ = case
    at = cut % (len(text) + 1)
    for candidate in ("{" + tail, text[:at] + insert + text[at:], text[:at]):
        try:
            loaded = load_stream(candidate)
        except LoadError as exc:
            assert exc.code in ("STS001", "STS004") and exc.line >= 1 and exc.column >= 1
        else:
            for document in loaded.documents:
                for span in _spans(document.root):
                    assert 0 <= span[4] <= span[5] <= len(candidate)
