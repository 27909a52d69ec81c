"""Which files are context: the ones ``--context PATH`` names or walks, and the ones ``git ls-files``
lists in the work tree of the checked files; each with the key its content is cached under.

The key is the git blob id when git's own stat information says the work-tree file still matches
the index (``git ls-files -s`` minus what ``git diff-files`` reports), else the file's size and
modification time. Walk skips apply to both: hidden files and directories, a Helm chart's
``templates/``, and symbolic links leading out of the tree.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from typing import Iterable, NamedTuple

from stslint.loading.discover import OUTSIDE_LINK, PathFilter, in_skipped_directory, is_manifest_name, walk_checked
from stslint.repository import repository_root

GITLINK_MODE = "160000"
SYMLINK_MODE = "120000"


class Candidate(NamedTuple):
    """A context file: its resolved path, the path to show, and the key of its content."""

    real_path: str
    display: str
    key: str


@dataclass
class Listing:
    """The context files of a run, what was left out and why, and the directories listed in full."""

    candidates: dict[str, Candidate] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    """(path, message): context asked for that could not be listed (a path that does not exist, a
    directory outside any git work tree with --context-git), which the user must hear of."""

    def add(self, candidate: Candidate) -> None:
        """Add a file, once."""
        self.candidates.setdefault(candidate.real_path, candidate)


def display_path(real_path: str, cwd_real: str) -> str:
    """The path to show for a file: relative to the current directory when below it."""
    prefix = cwd_real.rstrip(os.sep) + os.sep
    return real_path[len(prefix):] if real_path.startswith(prefix) else real_path


def stat_key(path: str) -> str | None:
    """The size-and-mtime key of a file (None when it does not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"stat:{st.st_size}:{st.st_mtime_ns}"


def still_matches(candidate: Candidate) -> bool:
    """True when the file still has the content its key names (it may have changed while being
    read: a record is cached only under the key of the content it was made from)."""
    if not candidate.key.startswith("git:"):
        return stat_key(candidate.real_path) == candidate.key
    import hashlib

    oid = candidate.key[4:]
    try:
        with open(candidate.real_path, "rb") as handle:
            data = handle.read()
    except OSError:
        return False
    digest = hashlib.sha256() if len(oid) == 64 else hashlib.sha1()  # noqa: S324 - git's object id
    digest.update(b"blob %d\0" % len(data))
    digest.update(data)
    return digest.hexdigest() == oid


def work_tree_of(directory: str) -> str | None:
    """The root of the git work tree holding ``directory`` (None outside git)."""
    return repository_root(os.path.realpath(directory))


def _git(top: str, *args: str) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(["git", "-C", top, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc.strerror or exc}") from None


def _finish(process: subprocess.Popen[bytes]) -> bytes:
    out, err = process.communicate()
    if process.returncode != 0:
        lines = os.fsdecode(err).strip().splitlines()
        raise GitError(lines[-1] if lines else f"git exited with status {process.returncode}")
    return out


class GitError(Exception):
    """git could not list the work tree."""


def git_path(top: str, name: str) -> str | None:
    """The absolute path git gives ``name`` in its own directory for the work tree at ``top``
    (``git rev-parse --git-path NAME``: per work tree, outside it); None when git cannot say."""
    try:
        answer = os.fsdecode(_finish(_git(top, "rev-parse", "--git-path", name)))
    except GitError:
        return None
    path = answer[:-1] if answer.endswith("\n") else answer
    return os.path.join(top, path) if path and "\n" not in path else None


def add_git_files(listing: Listing, top: str, checked: set[str], cwd_real: str,
                  exclude: PathFilter | None = None) -> None:
    """Add every manifest ``git ls-files`` lists in the work tree at ``top`` (a resolved path).

    Raises GitError when git cannot list it."""
    staged = _git(top, "ls-files", "-s", "-z")
    modified = _git(top, "diff-files", "--name-only", "-z")
    rows = os.fsdecode(_finish(staged)).split("\0")  # "<mode> <oid> <stage>\t<path>"
    changed = set(os.fsdecode(_finish(modified)).split("\0"))
    entries: list[tuple[str, str, str, str]] = []
    charts: set[str] = set()
    for row in rows:
        meta, _, path = row.partition("\t")
        if not path:
            continue
        directory, _, name = path.rpartition("/")
        if name == "Chart.yaml":
            charts.add(directory)
        if is_manifest_name(name):
            mode, oid, stage = meta.split(" ")
            if mode != GITLINK_MODE:
                entries.append((mode, oid, stage, path))
    listing.scopes.append(top)
    base = top.rstrip(os.sep) + os.sep
    cwd_prefix = cwd_real.rstrip(os.sep) + os.sep
    seen: set[str] = set()
    for mode, oid, stage, path in entries:
        if path in seen or in_skipped_directory(path, charts.__contains__):
            continue
        seen.add(path)
        real = base + (path if os.sep == "/" else path.replace("/", os.sep))
        if mode == SYMLINK_MODE:
            real = os.path.realpath(real)
            if not real.startswith(base):
                listing.skipped.append((path, OUTSIDE_LINK))
                continue
        if real in checked:
            continue
        display = real[len(cwd_prefix):] if real.startswith(cwd_prefix) else real
        if exclude is not None and exclude.matches(real):
            continue
        if stage == "0" and mode != SYMLINK_MODE and path not in changed:
            key: str | None = "git:" + oid
        else:
            key = stat_key(real)
            if key is None:
                continue  # listed by git but deleted from the work tree
        listing.add(Candidate(real, display, key))


def add_paths(listing: Listing, paths: Iterable[str], checked: set[str], cwd_real: str,
              exclude: PathFilter | None = None) -> None:
    """Add the files named by ``--context``: a file as it is, a directory walked like a checked one."""
    for given in paths:
        if os.path.isdir(given):
            listing.scopes.append(os.path.realpath(given))
            found: Iterable[tuple[str, str]] = walk_checked(given, exclude)
        elif os.path.exists(given):
            found = [(given, "")]
        else:
            listing.warnings.append((shown_path(given), "context path does not exist; skipped"))
            continue
        for path, problem in found:
            if problem:
                listing.skipped.append((path, problem))
                continue
            real = os.path.realpath(path)
            if real in checked or (exclude is not None and exclude.matches(real)):
                continue
            display = display_path(real, cwd_real)
            key = stat_key(real)
            if key is not None:
                listing.add(Candidate(real, display, key))


def shown_path(path: str) -> str:
    """A path for a message: relative to the current directory when below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
