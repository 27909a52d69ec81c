"""Where a file's git repository starts (the nearest directory above it that holds ``.git``)."""
from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1024)
def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` (absolute) that holds ``.git``, or None."""
    current = directory
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
