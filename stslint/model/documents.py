"""Which parts of a loaded document are Kubernetes objects: the document itself, or the items of a
``kind: *List``; which List items are not objects; and whether a top-level list holds objects (a
manifest in the wrong shape, not a playbook or a patch)."""
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
    """The objects an object document holds: itself, or each item of a List — the items of a List
    inside a List too, flattened as kubectl flattens them (an item aliased into the List several
    times is one object; a List without items holds none)."""
    if not _is_list(root):
        yield root
        return
    seen: set[int] = {id(root)}
    pending: list[Iterator[Any]] = [iter(_items(root))]
    while pending:
        item = next(pending[-1], _DONE)
        if item is _DONE:
            pending.pop()
            continue
        if not is_object(item) or id(item) in seen:
            continue
        seen.add(id(item))
        if _is_list(item):
            pending.append(iter(_items(item)))
        else:
            yield item


_DONE = object()


def _items(root: YMap) -> list[Any]:
    items = root.get("items")
    return items if isinstance(items, list) else []


def first_listed_object(root: Any) -> int | None:
    """The index of the first item of a top-level list (a document that is a list, not a mapping)
    that is a Kubernetes object; None when no item is one, or ``root`` is not a list."""
    if not isinstance(root, list):
        return None
    return next((index for index, item in enumerate(root) if is_object(item)), None)


def indexable_objects(root: Any) -> list[YMap]:
    """The objects of any loaded document (none unless it is an object document)."""
    return list(objects_of(root)) if is_object(root) else []


def non_object_items(root: YMap) -> Iterator[tuple[Span, str]]:
    """Where a List (or a List inside it) holds an item that is not a Kubernetes object, and what
    it is instead."""
    if not _is_list(root):
        return
    seen: set[int] = {id(root)}
    pending = [root]
    while pending:
        items = pending.pop().get("items")
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if item is None or id(item) in seen:
                continue
            seen.add(id(item))
            if is_object(item):
                if _is_list(item):
                    pending.append(item)
                continue
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
