"""Kustomize: which files a kustomization uses as patches (they are not deployable objects).

Like kustomize's default load restrictor (``LoadRestrictionsRootOnly``), a patch path must resolve,
links followed, inside the directory tree of the kustomization that lists it: ``../other/x.yaml`` or
``/etc/x.yaml`` is refused (with a warning), so a kustomization cannot silence files outside its root.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")


@dataclass
class Patches:
    """The patch files a kustomization lists (real paths), and the entries it lists that were refused
    as (line, message)."""

    paths: set[str] = field(default_factory=set)
    refused: list[tuple[int, str]] = field(default_factory=list)


def kustomization_patches(name: str | None, roots: Iterable[Any], real_path: str | None) -> Patches:
    """The patch files a loaded file lists: when the file ``name`` is a kustomization
    (kustomization.yaml, kustomization.yml, Kustomization), the :func:`patch_paths` of each of its
    documents (``roots``) resolved against ``real_path``; otherwise none."""
    found = Patches()
    if os.path.basename(name or "") not in KUSTOMIZATION_NAMES:
        return found
    for root in roots:
        patches = patch_paths(root, real_path)
        found.paths |= patches.paths
        found.refused += patches.refused
    return found


def patch_paths(kustomization: Any, real_path: str | None) -> Patches:
    """Real paths of the patch files a kustomization lists under patchesStrategicMerge, patches
    (entries with ``path:``) or patchesJson6902 (``path:``), resolved against its directory; those
    that resolve outside that directory's tree are refused."""
    found = Patches()
    if not isinstance(kustomization, dict) or real_path is None:
        return found
    base = os.path.dirname(real_path)
    for key in PATCH_KEYS:
        entries = kustomization.get(key)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            path = entry.get("path") if isinstance(entry, dict) else entry if key == "patchesStrategicMerge" else None
            if not (isinstance(path, str) and path and "\n" not in path and "\0" not in path):
                continue
            resolved = os.path.realpath(os.path.join(base, path))
            if resolved == base or resolved.startswith(base.rstrip(os.sep) + os.sep):
                found.paths.add(resolved)
            else:
                line = _line_of(entries, index, entry)
                found.refused.append((line, f"{key} entry {path!r} lies outside the kustomization's directory; "
                                      "ignored (kustomize refuses it too)"))
    return found


def _line_of(entries: Any, index: int, entry: Any) -> int:
    """The line of a list entry (of its ``path:`` value for a mapping), when the list knows positions."""
    if isinstance(entry, dict) and hasattr(entry, "value_span"):
        return int(entry.value_span("path")[0])
    return int(entries.item_span(index)[0]) if hasattr(entries, "item_span") else 1
