"""Which parts of a loaded document are Kubernetes objects: the document itself, or the items of a
``kind: *List``; and which List items are not objects."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.model.nodes import Span, YMap, type_name


def is_object(value: Any) -> bool:
    """A mapping with both apiVersion and kind."""
    return isinstance(value, dict) and value.get("apiVersion") is not None and value.get("kind") is not None


def _is_list(root: YMap) -> bool:
    kind = root.get("kind")
    return isinstance(kind, str) and kind.endswith("List")


def objects_of(root: YMap) -> Iterator[YMap]:
    """The objects an object document holds: itself, or each item of a List (an item aliased into
    the List several times is one object; a List without items holds none)."""
    if not _is_list(root):
        yield root
        return
    items = root.get("items")
    if not isinstance(items, list):
        return
    seen: set[int] = set()
    for item in items:
        if is_object(item) and id(item) not in seen:
            seen.add(id(item))
            yield item


def indexable_objects(root: Any) -> list[YMap]:
    """The objects of any loaded document (none unless it is an object document)."""
    return list(objects_of(root)) if is_object(root) else []


def non_object_items(root: YMap) -> Iterator[tuple[Span, str]]:
    """Where a List holds an item that is not a Kubernetes object, and what it is instead."""
    items = root.get("items") if _is_list(root) else None
    if not isinstance(items, list):
        return
    seen: set[int] = set()
    for index, item in enumerate(items):
        if is_object(item) or item is None or id(item) in seen:
            continue
        seen.add(id(item))
        span = items.item_span(index)
        if isinstance(item, dict):
            has_api = item.get("apiVersion") is not None
            has_kind = item.get("kind") is not None
            if has_api or has_kind:
                present, absent = ("apiVersion", "kind") if has_api else ("kind", "apiVersion")
                yield item.key_span(present), f"items[{index}] has {present} but no {absent}"
            else:
                yield span, f"items[{index}] has neither apiVersion nor kind"
        else:
            yield span, f"items[{index}] is a {type_name(item)}, not a mapping"
