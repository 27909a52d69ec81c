"""Shared test helpers: run the CLI in-process or as a subprocess, and the shared corpus path."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"


def run_stslint(*args: str, cwd: str | os.PathLike[str] | None = None, input: bytes | None = None,
                env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``python -m stslint ARGS`` as a subprocess (the real entry point, exit codes included);
    stdout and stderr come back as text (undecodable bytes replaced)."""
    full_env = dict(os.environ)
    full_env.pop("GITHUB_ACTIONS", None)
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), full_env.get("PYTHONPATH")]))
    full_env.update(env or {})
    done = subprocess.run([sys.executable, "-m", "stslint", *args], cwd=cwd, input=input or b"", env=full_env,
                          capture_output=True, timeout=timeout)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def check_json(*paths: str, extra: tuple[str, ...] = (), cwd: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """``stslint check --format json`` in-process; the parsed report (exit code under "exit_code")."""
    from stslint.cli import cli

    result = CliRunner().invoke(cli, ["check", "--format", "json", *extra, *paths], catch_exceptions=False) \
        if cwd is None else _invoke_in(cwd, ["check", "--format", "json", *extra, *paths])
    data: dict[str, Any] = json.loads(result.stdout)
    data["exit_code"] = result.exit_code
    return data


def _invoke_in(cwd: str | os.PathLike[str], args: list[str]) -> Any:
    from stslint.cli import cli

    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, args, catch_exceptions=False)
    finally:
        os.chdir(old)


def triples(report: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(code, line, column) of every finding of a JSON report."""
    return [(f["code"], f["line"], f["column"]) for f in report["findings"]]


@pytest.fixture(autouse=True)
def _no_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs ignore a CI's GITHUB_ACTIONS (it would switch the default format to github)."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.fixture
def corpus() -> Path:
    """The shared real-world corpus (skips when it is not beside the checkout)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not available")
    return CORPUS


@pytest.fixture(autouse=True)
def _private_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``XDG_CACHE_HOME`` at a directory of the test, so that no test (nor a stslint it runs)
    writes the real user cache."""
    cache_home = tmp_path / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
    return cache_home
