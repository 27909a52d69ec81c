"""Kustomize: which files a kustomization uses as patches (they are not deployable objects)."""
from __future__ import annotations

import os
from typing import Any, Iterable

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")


def kustomization_patches(name: str | None, roots: Iterable[Any], real_path: str | None) -> set[str]:
    """The patch files a loaded file lists: when the file ``name`` is a kustomization
    (kustomization.yaml, kustomization.yml, Kustomization), the ``patch_paths`` of each of its
    documents (``roots``) resolved against ``real_path``; otherwise none."""
    if os.path.basename(name or "") not in KUSTOMIZATION_NAMES:
        return set()
    found: set[str] = set()
    for root in roots:
        found |= patch_paths(root, real_path)
    return found


def patch_paths(kustomization: Any, real_path: str | None) -> set[str]:
    """Real paths of the patch files a kustomization lists under patchesStrategicMerge, patches
    (entries with ``path:``) or patchesJson6902 (``path:``), resolved against its directory."""
    if not isinstance(kustomization, dict) or real_path is None:
        return set()
    base = os.path.dirname(real_path)
    found: set[str] = set()
    for key in PATCH_KEYS:
        entries = kustomization.get(key)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            path = entry.get("path") if isinstance(entry, dict) else entry if key == "patchesStrategicMerge" else None
            if isinstance(path, str) and path and "\n" not in path and "\0" not in path:
                found.add(os.path.realpath(os.path.join(base, path)))
    return found
