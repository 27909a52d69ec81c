"""From a schema error's path to the span of the failing field, and the field's path as text.

A path is the target's own path in its object followed by the error's path inside the target (keys
and list indexes). A wrong value is reported at its key (``image:``), or at the item itself for a
list item (``- 8080``). A missing field is reported at its nearest existing ancestor's key: the key
holding the mapping that lacks it (``resources:``); for a list item, the item's ``name:`` (a
container, a volume, a mount) or ``metadata.name`` (a claim template), else the item; for the object
itself, its ``kind:``. Through an alias (``containers: [*c]``) or a merge key, the place used is the
alias or the ``<<`` key, never the anchor (which may lie in another object).
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from stslint.model.nodes import Span, YMap, YSeq

_PLAIN_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$-]*\Z")


def dotted(path: Iterable[Any]) -> str:
    """A path as text: ``spec.template.spec.containers[0].image``; a key that is not a plain word
    in brackets (``metadata.labels["app.kubernetes.io/name"]``)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and _PLAIN_KEY.match(part):
            text += f".{part}" if text else part
        else:
            text += f'["{part}"]'
    return text


def _aliased(value: Any, recorded: Span) -> bool:
    """Whether a collection stands elsewhere than where it is used (an alias, or a merged key)."""
    return isinstance(value, (YMap, YSeq)) and recorded != value.span


def field_span(root: YMap, path: Iterable[Any], *, missing: bool = False) -> Span:
    """The span of the field at ``path`` below the object ``root``: its key, or the item for a list
    item. With ``missing``, ``path`` leads to the mapping that lacks a field: the span is that of the
    nearest existing ancestor's key (see the module)."""
    node: Any = root
    site: Span | None = None
    span: Span = root.key_span("kind") if "kind" in root else root.span
    last: Any = None
    for part in path:
        if isinstance(node, YMap) and not isinstance(part, int) and part in node:
            value = node[part]
            span = site or node.key_span(part)
            if site is None and _aliased(value, node.value_span(part)):
                site = node.key_span(part)
        elif isinstance(node, YSeq) and isinstance(part, int) and 0 <= part < len(node):
            value = node[part]
            span = site or node.item_span(part)
            if site is None and _aliased(value, node.item_span(part)):
                site = node.item_span(part)
        else:
            break  # the rest of the path does not exist: its nearest ancestor is where we are
        last, node = part, value
    if missing and isinstance(last, int) and isinstance(node, YMap) and site is None:
        return _item_anchor(node, span)
    return span


def _item_anchor(item: YMap, fallback: Span) -> Span:
    """A list item's name: its ``name:`` key, or its ``metadata.name`` key (a claim template)."""
    if "name" in item:
        return item.key_span("name")
    meta = item.get("metadata")
    if isinstance(meta, YMap) and "name" in meta and not _aliased(meta, item.value_span("metadata")):
        return meta.key_span("name")
    return fallback
