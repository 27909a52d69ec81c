"""Path globs of the configuration (``exclude``, ``per-file-ignores``), matched the way ruff does.

A pattern without a slash (``vendor``, ``*.generated.yaml``) matches a file or directory of that
name anywhere below the configuration file's directory. A pattern with a slash (``charts/*/tests``,
``apps/**/secret*.yaml``) matches a path relative to that directory; ``*`` and ``?`` never cross a
slash, ``**`` crosses any number of directories, ``[abc]``/``[!abc]`` are character classes. A
trailing slash (``build/``) matches directories only. A directory that matches covers everything
below it.
"""
from __future__ import annotations

import os
import re
from typing import Iterable


def _translate(pattern: str) -> str:
    """The regular expression (without anchors) of one glob."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if pattern.startswith("**", i):
                i += 2
                if pattern.startswith("/", i):
                    out.append("(?:.*/)?")
                    i += 1
                else:
                    out.append(".*")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            j = i + 1
            if j < n and pattern[j] == "!":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            end = pattern.find("]", j)
            if end == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1:end]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\Z") if patterns else None


class PathMatcher:
    """Matches paths against a set of globs relative to a base directory."""

    def __init__(self, patterns: Iterable[str], base: str) -> None:
        self.base = os.path.abspath(base)
        names: list[str] = []
        paths: list[str] = []
        dir_names: list[str] = []
        dir_paths: list[str] = []
        for raw in patterns:
            pattern = raw.replace(os.sep, "/")
            while pattern.startswith("./"):
                pattern = pattern[2:]
            dir_only = pattern.endswith("/")
            pattern = pattern.strip("/")
            if not pattern:
                continue
            anchored = "/" in pattern
            target = (dir_paths if dir_only else paths) if anchored else (dir_names if dir_only else names)
            target.append(_translate(pattern))
        self._names = _compile(names)
        self._paths = _compile(paths)
        self._dir_names = _compile(dir_names)
        self._dir_paths = _compile(dir_paths)

    def relative(self, path: str) -> str:
        """``path`` relative to the base directory, with forward slashes."""
        rel = os.path.relpath(os.path.abspath(path), self.base)
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def _entry_matches(self, rel: str, name: str, is_dir: bool) -> bool:
        if self._names is not None and self._names.match(name):
            return True
        if self._paths is not None and self._paths.match(rel):
            return True
        if is_dir:
            if self._dir_names is not None and self._dir_names.match(name):
                return True
            if self._dir_paths is not None and self._dir_paths.match(rel):
                return True
        return False

    def matches_entry(self, path: str, is_dir: bool) -> bool:
        """True when ``path`` itself (not its parents) matches; what a directory walk asks of each
        entry, its parents having been asked already."""
        rel = self.relative(path)
        name = rel.rsplit("/", 1)[-1]
        if rel == ".." or rel.startswith("../"):
            return self._entry_matches("", name, is_dir) if name != ".." else False
        return self._entry_matches(rel, name, is_dir)

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """True when ``path`` or one of its parent directories (below the base) matches."""
        rel = self.relative(path)
        parts = rel.split("/")
        if parts[0] == "..":
            parts = [p for p in parts if p != ".."]
            return any(self._entry_matches("", part, is_dir or i < len(parts) - 1) for i, part in enumerate(parts))
        if rel == ".":
            return False
        for i in range(len(parts)):
            last = i == len(parts) - 1
            if self._entry_matches("/".join(parts[: i + 1]), parts[i], is_dir if last else True):
                return True
        return False
