"""Reporting: one module per output format, each with ``render(result, out, options)``.

Formats are imported only when used, so a run pays for the one it prints.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, TextIO

if TYPE_CHECKING:
    from stslint.engine import RunResult

FORMATS: dict[str, str] = {
    "text": "stslint.reporting.text",
    "full": "stslint.reporting.full",
    "json": "stslint.reporting.json_format",
    "sarif": "stslint.reporting.sarif",
    "github": "stslint.reporting.github",
    "gitlab": "stslint.reporting.gitlab",
    "junit": "stslint.reporting.junit",
}


@dataclass
class ReportOptions:
    """How to print: colour, quiet, and the tool version for formats that embed it."""

    color: bool = False
    quiet: bool = False
    version: str = ""


def renderer(name: str) -> Callable[["RunResult", TextIO, ReportOptions], None]:
    """The render function of a format."""
    module: Any = importlib.import_module(FORMATS[name])
    return module.render  # type: ignore[no-any-return]


def report(result: "RunResult", out: TextIO, format_name: str, options: ReportOptions,
           statistics: bool = False) -> None:
    """Print a run's report in a format, or its per-code statistics (JSON for ``json``, else a table)."""
    if statistics:
        from stslint.reporting import statistics as stats

        stats.render(result, out, as_json=format_name == "json")
        return
    renderer(format_name)(result, out, options)


def color_enabled(mode: str, stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether to colour output: ``always``, ``never``, or ``auto`` (a terminal, and NO_COLOR unset or empty)."""
    if mode == "always":
        return True
    if mode == "never" or environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# C0 and C1 controls (ESC starts ANSI sequences; CR rewrites a line), line/paragraph separators and
# the bidirectional overrides and isolates that reorder what a terminal shows ("Trojan Source").
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
                      "\ufeff]")
CI_COMMAND = re.compile(r"##(?=\[|vso\[|teamcity\[)")
"""Where a CI runner reads a command anywhere in a line (Azure's ``##vso[``, TeamCity's
``##teamcity[``, the ``##[`` of Azure and GitHub): the second ``#`` is shown as ``\x23``."""
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _visible(match: re.Match[str]) -> str:
    """A control character as the escape Python would write for it (``\\x1b``, ``\\n``, ``\\u202e``)."""
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(text: str) -> str:
    """Text safe for a terminal and a CI log: control characters (ANSI escapes, CR, LF, C1, bidi
    overrides) and invisible ones (zero-width spaces, BOM) shown as escapes, undecodable file-name
    bytes as U+FFFD, and the CI runners' in-line command starts (``##vso[``, ``##teamcity[``,
    ``##[``) broken as ``#\x23``. Tabs are kept."""
    return CI_COMMAND.sub("#\\\\x23", _CONTROL.sub(_visible, valid_unicode(text)))


def valid_unicode(text: str) -> str:
    """Text that encodes as UTF-8: lone surrogates (undecodable file-name bytes, ``"\\ud800"`` escapes in
    YAML) become U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def xml_text(text: str) -> str:
    """Text an XML 1.0 document can carry: valid Unicode, with the characters XML forbids shown as escapes."""
    return _XML_FORBIDDEN.sub(_visible, valid_unicode(text))


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
