"""The server over raw stdio: garbage never stops it, requests it does not know are answered with
errors, and ``shutdown``/``exit`` end it with the exit code LSP asks for."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.server.helpers import server_command, server_env


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def message(payload: dict) -> bytes:
    return frame(json.dumps(payload).encode())


def responses(stdout: bytes) -> list[dict]:
    found = []
    while stdout:
        header, _, rest = stdout.partition(b"\r\n\r\n")
        length = int(next(line.split(b":")[1] for line in header.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        found.append(json.loads(rest[:length]))
        stdout = rest[length:]
    return found


def run(tmp_path: Path, data: bytes) -> tuple[int, list[dict]]:
    done = subprocess.run(server_command(), input=data, capture_output=True, timeout=120, env=server_env(tmp_path),
                          cwd=tmp_path)
    return done.returncode, responses(done.stdout)


INITIALIZE = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None,
                                                                             "capabilities": {}}}


def test_garbage_then_a_session(tmp_path):
    data = (frame(b"{not json") + frame(b"[1, 2]") + frame(b'{"jsonrpc": "2.0", "id": 7}')
            + message(INITIALIZE)
            + message({"jsonrpc": "2.0", "id": 2, "method": "stslint/unknown", "params": {}})
            + message({"jsonrpc": "2.0", "id": 3, "method": "textDocument/hover", "params": {"bad": 1}})
            + message({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
                "uri": "untitled:1", "languageId": "yaml", "version": 1, "text": "a: [\n"}}})
            + message({"jsonrpc": "2.0", "id": 4, "method": "shutdown"})
            + message({"jsonrpc": "2.0", "method": "exit"}))
    code, found = run(tmp_path, data)
    by_id = {item.get("id"): item for item in found if "id" in item and "method" not in item}
    assert code == 0
    capabilities = by_id[1]["result"]["capabilities"]
    assert capabilities["hoverProvider"] and capabilities["codeActionProvider"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert by_id[2]["error"]["code"] == -32601  # method not found
    assert by_id[3]["error"]["code"] in (-32602, -32603)  # invalid params
    assert by_id[4]["result"] is None
    assert not [item for item in found if item.get("method") == "window/showMessage"]  # no pop-ups for garbage


def test_exit_without_shutdown_is_exit_code_1(tmp_path):
    code, found = run(tmp_path, message(INITIALIZE) + message({"jsonrpc": "2.0", "method": "exit"}))
    assert code == 1 and found[0]["id"] == 1


def test_a_client_that_goes_away_ends_the_server(tmp_path):
    code, _ = run(tmp_path, message(INITIALIZE))
    assert code == 1


def test_a_plain_check_never_imports_the_server(tmp_path):
    probe = ("import sys, runpy\nsys.argv = ['stslint', 'check', 'sts.yaml']\n"
             "try:\n    runpy.run_module('stslint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol', 'cattrs', 'attrs')"
             " or m.startswith('stslint.server')))\n")
    (tmp_path / "sts.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path,
                          capture_output=True, text=True, env=server_env(tmp_path), timeout=120)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr
