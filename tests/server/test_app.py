"""The server's scheduling, in-process: what is published, when, and what a newer change cancels."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from stslint.server.app import create_server
from stslint.server.workspace import Workspace
from tests.server.helpers import STS, SVC

pytestmark = pytest.mark.asyncio


def started(root: Path):
    (root / ".git").mkdir(parents=True, exist_ok=True)
    (root / "svc.yaml").write_text(SVC)
    server = create_server()
    published: list = []
    logged: list = []
    server.text_document_publish_diagnostics = published.append  # type: ignore[method-assign]
    server.window_log_message = logged.append  # type: ignore[method-assign]
    server.state = Workspace([str(root)])
    return server, published, logged


async def settled(server) -> None:
    """Wait until no lint is pending (each pending task is awaited; none can start meanwhile)."""
    while server.pending:
        await asyncio.gather(*list(server.pending.values()), return_exceptions=True)


def codes(params) -> list[str]:
    return [d.code for d in params.diagnostics]


async def test_diagnostics_published_before_the_index_is_complete_are_published_again(tmp_path):
    server, published, logged = started(tmp_path)
    uri = (tmp_path / "sts.yaml").as_uri()
    server.state.open(uri, 1, STS)
    server.schedule(uri, 0)
    await settled(server)
    assert [(p.uri, p.version, codes(p)) for p in published] == [(uri, 1, ["STS102"])]  # nothing indexed yet
    folder = server.state.folders[0]
    assert folder.build_index()
    server._indexed(folder)
    await settled(server)
    assert [(p.version, codes(p)) for p in published[1:]] == [(1, ["STS103"])]
    assert "indexed 1 files" in logged[0].message
    server.stop()


async def test_a_newer_change_cancels_the_pending_lint(tmp_path):
    server, published, _ = started(tmp_path)
    assert server.state.folders[0].build_index()
    uri = (tmp_path / "sts.yaml").as_uri()
    buffer = server.state.open(uri, 1, STS)
    server.schedule_change(uri)  # after a pause: at once
    buffer.text, buffer.version = STS.replace("  serviceName: db\n", ""), 2
    server.schedule_change(uri)  # within the debounce: replaces the first, not yet started
    await settled(server)
    assert [(p.version, codes(p)) for p in published] == [(2, ["STS101"])]
    server.stop()
    server.schedule(uri, 0)
    assert not server.pending  # after shutdown nothing is linted
