"""Terminal and document safety: safe_text, xml_text, valid_unicode, colour decisions, and the text
format with hostile file names and values, with and without colour."""
from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stslint.engine import RunResult
from stslint.findings import Finding
from stslint.reporting import ReportOptions, color_enabled, safe_text, valid_unicode, xml_text
from stslint.reporting.json_format import render as render_json
from tests.reporting.helpers import invoke, statefulset


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    ("a\rb\nc", "a\\rb\\nc"),
    ("nul\x00 bel\x07 del\x7f", "nul\\x00 bel\\x07 del\\x7f"),
    ("csi\x9b2J nel\x85", "csi\\x9b2J nel\\x85"),
    ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"),
    ("rlo\u202eiso\u2066lrm\u200e", "rlo\\u202eiso\\u2066lrm\\u200e"),
    ("tab\tkept, ünïcödé 名前 kept", "tab\tkept, ünïcödé 名前 kept"),
    ("bytes\udcff lone\ud800", "bytes\ufffd lone\ufffd"),
])
def test_safe_text(raw, shown):
    assert safe_text(raw) == shown


def test_xml_text_and_valid_unicode():
    assert xml_text("a\x00b\x0bc\x1bd\ufffe\uffff\t\n\r ok") == "a\\x00b\\x0bc\\x1bd\\ufffe\\uffff\t\n\r ok"
    assert valid_unicode("x\udc80\udbff") == "x\ufffd\ufffd"


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("mode, tty, env, expected", [
    ("auto", True, {}, True), ("auto", False, {}, False), ("auto", True, {"NO_COLOR": "1"}, False),
    ("auto", True, {"NO_COLOR": ""}, True), ("always", False, {"NO_COLOR": "1"}, True),
    ("never", True, {}, False)])
def test_color_enabled(mode, tty, env, expected):
    assert color_enabled(mode, _Stream(tty), env) is expected


HOSTILE_FILE = "x\x1b]0;title\x07\x1b[2J\r\u202e.yaml"


@pytest.mark.parametrize("colour", ["never", "always"])
def test_text_format_escapes_hostile_names_and_values(tmp_path, colour):
    (tmp_path / HOSTILE_FILE).write_text(statefulset('"db\\e[2J\\r\\x9b\\u202e"'))
    output = invoke("--format", "text", "--color", colour, ".", cwd=tmp_path).output
    ours = output.replace("\x1b[1m", "").replace("\x1b[0m", "").replace("\x1b[31m", "").replace("\x1b[33m", "")
    assert (ours != output) == (colour == "always")
    assert not any(char in ours for char in "\x1b\x07\r\x9b\u202e")
    first = ours.splitlines()[0]
    assert first.startswith("x\\x1b]0;title\\x07\\x1b[2J\\r\\u202e.yaml:6:3: STS101 [error] ")
    assert 'StatefulSet "db\\x1b[2J\\r\\x9b\\u202e"' in first


def test_colour_is_off_when_piped_and_on_when_asked(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset())
    assert "\x1b" not in invoke("web.yaml", cwd=tmp_path).output  # auto, not a terminal
    coloured = invoke("--color", "always", "web.yaml", cwd=tmp_path).output
    assert coloured.startswith("\x1b[1mweb.yaml:6:3:\x1b[0m STS101 \x1b[31m[error]\x1b[0m")


def test_json_stays_valid_utf8_with_any_file_name_and_value(tmp_path):
    with open(os.fsencode(tmp_path) + b"/n\xff.yaml", "wb") as handle:
        handle.write(statefulset('"db\\x00\\e"').encode())
    report = json.loads(invoke("--format", "json", ".", cwd=tmp_path).stdout_bytes.decode("utf-8"))
    assert report["findings"][0]["file"] == "n\ufffd.yaml"
    assert report["findings"][0]["object"] == "StatefulSet/db\x00\x1b"
    lone = Finding("STS301", "m\ud800", "f\udcff.yaml", (1, 1, 1, 2), object="StatefulSet/a\ud800")
    out = io.StringIO()
    render_json(RunResult([lone], 1, 1), out, ReportOptions())
    finding = json.loads(out.getvalue().encode("utf-8"))["findings"][0]
    assert (finding["message"], finding["file"], finding["object"]) == ("m\ufffd", "f\ufffd.yaml", "StatefulSet/a\ufffd")


CI_NAMES = ["::error file=README.md,line=1::x.yaml", "##vso[task.setvariable variable=x]1.yaml",
            "##[error]boom.yaml", "##teamcity[buildStatus text='x'].yaml", "-x.yaml", "#x.yaml", ":x.yaml",
            "zero\u200bwidth\ufeff.yaml"]


def _ci_command_lines(output: str) -> list[str]:
    """Lines a CI runner would read as a command: ``::`` or ``##[`` at the start, ``##vso[`` or
    ``##teamcity[`` anywhere."""
    return [line for line in output.splitlines()
            if line.startswith(("::", "##[")) or "##vso[" in line or "##teamcity[" in line]


@pytest.mark.parametrize("fmt", ["text", "full"])
def test_no_file_name_or_value_can_start_a_ci_command(tmp_path, fmt):
    for name in CI_NAMES:
        (tmp_path / name).write_text(statefulset(name="web ##vso[task.complete result=Succeeded]"))
    output = invoke("--format", fmt, ".", cwd=tmp_path).output
    assert output.count("STS101") == len(CI_NAMES)
    assert _ci_command_lines(output) == []
    assert "./::error file=README.md,line=1::x.yaml:6:3:" in output and "./-x.yaml:6:3:" in output
    assert "\u200b" not in output and "\ufeff" not in output and "zero\\u200bwidth\\ufeff.yaml" in output


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=":#[]-vsoteamcity=,./ \u200b", min_size=1, max_size=24))
def test_hypothesis_no_text_line_is_a_ci_command(value):
    result = RunResult([Finding("STS101", f"m {value} {value}", value.strip() or "x", (1, 1, 1, 2, 0, 1))], 1, 1)
    for render_format in ("text", "full"):
        out = io.StringIO()
        from stslint.reporting import renderer

        renderer(render_format)(result, out, ReportOptions())
        shown = out.getvalue()
        # a finding line starts with its file's name, which discovery shows as ./NAME when it would
        # start a command; here the raw name is used, so only the in-line sequences are checked
        assert not [line for line in shown.splitlines() if "##vso[" in line or "##teamcity[" in line
                    or "##[" in line]
