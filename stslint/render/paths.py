"""Field paths of positioned YAML: the path of the node at a position, and the position of a path.

A path is a tuple of steps: a mapping key, or for a sequence item ``("name", VALUE)`` when the item is
a mapping with a ``name`` (how Kubernetes merges containers, volumes, env and ports across files)
and its index otherwise. Paths so written survive kustomize's re-serialisation and a patch that
lists only some items.
"""
from __future__ import annotations

from typing import Any, Iterator

from stslint.model.nodes import Span, YMap, YSeq

Step = Any
Path = tuple[Step, ...]


def item_step(sequence: list[Any], index: int) -> Step:
    """The step of item ``index`` of a sequence: ``("name", NAME)`` for a named mapping, else the index."""
    item = sequence[index]
    if isinstance(item, dict) and isinstance(item.get("name"), (str, int)) and not isinstance(item.get("name"), bool):
        return ("name", item["name"])
    return index


def entries(root: Any, prefix: Path = ()) -> Iterator[tuple[Path, Span | None, Span]]:
    """Every node below ``root``: its path, its key's span (None for a sequence item) and its value's span."""
    stack: list[tuple[Any, Path]] = [(root, prefix)]
    while stack:
        node, path = stack.pop()
        if isinstance(node, YMap):
            for key, value in node.items():
                key_span, value_span = node.spans.get(key, (node.span, node.span))
                yield path + (key,), key_span, value_span
                stack.append((value, path + (key,)))
        elif isinstance(node, YSeq):
            for index, value in enumerate(node):
                step = item_step(node, index)
                yield path + (step,), None, node.item_span(index)
                stack.append((value, path + (step,)))


def path_at(root: Any, span: Span) -> tuple[Path, bool] | None:
    """The path of the deepest node whose key or value starts where ``span`` starts (True when the
    span is the key's), else of the deepest node whose value contains the span's start; None when the
    span lies outside ``root``."""
    line, column = span[0], span[1]
    best: tuple[Path, bool] | None = None
    containing: Path | None = None
    for path, key_span, value_span in entries(root):
        if key_span is not None and key_span[:2] == (line, column):
            if best is None or len(path) > len(best[0]):
                best = (path, True)
        elif value_span[:2] == (line, column):
            if best is None or len(path) > len(best[0]):
                best = (path, False)
        elif value_span[:2] <= (line, column) < value_span[2:4]:
            if containing is None or len(path) > len(containing):
                containing = path
    if best is not None:
        return best
    return (containing, False) if containing is not None else None


def node_at(root: Any, path: Path) -> tuple[int, Any, Span | None, Span | None]:
    """How far ``path`` exists below ``root``: the number of steps found, the node reached, and the
    key span and value span of the last step found (None, None when not even the first was)."""
    node, key_span, value_span = root, None, None
    for depth, step in enumerate(path):
        if isinstance(node, YMap) and not isinstance(step, tuple) and step in node:
            key_span, value_span = node.spans.get(step, (node.span, node.span))
            node = node[step]
        elif isinstance(node, YSeq):
            index = _index_of(node, step)
            if index is None:
                return depth, node, key_span, value_span
            key_span, value_span = None, node.item_span(index)
            node = node[index]
        else:
            return depth, node, key_span, value_span
    return len(path), node, key_span, value_span


def _index_of(sequence: YSeq, step: Step) -> int | None:
    if isinstance(step, tuple):
        for index in range(len(sequence)):
            if item_step(sequence, index) == step:
                return index
        return None
    if isinstance(step, int) and 0 <= step < len(sequence):
        return step
    return None


def pointer_steps(pointer: str) -> list[str]:
    """The unescaped tokens of a JSON pointer (RFC 6901)."""
    if not pointer.startswith("/"):
        return []
    return [token.replace("~1", "/").replace("~0", "~") for token in pointer[1:].split("/")]


def indexed_path(root: Any, path: Path) -> list[str] | None:
    """``path`` below ``root`` as JSON pointer tokens (items by index), or None when it does not exist."""
    tokens: list[str] = []
    node = root
    for step in path:
        if isinstance(node, dict) and not isinstance(step, tuple) and step in node:
            tokens.append(str(step))
            node = node[step]
        elif isinstance(node, YSeq):
            index = _index_of(node, step)
            if index is None:
                return None
            tokens.append(str(index))
            node = node[index]
        else:
            return None
    return tokens
