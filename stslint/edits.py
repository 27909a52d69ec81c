"""Building the edits of fixes: minimal text edits spliced into a file's one source text.

A fix never re-serialises a document. It replaces one scalar as written (keeping its quoting style),
or inserts a key — with a scalar or a small block — before a sibling key, at the indentation and in
the style (block or flow) that the mapping already uses, with the file's own line break. Everything
else in the file stays byte for byte as it was. Scalars that YAML 1.1 would read as something else
(``on``, ``yes``, ``1.10``) are quoted as ruamel.yaml quotes them in YAML 1.1 mode: single-quoted
when printable on one line, otherwise by ruamel.yaml itself (the ``fix`` extra), imported only when
such a value is emitted, or as a double-quoted JSON string without it.

Every function returns None when the text is not in a shape it edits safely (a key reached through
an alias or a merge key, a block scalar, a complex key): no fix is offered then.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterable

from stslint.findings import Edit, Fix

if TYPE_CHECKING:
    from stslint.loading.source_text import SourceText
    from stslint.model.fields import Fields
    from stslint.model.resource import Resource

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*\Z")
"""Scalars written plain without a YAML library: a letter, then letters, digits and ``._/-``."""

YAML11_WORDS = frozenset("y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF "
                         "null Null NULL".split())
"""Plain words that YAML 1.1 reads as booleans or null (kubectl's parser is YAML 1.1-ish)."""

_SIMPLE_SCALAR = re.compile(r"""(?:"[^"\\\n\r]*"|'[^'\n\r]*'|[^\s"'!&*|>{}\[\]#,%@`?:-][^\n\r#]*?)\Z""")
"""A scalar as written that a replacement may take the place of: double or single quoted without
escapes or line breaks, or plain on one line (no tag, anchor, alias, block scalar or flow
collection)."""

_KEY_PREFIX = re.compile(r"(?:[ ]*-[ ]+)*[ ]*\Z")
"""What may stand before a key on its line: indentation, and the dashes of sequence items."""


def scalar_text(value: str, json_style: bool = False) -> str:
    """``value`` as a YAML scalar that reads back as the same string: plain when it is plainly a
    string, otherwise quoted (as JSON when ``json_style``)."""
    if json_style:
        import json

        return json.dumps(value, ensure_ascii=False)
    if _PLAIN.match(value) and value not in YAML11_WORDS:
        return value
    return _quoted(value)


def _quoted(value: str) -> str:
    """``value`` quoted: a printable one-line value without ``'`` single-quoted (what ruamel.yaml emits
    in YAML 1.1 mode for such values; tests/test_edits.py compares the two), anything else as ruamel.yaml emits
    it in YAML 1.1 mode (imported only then; its ``%YAML 1.1``/``---`` header stripped), or as a
    double-quoted JSON string when ruamel.yaml is not installed or emits more than one line."""
    import json

    if value.isprintable() and "'" not in value:
        return f"'{value}'"
    try:
        import io

        from ruamel.yaml import YAML
    except ImportError:
        return json.dumps(value, ensure_ascii=False)
    yaml = YAML(typ="rt")
    yaml.version = (1, 1)  # type: ignore[assignment]
    yaml.width = 1 << 30  # type: ignore[assignment]
    stream = io.StringIO()
    yaml.dump([value], stream)
    lines = [line for line in stream.getvalue().splitlines() if not line.startswith(("%YAML", "---"))]
    if len(lines) != 1 or not lines[0].startswith("- "):
        return json.dumps(value, ensure_ascii=False)
    return lines[0][2:]


def line_break(source: SourceText, line: int) -> str:
    """The line break the file uses around ``line`` (that line's own, else the one before it; LF
    when the file has none)."""
    for number in (line, line - 1, 1):
        end = source.line_end(number)
        start = source.line_start(number + 1)
        if 0 < number < source.line_count and start > end:
            return source.text[end:start]
    return "\n"


def replace_scalar(source: SourceText, fields: Fields, key: str, value: str, file: str,
                   source_path: str | None) -> Edit | None:
    """Replace the scalar value of ``key`` by the string ``value``, in the quoting style it is written
    in (a plain scalar stays plain when ``value`` may be plain)."""
    if not fields.has_key(key) or not fields.editable(key) or isinstance(fields.raw(key), (dict, list)):
        return None
    span = fields.data.value_span(key)
    start, end = span[4], span[5]
    written = source.text[start:end]
    if span == fields.data.key_span(key) or not _SIMPLE_SCALAR.match(written) or not written.strip():
        return None
    if written.startswith('"'):
        import json

        replacement = json.dumps(value, ensure_ascii=False)
    elif written.startswith("'"):
        replacement = "'" + value.replace("'", "''") + "'"
    else:
        replacement = scalar_text(value)
    return Edit(file, start, end, replacement, source_path)


def _mapping_style(source: SourceText, fields: Fields) -> str | None:
    """"flow" or "block" for a mapping whose keys are this mapping's own text; None otherwise (it
    is reached through an alias, or empty)."""
    if fields.site is not None or not fields.data:
        return None
    start = fields.data.span[4]
    return "flow" if source.text[start:start + 1] == "{" else "block"


def insert_key(source: SourceText, fields: Fields, key: str, value: str | dict[str, Any], file: str,
               source_path: str | None, *, before: tuple[str, ...] = (), step: int = 2) -> Edit | None:
    """Insert ``key: value`` into the mapping ``fields`` (see :func:`insert_entries`)."""
    return insert_entries(source, fields, {key: value}, file, source_path, before=before, step=step)


def insert_entries(source: SourceText, fields: Fields, entries: dict[str, Any], file: str,
                   source_path: str | None, *, before: tuple[str, ...] = (), step: int = 2) -> Edit | None:
    """Insert ``entries`` (key → a string, or a mapping of such values) into the mapping ``fields`` —
    before the first of the keys ``before`` that it has, else before its first key — in the
    mapping's own style: in a block mapping at its keys' indentation (nested mappings indented by
    ``step`` more per level), in a flow mapping as flow."""
    if not entries or any(fields.has_key(key) for key in entries):
        return None
    style = _mapping_style(source, fields)
    if style is None:
        return None
    anchor = next((k for k in before if fields.has_key(k)), None)
    if anchor is None:
        anchor = next(iter(fields.data))
    if not isinstance(anchor, str) or not fields.editable(anchor):
        return None
    key_span = fields.data.key_span(anchor)
    offset = key_span[4]
    if style == "flow":
        json_style = source.text[offset:offset + 1] == '"' and _is_json(source)
        text = "".join(f"{_flow_entry(key, value, json_style)}, " for key, value in entries.items())
        return Edit(file, offset, offset, text, source_path)
    line_start = source.line_start(key_span[0])
    if not _KEY_PREFIX.match(source.text[line_start:offset]) or key_span[1] != offset - line_start + 1:
        return None  # a complex key (``? ``), a key after ``--- `` or a tab: not edited
    indent = " " * (key_span[1] - 1)
    newline = line_break(source, key_span[0])
    lines = [line for key, value in entries.items() for line in _block_lines(key, value, 0, max(step, 1))]
    text = newline.join(lines[:1] + [indent + line for line in lines[1:]]) + newline + indent
    return Edit(file, offset, offset, text, source_path)


def _is_json(source: SourceText) -> bool:
    from stslint.loading.yamlload import starts_json_stream

    return starts_json_stream(source.text)


def _block_lines(key: str, value: Any, depth: int, step: int) -> list[str]:
    pad = " " * (step * depth)
    if isinstance(value, str):
        return [f"{pad}{scalar_text(key)}: {scalar_text(value)}"]
    lines = [f"{pad}{scalar_text(key)}:"]
    for item_key, item in value.items():
        lines += _block_lines(item_key, item, depth + 1, step)
    return lines


def _flow_entry(key: str, value: Any, json_style: bool) -> str:
    if isinstance(value, str):
        return f"{scalar_text(key, json_style)}: {scalar_text(value, json_style)}"
    inner = ", ".join(_flow_entry(k, v, json_style) for k, v in value.items())
    return f"{scalar_text(key, json_style)}: {{{inner}}}"


def nesting_step(parent: Fields, key: str, child: Fields) -> int:
    """How many columns the file indents a mapping below its key (``spec:`` at column 1, its keys at
    column 3: 2); 2 when that cannot be told."""
    if child.site is not None or not child.data or parent.site is not None:
        return 2
    first = next(iter(child.data))
    step = child.data.key_span(first)[1] - parent.data.key_span(key)[1]
    return step if step > 0 else 2


def source_of(view: Resource) -> SourceText | None:
    """The source text of the file a view's object was read from (None when it is not at hand, as
    for context files read from the cache)."""
    return view.source


def make_fix(title: str, applicability: str, edits: Iterable[Edit | None]) -> Fix | None:
    """A fix of ``edits``; None when one of them could not be built (or there are none)."""
    edits = tuple(edits)
    if not edits or any(edit is None for edit in edits):
        return None
    return Fix(title, applicability, tuple(edit for edit in edits if edit is not None))


def edit_record(edit: Edit | None) -> list[Any] | None:
    """``[start, end, replacement]`` of an edit, as an index entry keeps it (None stays None)."""
    return None if edit is None else [edit.start, edit.end, edit.replacement]


def record_edit(record: list[Any], file: str, source_path: str | None) -> Edit:
    """The edit an index entry keeps as ``[start, end, replacement]``."""
    return Edit(file, record[0], record[1], record[2], source_path)
