"""GitHub Actions workflow commands: ``::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message``.

Every value is escaped by GitHub's rules (``%``, CR and LF in the message; also ``:`` and ``,`` in
properties), so nothing a manifest or its file name contains can end a command or start another.
Other control characters (ANSI escapes, which the log viewer renders) and the bidirectional
overrides that reorder what the page shows are shown as escapes.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

from stslint.reporting import CI_COMMAND, ReportOptions, valid_unicode
from stslint.reporting.locations import repo_path
from stslint.reporting.text import summary_line

if TYPE_CHECKING:
    from stslint.engine import RunResult
    from stslint.findings import Finding

_OTHER_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                             "\u2060-\u206f\ufeff]")


def _printable(text: str) -> str:
    return CI_COMMAND.sub("#\\\\x23", _OTHER_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff
                                                          else repr(m.group())[1:-1], valid_unicode(text)))


def escape_data(text: str) -> str:
    """A command's message, escaped: ``%`` → ``%25``, CR → ``%0D``, LF → ``%0A``."""
    return _printable(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command property value, escaped: as data, plus ``:`` → ``%3A`` and ``,`` → ``%2C``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(result: RunResult, finding: Finding) -> str:
    """One finding as a workflow command."""
    level = "warning" if result.severity(finding.code) == "warning" else "error"
    properties = {
        "file": repo_path(finding.file).path,
        "line": str(finding.line),
        "endLine": str(finding.end_line),
        "col": str(finding.column),
        "endColumn": str(finding.end_column),
        "title": f"{finding.code} {result.rules[finding.code].name}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{escape_data(finding.message)}"


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print one workflow command per finding, then the summary line unless quiet."""
    for finding in result.findings:
        out.write(command(result, finding) + "\n")
    if not options.quiet:
        out.write(summary_line(result) + "\n")
