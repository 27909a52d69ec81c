"""The context cache: what each context file contributes to the index, keyed by its content.

One JSON file, ``context.json``, in a directory a commit cannot put there: inside a git work tree
the directory ``git rev-parse --git-path stslint-cache`` names (in git's own directory, per
work tree), outside git ``${XDG_CACHE_HOME:-~/.cache}/stslint/<sha256 of the root's real path>``.
A cache in the work tree would be an attack surface: a pull request could commit forged records
(their keys, blob ids and the checkout's path, are predictable) and silence every finding.

Only a cache this user wrote is trusted: the directory must be a real directory (not a symbolic
link) owned by this user and writable by nobody else, the file a regular file owned by this user
and at most :data:`MAX_CACHE_BYTES` long; both are opened without following links, and checked on
the open descriptors. Anything else is ignored, never read, written through or deleted. JSON and
not pickle, every record type-checked when rebuilt, as a last defence. The file carries the
stslint version and the settings records depend on; any other version, and any damage, makes it
start empty. Writes go to a temporary file renamed over the old one, so a reader sees a whole file,
whichever process wrote last; before writing, a process merges in what others wrote meanwhile.
"""
from __future__ import annotations

import hashlib
import gc
import json
import os
import re
import secrets
import stat
import time
from typing import Any

from stslint import __version__
from stslint.context.records import Record

CACHE_NAME = "stslint-cache"
"""The name of the cache directory in git's directory (``git rev-parse --git-path stslint-cache``)."""
CACHE_FILE = "context.json"
FORMAT = 5
"""Bumped whenever the file's meaning changes: 2 since the cache left the work tree, 3 since records
carry every indexed kind, grouped by kind; 4 since objects are identified by where they start; 5 since
workload entries carry their replicas and where their selector is."""
STALE_TEMP_SECONDS = 3600
MAX_CACHE_BYTES = 256 * 1024 * 1024
"""A larger cache file is ignored (and rewritten): the records of over a million context files
(about 190 bytes each), far beyond any repository, while bounding the memory a run spends on it."""
DIRECTORY_MODE = 0o700
_TEMP_NAME = re.compile(re.escape(CACHE_FILE) + r"\.[0-9a-f]{16}\.tmp\Z")
"""The temporary files this module writes (and the only files it ever deletes)."""
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_SUPPORTED = bool(_NOFOLLOW and _DIRECTORY and hasattr(os, "geteuid") and os.open in os.supports_dir_fd)
"""Without links refused on open, directory descriptors and user ids (Windows), there is no cache."""


class ContextCache:
    """Records by file path, each valid for one content key; ``directory`` None means no cache."""

    def __init__(self, directory: str | None, settings: dict[str, Any]) -> None:
        self.directory = directory if _SUPPORTED and directory and os.path.isabs(directory) else None
        self.path = os.path.join(self.directory, CACHE_FILE) if self.directory else None
        self.header = {"stslint": __version__, "format": FORMAT, "settings": settings}
        self.files: dict[str, list[Any]] = self._read()
        self._changed: dict[str, list[Any]] = {}
        self._removed: set[str] = set()

    def _read(self) -> dict[str, list[Any]]:
        """The entries of the cache file; empty when it is missing, untrusted, damaged or from
        another version."""
        descriptor = self._open_directory(create=False)
        if descriptor is None:
            return {}
        try:
            return self._entries(descriptor)
        finally:
            os.close(descriptor)

    def _entries(self, directory: int) -> dict[str, list[Any]]:
        """The entries of the cache file in the open cache ``directory`` (see :meth:`_read`)."""
        raw = _read_trusted_file(directory, CACHE_FILE)
        if raw is None:
            return {}
        try:
            data = _decode_without_collecting(raw)
        except (ValueError, RecursionError):
            return {}
        if not isinstance(data, dict) or data.get("header") != self.header:
            return {}
        files = data.get("files")
        return files if isinstance(files, dict) else {}

    def _open_directory(self, create: bool) -> int | None:
        """A descriptor of the cache directory when this user owns it and nobody else can write to
        it (created first when ``create``); None otherwise."""
        if self.directory is None:
            return None
        try:
            if create:
                os.makedirs(os.path.dirname(self.directory), mode=DIRECTORY_MODE, exist_ok=True)
                try:
                    os.mkdir(self.directory, DIRECTORY_MODE)
                except FileExistsError:
                    pass
            descriptor = os.open(self.directory, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
        except OSError:
            return None  # missing, a symbolic link (ELOOP), not a directory, not ours to create
        try:
            st = os.fstat(descriptor)
        except OSError:
            st = None
        if st is None or not stat.S_ISDIR(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o022:
            os.close(descriptor)
            return None
        return descriptor

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
        a cache that cannot be written, or whose directory is not trusted, is left alone."""
        if not self.dirty:
            return
        descriptor = self._open_directory(create=True)
        if descriptor is None:
            return
        try:
            merged = self._entries(descriptor)
            for path in self._removed:
                merged.pop(path, None)
            merged.update(self._changed)
            payload = json.dumps({"header": self.header, "files": merged}, separators=(",", ":"))
            _write_atomically(descriptor, payload.encode("utf-8"))
            _remove_stale_temps(descriptor)
        except OSError:
            return
        finally:
            os.close(descriptor)


def _read_trusted_file(directory: int, name: str) -> bytes | None:
    """The bytes of the file ``name`` in the open ``directory`` when it is a regular file of this
    user no longer than MAX_CACHE_BYTES (links are not followed, FIFOs not waited on); else None."""
    try:
        descriptor = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0),
                             dir_fd=directory)
    except OSError:
        return None
    try:
        st = os.fstat(descriptor)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_size > MAX_CACHE_BYTES:
            return None
        chunks: list[bytes] = []
        remaining = MAX_CACHE_BYTES + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    data = b"".join(chunks)
    return data if len(data) <= MAX_CACHE_BYTES else None  # it grew while being read


def _write_atomically(directory: int, data: bytes) -> None:
    """Replace the cache file in the open ``directory`` by ``data``: written to a new temporary
    file of this user (never through a link), then renamed into place."""
    temp = f"{CACHE_FILE}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=directory)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
        finally:
            os.close(descriptor)
        os.replace(temp, CACHE_FILE, src_dir_fd=directory, dst_dir_fd=directory)
    except BaseException:
        _unlink_own_temp(directory, temp)
        raise


def _remove_stale_temps(directory: int) -> None:
    """Delete the temporary files killed processes left: only names this module makes, and only
    regular files of this user older than STALE_TEMP_SECONDS."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    for name in os.listdir(directory):
        if _TEMP_NAME.match(name):
            try:
                st = os.stat(name, dir_fd=directory, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid() and st.st_mtime < cutoff:
                _unlink_own_temp(directory, name)


def _unlink_own_temp(directory: int, name: str) -> None:
    try:
        os.unlink(name, dir_fd=directory)
    except OSError:
        pass  # another process removed it already; a leftover is removed once stale


def cache_directory(cwd: str) -> str | None:
    """Where the context cache of a run from ``cwd`` lives: the directory git names for it in the
    git work tree holding ``cwd``; outside git (or when git cannot say) a directory of the user's
    cache directory named after the real path of the root. None when there is no such place."""
    from stslint.context.listing import git_path, work_tree_of

    root = work_tree_of(cwd)
    if root is not None:
        inside_git = _plain_git_directory(root) or git_path(root, CACHE_NAME)
        if inside_git is not None:
            return inside_git
    return user_cache_directory(root or os.path.realpath(cwd))


_GIT_LOCATION_VARIABLES = ("GIT_DIR", "GIT_COMMON_DIR", "GIT_WORK_TREE")


def _plain_git_directory(root: str) -> str | None:
    """What ``git rev-parse --git-path stslint-cache`` answers, without running git, in the common
    case it is certain of: ``.git`` at the root is a real directory (not a linked work tree's file,
    not a link) and no environment variable moves git's directory. None otherwise (ask git)."""
    if any(name in os.environ for name in _GIT_LOCATION_VARIABLES):
        return None
    dot_git = os.path.join(root, ".git")
    try:
        if not stat.S_ISDIR(os.lstat(dot_git).st_mode):
            return None
    except OSError:
        return None
    return os.path.join(dot_git, CACHE_NAME)


def user_cache_directory(root: str) -> str | None:
    """``${XDG_CACHE_HOME:-~/.cache}/stslint/<sha256 hex of root's real path>`` (a relative
    XDG_CACHE_HOME is ignored, as the XDG specification asks); None without a home directory."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
        if not os.path.isabs(base):
            return None
    digest = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()
    return os.path.join(base, "stslint", digest)


def _decode_without_collecting(raw: bytes) -> Any:
    """``json.loads(raw)`` with the cyclic garbage collector paused: decoding builds tens of thousands
    of containers, each allocation counting towards a collection that would walk every object of the
    process again and again (a third of a warm run's time), and JSON data cannot hold a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(raw)
    finally:
        if enabled:
            gc.enable()
