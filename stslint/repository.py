"""Where a file's git repository starts (the nearest directory above it that holds ``.git``), and
the walk up the directory tree that finds it (and charts, configurations)."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterator


def ancestors(directory: str) -> Iterator[str]:
    """``directory`` (absolute) and every directory above it, nearest first, up to the root."""
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


@lru_cache(maxsize=1024)
def repository_root(directory: str) -> str | None:
    """The nearest directory at or above ``directory`` (absolute) that holds ``.git``, or None."""
    return next((current for current in ancestors(directory) if os.path.lexists(os.path.join(current, ".git"))),
                None)
