"""End to end through a real LSP client (pytest-lsp starts ``stslint server`` over stdio)."""
from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.server.helpers import HEADLESS, STS, SVC, diagnostics, indexed, server_command

pytestmark = pytest.mark.asyncio


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    (root / ".git").mkdir(parents=True)
    (root / "svc.yaml").write_text(SVC)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()))
async def client(lsp_client: LanguageClient, workspace: Path):
    @lsp_client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        lsp_client.registrations = [r.method for r in params.registrations]

    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")]))
    await indexed(lsp_client)
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        types.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text)))
    return uri


def codes(found) -> list[tuple[str, int, int, int, int]]:
    return [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character)
            for d in found]


async def test_a_buffer_is_judged_against_the_other_files_of_the_workspace(client: LanguageClient, workspace):
    uri = open_doc(client, workspace / "sts.yaml", STS)
    found = await diagnostics(client, uri)
    assert codes(found) == [("STS103", 5, 2, 5, 13)]  # serviceName: db -> the Service is not headless
    [diagnostic] = found
    assert diagnostic.severity == types.DiagnosticSeverity.Error and diagnostic.source == "stslint"
    assert diagnostic.code_description is not None and diagnostic.code_description.href.endswith(".yaml")
    [related] = diagnostic.related_information
    assert related.location.uri == (workspace / "svc.yaml").as_uri()
    assert related.location.range.start.line == 5  # clusterIP: 10.0.0.1

    # the Service edited headless in another buffer clears the StatefulSet's STS103
    svc = open_doc(client, workspace / "svc.yaml", SVC)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=svc, version=2),
        [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(5, 13), types.Position(5, 21)), text="None")]))
    assert await diagnostics(client, uri, lambda found: not found) == []

    # closing it brings back the saved file (not headless)
    client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(svc)))
    assert codes(await diagnostics(client, uri, bool)) == [("STS103", 5, 2, 5, 13)]


async def test_a_missing_service_is_resolved_by_a_file_created_outside_the_editor(client, workspace):
    (workspace / "svc.yaml").unlink()
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent((workspace / "svc.yaml").as_uri(), types.FileChangeType.Deleted)]))
    uri = open_doc(client, workspace / "sts.yaml", STS)
    assert [d.code for d in await diagnostics(client, uri, bool)] == ["STS102"]
    (workspace / "other.yaml").write_text(HEADLESS)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent((workspace / "other.yaml").as_uri(), types.FileChangeType.Created)]))
    assert await diagnostics(client, uri, lambda found: not found) == []


async def test_a_change_clears_the_diagnostics_and_a_code_action_fixes_the_text(client, workspace):
    uri = open_doc(client, workspace / "sts.yaml", STS.replace("  serviceName: db\n", ""))
    [found] = await diagnostics(client, uri)
    assert (found.code, found.range.start.line) == ("STS101", 1)
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), found.range, types.CodeActionContext([found])))
    titles = [action.title for action in actions]
    assert titles[-2:] == ["Suppress STS101 on this line", "Suppress STS101 in this file"]
    line_edit = actions[-2].edit.changes[uri][0]
    assert (line_edit.range.start.line, line_edit.range.start.character) == (1, 17)
    assert line_edit.new_text == "  # stslint: disable-line=STS101 -- TODO: reason"
    file_edit = actions[-1].edit.changes[uri][0]
    assert file_edit.new_text == "# stslint: disable-file=STS101 -- TODO: reason\n"

    # the edit applied: nothing left to report, nothing to explain
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [types.TextDocumentContentChangePartial(range=line_edit.range, text=line_edit.new_text)]))
    assert await diagnostics(client, uri, lambda found: not found) == []
    hover = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri),
                                                                     types.Position(1, 2)))
    assert hover is None  # nothing reported there any more


async def test_hover_explains_the_rule(client, workspace):
    uri = open_doc(client, workspace / "sts.yaml", STS.replace("  serviceName: db\n", ""))
    await diagnostics(client, uri, bool)
    hover = await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri),
                                                                     types.Position(1, 3)))
    assert hover is not None and hover.contents.kind == types.MarkupKind.Markdown
    assert hover.contents.value.startswith("**STS101 ")
    assert "*Why it matters*" in hover.contents.value and "*Example (good)*" in hover.contents.value
    assert await client.text_document_hover_async(types.HoverParams(types.TextDocumentIdentifier(uri),
                                                                    types.Position(10, 3))) is None


FLOW_STS = ("# \U0001F600 written by hand\x85# a second YAML line, not a second LSP line\n"
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\n"
            "spec: {template: {metadata: {annotations: {note: \"\U0001F600\U0001F600\"}, labels: {app: db}}, "
            "spec: {containers: [{name: db, readinessProbe: {tcpSocket: {port: 80}}, "
            "livenessProbe: {tcpSocket: {port: 80}}}]}}, selector: {matchLabels: {app: db}}, serviceName: db}\n")


async def test_positions_are_utf16_code_units_on_lsp_lines(client, workspace):
    """Two astral characters before the finding on its line count two UTF-16 units each; the NEL in
    the first comment ends a YAML line but not an LSP line."""
    uri = open_doc(client, workspace / "sts.yaml", FLOW_STS)
    [found] = await diagnostics(client, uri)
    line = FLOW_STS.split("\n")[4]
    column = len(line[:line.index("serviceName")].encode("utf-16-le")) // 2
    assert column == line.index("serviceName") + 2
    assert codes([found]) == [("STS103", 4, column, 4, column + len("serviceName"))]


async def test_input_errors_and_garbage_do_not_stop_the_server(client, workspace):
    uri = open_doc(client, workspace / "chart.yaml", "image: {{ .Values.image }}\n")
    [found] = await diagnostics(client, uri)
    assert found.code == "STS001" and found.severity == types.DiagnosticSeverity.Error
    binary = open_doc(client, workspace / "bin.yaml", "\x00\x01 not yaml: [")
    assert [d.code for d in await diagnostics(client, binary)] == ["STS001"]
    # a request for a method the server does not have is answered with an error, and it goes on
    with pytest.raises(Exception):
        await client.protocol.send_request_async("stslint/noSuchMethod", {})
    uri3 = open_doc(client, workspace / "sts.yaml", STS)
    assert [d.code for d in await diagnostics(client, uri3)] == ["STS103"]


async def test_the_configuration_is_reloaded_and_an_invalid_one_is_a_diagnostic(client, workspace):
    uri = open_doc(client, workspace / "sts.yaml", STS)
    assert [d.code for d in await diagnostics(client, uri)] == ["STS103"]
    config = workspace / ".stslint.yaml"
    config.write_text("ignore: [STS103]\nseverity: {STS101: fatal}\n")
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        [types.FileEvent(config.as_uri(), types.FileChangeType.Created)]))
    [problem] = await diagnostics(client, config.as_uri())
    assert problem.severity == types.DiagnosticSeverity.Error and problem.range.start.line == 1
    assert "default settings apply" in problem.message
    assert [d.code for d in client.diagnostics[uri]] == ["STS103"]  # the defaults, meanwhile

    # fixed in the editor and saved: the diagnostic goes, the configuration applies
    config.write_text("ignore: [STS103]\n")
    open_doc(client, config, "ignore: [STS103]\n")
    client.text_document_did_save(types.DidSaveTextDocumentParams(types.TextDocumentIdentifier(config.as_uri())))
    assert await diagnostics(client, config.as_uri(), lambda found: not found) == []
    assert await diagnostics(client, uri, lambda found: not found) == []


@pytest_lsp.fixture(config=ClientServerConfig(server_command=server_command()))
async def utf8_client(lsp_client: LanguageClient, workspace: Path):
    capabilities = client_capabilities("visual-studio-code")
    capabilities.general = types.GeneralClientCapabilities(position_encodings=[types.PositionEncodingKind.Utf8])
    result = await lsp_client.initialize_session(types.InitializeParams(
        capabilities=capabilities, workspace_folders=[types.WorkspaceFolder(workspace.as_uri(), "ws")]))
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    await indexed(lsp_client)
    yield
    await lsp_client.shutdown_session()


async def test_a_client_that_prefers_utf8_gets_byte_positions(utf8_client: LanguageClient, workspace):
    uri = open_doc(utf8_client, workspace / "sts.yaml", FLOW_STS)
    [found] = await diagnostics(utf8_client, uri)
    line = FLOW_STS.split("\n")[4]
    column = len(line[:line.index("serviceName")].encode("utf-8"))
    assert column == line.index("serviceName") + 6  # two 4-byte characters
    assert codes([found]) == [("STS103", 4, column, 4, column + len("serviceName"))]
    # an incremental change in UTF-8 units: replace the two characters by "ok"
    start = line.index("\U0001F600")
    utf8_client.text_document_did_change(types.DidChangeTextDocumentParams(
        types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        [types.TextDocumentContentChangePartial(
            range=types.Range(types.Position(4, start), types.Position(4, start + 8)), text="ok")]))
    moved = line.index("serviceName")  # the line is ASCII now: bytes are code points
    assert codes(await diagnostics(utf8_client, uri, lambda f: f and f[0].range.start.character == moved)) == [
        ("STS103", 4, moved, 4, moved + len("serviceName"))]


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """LSP text edits applied to a text (UTF-16 positions), from the last to the first."""
    from stslint.server.positions import LspText

    table = LspText(text)
    spans = sorted(((table.offset(e.range.start.line, e.range.start.character),
                     table.offset(e.range.end.line, e.range.end.character), e.new_text) for e in edits), reverse=True)
    for start, end, new_text in spans:
        text = text[:start] + new_text + text[end:]
    return text


async def test_a_fix_in_another_file_is_a_quick_fix_whose_edit_clears_the_finding(client, workspace):
    uri = open_doc(client, workspace / "sts.yaml", STS)
    [found] = await diagnostics(client, uri)
    assert found.code == "STS103" and found.data["fixable"] is True
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), found.range, types.CodeActionContext([found])))
    [fix] = [action for action in actions if not action.title.startswith("Suppress")]
    assert fix.title.endswith("(unsafe fix) (STS103)") and not fix.is_preferred
    assert list(fix.diagnostics) == [found]
    svc = (workspace / "svc.yaml").as_uri()
    assert list(fix.edit.changes) == [svc]  # the Service's file, not the StatefulSet's
    fixed = apply_edits(SVC, fix.edit.changes[svc])
    assert "clusterIP: None" in fixed and fixed.replace("None", "10.0.0.1") == SVC

    # the edit applied (as the editor does: the file opened and changed): the StatefulSet is clean
    open_doc(client, workspace / "svc.yaml", fixed)
    assert await diagnostics(client, uri, lambda found: not found) == []


async def test_a_safe_fix_in_the_buffer_is_preferred(client, workspace):
    text = STS.replace("apps/v1", "apps/v1beta2")
    uri = open_doc(client, workspace / "old.yaml", text)
    found = await diagnostics(client, uri)
    [api] = [d for d in found if d.code == "STS501"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), api.range, types.CodeActionContext([api])))
    fixes = [action for action in actions if not action.title.startswith("Suppress") and "STS501" in action.title]
    assert fixes, [action.title for action in actions]
    [fix] = fixes
    edited = apply_edits(text, fix.edit.changes[uri])
    assert edited.startswith("apiVersion: apps/v1\n")
    assert fix.is_preferred is (not fix.title.endswith("(unsafe fix) (STS501)") or None)
