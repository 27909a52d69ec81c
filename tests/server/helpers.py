"""Shared helpers of the language server tests: manifests, and a pytest-lsp client that waits for
what the server sends (never for a fixed time)."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any, Callable

from tests.conftest import ROOT

STS = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
        - name: db
          readinessProbe: {tcpSocket: {port: 80}}
          livenessProbe: {tcpSocket: {port: 80}}
"""
SVC = "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: 10.0.0.1\n  selector: {app: db}\n"
HEADLESS = SVC.replace("10.0.0.1", "None")

WAIT_SECONDS = 60.0
"""How long a test waits for a message before failing (a hang, not a timing assumption)."""


def server_command() -> list[str]:
    """``stslint server`` from this checkout."""
    return [sys.executable, "-m", "stslint", "server"]


def server_env(tmp_path: Path) -> dict[str, str]:
    """The server's environment: this checkout importable, the context cache kept in ``tmp_path``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    env.pop("GITHUB_ACTIONS", None)
    return env


async def until(client: Any, method: str, condition: Callable[[], Any]) -> Any:
    """Wait until ``condition()`` is true, checking again after each ``method`` notification the
    client receives (nothing can arrive between a check and the wait: one event loop)."""

    async def wait() -> Any:
        while True:
            found = condition()
            if found:
                return found
            await client.wait_for_notification(method)

    return await asyncio.wait_for(wait(), WAIT_SECONDS)


async def diagnostics(client: Any, uri: str, condition: Callable[[list[Any]], bool] = lambda found: True) -> list[Any]:
    """The diagnostics last published for ``uri``, once they satisfy ``condition``."""
    def ready() -> Any:
        found = client.diagnostics.get(uri)
        return [found] if found is not None and condition(list(found)) else None

    return list((await until(client, "textDocument/publishDiagnostics", ready))[0])


async def indexed(client: Any, count: int = 1) -> None:
    """Wait until the server said ``count`` times that it indexed a folder."""
    await until(client, "window/logMessage",
                lambda: sum("indexed" in m.message for m in client.log_messages) >= count)
