"""Run stslint on generated hostile input the way CI would meet it: as a subprocess, under a time
and a memory limit, next to a good manifest that must still be linted."""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MEMORY_LIMIT = 1 << 30
"""Address space a run may use (RLIMIT_AS): 1 GiB."""

TIME_LIMIT = 60.0
"""Seconds a run may take before the test fails as a hang."""

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<column>\d+): (?P<code>STS\d{3}) \[(?:error|warning)\] (?P<message>.+)$")

GOOD = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: good
spec:
  serviceName: good
  selector:
    matchLabels:
      app: good
  template:
    metadata:
      labels:
        app: good
    spec:
      containers:
        - name: app
          image: nginx:1.25
          readinessProbe: {tcpSocket: {port: 80}}
---
apiVersion: v1
kind: Service
metadata:
  name: good
spec:
  clusterIP: None
  selector:
    app: good
"""
"""A manifest with exactly one finding, STS302 at 16:11, that proves the rest of a run went on."""

GOOD_FINDING = ("STS302", 16, 11)


@dataclass
class Line:
    """One finding line of the text output."""

    file: str
    line: int
    column: int
    code: str
    message: str


@dataclass
class Run:
    """What a run printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str
    lines: list[Line]

    def at(self, file: str | os.PathLike[str]) -> list[tuple[str, int, int]]:
        """(code, line, column) of the findings in ``file`` (its path as given on the command line)."""
        return [(f.code, f.line, f.column) for f in self.lines if f.file == str(file)]

    def messages(self, file: str | os.PathLike[str]) -> list[str]:
        """The messages of the findings in ``file``."""
        return [f.message for f in self.lines if f.file == str(file)]


def _limits() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def write_good(directory: Path, name: str = "zz-good.yaml") -> Path:
    """Write the good manifest into ``directory``."""
    path = directory / name
    path.write_text(GOOD, encoding="utf-8")
    return path


def run_limited(*args: str | os.PathLike[str], cwd: str | os.PathLike[str] | None = None,
                timeout: float = TIME_LIMIT, stdin: bytes = b"", env: dict[str, str] | None = None,
                preexec=_limits) -> Run:
    """``stslint check --isolated -q ARGS`` in a subprocess under the time and memory limits; every
    output line must be a finding line (one line each: ``file:line:column: CODE [severity] message``)
    and nothing may look like a traceback."""
    full_env = dict(os.environ)
    for name in ("GITHUB_ACTIONS", "STSLINT_DEBUG", "NO_COLOR"):
        full_env.pop(name, None)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    command = [sys.executable, "-m", "stslint", "check", "--isolated", "--color", "never", "-q",
               *(os.fsdecode(a) if isinstance(a, (bytes, os.PathLike)) else a for a in args)]
    done = subprocess.run(command, cwd=cwd, input=stdin, env=full_env, capture_output=True, timeout=timeout,
                          preexec_fn=preexec)
    stdout = done.stdout.decode("utf-8", "replace")
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stdout + stderr, stderr
    assert "internal error" not in stderr, stderr
    assert "MemoryError" not in stderr, stderr
    lines = []
    for text in stdout.splitlines():
        match = LINE.match(text)
        assert match, f"not a one-line finding: {text[:300]!r}"
        lines.append(Line(match["file"], int(match["line"]), int(match["column"]), match["code"], match["message"]))
    return Run(done.returncode, stdout, stderr, lines)


def assert_good_linted(run: Run, good: Path) -> None:
    """The good manifest of the run got its one finding: the run went on past the hostile input."""
    assert (run.at(good) or run.at(good.name)) == [GOOD_FINDING], run.stdout[-2000:]
