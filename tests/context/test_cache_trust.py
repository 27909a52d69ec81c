"""The context cache is trusted only where a commit cannot put it and only when this user wrote it.

A pull request controls every file of the checkout: a cache it commits (forged records keyed by
predictable blob ids and paths) must never change a finding, and links, special files and other
users' files in the cache's place must never be followed, read without bound, written through or
deleted.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest
from tests.conftest import ROOT, check_json
from tests.context.context_helpers import codes, git, make_repo, service, statefulset, write

from stslint import __version__
from stslint.context import ContextRequest, load_context
from stslint.context.cache import CACHE_FILE, FORMAT
from stslint.loading import DEFAULT_MAX_FILE_SIZE

STS = "statefulsets/db.yaml"
SERVICE = "services/db.yaml"
NOT_HEADLESS = [("STS103", STS, 6)]
CONTEXT_GIT = ("--context-git",)


def _record_of_headless_service(tmp_path: Path) -> dict[str, object]:
    """The cache record a headless Service would have: what a forger puts under another file's key."""
    from stslint.context import _parse

    source = tmp_path / "forger" / "headless.yaml"
    write(source.parent, {source.name: service()})
    return _parse(source.name, str(source), DEFAULT_MAX_FILE_SIZE)


def _forged_cache(checkout: Path, oid: str, record: dict[str, object]) -> str:
    """A cache file as this version writes it, claiming ``record`` for the Service of ``checkout``."""
    real = os.path.realpath(checkout / SERVICE)
    header = {"stslint": __version__, "format": FORMAT, "settings": {"max_file_size": DEFAULT_MAX_FILE_SIZE}}
    return json.dumps({"header": header, "files": {real: [f"git:{oid}", record]}})


def _make_headless(record: dict[str, object], checkout: Path) -> dict[str, object]:
    return record


def _make_headless_and_patch(record: dict[str, object], checkout: Path) -> dict[str, object]:
    return {**record, "patches": [os.path.realpath(checkout / STS)]}  # the checked file becomes a "patch"


@pytest.mark.parametrize("location", [".stslint_cache", "stslint-cache", ".git-stslint-cache"])
@pytest.mark.parametrize("forgery", [_make_headless, _make_headless_and_patch])
def test_a_committed_forged_cache_changes_nothing_in_a_fresh_clone(
        tmp_path: Path, location: str,
        forgery: Callable[[dict[str, object], Path], dict[str, object]]) -> None:
    clone = tmp_path / "clone"  # where CI will check the pull request out: predictable
    origin = make_repo(tmp_path / "origin", {STS: statefulset(), SERVICE: service(headless=False)})
    oid = git(origin, "rev-parse", f"HEAD:{SERVICE}").strip()
    record = forgery(_record_of_headless_service(tmp_path), clone)
    write(origin, {f"{location}/{CACHE_FILE}": _forged_cache(clone, oid, record),
                   f"{location}/.gitignore": "# Automatically created by stslint.\n*\n"})
    git(origin, "add", "-f", location)
    git(origin, "commit", "-qm", "a forged context cache")
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    assert (clone / location / CACHE_FILE).is_file()
    for _ in range(2):  # cold, then with the cache this run wrote
        assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=clone)) == NOT_HEADLESS


def _git_cache_directory(repo: Path) -> Path:
    """The directory git names for the cache of the work tree at ``repo``."""
    answer = git(repo, "rev-parse", "--git-path", "stslint-cache").rstrip("\n")
    return repo / answer


def test_cache_lives_in_the_git_directory_and_the_work_tree_stays_clean(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), SERVICE: service()})
    check_json("db.yaml", extra=CONTEXT_GIT, cwd=repo / "statefulsets")
    directory = _git_cache_directory(repo)
    assert directory.resolve() == (repo / ".git" / "stslint-cache").resolve()
    assert json.loads((directory / CACHE_FILE).read_text())["header"]["format"] == FORMAT
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert git(repo, "status", "--porcelain", "--ignored") == ""


def test_cache_of_a_linked_worktree_lives_where_git_says(tmp_path: Path) -> None:
    main = make_repo(tmp_path / "main", {STS: statefulset(), SERVICE: service()})
    linked = tmp_path / "linked"
    git(main, "worktree", "add", "-q", str(linked))
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=linked)) == []
    directory = _git_cache_directory(linked)
    assert directory.resolve().is_relative_to((main / ".git").resolve())
    assert (directory / CACHE_FILE).is_file()
    assert not (main / ".git" / "stslint-cache").exists()
    assert git(linked, "status", "--porcelain", "--ignored") == ""


def _user_cache_directory(cache_home: Path, root: Path) -> Path:
    return cache_home / "stslint" / hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()


def test_cache_outside_git_lives_in_the_user_cache_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "w", {"app/db.yaml": statefulset(), "shared/db.yaml": service()})
    for cache_home in (tmp_path / "xdg", tmp_path / "home" / ".cache"):
        if cache_home.name == "xdg":
            monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", "relative/is/ignored")
            monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert codes(check_json("app/db.yaml", extra=("--context", "shared"), cwd=tmp_path / "w")) == []
        directory = _user_cache_directory(cache_home, tmp_path / "w")
        assert (directory / CACHE_FILE).is_file()
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert sorted(os.listdir(tmp_path / "w")) == ["app", "shared"]
    assert not (tmp_path / "w" / "relative").exists()


def _repo_with_cache(tmp_path: Path) -> tuple[Path, Path]:
    """A repository whose Service is not headless, and the cache directory of its work tree."""
    repo = make_repo(tmp_path / "r", {STS: statefulset(), SERVICE: service(headless=False)})
    return repo, _git_cache_directory(repo)


PLACES = ["the work tree's .stslint_cache (a commit can put anything there)", "git's stslint-cache"]


def _place(repo: Path, which: str) -> Path:
    """The old cache directory in the work tree, or the one git names."""
    return repo / ".stslint_cache" if which == PLACES[0] else _git_cache_directory(repo)


def _outside_with_forgery(tmp_path: Path, repo: Path) -> Path:
    """A directory outside the repository holding a forged cache (trusted-looking: this user's
    file) and an old temporary file."""
    outside = tmp_path / "outside"
    oid = git(repo, "rev-parse", f"HEAD:{SERVICE}").strip()
    write(outside, {CACHE_FILE: _forged_cache(repo, oid, _record_of_headless_service(tmp_path)),
                    "precious.tmp": "not stslint's"})
    old = time.time() - 10 * 24 * 3600
    os.utime(outside / "precious.tmp", (old, old))
    return outside


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in sorted(os.listdir(directory))}


@pytest.mark.parametrize("which", PLACES)
def test_a_symlinked_cache_directory_is_neither_read_nor_written(tmp_path: Path, which: str) -> None:
    repo, _ = _repo_with_cache(tmp_path)
    outside = _outside_with_forgery(tmp_path, repo)
    before = _snapshot(outside)
    directory = _place(repo, which)
    directory.symlink_to(outside, target_is_directory=True)
    for _ in range(2):
        write(repo, {"services/other.yaml": service(f"other-{time.monotonic_ns()}")})  # new: the cache is written
        git(repo, "add", "services/other.yaml")
        assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == NOT_HEADLESS
    assert _snapshot(outside) == before
    assert directory.is_symlink()


@pytest.mark.parametrize("which", PLACES)
def test_a_symlinked_cache_file_is_neither_read_nor_written_through(tmp_path: Path, which: str) -> None:
    repo, _ = _repo_with_cache(tmp_path)
    outside = _outside_with_forgery(tmp_path, repo)
    before = _snapshot(outside)
    directory = _place(repo, which)
    directory.mkdir(mode=0o700)
    (directory / CACHE_FILE).symlink_to(outside / CACHE_FILE)
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == NOT_HEADLESS
    assert _snapshot(outside) == before


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _link_to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _directory(path: Path) -> None:
    path.mkdir()


def _sparse_file_past_the_limit(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: no disk used, but 300 MiB to read


@pytest.mark.parametrize("plant", [_link_to_dev_zero, _fifo, _directory, _sparse_file_past_the_limit])
def test_a_cache_file_that_is_not_a_small_regular_file_is_ignored_at_once(tmp_path: Path,
                                                                           plant: Callable[[Path], None]) -> None:
    repo, _ = _repo_with_cache(tmp_path)
    for which in PLACES:
        _place(repo, which).mkdir(mode=0o700)
        plant(_place(repo, which) / CACHE_FILE)
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from stslint.cli import main; sys.argv = ['stslint'] + sys.argv[1:]; main()")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, "check", "--format", "json", "--context-git", STS],
                          cwd=repo, env=env, capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    assert time.monotonic() - start < 30
    assert done.stderr == b""
    assert codes(json.loads(done.stdout)) == NOT_HEADLESS
    assert done.returncode == 1


def _load(repo: Path) -> int:
    """How many context files a run over the repository read from the cache."""
    real = os.path.realpath(repo / STS)
    return load_context(ContextRequest(git=True), {real}, [os.path.dirname(real)], cwd=str(repo)).from_cache


def test_a_cache_not_owned_by_this_user_is_neither_read_nor_written(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    repo, directory = _repo_with_cache(tmp_path)
    assert _load(repo) == 0
    assert _load(repo) == 1  # this user's cache is used
    (directory / CACHE_FILE).write_bytes(b"{}")  # damaged: the next run would rewrite it
    with monkeypatch.context() as patched:
        patched.setattr(os, "geteuid", lambda: os.getuid() + 1)  # as if another user owned it all
        assert _load(repo) == 0
        assert (directory / CACHE_FILE).read_bytes() == b"{}"
    assert _load(repo) == 0
    assert _load(repo) == 1


def test_a_cache_directory_others_can_write_to_is_ignored(tmp_path: Path) -> None:
    repo, directory = _repo_with_cache(tmp_path)
    _load(repo)
    directory.chmod(0o777)
    oid = git(repo, "rev-parse", f"HEAD:{SERVICE}").strip()
    (directory / CACHE_FILE).write_text(_forged_cache(repo, oid, _record_of_headless_service(tmp_path)))
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == NOT_HEADLESS
    assert _load(repo) == 0


def test_only_this_code_s_own_stale_temporary_files_are_deleted(tmp_path: Path) -> None:
    repo, directory = _repo_with_cache(tmp_path)
    _load(repo)
    old = time.time() - 10 * 24 * 3600
    own_old = directory / f"{CACHE_FILE}.0123456789abcdef.tmp"
    own_young = directory / f"{CACHE_FILE}.fedcba9876543210.tmp"
    foreign = directory / "notes.tmp"
    like_ours_but_a_link = directory / f"{CACHE_FILE}.aaaaaaaaaaaaaaaa.tmp"
    like_ours_but_a_directory = directory / f"{CACHE_FILE}.bbbbbbbbbbbbbbbb.tmp"
    target = tmp_path / "target.tmp"
    for path in (own_old, own_young, foreign, target):
        path.write_text("x")
    like_ours_but_a_link.symlink_to(target)
    like_ours_but_a_directory.mkdir()
    for path in (own_old, foreign, target, like_ours_but_a_directory):
        os.utime(path, (old, old))
    os.utime(like_ours_but_a_link, (old, old), follow_symlinks=False)
    write(repo, {SERVICE: service()})  # a change, so that the cache is written
    assert _load(repo) == 0
    assert not own_old.exists()
    assert own_young.exists() and foreign.exists() and target.exists()
    assert like_ours_but_a_link.is_symlink() and like_ours_but_a_directory.is_dir()


def test_the_cache_directory_is_what_git_names_whether_or_not_git_is_asked(tmp_path: Path) -> None:
    from stslint.context.cache import CACHE_NAME, _plain_git_directory, cache_directory
    from stslint.context.listing import git_path

    repo = make_repo(tmp_path / "plain", {"a.yaml": service()})
    assert _plain_git_directory(str(repo)) is not None  # answered without running git
    assert cache_directory(str(repo)) == os.path.realpath(git_path(str(repo), CACHE_NAME) or "")
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", str(linked))
    assert _plain_git_directory(str(linked)) is None  # a linked work tree: git is asked
    assert cache_directory(str(linked)) == git_path(os.path.realpath(linked), CACHE_NAME)
