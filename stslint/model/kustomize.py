"""Kustomize: which files a kustomization uses as patches (they are not deployable objects)."""
from __future__ import annotations

import os
from typing import Any

PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")


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
