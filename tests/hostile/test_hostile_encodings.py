"""Binary files, broken and unusual encodings, and files that hold nothing: located one-line errors
or silence, and the rest of the run goes on."""
from __future__ import annotations

import codecs
import gzip

import pytest

from tests.hostile.hostile_helpers import GOOD, GOOD_FINDING, assert_good_linted, run_limited, write_good


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", b""), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", b""), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", b""), ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", b""), ("utf-32-be", codecs.BOM_UTF32_BE),
])
def test_unicode_encodings_are_linted_like_utf8(tmp_path, encoding, bom):
    (tmp_path / "enc.yaml").write_bytes(bom + GOOD.replace("nginx", "nginx-café").encode(encoding))
    run = run_limited("enc.yaml", cwd=tmp_path)
    assert (run.exit_code, run.at("enc.yaml")) == (1, [GOOD_FINDING])


BROKEN = {
    "png.yaml": (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", (3, 1), "binary file (contains a NUL byte)"),
    "elf.yml": (b"\x7fELF\x02\x01\x01\0\0\0", (1, 8), "binary file (contains a NUL byte)"),
    "gzip.yaml": (gzip.compress(b"kind: x\n" * 100, mtime=0), (1, 4), "binary file (contains a NUL byte)"),
    "latin1.yaml": ("kind: Service\nmetadata: {name: café}\n".encode("latin-1"), (2, 21),
                    "not valid UTF-8 text (byte 0xe9 at offset 34)"),
    "nul.yaml": (b"kind: Service\nmetadata:\n  name: a\0b\n", (3, 10), "binary file (contains a NUL byte)"),
    "odd-utf16.yaml": (codecs.BOM_UTF16_LE + "kind: x\n".encode("utf-16-le") + b"k", (1, 1),
                       "not valid UTF-16-LE text (byte 0x6b at offset 18)"),
    "surrogate-utf16.yaml": (codecs.BOM_UTF16_BE + b"\0a\0:\0 \xd8\x00\0\n", (1, 1),
                             "not valid UTF-16-BE text (byte 0xd8 at offset 8)"),
    "utf32-nul.yaml": (codecs.BOM_UTF32_LE + "a: \0\n".encode("utf-32-le"), (1, 4),
                       "binary file (contains a NUL character)"),
}


def test_binary_and_undecodable_files_are_unreadable_at_their_first_bad_byte(tmp_path):
    for name, (data, _, _) in BROKEN.items():
        (tmp_path / name).write_bytes(data)
    good = write_good(tmp_path)
    run = run_limited(*BROKEN, good.name, cwd=tmp_path)
    assert run.exit_code == 1
    for name, (_, where, message) in BROKEN.items():
        assert run.at(name) == [("STS004", *where)], name
        assert run.messages(name) == [f"cannot read file: {message}"], name
    assert_good_linted(run, good)


CONTROL = {
    "bell.yaml": (b"kind: Service\nname: a\x07b\n", (2, 8), "control character #x0007 is not allowed in YAML"),
    "escape.yaml": (b"a: \x1b[31mred\n", (1, 4), "control character #x001b is not allowed in YAML"),
}


def test_control_characters_are_invalid_yaml_at_their_position(tmp_path):
    for name, (data, _, _) in CONTROL.items():
        (tmp_path / name).write_bytes(data)
    good = write_good(tmp_path)
    run = run_limited(*CONTROL, good.name, cwd=tmp_path)
    for name, (_, where, message) in CONTROL.items():
        assert run.at(name) == [("STS001", *where)], name
        assert run.messages(name) == [message], name
    assert_good_linted(run, good)


EMPTY = {
    "empty.yaml": b"",
    "bom.yaml": codecs.BOM_UTF8,
    "bom16.yaml": codecs.BOM_UTF16_LE,
    "comments.yaml": b"# nothing here\n# at all\n",
    "dashes.yaml": b"---\n---\n...\n---\n",
    "blank.yml": b"\n\n   \n",
    "crlf.yaml": b"# only\r\n---\r\n# comments\r\n",
    "empty.json": b"",
}


def test_files_that_hold_nothing_give_no_finding(tmp_path):
    for name, data in EMPTY.items():
        (tmp_path / name).write_bytes(data)
    run = run_limited(*EMPTY, cwd=tmp_path)
    assert (run.exit_code, run.stdout) == (0, "")
    # no finding; only the warnings of a run that read no Kubernetes object, one per path given
    assert run.stderr == "".join(f"stslint: warning: {name}: no manifest found (no Kubernetes object)\n"
                                 for name in sorted(EMPTY))
    run = run_limited(".", cwd=tmp_path)  # walked as well as named
    assert (run.exit_code, run.stdout) == (0, "")


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_do_not_move_positions(tmp_path, newline):
    (tmp_path / "eol.yaml").write_bytes(GOOD.replace("\n", newline).encode())
    run = run_limited("eol.yaml", cwd=tmp_path)
    assert run.at("eol.yaml") == [GOOD_FINDING]


@pytest.mark.parametrize("line_break", ["\n", "\r", "\r\n", "\x85", "\u2028"])
def test_input_errors_are_placed_on_yaml_lines_whatever_the_line_breaks(tmp_path, line_break):
    from stslint.engine import lint
    from stslint.loading.discover import discover

    cases = {
        "control.yaml": ('a: 1{b}b: 2{b}c: "x\x07"{b}', ("STS001", 3, 6)),
        "tab.yaml": ("a: 1{b}b:{b}\t- x{b}", ("STS001", 3, 1)),
        "nul.yaml": ("a: 1{b}b: \x00{b}", ("STS004", 2, 4)),
        "jsonc.json": ('{{{b}"a": 1,{b}// note{b}"b": 2}}', ("STS001", 3, 1)),
    }
    if line_break in ("\x85", "\u2028"):  # a JSON text: YAML's other line breaks are JSON's first error
        cases["jsonc.json"] = (cases["jsonc.json"][0], ("STS001", 1, 2))
    for name, (text, expected) in cases.items():
        (tmp_path / name).write_bytes(text.format(b=line_break).encode("utf-8"))
        [finding] = lint(discover([str(tmp_path / name)])).findings
        assert (finding.code, finding.line, finding.column) == expected, name
    (tmp_path / "byte.yaml").write_bytes(f"a: 1{line_break}b: 2{line_break}c: ".encode() + b"\xff")
    [finding] = lint(discover([str(tmp_path / "byte.yaml")])).findings
    assert (finding.code, finding.line, finding.column) == ("STS004", 3, 4)
