"""The context cache: keyed by content, rebuilt when damaged, safe under concurrent processes."""
from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest
from tests.conftest import check_json
from tests.context.context_helpers import codes, git, make_repo, service, statefulset, storage_class, write

from stslint import __version__
from stslint.context import Context, ContextRequest, load_context
from stslint.context.cache import CACHE_FILE, cache_directory

STS = "statefulsets/db.yaml"
CONTEXT_GIT = ("--context-git",)


def _load(repo: Path, checked: str = STS, cwd: Path | None = None, **request: object) -> Context:
    real = os.path.realpath(repo / checked)
    return load_context(ContextRequest(git=True, **request), {real}, [os.path.dirname(real)],  # type: ignore[arg-type]
                        cwd=str(cwd or repo))


def _cache_dir(root: Path) -> Path:
    directory = cache_directory(str(root))
    assert directory is not None
    return Path(directory)


def _cache_file(root: Path) -> Path:
    return _cache_dir(root) / CACHE_FILE


def _repo(tmp_path: Path, **extra: str) -> Path:
    return make_repo(tmp_path / "r", {STS: statefulset(storage_class="fast"), "services/db.yaml": service(),
                                      "storage/fast.yaml": storage_class("fast"),
                                      "misc/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
                                      **extra})


def test_warm_run_reads_every_context_file_from_the_cache(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    cold = _load(repo)
    assert (cold.parsed, cold.from_cache, cold.loaded) == (3, 0, 3)
    warm = _load(repo)
    assert (warm.parsed, warm.from_cache, warm.loaded) == (0, 3, 3)
    assert [f.real_path for f in warm.files] == [f.real_path for f in cold.files]
    assert [s.name for f in warm.files for s in f.entries() if s.kind == "Service"] == ["db"]


def test_cache_is_outside_the_work_tree_and_carries_the_version(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    check_json(STS, extra=CONTEXT_GIT, cwd=repo)
    assert _cache_file(repo).is_file()
    assert _cache_dir(repo).is_relative_to(repo / ".git")  # git never tracks its own directory
    assert git(repo, "status", "--porcelain", "--ignored") == ""
    header = json.loads(_cache_file(repo).read_text())["header"]
    assert header["stslint"] == __version__


def test_cache_is_the_repository_s_even_from_a_subdirectory(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    check_json("db.yaml", extra=CONTEXT_GIT, cwd=repo / "statefulsets")
    assert _cache_dir(repo / "statefulsets") == _cache_dir(repo)
    assert _cache_file(repo).is_file()


def test_cache_outside_git_is_the_current_directory_s(tmp_path: Path) -> None:
    work = tmp_path / "w"
    write(work, {"app/db.yaml": statefulset(), "shared/db.yaml": service()})
    check_json("app/db.yaml", extra=("--context", "shared"), cwd=work)
    assert _cache_file(work).is_file()
    assert sorted(os.listdir(work)) == ["app", "shared"]


def test_no_cache_neither_reads_nor_writes(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert codes(check_json(STS, extra=("--context-git", "--no-cache"), cwd=repo)) == []
    assert not _cache_dir(repo).exists()
    assert _load(repo, use_cache=False).parsed == 3


def test_changed_context_file_committed_or_not_is_read_again(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []
    write(repo, {"services/db.yaml": service(headless=False)})  # modified in the work tree only
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == [("STS103", STS, 6)]
    git(repo, "commit", "-qam", "not headless")  # now clean again, with a new blob id
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == [("STS103", STS, 6)]
    write(repo, {"storage/fast.yaml": storage_class("fast", "Delete")})
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == [("STS103", STS, 6), ("STS402", STS, 23)]
    context = _load(repo)
    assert (context.parsed, context.from_cache) == (0, 3)


def test_changed_context_file_outside_git_is_read_again(tmp_path: Path) -> None:
    write(tmp_path, {"app/db.yaml": statefulset(), "shared/db.yaml": service()})
    args = ("--context", "shared")
    assert codes(check_json("app/db.yaml", extra=args, cwd=tmp_path)) == []
    write(tmp_path, {"shared/db.yaml": service(headless=False)})
    assert codes(check_json("app/db.yaml", extra=args, cwd=tmp_path)) == [("STS103", "app/db.yaml", 6)]


def test_added_context_file_is_used(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset()})
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == [("STS102", STS, 6)]
    write(repo, {"services/db.yaml": service()})
    git(repo, "add", "services/db.yaml")
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []


def test_deleted_context_file_is_forgotten(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []
    git(repo, "rm", "-q", "services/db.yaml")
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == [("STS102", STS, 6)]
    cached = json.loads(_cache_file(repo).read_text())["files"]
    assert os.path.realpath(repo / "services/db.yaml") not in cached
    assert os.path.realpath(repo / "storage/fast.yaml") in cached


@pytest.mark.parametrize("damage", [
    b"",
    b"\x00\xff garbage",
    b'{"header": {"stslint": "0.0.0-other", "format": 1}, "files": {}}',
    b'{"header": ',
    b"[1, 2, 3]",
    b"[" * 100000,
])
def test_damaged_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: bytes) -> None:
    repo = _repo(tmp_path)
    _load(repo)
    _cache_file(repo).write_bytes(damage)
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []
    assert json.loads(_cache_file(repo).read_text())["header"]["stslint"] == __version__
    assert _load(repo).from_cache == 3


@pytest.mark.parametrize("forge", [
    lambda record: record.update(entries={"Service": 5}),
    lambda record: record.update(entries=["all"]),
    lambda record: record.update(entries="all"),
    lambda record: record.update(patches=[1]),
    lambda record: record.clear(),
])
def test_a_record_of_the_wrong_shape_is_parsed_again_when_loaded(tmp_path: Path, forge: object) -> None:
    repo = _repo(tmp_path)
    _load(repo)
    data = json.loads(_cache_file(repo).read_text())
    path = os.path.realpath(repo / "services/db.yaml")
    forge(data["files"][path][1])  # type: ignore[operator]
    _cache_file(repo).write_text(json.dumps(data))
    context = _load(repo)
    assert (context.parsed, context.from_cache) == (1, 2)
    assert [s.name for f in context.files for s in f.entries() if s.kind == "Service"] == ["db"]
    assert _load(repo).from_cache == 3


@pytest.mark.parametrize("forge", [
    lambda entry: entry.update(type="PodEntry"),
    lambda entry: entry["values"].update(selector={"app": ["db"]}),
    lambda entry: entry["values"].update(cluster_ip=None, selector={"other": "x"}, invented=True),
    lambda entry: entry.update(headless=True),
    lambda entry: entry.update(kind_span=[1, 2]),
    lambda entry: entry.update(name=5),
    lambda entry: entry.update(kind="Pod"),
    lambda entry: entry.clear(),
    lambda entry: entry.update(type=None),
])
def test_a_record_with_a_damaged_value_is_parsed_again_when_rebuilt(tmp_path: Path, forge: object) -> None:
    repo = _repo(tmp_path)
    _load(repo)
    data = json.loads(_cache_file(repo).read_text())
    path = os.path.realpath(repo / "services/db.yaml")
    forge(data["files"][path][1]["entries"]["Service"][0])  # type: ignore[operator]
    _cache_file(repo).write_text(json.dumps(data))
    [service_file] = [f for f in _load(repo).files if f.real_path == path]
    assert not service_file.reparsed
    assert [s.name for s in service_file.entries_of_kind("Service")] == ["db"]
    assert service_file.reparsed  # the damaged record was not trusted: the file was read again
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []  # the verdict of a clean cache


def test_cache_that_cannot_be_written_is_not_an_error(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    _cache_dir(repo).write_text("a file where the directory should be")
    assert codes(check_json(STS, extra=CONTEXT_GIT, cwd=repo)) == []


def _worker(repo: str, rounds: int, index: int, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Load the context repeatedly, changing one's own file between rounds; report what was seen."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from context_helpers import service as make_service

    seen = []
    for round_number in range(rounds):
        own = Path(repo) / "services" / f"own-{index}.yaml"
        temp = own.with_suffix(".tmp")
        temp.write_text(make_service(f"own-{index}", f"r{round_number}"))
        os.replace(temp, own)  # others see the old or the new file, never half of it
        context = _load(Path(repo))
        names = sorted(s.name for f in context.files for s in f.entries() if s.kind == "Service")
        seen.append((len(names), context.loaded))
    queue.put(seen)


def test_concurrent_processes_share_the_cache_safely(tmp_path: Path) -> None:
    files = {f"services/svc-{i}.yaml": service(f"svc-{i}") for i in range(60)}
    files.update({f"services/own-{i}.yaml": service(f"own-{i}") for i in range(4)})
    repo = make_repo(tmp_path / "r", {STS: statefulset(), **files})
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    workers = [spawn.Process(target=_worker, args=(str(repo), 6, i, queue)) for i in range(4)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    for seen in results:
        assert seen == [(64, 64)] * 6  # every run, whatever the others wrote, saw every Service once
    data = json.loads(_cache_file(repo).read_text())
    assert data["header"]["stslint"] == __version__
    assert not [n for n in os.listdir(_cache_dir(repo)) if n.endswith(".tmp")]
    final = _load(repo)
    assert final.loaded == 64 and final.parsed <= 4


def test_a_record_is_cached_only_under_the_key_of_the_content_it_was_made_from(tmp_path: Path) -> None:
    from stslint.context.listing import Candidate, stat_key, still_matches

    repo = _repo(tmp_path)
    path = repo / "services/db.yaml"
    oid = git(repo, "ls-files", "-s", "services/db.yaml").split()[1]
    git_candidate = Candidate(str(path), "services/db.yaml", "git:" + oid)
    stat_candidate = Candidate(str(path), "services/db.yaml", str(stat_key(str(path))))
    assert still_matches(git_candidate) and still_matches(stat_candidate)
    write(repo, {"services/db.yaml": service(headless=False)})  # changed while it was being read
    assert not still_matches(git_candidate) and not still_matches(stat_candidate)
