"""``stslint server``: the language server (LSP over standard input and output, pygls).

The protocol layer over :mod:`stslint.server.workspace`: documents are kept with LSP's own line
rules (:mod:`stslint.server.positions`), a change is linted after a short debounce on one worker
thread (a newer change cancels the pending lint and discards a running one's result), and the
folders' indexes are built on a thread of their own and published when complete.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Generator

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.exceptions import JsonRpcException
from pygls.protocol import JsonRPCNotification, LanguageServerProtocol, lsp_method

from stslint import __version__
from stslint.loading.decode import DecodeError, decode
from stslint.server import convert
from stslint.server.positions import UTF16, LspText, apply_change
from stslint.server.workspace import Folder, Linted, Workspace, path_of_uri

DEBOUNCE_SECONDS = 0.03
"""How long a change in a burst of changes waits for the next one before it is linted (the issue
allows 50 ms); a change after a pause is linted at once."""
MAX_READ_BYTES = 64 * 1024 * 1024
READ_CACHE_FILES = 256
"""How many files' texts (of related locations and fixes) are kept while unchanged on disk."""
IGNORED = "$/stslint/ignored"
"""What an ill-formed request becomes once answered: a notification nobody handles ($/: ignored)."""

log = logging.getLogger("stslint.server")


class _Protocol(LanguageServerProtocol):
    """pygls' protocol, minus its own copy of open documents: stslint keeps them itself, with LSP's
    line breaks (``\\n``, ``\\r\\n``, ``\\r`` only; pygls splits at NEL and others too). A request
    whose parameters do not have the method's shape is answered with an error, as JSON-RPC asks
    (pygls 2.1 drops it, leaving the client waiting)."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        """The message as lsprotocol's type; an ill-formed request answered with its error."""
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            request_id = data.get("id") if isinstance(data, dict) and "method" in data else None
            if not isinstance(request_id, (int, str)) or isinstance(request_id, bool):
                raise
            self._send_response(request_id, None, error.to_response_error())
            return JsonRPCNotification(method=IGNORED, jsonrpc=self.VERSION, params=None)

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams) -> Generator[Any, Any, None]:
        """Hand the notification to stslint only."""
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_OPEN)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Generator[Any, Any, None]:
        """Hand the notification to stslint only."""
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams) -> Generator[Any, Any, None]:
        """Hand the notification to stslint only."""
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CLOSE)) is not None:
            yield handler, (params,), None


class StslintServer(LanguageServer):
    """The server's state: the workspace, pending lints and the worker threads."""

    def __init__(self) -> None:
        super().__init__("stslint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
                         protocol_cls=_Protocol)
        self.state: Workspace | None = None
        self.encoding = UTF16
        self.debounce = DEBOUNCE_SECONDS
        self.pending: dict[str, asyncio.Task[None]] = {}
        self.changed_at: dict[str, float] = {}
        self.read_cache: dict[str, tuple[tuple[int, int], str | None]] = {}
        self.linter = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stslint-lint")
        self.stopping = False

    # --- helpers -------------------------------------------------------------------------------

    def report_server_error(self, error: Exception, source: Any) -> None:
        """A message the server could not read (not JSON, not JSON-RPC) goes to the editor's log, not
        into a pop-up; other errors are shown as pygls shows them."""
        if source is JsonRpcException:
            self.log(f"ignored a message that is not a JSON-RPC message: {error}", types.MessageType.Warning)
            return
        super().report_server_error(error, source)

    @property
    def workspace_state(self) -> Workspace:
        """The workspace (an empty one before ``initialize``)."""
        if self.state is None:
            self.state = Workspace([])
        return self.state

    def log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        """A ``window/logMessage`` for the editor's log."""
        self.window_log_message(types.LogMessageParams(kind, f"stslint: {message}"))

    def read_text(self, path: str) -> str | None:
        """The decoded text of a file on disk (None when it cannot be read); kept while the file's
        size and modification time stay the same (related locations read it on every publish)."""
        try:
            st = os.stat(path)
            key = (st.st_mtime_ns, st.st_size)
            cached = self.read_cache.get(path)
            if cached is not None and cached[0] == key:
                return cached[1]
            with open(path, "rb") as handle:
                data = handle.read(MAX_READ_BYTES + 1)
            text = None if len(data) > MAX_READ_BYTES else decode(data).text
        except (OSError, DecodeError):
            return None
        if len(self.read_cache) >= READ_CACHE_FILES:
            self.read_cache.pop(next(iter(self.read_cache)))
        self.read_cache[path] = (key, text)
        return text

    def text_of(self, name: str) -> tuple[str, str] | None:
        """The URI and current text of a file findings name (a path, or an open buffer's URI)."""
        state = self.workspace_state
        if name in state.buffers:
            return name, state.buffers[name].text
        path = path_of_uri(name) if name.startswith("file:") else os.path.abspath(name)
        if path is None:
            return None
        text = state.text_of(path, self.read_text)
        if text is None:
            return None
        uri = next((uri for uri, buffer in state.buffers.items() if buffer.path is not None
                    and buffer.key == os.path.realpath(path)), None)
        return uri or _file_uri(path), text

    # --- scheduling ----------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float | None = None) -> None:
        """Lint a buffer after ``delay`` (the debounce by default), instead of any lint pending for it."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        if self.stopping:
            return
        self.pending[uri] = asyncio.ensure_future(self._lint_later(uri, self.debounce if delay is None else delay))

    def schedule_change(self, uri: str) -> None:
        """Lint a buffer after a change: at once when it follows a pause of the debounce or more
        (the first keystroke after a pause costs no wait), else after the debounce (a burst of
        keystrokes is linted once, at its end)."""
        now = time.monotonic()
        previous = self.changed_at.get(uri)
        self.changed_at[uri] = now
        burst = previous is not None and now - previous < self.debounce
        self.schedule(uri, self.debounce if burst or uri in self.pending else 0)

    async def _lint_later(self, uri: str, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        state = self.workspace_state
        buffer = state.buffers.get(uri)
        if buffer is None:
            return
        version, text = buffer.version, buffer.text
        loop = asyncio.get_running_loop()
        try:
            linted = await loop.run_in_executor(self.linter, state.lint, uri)
        except Exception as exc:  # noqa: BLE001 - a bug in a rule must not take the editor's linter down
            log.exception("linting %s failed", uri)
            self.log(f"internal error linting {uri}: {type(exc).__name__}: {exc}", types.MessageType.Error)
            return
        finally:
            if self.pending.get(uri) is asyncio.current_task():
                del self.pending[uri]
        current = state.buffers.get(uri)
        if linted is None or current is None or current.version != version or current.text != text:
            return  # a newer change has its own lint
        self.publish(linted)
        if linted.entries_changed:
            folder = state.folder_of(current.path)
            for other in state.others_in(folder, uri):
                if other not in self.pending:
                    self.schedule(other, self.debounce)

    def publish(self, linted: Linted) -> None:
        """Send a buffer's diagnostics."""
        table = LspText(linted.text, self.encoding)
        result = linted.result
        rules = result.rules
        diagnostics = [convert.diagnostic(f, table, f.severity or result.severity(f.code), rules, self.text_of,
                                          self.encoding) for f in linted.findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(linted.uri, diagnostics,
                                                                               linted.version))

    def relint_folder(self, folder: Folder) -> None:
        """Lint again every open buffer of a folder."""
        state = self.workspace_state
        for uri, buffer in list(state.buffers.items()):
            if not self.is_config(buffer.path) and state.folder_of(buffer.path) is folder:
                self.schedule(uri, 0)

    # --- the index and the configuration -------------------------------------------------------

    def build_index(self, folder: Folder) -> None:
        """Build a folder's index on a thread of its own; when complete, lint its open buffers again."""
        loop = asyncio.get_running_loop()

        def work() -> None:
            try:
                done = folder.build_index()
            except Exception as exc:  # noqa: BLE001 - an index that fails leaves the buffers linted alone
                log.exception("indexing %s failed", folder.root)
                message = f"indexing {folder.root} failed: {type(exc).__name__}: {exc}"
                loop.call_soon_threadsafe(self.log, message, types.MessageType.Error)
                return
            if done and not self.stopping:
                loop.call_soon_threadsafe(self._indexed, folder)

        threading.Thread(target=work, name="stslint-index", daemon=True).start()

    def _indexed(self, folder: Folder) -> None:
        self.log(f"indexed {folder.files} files of {folder.root}")
        self.relint_folder(folder)

    def is_config(self, path: str | None) -> Folder | None:
        """The folder whose configuration file ``path`` is."""
        return self.workspace_state.is_config_file(path) if path is not None else None

    def reload_config(self, folder: Folder) -> None:
        """Read a folder's configuration again, show its problems, index and lint again."""
        folder.load_config()
        self.publish_config(folder)
        if folder.config_error is not None:
            self.log(f"invalid configuration: {folder.config_error}; the default settings apply",
                     types.MessageType.Warning)
        self.relint_folder(folder)
        self.build_index(folder)

    def publish_config(self, folder: Folder) -> None:
        """Diagnostics on a folder's configuration file: its error and warnings (none when valid)."""
        path = folder.config_file()
        shown = folder.shown_config
        if shown is not None and shown != path:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(_file_uri(shown), []))
        folder.shown_config = path
        if path is None:
            return
        found = self.text_of(path)
        uri = found[0] if found else _file_uri(path)
        own = [w for w in folder.config.warnings if os.path.abspath(w[0]) == path]
        for file, _, message in folder.config.warnings:
            if os.path.abspath(file) != path:  # about another file (one this configuration shadows)
                self.log(f"{file}: {message}", types.MessageType.Warning)
        diagnostics = convert.config_diagnostics(folder.config_error, own, found[1] if found else None,
                                                 self.encoding)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics))

    def stop(self) -> None:
        """Cancel pending work (``shutdown``)."""
        self.stopping = True
        for task in self.pending.values():
            task.cancel()
        self.pending.clear()
        self.linter.shutdown(wait=False, cancel_futures=True)


def _file_uri(path: str) -> str:
    from pathlib import Path

    return Path(path).as_uri()


def _folder_roots(params: types.InitializeParams) -> list[str]:
    """The workspace folders' paths (the root URI or path when the client gives no folders)."""
    uris = [folder.uri for folder in params.workspace_folders or []]
    if not uris and params.root_uri:
        uris = [params.root_uri]
    roots = [path for path in map(path_of_uri, uris) if path is not None]
    if not roots and params.root_path:
        roots = [params.root_path]
    return roots


def create_server() -> StslintServer:
    """A server with every feature registered."""
    server = StslintServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: StslintServer, params: types.InitializeParams) -> None:
        ls.state = Workspace(_folder_roots(params))
        encoding = ls.workspace.position_encoding
        ls.encoding = str(encoding.value if hasattr(encoding, "value") else encoding or UTF16)
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounceMs"), (int, float)):
            ls.debounce = min(max(float(options["debounceMs"]), 0.0), 50.0) / 1000

    @server.feature(types.INITIALIZED)
    async def initialized(ls: StslintServer, params: types.InitializedParams) -> None:
        for folder in ls.workspace_state.folders:
            if folder.config_error is not None or folder.config.warnings:
                ls.publish_config(folder)
            ls.build_index(folder)
        watching = ls.client_capabilities.workspace
        dynamic = watching and watching.did_change_watched_files and \
            watching.did_change_watched_files.dynamic_registration
        if dynamic:
            watchers = [types.FileSystemWatcher(glob_pattern=pattern) for pattern in
                        ("**/*.yaml", "**/*.yml", "**/*.json", "**/Kustomization", "**/pyproject.toml")]
            registration = types.Registration(id="stslint-watched-files",
                                              method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                                              register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                                  watchers=watchers))
            try:
                await ls.client_register_capability_async(types.RegistrationParams([registration]))
            except Exception as exc:  # noqa: BLE001 - a client that refuses still gets diagnostics
                ls.log(f"could not watch files: {exc}", types.MessageType.Warning)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: StslintServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        buffer = ls.workspace_state.open(document.uri, document.version, document.text, document.language_id)
        folder = ls.is_config(buffer.path)
        if folder is not None:
            ls.publish_config(folder)
            return
        ls.schedule(document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: StslintServer, params: types.DidChangeTextDocumentParams) -> None:
        buffer = ls.workspace_state.buffers.get(params.text_document.uri)
        if buffer is None:
            return
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                buffer.text = apply_change(buffer.text, (start.line, start.character), (end.line, end.character),
                                           change.text, ls.encoding)
            else:
                buffer.text = change.text
        buffer.version = params.text_document.version
        if ls.is_config(buffer.path) is None:
            ls.schedule_change(buffer.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: StslintServer, params: types.DidSaveTextDocumentParams) -> None:
        folder = ls.is_config(path_of_uri(params.text_document.uri))
        if folder is not None:
            ls.reload_config(folder)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    async def did_close(ls: StslintServer, params: types.DidCloseTextDocumentParams) -> None:
        state = ls.workspace_state
        uri = params.text_document.uri
        buffer = state.buffers.get(uri)
        pending = ls.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.changed_at.pop(uri, None)
        await asyncio.get_running_loop().run_in_executor(ls.linter, state.close, uri)  # reads the saved file
        if buffer is not None and ls.is_config(buffer.path) is None:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
            for other in state.others_in(state.folder_of(buffer.path), uri):
                ls.schedule(other)

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: StslintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        state = ls.workspace_state
        for removed in params.event.removed:
            path = path_of_uri(removed.uri)
            if path is not None and state.remove_folder(path) is not None:
                for uri in list(state.buffers):
                    ls.schedule(uri, 0)
        for added in params.event.added:
            path = path_of_uri(added.uri)
            if path is not None:
                folder = state.add_folder(path)
                ls.publish_config(folder)
                ls.build_index(folder)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def watched(ls: StslintServer, params: types.DidChangeWatchedFilesParams) -> None:
        state = ls.workspace_state
        touched: dict[int, Folder] = {}
        reload: dict[int, Folder] = {}
        loop = asyncio.get_running_loop()
        for change in params.changes:
            path = path_of_uri(change.uri)
            if path is None:
                continue
            folder = ls.is_config(path)
            if folder is not None:
                reload[id(folder)] = folder
                continue
            folder = state.folder_of(path)
            if folder.indexed and await loop.run_in_executor(ls.linter, folder.refresh_file, path):
                touched[id(folder)] = folder
        for folder in reload.values():
            ls.reload_config(folder)
        for key, folder in touched.items():
            if key not in reload:
                ls.relint_folder(folder)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
    def code_action(ls: StslintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        state = ls.workspace_state
        linted = state.linted.get(params.text_document.uri)
        buffer = state.buffers.get(params.text_document.uri)
        if linted is None or buffer is None or linted.text != buffer.text:
            return None
        table = LspText(linted.text, ls.encoding)
        first = table.offset(params.range.start.line, params.range.start.character)
        last = table.offset(params.range.end.line, params.range.end.character)
        findings = [f for f in linted.findings if f.start <= last and first <= max(f.end, f.start)]
        sent = {_diagnostic_key(d): d for d in params.context.diagnostics if d.source == convert.SOURCE}
        paired = {}
        for finding in findings:
            start = convert.lsp_range(table, finding.start, finding.end).start
            for key, diagnostic in sent.items():
                if key[0] == finding.code and key[1] == (start.line, start.character):
                    paired[convert.diagnostic_key(finding)] = diagnostic
        return convert.code_actions(linted.uri, linted.text, findings, paired, ls.encoding, ls.text_of,
                                    buffer.key) or None

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: StslintServer, params: types.HoverParams) -> types.Hover | None:
        state = ls.workspace_state
        linted = state.linted.get(params.text_document.uri)
        if linted is None:
            return None
        table = LspText(linted.text, ls.encoding)
        offset = table.offset(params.position.line, params.position.character)
        found = [f for f in linted.findings if f.start <= offset <= max(f.end, f.start + 1)]
        if not found:
            return None
        text = convert.hover_text((f.code for f in found), linted.result.rules)
        if not text:
            return None
        first = min(found, key=lambda f: f.end - f.start)
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text),
                           convert.lsp_range(table, first.start, first.end))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: StslintServer, params: Any) -> None:
        ls.stop()

    return server


def _diagnostic_key(diagnostic: types.Diagnostic) -> tuple[Any, tuple[int, int]]:
    return diagnostic.code, (diagnostic.range.start.line, diagnostic.range.start.character)


def serve(stdin: Any = None, stdout: Any = None, on_start: Callable[[StslintServer], None] | None = None) -> int:
    """Run the language server over standard input and output until ``exit``; the exit code LSP
    asks for: 0 after a ``shutdown`` request, 1 otherwise (the client went away, or ``exit`` came
    without ``shutdown``)."""
    logging.basicConfig(level=os.environ.get("STSLINT_LOG", "WARNING").upper(), format="stslint: %(message)s")
    server = create_server()
    if on_start is not None:
        on_start(server)
    server.start_io(stdin, stdout)
    server.stop()
    return 0 if getattr(server.protocol, "_shutdown", False) else 1
