"""The server's workspace without the protocol: folders, their configuration and index, buffers."""
from __future__ import annotations

from pathlib import Path

import pytest

from stslint.server.workspace import Folder, Workspace, path_of_uri
from tests.server.helpers import HEADLESS, STS, SVC


def make(root: Path, files: dict[str, str]) -> Path:
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def ready(root: Path) -> Workspace:
    workspace = Workspace([str(root)])
    for folder in workspace.folders:
        assert folder.build_index()
    return workspace


def lint(workspace: Workspace, path: Path, text: str) -> list[tuple[str, int]]:
    uri = path.as_uri()
    workspace.open(uri, 1, text)
    linted = workspace.lint(uri)
    assert linted is not None
    return [(f.code, f.line) for f in linted.findings]


def test_a_buffer_is_linted_against_the_whole_folder(tmp_path):
    root = make(tmp_path, {"svc/db.yaml": SVC})
    workspace = ready(root)
    uri = (root / "sts.yaml").as_uri()
    workspace.open(uri, 1, STS)
    linted = workspace.lint(uri)
    assert linted is not None and linted.complete
    [finding] = linted.findings
    assert (finding.code, finding.line, finding.file) == ("STS103", 6, uri)
    assert [(Path(r.source_path or r.file).name, r.line) for r in finding.related] == [("db.yaml", 6)]
    assert workspace.linted[uri] is linted


def test_before_the_index_is_built_a_lint_says_it_is_incomplete(tmp_path):
    root = make(tmp_path, {"svc.yaml": SVC})
    workspace = Workspace([str(root)])
    uri = (root / "sts.yaml").as_uri()
    workspace.open(uri, 1, STS)
    early = workspace.lint(uri)
    assert early is not None and not early.complete
    assert [f.code for f in early.findings] == ["STS102"]  # nothing indexed yet
    assert workspace.folders[0].build_index()
    late = workspace.lint(uri)
    assert late is not None and late.complete and [f.code for f in late.findings] == ["STS103"]


def test_the_walk_skips_and_the_configuration_exclude_apply(tmp_path):
    root = make(tmp_path, {".hidden/svc.yaml": HEADLESS, "chart/Chart.yaml": "apiVersion: v2\nname: c\n",
                           "chart/templates/svc.yaml": HEADLESS, "vendor/svc.yaml": HEADLESS,
                           ".stslint.yaml": "exclude: [vendor/]\n"})
    workspace = ready(root)
    assert lint(workspace, root / "sts.yaml", STS) == [("STS102", 6)]
    folder = workspace.folders[0]
    assert not folder.in_scope(str(root / "vendor" / "svc.yaml"))
    assert not folder.in_scope(str(root / "chart" / "templates" / "svc.yaml"))
    assert not folder.in_scope(str(root / ".hidden" / "svc.yaml"))
    assert folder.in_scope(str(root / "svc.yaml")) and not folder.in_scope(str(root / "notes.txt"))
    assert lint(workspace, root / "vendor" / "svc.yaml", HEADLESS) == []
    assert lint(workspace, root / "sts.yaml", STS) == [("STS102", 6)]  # an excluded buffer is no context either


def test_a_configured_context_is_the_index(tmp_path):
    root = make(tmp_path, {"elsewhere/svc.yaml": HEADLESS, "shared/svc.yaml": SVC,
                           ".stslint.yaml": "context: [shared]\n"})
    workspace = ready(root)
    assert lint(workspace, root / "sts.yaml", STS) == [("STS103", 6)]  # only shared/ is the index
    assert not workspace.folders[0].in_scope(str(root / "elsewhere" / "svc.yaml"))


def test_an_open_buffer_wins_over_its_saved_file_and_closing_it_restores_the_file(tmp_path):
    root = make(tmp_path, {"svc.yaml": SVC})
    workspace = ready(root)
    svc = (root / "svc.yaml").as_uri()
    assert lint(workspace, root / "sts.yaml", STS) == [("STS103", 6)]
    workspace.open(svc, 1, HEADLESS)
    changed = workspace.lint(svc)
    assert changed is not None and changed.entries_changed
    again = workspace.lint(svc)
    assert again is not None and not again.entries_changed  # nothing new for the other files
    assert lint(workspace, root / "sts.yaml", STS) == []
    workspace.close(svc)
    assert lint(workspace, root / "sts.yaml", STS) == [("STS103", 6)]


def test_files_changed_outside_the_editor_update_the_index(tmp_path):
    root = make(tmp_path, {"svc.yaml": SVC})
    workspace = ready(root)
    folder = workspace.folders[0]
    (root / "svc.yaml").unlink()
    assert folder.refresh_file(str(root / "svc.yaml"))
    assert lint(workspace, root / "sts.yaml", STS) == [("STS102", 6)]
    (root / "new.yaml").write_text(HEADLESS)
    assert folder.refresh_file(str(root / "new.yaml"))
    assert lint(workspace, root / "sts.yaml", STS) == []
    (root / "new.yaml").write_text(SVC)
    workspace.open((root / "new.yaml").as_uri(), 1, HEADLESS)
    assert workspace.lint((root / "new.yaml").as_uri()) is not None
    assert not folder.refresh_file(str(root / "new.yaml"))  # the open buffer wins over the disk
    assert lint(workspace, root / "sts.yaml", STS) == []


def test_a_kustomize_patch_in_the_workspace_is_not_an_object(tmp_path):
    root = make(tmp_path, {"patch.yaml": HEADLESS,
                           "kustomization.yaml": "resources: [sts.yaml]\npatchesStrategicMerge: [patch.yaml]\n"})
    workspace = ready(root)
    assert lint(workspace, root / "sts.yaml", STS) == [("STS102", 6)]


def test_an_invalid_configuration_is_kept_as_an_error_and_the_defaults_apply(tmp_path):
    root = make(tmp_path, {"svc.yaml": SVC, ".stslint.yaml": "select: [NOPE999]\n"})
    workspace = ready(root)
    folder = workspace.folders[0]
    assert folder.config_error is not None and folder.config_error.line == 1
    assert folder.config_file() == str(root / ".stslint.yaml")
    assert lint(workspace, root / "sts.yaml", STS) == [("STS103", 6)]
    (root / ".stslint.yaml").write_text("ignore: [STS103]\n")
    folder.load_config()
    assert folder.config_error is None and not folder.ready  # the index is built again for it
    assert folder.build_index()
    assert lint(workspace, root / "sts.yaml", STS) == []
    assert workspace.is_config_file(str(root / ".stslint.yaml")) is folder
    assert workspace.is_config_file(str(root / "svc.yaml")) is None


def test_a_buffer_over_the_size_limit_is_an_input_error(tmp_path):
    root = make(tmp_path, {".stslint.yaml": ""})
    workspace = ready(root)
    folder = workspace.folders[0]
    folder.settings.max_file_size = 100
    assert lint(workspace, root / "sts.yaml", STS) == [("STS004", 1)]


def test_files_outside_every_folder_and_untitled_buffers_are_linted_alone(tmp_path):
    root = make(tmp_path / "ws", {"svc.yaml": HEADLESS})
    workspace = ready(root)
    outside = tmp_path / "elsewhere" / "sts.yaml"
    assert lint(workspace, outside, STS) == [("STS102", 6)]
    workspace.open("untitled:Untitled-1", 1, STS)
    linted = workspace.lint("untitled:Untitled-1")
    assert linted is not None and [f.code for f in linted.findings] == ["STS102"]
    assert workspace.folder_of(str(outside)).indexed is False
    assert workspace.lint("untitled:not-open") is None


@pytest.mark.parametrize(("uri", "path"), [("file:///tmp/a%20b.yaml", "/tmp/a b.yaml"), ("untitled:1", None)])
def test_path_of_uri(uri, path):
    assert path_of_uri(uri) == path


def test_a_folder_nested_in_another_owns_its_files(tmp_path):
    outer = make(tmp_path, {"svc.yaml": SVC})
    inner = make(tmp_path / "inner", {"svc.yaml": HEADLESS})
    workspace = Workspace([str(outer), str(inner)])
    assert workspace.folder_of(str(inner / "sts.yaml")).root == str(inner)
    assert workspace.folder_of(str(outer / "sts.yaml")).root == str(outer)
    assert isinstance(workspace.folders[0], Folder)


def test_policy_files_belong_to_the_configuration(tmp_path):
    root = make(tmp_path, {".stslint.yaml": "policies: [policies/]\n"})
    (root / "policies").mkdir()
    workspace = Workspace([str(root)])
    folder = workspace.folders[0]
    assert folder.config_error is None
    assert workspace.is_config_file(str(root / "policies" / "team.yaml")) is folder
    assert workspace.is_config_file(str(root / "sts.yaml")) is None


def test_workspace_folders_come_and_go(tmp_path):
    first = make(tmp_path / "a", {"svc.yaml": HEADLESS})
    second = make(tmp_path / "b", {"svc.yaml": SVC})
    workspace = ready(first)
    folder = workspace.add_folder(str(second))
    assert folder.build_index()
    assert lint(workspace, second / "sts.yaml", STS) == [("STS103", 6)]
    assert workspace.remove_folder(str(second)) is folder and workspace.remove_folder(str(second)) is None
    assert lint(workspace, second / "sts.yaml", STS) == [("STS102", 6)]  # now outside every folder: alone


def test_a_lint_whose_buffer_changed_while_it_was_parsed_stops(tmp_path, monkeypatch):
    import stslint.server.workspace as module

    root = make(tmp_path, {"svc.yaml": SVC})
    workspace = ready(root)
    uri = (root / "sts.yaml").as_uri()
    buffer = workspace.open(uri, 1, STS)
    real_load = module.load_content

    def load_then_type(result):
        loaded = real_load(result)
        buffer.text, buffer.version = STS + "# typed\n", 2  # what the event loop does meanwhile
        return loaded

    monkeypatch.setattr(module, "load_content", load_then_type)
    assert workspace.lint(uri) is None and uri not in workspace.linted
    monkeypatch.setattr(module, "load_content", real_load)
    linted = workspace.lint(uri)
    assert linted is not None and linted.version == 2 and workspace.linted[uri] is linted
