"""The one source text: its line table uses YAML's line breaks, so offsets computed from lines and
columns are the parser's own, whatever the breaks and characters."""
from __future__ import annotations

import codecs

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stslint.loading import load_source
from stslint.loading.discover import Source
from stslint.loading.source_text import SourceText
from stslint.loading.yamlload import load_text

BREAKS = ["\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"]
WORDS = st.text(alphabet="abcé中😀 ", min_size=1, max_size=6).map(lambda w: w.strip() or "x")
LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", WORDS, WORDS),
    st.builds(lambda v: f"- {v}", WORDS),
    st.builds(lambda k: f"{k}:", WORDS),
    st.builds(lambda v: f"# {v}", WORDS),
    st.just(""),
)


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(LINES, max_size=12))
    breaks = draw(st.lists(st.sampled_from(BREAKS), min_size=len(lines), max_size=len(lines)))
    return "".join(line + brk for line, brk in zip(lines, breaks))


@settings(max_examples=300, deadline=None)
@given(yaml_texts())
def test_offsets_from_lines_and_columns_are_the_parsers_own(text: str) -> None:
    source = SourceText(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        events = list(yaml.parse(text, Loader=loader))
    except yaml.YAMLError:
        return
    for event in events:
        for mark in (event.start_mark, event.end_mark):
            assert source.offset(mark.line + 1, mark.column + 1) == mark.index
            assert source.position(mark.index) == (mark.line + 1, mark.column + 1)


@settings(max_examples=200, deadline=None)
@given(yaml_texts())
def test_every_span_of_the_loader_carries_the_offsets_of_its_lines_and_columns(text: str) -> None:
    try:
        loaded = load_text(text)
    except Exception:  # noqa: BLE001 - invalid YAML has no spans to check
        return
    source = SourceText(text)
    stack = [doc.root for doc in loaded.documents]
    while stack:
        node = stack.pop()
        spans = []
        if isinstance(node, dict):
            spans = [span for pair in node.spans.values() for span in pair]
            stack.extend(node.values())
        elif isinstance(node, list):
            spans = list(node.spans)
            stack.extend(node)
        for line, column, end_line, end_column, start, end in spans:
            assert source.offset(line, column) == start and source.offset(end_line, end_column) == end
            assert 0 <= start <= end <= len(text)


def test_lines_break_at_every_yaml_line_break():
    source = SourceText("a\nb\r\nc\rd\x85e\u2028f\u2029g")
    assert source.lines() == ["a", "b", "c", "d", "e", "f", "g"]
    assert source.line(2) == "b" and source.line(8) == "" and source.line_count == 7
    assert source.line_start(3) == 5 and source.line_end(2) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aé😀 \n\r\x85\u2028\u2029", max_size=30))
def test_the_line_table_of_a_text_with_only_newlines_equals_the_general_one(text: str) -> None:
    # texts with only \n take a faster path than the others; both must give YAML's own lines
    source = SourceText(text)
    starts, ends = [0], []
    for position, character in enumerate(text):
        if character == "\n" and position and text[position - 1] == "\r":
            starts[-1] = position + 1  # \r\n is one break: the line after it starts after the \n
            continue
        if character in "\n\r\x85\u2028\u2029":
            ends.append(position)
            starts.append(position + 1)
    ends.append(len(text))
    assert source.line_starts() == starts
    assert [source.line_end(number) for number in range(1, len(starts) + 1)] == ends


def test_a_file_keeps_its_encoding_and_bom(tmp_path):
    path = tmp_path / "bom.yaml"
    original = codecs.BOM_UTF16_LE + "kind: Service\r\n# é\r\n".encode("utf-16-le")
    path.write_bytes(original)
    content = load_source(Source("bom.yaml", str(path), True)).content
    assert content.text == "kind: Service\r\n# é\r\n"  # BOM excluded from the text and its offsets
    assert (content.encoding, content.bom) == ("utf-16-le", codecs.BOM_UTF16_LE)
    assert content.encode() == original
