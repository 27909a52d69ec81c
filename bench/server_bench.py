"""Benchmark: the language server's diagnostics latency on an edit, with a 5,000-manifest workspace.

Generates the workspace of ``context_bench.py`` (StatefulSets, headless Services, ConfigMaps,
PodDisruptionBudgets, StorageClasses, kustomizations) plus ``big.yaml``, a 2,000-line manifest of
StatefulSets whose governing Services are in other files, and times:

- baseline: ``stslint.api.lint_text`` of ``big.yaml`` alone (no index: one parse and the rules);
- index: building the workspace index in the server's way, cold (no context cache) and warm;
- in-process edit: one edit applied and the buffer linted against the 5,000-file index
  (``stslint.server.workspace``), the work a keystroke costs;
- end to end: ``stslint server`` in a subprocess, driven over stdio like an editor: the time from
  sending ``textDocument/didChange`` to receiving the ``publishDiagnostics`` of that version, for
  one change after a pause (linted at once) and for the last of a burst of five keystrokes 10 ms
  apart (debounced: the burst is linted once, 30 ms after its last key).

Prints medians (and the 90th percentile of the end-to-end times) and ratios to the baseline measured
in the same run, and CPU times (the server's per edit, from /proc): on a machine shared with other
work the wall times stretch, the CPU times and the ratios do not. The target is end to end <= 100 ms. Run:
``python bench/server_bench.py [--files 5000] [--edits 40]``.
"""
from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from context_bench import STATEFULSET, generate  # noqa: E402
from timing import median_ms  # noqa: E402  (bench/timing.py, beside this script)

BIG_LINES = 2000


def big_manifest() -> str:
    """About 2,000 lines of StatefulSets, each governed by a Service of another file."""
    documents = []
    i = 0
    while sum(doc.count("\n") for doc in documents) < BIG_LINES:
        documents.append(STATEFULSET.format(i=i, team=i % 25, sc=i % 20))
        i += 1
    return "---\n".join(documents)




class Client:
    """A minimal LSP client over a subprocess's stdio (what an editor does, no library)."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd, env=env)
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            self.messages.put(json.loads(stream.read(length)))

    def send(self, payload: dict[str, Any]) -> None:
        """Send one message."""
        body = json.dumps(payload).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def request(self, method: str, params: Any) -> Any:
        """Send a request and wait for its response (answering the server's own requests)."""
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method: str, params: Any) -> None:
        """Send a notification."""
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, condition: Callable[[dict[str, Any]], bool], timeout: float = 600) -> dict[str, Any]:
        """The next message satisfying ``condition``."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.001))
            if "method" in message and "id" in message:  # a request of the server: say yes
                self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            if condition(message):
                return message

    def cpu_ms(self) -> float:
        """The CPU time the server process has used so far (Linux /proc), in milliseconds."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        """shutdown, exit."""
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=60)


def end_to_end(workspace: Path, big: str, edits: int, burst: int) -> tuple[list[float], float, float]:
    """Per edit, milliseconds from the (last) didChange to its diagnostics; how long the index took;
    and the server's CPU time per edit (what the wall time is when the machine is not loaded). An
    edit is ``burst`` keystrokes 10 ms apart (1: one change after a pause)."""
    client = Client([sys.executable, "-m", "stslint", "server"], workspace)
    started = time.perf_counter()
    client.request("initialize", {"processId": os.getpid(), "rootUri": workspace.as_uri(), "capabilities": {},
                                  "workspaceFolders": [{"uri": workspace.as_uri(), "name": "ws"}]})
    client.notify("initialized", {})
    client.wait(lambda m: m.get("method") == "window/logMessage" and "indexed" in m["params"]["message"])
    indexed = (time.perf_counter() - started) * 1000
    uri = (workspace / "big.yaml").as_uri()
    client.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": big}})
    client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["version"] == 1)
    line = big.split("\n").index("  replicas: 3")  # the first StatefulSet's replicas
    times = []
    version = 1
    cpu_before = client.cpu_ms()
    for _ in range(edits):
        time.sleep(0.1)  # a pause between edits, as between bursts of typing
        for key in range(burst):
            if key:
                time.sleep(0.01)
            version += 1
            start = time.perf_counter()
            client.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": 12},
                                              "end": {"line": line, "character": 13}}, "text": str(version % 7 + 1)}]})
        client.wait(lambda m, v=version: m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == uri and m["params"]["version"] == v)
        times.append((time.perf_counter() - start) * 1000)
    cpu = (client.cpu_ms() - cpu_before) / edits
    client.close()
    return times, indexed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from stslint.api import lint_text
    from stslint.server.positions import apply_change
    from stslint.server.workspace import Folder, Workspace

    with tempfile.TemporaryDirectory() as directory:
        workspace = Path(directory) / "repo"
        generate(workspace, args.files)
        big = big_manifest()
        (workspace / "big.yaml").write_text(big)
        files = sum(1 for _ in workspace.rglob("*.yaml"))
        print(f"workspace: {files} manifests; big.yaml: {big.count(chr(10))} lines")
        uri = (workspace / "big.yaml").as_uri()

        cpu_start = time.process_time()
        baseline = median_ms(lambda: lint_text(big, uri), args.runs)
        cpu_baseline = (time.process_time() - cpu_start) * 1000 / args.runs
        print(f"baseline  lint_text(big.yaml), no index            {baseline:8.1f} ms   1.00x   "
              f"(CPU {cpu_baseline:.1f} ms)")

        os.environ["XDG_CACHE_HOME"] = str(Path(directory) / "cache")
        cache = subprocess.run(["git", "rev-parse", "--git-path", "stslint-cache"], cwd=workspace,
                               capture_output=True, text=True).stdout.strip()
        subprocess.run(["rm", "-rf", str(workspace / cache)], check=True)
        start = time.perf_counter()
        state = Workspace([str(workspace)])
        folder: Folder = state.folders[0]
        folder.build_index()
        cold = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        Workspace([str(workspace)]).folders[0].build_index()
        warm = (time.perf_counter() - start) * 1000
        print(f"index     {files} files, cold (no cache)            {cold:8.1f} ms  {cold / baseline:5.1f}x")
        print(f"index     {files} files, warm (context cache)       {warm:8.1f} ms  {warm / baseline:5.1f}x")

        buffer = state.open(uri, 1, big)
        state.lint(uri)
        line = big.split("\n").index("  replicas: 3")
        counter = iter(range(10 ** 6))

        def edit() -> None:
            buffer.text = apply_change(buffer.text, (line, 12), (line, 13), str(next(counter) % 7 + 1))
            state.lint(uri)

        in_process = median_ms(edit, args.runs)
        findings = len(state.linted[uri].findings)
        print(f"edit      in-process lint against the index          {in_process:8.1f} ms  "
              f"{in_process / baseline:5.2f}x   ({findings} findings)")

        for label, burst in (("one change after a pause", 1), ("last of 5 keys 10 ms apart", 5)):
            times, indexed, cpu = end_to_end(workspace, big, args.edits, burst)
            times.sort()
            median = statistics.median(times)
            p90 = times[int(len(times) * 0.9) - 1]
            print(f"edit      end to end, {label:<24}   {median:8.1f} ms  {median / baseline:5.2f}x   "
                  f"(p90 {p90:.1f} ms, max {times[-1]:.1f} ms; server CPU {cpu:.1f} ms an edit, "
                  f"{cpu / cpu_baseline:.2f}x the baseline's; "
                  f"indexed in {indexed:.0f} ms)")


if __name__ == "__main__":
    main()
