"""The context cache: what each context file contributes to the index, keyed by its content.

One JSON file, ``.stslint_cache/context.json`` at the repository root, beside a ``.gitignore`` of
``*``. JSON and not pickle: the cache lives in a work tree anyone may write to, so it holds data
only, and every record is type-checked when rebuilt. The file carries the stslint version and the
settings records depend on; any other version, and any damage, makes it start empty. Writes go to
a temporary file renamed over the old one, so a reader sees a whole file, whichever process wrote
last; before writing, a process merges in what others wrote meanwhile.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from typing import Any

from stslint import __version__
from stslint.context.records import Record

CACHE_DIR = ".stslint_cache"
CACHE_FILE = "context.json"
FORMAT = 2
STALE_TEMP_SECONDS = 3600


class ContextCache:
    """Records by file path, each valid for one content key."""

    def __init__(self, directory: str, settings: dict[str, Any]) -> None:
        self.directory = directory
        self.path = os.path.join(directory, CACHE_FILE)
        self.header = {"stslint": __version__, "format": FORMAT, "settings": settings}
        self.files: dict[str, list[Any]] = self._read()
        self._changed: dict[str, list[Any]] = {}
        self._removed: set[str] = set()

    def _read(self) -> dict[str, list[Any]]:
        """The entries of the cache file; empty when it is missing, damaged or from another version."""
        try:
            with open(self.path, "rb") as handle:
                data = json.loads(handle.read())
        except (OSError, ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("header") != self.header:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def get(self, path: str, key: str) -> Record | None:
        """The record of a file if it was cached for this content key."""
        item = self.files.get(path)
        if isinstance(item, list) and len(item) == 2 and item[0] == key and isinstance(item[1], dict):
            return item[1]  # type: ignore[no-any-return]
        return None

    def put(self, path: str, key: str, record: Record) -> None:
        """Remember a file's record for this content key."""
        self.files[path] = self._changed[path] = [key, record]
        self._removed.discard(path)

    def discard(self, path: str) -> None:
        """Forget a file (its cached record was unusable)."""
        if path in self.files:
            del self.files[path]
            self._removed.add(path)
        self._changed.pop(path, None)

    def forget_unlisted(self, scopes: list[str], listed: set[str]) -> None:
        """Forget files below the directories listed in full that were not listed (deleted, or no
        longer context)."""
        prefixes = tuple(scope.rstrip(os.sep) + os.sep for scope in scopes)
        if not prefixes:
            return
        for path in [p for p in self.files if p.startswith(prefixes) and p not in listed]:
            self.discard(path)

    @property
    def dirty(self) -> bool:
        """True when this run changed something worth writing."""
        return bool(self._changed or self._removed)

    def save(self) -> None:
        """Write the cache atomically, merged with what other processes wrote since it was read;
        a cache that cannot be written is left alone."""
        if not self.dirty:
            return
        try:
            os.makedirs(self.directory, exist_ok=True)
            self._write_gitignore()
            merged = self._read()
            for path in self._removed:
                merged.pop(path, None)
            merged.update(self._changed)
            payload = json.dumps({"header": self.header, "files": merged}, separators=(",", ":"))
            handle, temp = tempfile.mkstemp(prefix=CACHE_FILE + ".", suffix=".tmp", dir=self.directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(payload)
                os.replace(temp, self.path)
            except BaseException:
                _unlink(temp)
                raise
            self._remove_stale_temps()
        except OSError:
            return

    def _write_gitignore(self) -> None:
        path = os.path.join(self.directory, ".gitignore")
        if not os.path.exists(path):
            try:
                with open(path, "x", encoding="utf-8") as out:
                    out.write("# Automatically created by stslint.\n*\n")
            except FileExistsError:
                pass

    def _remove_stale_temps(self) -> None:
        """Delete temporary files left by killed processes."""
        cutoff = time.time() - STALE_TEMP_SECONDS
        for name in os.listdir(self.directory):
            if name.endswith(".tmp"):
                path = os.path.join(self.directory, name)
                try:
                    if os.stat(path).st_mtime < cutoff:
                        os.unlink(path)
                except OSError:
                    pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def cache_root(cwd: str) -> str:
    """Where ``.stslint_cache`` goes: the root of the git work tree of ``cwd``, else ``cwd``."""
    from stslint.context.listing import work_tree_of

    return work_tree_of(cwd) or os.path.realpath(cwd)
