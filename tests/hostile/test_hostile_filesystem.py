"""What a checkout can hold besides regular files: links, devices, FIFOs, unreadable and vanishing
paths, undecodable names, and very many files. Each is a located one-line STS004 (or linted), never a
hang or a crash, and never a way to make stslint read files outside what it was asked to check."""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import time
from pathlib import Path

import pytest

from tests.conftest import check_json
from tests.hostile.hostile_helpers import GOOD, GOOD_FINDING, _limits, assert_good_linted, run_limited, write_good

NOT_REGULAR = "cannot read file: not a regular file (a device, FIFO or socket)"
LOOP = "cannot read file: Too many levels of symbolic links"
OUTSIDE = ("cannot read file: symbolic link to a file outside the directory being checked, not followed "
           "(name the file on the command line to lint it)")


def test_links_devices_fifos_and_directories_named_on_the_command_line(tmp_path):
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "ping.yaml").symlink_to("pong.yaml")
    (tmp_path / "pong.yaml").symlink_to("ping.yaml")
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "fifo.yaml")  # opening it for reading would block until a writer comes
    (tmp_path / "fifo-link.yaml").symlink_to("fifo.yaml")
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dangling.yaml").symlink_to("nowhere.yaml")
    good = write_good(tmp_path)
    named = ["loop.yaml", "ping.yaml", "zero.yaml", "fifo.yaml", "fifo-link.yaml", "dir.yaml", "dangling.yaml",
             "/dev/null", "missing.yaml"]
    run = run_limited(*named, good.name, cwd=tmp_path, timeout=30)
    assert run.exit_code == 1
    expected = {
        "loop.yaml": LOOP, "ping.yaml": LOOP, "zero.yaml": NOT_REGULAR, "fifo.yaml": NOT_REGULAR,
        "fifo-link.yaml": NOT_REGULAR, "dir.yaml": "cannot read file: is a directory",
        "dangling.yaml": "cannot read file: No such file or directory", "/dev/null": NOT_REGULAR,
        "missing.yaml": "cannot read file: No such file or directory",
    }
    for name, message in expected.items():
        assert (run.at(name), run.messages(name)) == ([("STS004", 1, 1)], [message]), name
    assert_good_linted(run, good)


def test_a_walk_reports_what_it_cannot_read_and_does_not_leave_the_directory(tmp_path):
    root = tmp_path / "repo"
    (root / "sub.yaml").mkdir(parents=True)  # a directory named like a manifest is walked into
    (root / "sub.yaml" / "inner.yaml").write_text(GOOD)
    (root / "loop.yaml").symlink_to("loop.yaml")
    (root / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(root / "fifo.yaml")
    (tmp_path / "secret.yaml").write_text("password: hunter2\n")
    (root / "secret.yaml").symlink_to(tmp_path / "secret.yaml")  # e.g. to ~/.aws/credentials or /proc
    (root / "inside.yaml").symlink_to("sub.yaml/inner.yaml")  # a link within the tree is followed
    (root / "linked-dir").symlink_to(tmp_path, target_is_directory=True)  # never walked into
    run = run_limited("repo", cwd=tmp_path, timeout=30)
    assert run.exit_code == 1
    # the link within the tree is followed; the file it leads to is read once, under the first name met
    assert run.at("repo/inside.yaml") == [GOOD_FINDING] and run.at("repo/sub.yaml/inner.yaml") == []
    assert run.messages("repo/loop.yaml") == [LOOP]
    assert run.messages("repo/fifo.yaml") == [NOT_REGULAR]
    assert run.messages("repo/zero.yaml") == run.messages("repo/secret.yaml") == [OUTSIDE]
    assert "hunter2" not in run.stdout
    assert not any("linked-dir" in f.file for f in run.lines)
    # named on the command line, a link is the user's choice and is followed
    run = run_limited("repo/secret.yaml", cwd=tmp_path)
    assert run.exit_code == 0


def _drop_read_override() -> None:  # pragma: no cover - runs in the child
    """Run without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (root then obeys file modes)."""
    _limits()
    if os.geteuid() == 0:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        for capability in (1, 2):  # PR_CAPBSET_DROP: gone from the bounding set, hence after exec
            if libc.prctl(24, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _permissions_enforced(tmp_path: Path) -> bool:
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        import subprocess
        import sys
        done = subprocess.run([sys.executable, "-c", f"open({str(probe)!r}).read()"], capture_output=True,
                              preexec_fn=_drop_read_override, timeout=30)
    except (subprocess.SubprocessError, OSError):
        return False
    return done.returncode != 0


def test_permission_denied_on_a_file_and_on_a_directory(tmp_path):
    if not _permissions_enforced(tmp_path):
        pytest.skip("file modes are not enforced here (root that cannot drop CAP_DAC_OVERRIDE)")
    (tmp_path / "locked.yaml").write_text(GOOD)
    (tmp_path / "locked.yaml").chmod(0)
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "x.yaml").write_text(GOOD)
    (tmp_path / "closed").chmod(0)
    good = write_good(tmp_path)
    try:
        run = run_limited(".", cwd=tmp_path, preexec=_drop_read_override)
        named = run_limited("locked.yaml", good.name, cwd=tmp_path, preexec=_drop_read_override)
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert run.exit_code == 1, run.stdout
    assert run.messages("locked.yaml") == ["cannot read file: Permission denied"], run.stdout
    assert run.at("closed") == [("STS004", 1, 1)]
    assert run.messages("closed") == ["cannot read file: cannot read directory: Permission denied"]
    assert run.at(good.name) == [GOOD_FINDING]
    assert named.messages("locked.yaml") == ["cannot read file: Permission denied"], named.stdout
    assert_good_linted(named, good)


def test_paths_that_vanish_during_the_run(tmp_path, monkeypatch):
    import stslint.engine

    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.yaml").write_text(GOOD)
    load = stslint.engine.load_source

    def load_and_remove_the_rest(source, *args):
        if source.display.endswith("a.yaml"):  # found by the walk, gone before it is read
            (tmp_path / "b.yaml").unlink()
        return load(source, *args)

    monkeypatch.setattr(stslint.engine, "load_source", load_and_remove_the_rest)
    report = check_json(str(tmp_path), extra=("--isolated",))
    found = {(Path(f["file"]).name, f["code"], f["line"], f["column"], f["message"]) for f in report["findings"]}
    assert ("b.yaml", "STS004", 1, 1, "cannot read file: No such file or directory") in found
    assert ("c.yaml", *GOOD_FINDING, ) == next((n, c, li, co) for n, c, li, co, _ in found if n == "c.yaml")
    assert report["exit_code"] == 1


def test_a_directory_that_vanishes_during_the_walk(tmp_path, monkeypatch):
    import stslint.loading.discover as discover

    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "gone").mkdir()
    (tmp_path / "gone" / "x.yaml").write_text(GOOD)
    walk = discover._walk_top_down

    def walk_and_remove(top, failures):
        for entry in walk(top, failures):
            if (tmp_path / "gone").exists():
                (tmp_path / "gone" / "x.yaml").unlink()
                (tmp_path / "gone").rmdir()
            yield entry

    monkeypatch.setattr(discover, "_walk_top_down", walk_and_remove)
    report = check_json(str(tmp_path), extra=("--isolated",))
    found = [(Path(f["file"]).name, f["code"], f["message"]) for f in report["findings"]]
    assert ("gone", "STS004", "cannot read file: cannot read directory: No such file or directory") in found
    assert ("a.yaml", "STS302") in [(name, code) for name, code, _ in found]


def test_file_names_that_are_not_utf8(tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.yaml"
    with open(raw, "wb") as handle:
        handle.write(GOOD.encode())
    run = run_limited(".", cwd=tmp_path)  # walked
    assert run.at("caf\ufffd-\ufffd.yaml") == [GOOD_FINDING]
    run = run_limited(os.fsdecode(b"caf\xe9-\xff.yaml"), cwd=tmp_path)  # named
    assert run.at("caf\ufffd-\ufffd.yaml") == [GOOD_FINDING]
    report = check_json(str(tmp_path), extra=("--isolated",))  # JSON stays valid UTF-8
    assert [Path(f["file"]).name for f in report["findings"]] == ["caf\ufffd-\ufffd.yaml"]


def test_closed_standard_input(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "stslint", "check", "--isolated", "-q", "-"], cwd=tmp_path,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert (done.returncode, done.stdout, "Traceback" in done.stderr) == (0, "", False)
    done = subprocess.run([sys.executable, "-c", "import os, runpy, sys; os.close(0); sys.stdin = None; "
                           "sys.argv = ['stslint', 'check', '--isolated', '-q', '-']; "
                           "runpy.run_module('stslint', run_name='__main__')"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stdout.strip() == "-:1:1: STS004 [error] cannot read file: standard input is closed"


@pytest.mark.slow
def test_a_hundred_thousand_small_files(tmp_path):
    root = tmp_path / "many"
    for group in range(100):
        directory = root / f"g{group:03d}"
        directory.mkdir(parents=True)
        for index in range(1000):
            (directory / f"s{index:03d}.yaml").write_text(
                f"apiVersion: v1\nkind: Service\nmetadata: {{name: s{group}-{index}}}\nspec: {{clusterIP: None}}\n")
    good = write_good(root)
    started = time.monotonic()
    run = run_limited("many", cwd=tmp_path, timeout=600)
    elapsed = time.monotonic() - started
    assert run.exit_code == 1
    assert [(f.file, f.code, f.line, f.column) for f in run.lines] == [(f"many/{good.name}", *GOOD_FINDING)]
    print(f"100,001 files linted in {elapsed:.1f} s")


def test_a_refused_link_does_not_claim_the_file_it_points_to(tmp_path):
    (tmp_path / "outside").mkdir()
    (tmp_path / "walked").mkdir()
    target = tmp_path / "outside" / "pv.yaml"
    target.write_text("apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: p}\n"
                      "spec: {persistentVolumeReclaimPolicy: Delete}\n")
    (tmp_path / "walked" / "link.yaml").symlink_to(target)
    report = check_json(str(tmp_path / "walked"), str(target))
    found = sorted((f["code"], os.path.basename(f["file"])) for f in report["findings"])
    assert found == [("STS004", "link.yaml"), ("STS403", "pv.yaml")]  # the named file is still linted


def _utf8_or_skip(tmp_path: Path) -> None:
    try:
        (tmp_path / os.fsdecode(b"probe\xff")).write_text("")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses names that are not UTF-8")


def test_two_files_whose_names_show_alike_stay_two_files(tmp_path):
    from tests.conftest import run_stslint

    _utf8_or_skip(tmp_path)
    pv = ("apiVersion: v1\nkind: PersistentVolume\nmetadata: {{name: {name}}}\n{pad}"
          "spec: {{persistentVolumeReclaimPolicy: Delete}}\n")
    first = tmp_path / os.fsdecode(b"pv\xfe.yaml")
    second = tmp_path / os.fsdecode(b"pv\xff.yaml")
    first.write_text(pv.format(name="a", pad="") + "# stslint: disable-file=STS403\n")
    second.write_text(pv.format(name="b", pad="# a comment line\n"))
    report = check_json(str(tmp_path))
    assert [(f["code"], f["line"], f["object"]) for f in report["findings"]] == [("STS403", 5, "PersistentVolume/b")]
    junit = run_stslint("check", "--format", "junit", ".", cwd=tmp_path)
    assert junit.stdout.count("<testsuite ") == 2  # two files shown alike: two suites, not one
    full = run_stslint("check", "--format", "full", ".", cwd=tmp_path)
    assert "5 | spec: {persistentVolumeReclaimPolicy: Delete}" in full.stdout  # the frame of the right file
