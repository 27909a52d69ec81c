"""Standard output that goes away: a reader that stops reading (``stslint check | head``), a closed
standard output (``>&-``), a full device. The run's exit code stays the run's (``--exit-zero``
included) when the reader has gone; what cannot be written at all is one line on standard error and
exit 2; never a traceback, an "internal error" or "Exception ignored" at exit."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.hostile.hostile_helpers import GOOD

BAD_PV = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv1}\nspec: {persistentVolumeReclaimPolicy: Delete}\n"
CLEAN = GOOD.replace("          readinessProbe: {tcpSocket: {port: 80}}\n",
                     "          readinessProbe: {tcpSocket: {port: 80}}\n          livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 6}\n")


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for name in ("GITHUB_ACTIONS", "STSLINT_DEBUG"):
        env.pop(name, None)
    return env


def _tree(root: Path, findings: bool) -> Path:
    """Many files (a report far larger than a pipe's buffer), with findings or clean."""
    root.mkdir()
    for index in range(150 if findings else 3):
        (root / f"f{index:03}.yaml").write_text(BAD_PV if findings else CLEAN.replace("good", f"good{index}"))
    return root


def _run(args: list[str], stdout: int | None, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "stslint", *args], cwd=cwd, env=_env(), stdout=stdout,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)


def _run_into_a_pipe_nobody_reads(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run with standard output a pipe whose reading end is closed before the run starts."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return _run(args, write_end, cwd)
    finally:
        os.close(write_end)


def _run_into_a_reader_that_stops(args: list[str], cwd: Path) -> tuple[int, bytes, bytes]:
    """Run with standard output read for one line only, as ``| head -1`` does."""
    process = subprocess.Popen([sys.executable, "-m", "stslint", *args], cwd=cwd, env=_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    return process.wait(timeout=120), first, stderr


def _assert_silent(stderr: bytes) -> None:
    text = stderr.decode("utf-8", "replace")
    for sign in ("Traceback", "internal error", "Exception ignored", "BrokenPipeError", "Errno"):
        assert sign not in text, text


@pytest.mark.parametrize("findings", [True, False], ids=["findings", "clean"])
@pytest.mark.parametrize("options", [[], ["--exit-zero"], ["--fail-on", "error"], ["--format", "json"],
                                     ["--format", "sarif", "--exit-zero"], ["--format", "full"],
                                     ["--statistics"]], ids=" ".join)
def test_a_reader_that_goes_away_leaves_the_exit_code_of_the_run(tmp_path: Path, options: list[str],
                                                                 findings: bool) -> None:
    root = _tree(tmp_path / "k8s", findings)
    args = ["check", *options, "k8s"]
    expected = _run(args, subprocess.PIPE, tmp_path)
    assert expected.returncode == (1 if findings and "--exit-zero" not in options else 0)
    nobody = _run_into_a_pipe_nobody_reads(args, tmp_path)
    assert nobody.returncode == expected.returncode
    _assert_silent(nobody.stderr)
    code, first, stderr = _run_into_a_reader_that_stops(args, tmp_path)
    assert code == expected.returncode
    assert first == expected.stdout[:len(first)] and (first or not expected.stdout)
    _assert_silent(stderr)
    assert root.is_dir()


@pytest.mark.parametrize("args", [["check", "k8s"], ["check", "--exit-zero", "k8s"], ["--version"],
                                  ["rules"], ["explain", "STS103"]], ids=" ".join)
def test_a_closed_standard_output_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    _tree(tmp_path / "k8s", True)
    done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "stslint", *args],
                          cwd=tmp_path, env=_env(), capture_output=False, stderr=subprocess.PIPE,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2
    assert done.stderr == b"stslint: error: cannot write to standard output: it is closed\n"


def test_a_closed_standard_output_does_not_matter_with_an_output_file(tmp_path: Path) -> None:
    _tree(tmp_path / "k8s", True)
    done = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", sys.executable, "-m", "stslint", "check",
                           "--format", "json", "-o", "report.json", "k8s"],
                          cwd=tmp_path, env=_env(), stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    assert (done.returncode, done.stderr) == (1, b"")
    assert (tmp_path / "report.json").read_text().startswith("{")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["check", "k8s"], ["check", "--exit-zero", "--format", "json", "k8s"],
                                  ["rules"]], ids=" ".join)
def test_a_full_device_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    _tree(tmp_path / "k8s", True)
    with open("/dev/full", "w") as full:
        done = _run(args, full.fileno(), tmp_path)
    assert done.returncode == 2
    assert done.stderr == b"stslint: error: cannot write to standard output: No space left on device\n"


def test_a_closed_standard_error_changes_nothing(tmp_path: Path) -> None:
    _tree(tmp_path / "k8s", True)
    done = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-m", "stslint", "check",
                           "--format", "json", "k8s", "--context", "nowhere"],
                          cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 2 and done.stdout == b""  # a usage error, reported where it can be: nowhere
    done = subprocess.run(["sh", "-c", 'exec "$@" 2>&-', "sh", sys.executable, "-m", "stslint", "check",
                           "--format", "json", "k8s"],
                          cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 1 and done.stdout.startswith(b"{")
