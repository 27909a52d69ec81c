"""Message templates: ``{name}`` placeholders replaced by plain text, nothing else.

A policy file may come from another team, so a template is never given to ``str.format`` (which
reaches attributes and items: ``{object.__class__}``): each ``{name}`` is looked up in a flat table of
strings. ``{{`` and ``}}`` stand for literal braces; a brace that opens no placeholder stays as it is.
"""
from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders(template: str) -> Iterator[str]:
    """The names a template's placeholders give, in order."""
    for match in _TOKEN.finditer(template):
        if match.group(1) is not None:
            yield match.group(1).strip()


def render(template: str, values: Mapping[str, str]) -> str:
    """The template with each placeholder replaced by its value (validated templates name only
    known placeholders; an unknown one stays as written)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1).strip()
        return values[name] if name in values else token

    return _TOKEN.sub(replace, template)


def as_text(value: Any) -> str:
    """A param's value in a message: a list is its items joined by commas."""
    if isinstance(value, list):
        return ", ".join(as_text(item) for item in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)
