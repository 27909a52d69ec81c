"""Reporting: one module per output format, each with ``render(result, out, options)``.

Formats are imported only when used, so a run pays for the one it prints.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TextIO

if TYPE_CHECKING:
    from stslint.engine import RunResult

FORMATS: dict[str, str] = {
    "text": "stslint.reporting.text",
    "json": "stslint.reporting.json_format",
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


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def safe_text(text: str) -> str:
    """Text safe for a terminal: control characters (ANSI escapes, CR, C1...) shown as escapes."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") if _has_surrogates(text) else text
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1] if m.group() != "\n" else "\\n", text).replace("\n", "\\n")


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


def plural(count: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
