"""Where a finding's file is, as CI platforms want it: relative to the root of its repository.

The root is the nearest directory above the file that holds ``.git`` (a directory, or the file a
worktree or submodule has); without one it is the current directory. Paths are taken as given on the
command line (symbolic links are not resolved), and use ``/`` whatever the platform.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from stslint.reporting import valid_unicode
from stslint.repository import repository_root

STDIN_NAME = "-"


@dataclass(frozen=True)
class RepoPath:
    """A file's repository root (absolute) and its path below that root (``/``-separated)."""

    root: str
    path: str


def repo_path(file: str, cwd: str | None = None) -> RepoPath:
    """The repository-relative location of a finding's file (its display name); ``-`` (unnamed
    standard input) stays ``-`` relative to the current directory."""
    cwd = cwd or os.getcwd()
    if file == STDIN_NAME:
        return RepoPath(cwd, STDIN_NAME)
    absolute = os.path.normpath(os.path.join(cwd, file))
    root = repository_root(os.path.dirname(absolute)) or cwd
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive (Windows): no relative form exists
        relative = absolute
    return RepoPath(root, valid_unicode(relative.replace(os.sep, "/")))
