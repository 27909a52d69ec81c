"""The directory walk: no recursion (a tree ~1,000 levels deep, which git can hold, is walked like any
other), and exactly the order and skips of a top-down ``os.walk`` walk."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import check_json
from tests.context.context_helpers import service, statefulset
from stslint.context import ContextRequest, list_context
from stslint.globs import PathMatcher
from stslint.loading.discover import (OUTSIDE_LINK, PathFilter, _failed_directories, _leads_outside, discover,
                                      is_manifest_name, skips_directory, walk_checked)

DEPTH = 1200


@pytest.fixture
def deep(request: pytest.FixtureRequest) -> Callable[[Path], Path]:
    """Make directories ``d`` nested DEPTH levels below a directory (one at a time: os.makedirs
    recurses) and give the deepest; removed bottom-up after the test (shutil.rmtree recurses too)."""
    made: list[Path] = []

    def make(root: Path) -> Path:
        path = str(root)
        for _ in range(DEPTH):
            path = os.path.join(path, "d")
            os.mkdir(path)
        made.append(Path(path))
        return Path(path)

    def remove() -> None:
        for deepest in made:
            current = str(deepest)
            for _ in range(DEPTH):
                for name in os.listdir(current):
                    if name != "d":
                        os.unlink(os.path.join(current, name))
                os.rmdir(current)
                current = os.path.dirname(current)

    request.addfinalizer(remove)
    return make


def test_a_tree_1200_levels_deep_is_walked(tmp_path: Path, deep: Callable[[Path], Path]) -> None:
    root = tmp_path / "k8s"
    root.mkdir()
    (root / "a.yaml").write_text("a: 1\n")
    deepest = deep(root)
    (deepest / "deep.yaml").write_text("a: 1\n")
    (root / "z.yaml").write_text("a: 1\n")
    found = [os.path.relpath(path, root) for path, problem in walk_checked(str(root))]
    assert found == ["a.yaml", "z.yaml", os.path.join(*["d"] * DEPTH, "deep.yaml")]
    assert [s.display for s in discover([str(root)])][-1] == str(deepest / "deep.yaml")


def test_a_tree_1200_levels_deep_is_checked_and_is_context(tmp_path: Path, deep: Callable[[Path], Path]) -> None:
    for directory in ("k8s", "svc"):
        (tmp_path / directory).mkdir()
    deep_statefulset = deep(tmp_path / "k8s") / "db.yaml"
    deep_statefulset.write_text(statefulset())
    deep_service = deep(tmp_path / "svc") / "db.yaml"
    deep_service.write_text(service())
    report = check_json("k8s", extra=("--context", "svc", "--no-cache"), cwd=tmp_path)
    assert report["summary"]["files"] == 1
    assert [f["code"] for f in report["findings"]] == []  # the deep Service resolved the deep StatefulSet
    listing = list_context(ContextRequest(paths=[str(tmp_path / "svc")]), set(), [], str(tmp_path))
    assert [c.display for c in listing.candidates.values()] == [os.path.relpath(deep_service, tmp_path)]


def test_past_the_path_length_limit_a_directory_is_reported_not_a_crash(tmp_path: Path) -> None:
    root = tmp_path / "k8s"
    root.mkdir()
    os.chdir(root)
    try:  # relative mkdir: the absolute path grows past PATH_MAX (4,096 bytes) without any call seeing it
        for _ in range(30):
            os.mkdir("d" * 200)
            os.chdir("d" * 200)
        open("deep.yaml", "w").close()
    finally:
        os.chdir(tmp_path)
    results = list(walk_checked(str(root)))
    assert results and all(problem.startswith("cannot read directory") for _, problem in results)
    shutil.rmtree(root, ignore_errors=True)


# --- the same order and skips as the os.walk-based walk ---------------------------------------------

def _reference_walk(directory: str, exclude: PathFilter | None = None) -> Iterator[tuple[str, str]]:
    """The walk as it was written with os.walk (recursive), for comparison on small trees."""
    top = os.path.realpath(directory)
    failures: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=failures.append, followlinks=False):
        yield from _failed_directories(failures)
        chart = "Chart.yaml" in files
        dirs[:] = sorted(d for d in dirs if not skips_directory(d, lambda: chart)
                         and not (exclude is not None and exclude.matches_entry(os.path.join(root, d), True)))
        for name in sorted(files):
            if is_manifest_name(name):
                path = os.path.join(root, name)
                if exclude is None or not exclude.matches_entry(path, False):
                    yield path, OUTSIDE_LINK if _leads_outside(path, top) else ""
    yield from _failed_directories(failures)


NAMES = ["a", "b", "B", ".h", "templates", "sub.yaml", "unlistable"]
FILES = ["x.yaml", "y.yml", "z.json", "Kustomization", "Chart.yaml", ".hidden.yaml", "notes.txt", "a"]
ENTRY = st.one_of(
    st.tuples(st.just("dir"), st.sampled_from(NAMES)),
    st.tuples(st.just("file"), st.sampled_from(FILES)),
    st.tuples(st.just("link-to-dir"), st.sampled_from(NAMES + FILES)),
    st.tuples(st.just("link-outside"), st.sampled_from(FILES)),
    st.tuples(st.just("up"), st.just("")),
)


def _build(root: Path, outside: Path, entries: list[tuple[str, str]]) -> None:
    """A small tree from a list of steps: make a directory and enter it, add a file or a link, go up."""
    current = root
    for kind, name in entries:
        target = current / name
        if kind == "up":
            current = current.parent if current != root else root
        elif os.path.lexists(target):
            continue
        elif kind == "dir":
            target.mkdir()
            current = target
        elif kind == "file":
            target.write_text("a: 1\n")
        elif kind == "link-to-dir":
            target.symlink_to(root, target_is_directory=True)
        else:
            (outside / name).write_text("a: 1\n")
            target.symlink_to(outside / name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(ENTRY, max_size=40),
       patterns=st.lists(st.sampled_from(["b", "*.json", "a/b", "x*", "sub.yaml/", "**/a"]), max_size=2))
def test_the_walk_keeps_the_order_and_skips_of_the_os_walk_walk(tmp_path_factory, monkeypatch, entries,
                                                                patterns) -> None:
    base = tmp_path_factory.mktemp("walk")
    root, outside = base / "root", base / "outside"
    root.mkdir()
    outside.mkdir()
    _build(root, outside, entries)
    real_scandir = os.scandir

    def scandir(path: str = ".") -> object:  # what root cannot see: a directory that cannot be listed
        if os.path.basename(os.fspath(path)) == "unlistable":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    exclude = PathMatcher(patterns, str(root)) if patterns else None
    try:
        with monkeypatch.context() as patched:
            patched.setattr(os, "scandir", scandir)
            for start in (str(root), str(root) + os.sep):
                assert list(walk_checked(start, exclude)) == list(_reference_walk(start, exclude))
    finally:
        shutil.rmtree(base)
