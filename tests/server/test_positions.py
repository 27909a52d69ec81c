"""LSP positions: lines end at \\n, \\r\\n and \\r only; characters count the negotiated code units."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stslint.server.positions import UTF8, UTF16, UTF32, LspText, apply_change, units

TEXT = "a: \U0001F600x\r\nb: \u00e9\x85c\rd\n"


@pytest.mark.parametrize(("encoding", "expected"), [(UTF16, (0, 6)), (UTF8, (0, 8)), (UTF32, (0, 5))])
def test_a_character_after_an_astral_one(encoding, expected):
    assert LspText(TEXT, encoding).position(TEXT.index("x") + 1) == expected


def test_lines_end_at_lf_crlf_and_cr_only():
    table = LspText(TEXT)
    assert table.line_count == 4
    assert table.position(TEXT.index("c")) == (1, 5)  # the NEL is a character of line 1, not a break
    assert table.position(TEXT.index("d")) == (2, 0)
    assert table.position(TEXT.index("\r\n") + 1) == (0, 6)  # inside \r\n: the end of the line
    assert table.position(len(TEXT)) == (3, 0)


def test_offsets_of_positions_are_clamped():
    table = LspText(TEXT)
    assert table.offset(0, 99) == TEXT.index("\r\n")
    assert table.offset(9, 0) == len(TEXT)
    assert table.offset(-1, 5) == 0
    assert table.offset(0, 4) == TEXT.index("\U0001F600") + 1  # inside a surrogate pair: after the character


def test_units():
    assert [units("\U0001F600\u00e9a", e) for e in (UTF8, UTF16, UTF32)] == [7, 4, 3]


def test_apply_change_replaces_a_range():
    assert apply_change(TEXT, (1, 3), (1, 4), "E") == TEXT.replace("\u00e9", "E")
    assert apply_change("a\nb", (5, 0), (5, 0), "!") == "a\nb!"


lines = st.lists(st.text(alphabet=st.sampled_from("ab \u00e9\U0001F600\x85\u2028")), max_size=5)
breaks = st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=5, max_size=5)


@given(lines, breaks, st.sampled_from([UTF8, UTF16, UTF32]))
def test_every_offset_round_trips(parts, ends, encoding):
    text = "".join(part + end for part, end in zip(parts, ends))
    table = LspText(text, encoding)
    for offset in range(len(text) + 1):
        line, character = table.position(offset)
        back = table.offset(line, character)
        if offset < len(text) and text[offset - 1:offset + 1] == "\r\n":
            assert back == offset - 1  # no position lies between \r and \n
        else:
            assert back == offset
        assert line == _lsp_line(text, offset)


def _lsp_line(text: str, offset: int) -> int:
    """The LSP line of an offset, counted independently of the table."""
    return text[:offset].replace("\r\n", "\n").replace("\r", "\n").count("\n") - (
        1 if text[:offset].endswith("\r") and text[offset:offset + 1] == "\n" else 0)
