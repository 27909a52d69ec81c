"""--context and --context-git: context files resolve references but are never reported on."""
from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import check_json, run_stslint
from tests.context.context_helpers import codes, git, make_repo, service, statefulset, storage_class, write

from stslint.context import ContextRequest, list_context

STS = "statefulsets/db.yaml"


def test_plain_check_never_loads_context(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    report = check_json(STS, cwd=repo)
    assert codes(report) == [("STS102", STS, 6)]


def test_context_git_resolves_a_service_in_another_directory(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    report = check_json(STS, extra=("--context-git",), cwd=repo)
    assert codes(report) == []
    assert report["exit_code"] == 0
    assert report["summary"]["files"] == 1


def test_context_git_judges_what_the_context_holds(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(storage_class="fast"),
                                      "services/db.yaml": service(headless=False),
                                      "storage/fast.yaml": storage_class("fast", None)})
    report = check_json(STS, extra=("--context-git",), cwd=repo)
    assert codes(report) == [("STS103", STS, 6), ("STS402", STS, 23)]


def test_context_path_file_and_directory(tmp_path: Path) -> None:
    write(tmp_path, {"app/db.yaml": statefulset(), "shared/svc/db.yaml": service(), "other.yaml": service("x")})
    assert codes(check_json("app/db.yaml", extra=("--context", "shared"), cwd=tmp_path)) == []
    assert codes(check_json("app/db.yaml", extra=("--context", "shared/svc/db.yaml"), cwd=tmp_path)) == []
    assert codes(check_json("app/db.yaml", extra=("--context", "other.yaml"), cwd=tmp_path)) == [
        ("STS102", "app/db.yaml", 6)]


def test_missing_context_path_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, {"db.yaml": statefulset()})
    done = run_stslint("check", "--context", "nowhere", "db.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert "nowhere" in done.stderr


def test_context_files_give_no_findings_and_no_input_errors(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        STS: statefulset(),
        "services/db.yaml": service(),
        "broken.yaml": "key: [unclosed\n",
        "binary.json": "\x00\x01\x02",
        "other/sts.yaml": statefulset("other", "nowhere"),  # would give STS102 if checked
        "other/list.yaml": "- op: add\n  path: /x\n",
    })
    done = run_stslint("check", "--context-git", "--verbose", "--format", "json", STS, cwd=repo)
    assert done.returncode == 0, done.stdout
    assert '"findings": []' in done.stdout
    assert "stslint: context: skipped broken.yaml: STS001" in done.stderr
    assert "stslint: context: skipped binary.json: STS004" in done.stderr
    assert "other/sts.yaml" not in done.stderr
    assert "stslint: context: 3 files loaded, 2 skipped (0 read from the cache, 5 parsed)" in done.stderr


def test_a_checked_file_is_never_also_context(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service(), "a.yaml": service("a")})
    os.symlink(repo / "a.yaml", repo / "link.yaml")
    checked = {os.path.realpath(repo / "services/db.yaml"), os.path.realpath(repo / "link.yaml")}
    listing = list_context(ContextRequest((), True), checked, [str(repo)], str(repo))
    names = sorted(c.display for c in listing.candidates.values())
    assert names == [STS]


def test_checked_service_from_stdin_replaces_the_file_on_disk(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    done = run_stslint("check", "--context-git", "--stdin-filename", "services/db.yaml", "-", STS,
                       cwd=repo, input=service(headless=False).encode())
    assert done.returncode == 1
    assert "STS103" in done.stdout


def test_deleted_but_listed_file_is_skipped_silently(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    (repo / "services/db.yaml").unlink()
    done = run_stslint("check", "--context-git", "--verbose", STS, cwd=repo)
    assert done.returncode == 1
    assert "STS102" in done.stdout
    assert "skipped" not in done.stderr.replace("0 skipped", "")


def test_untracked_files_are_not_git_context(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset()})
    write(repo, {"services/db.yaml": service()})
    assert codes(check_json(STS, extra=("--context-git",), cwd=repo)) == [("STS102", STS, 6)]
    git(repo, "add", "services/db.yaml")
    assert codes(check_json(STS, extra=("--context-git",), cwd=repo)) == []


def test_walk_skips_apply_to_git_context(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {
        STS: statefulset(),
        ".hidden/db.yaml": service(),
        "chart/Chart.yaml": "apiVersion: v2\nname: chart\nversion: 1.0.0\n",
        "chart/templates/db.yaml": service(),
    })
    assert codes(check_json(STS, extra=("--context-git",), cwd=repo)) == [("STS102", STS, 6)]


def test_config_exclude_applies_to_context(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service(),
                                      ".stslint.yaml": "exclude: [services/]\n"})
    assert codes(check_json(STS, extra=("--context-git",), cwd=repo)) == [("STS102", STS, 6)]
    assert codes(check_json(STS, extra=("--context", "services"), cwd=repo)) == [("STS102", STS, 6)]


def test_config_context_key(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    write(repo, {".stslint.yaml": "context: git\n"})
    assert codes(check_json(STS, cwd=repo)) == []
    write(repo, {".stslint.yaml": "context: [services]\n"})
    assert codes(check_json(STS, cwd=repo)) == []


def test_context_git_lists_the_work_tree_of_the_checked_files(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(), "services/db.yaml": service()})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    assert codes(check_json(str(repo / STS), extra=("--context-git",), cwd=outside)) == []


def test_context_git_outside_git_is_reported_with_verbose(tmp_path: Path) -> None:
    write(tmp_path, {"db.yaml": statefulset()})
    done = run_stslint("check", "--context-git", "--verbose", "db.yaml", cwd=tmp_path,
                       env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert done.returncode == 1
    assert "not in a git work tree" in done.stderr


def test_kustomization_in_context_marks_a_checked_patch(tmp_path: Path) -> None:
    patch = statefulset().replace("serviceName: db", "serviceName: missing")
    repo = make_repo(tmp_path / "r", {
        "base/sts.yaml": statefulset(), "base/svc.yaml": service(),
        "overlays/prod/kustomization.yaml": "resources: [../../base]\npatches:\n  - path: sts-patch.yaml\n",
        "overlays/prod/sts-patch.yaml": patch,
    })
    checked = "overlays/prod/sts-patch.yaml"
    assert codes(check_json(checked, cwd=repo)) == [("STS102", checked, 6)]
    assert codes(check_json(checked, extra=("--context-git",), cwd=repo)) == []


def test_default_namespace_applies_to_context_objects_also_from_the_cache(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {STS: statefulset(namespace="prod"), "services/db.yaml": service()})
    for _ in range(2):  # cold, then warm cache
        assert codes(check_json(STS, extra=("--context-git",), cwd=repo)) == []
        assert codes(check_json(STS, extra=("--context-git", "-n", "dev"), cwd=repo)) == [("STS102", STS, 7)]


def test_a_file_gives_the_same_findings_alone_with_context_as_in_the_whole_repository(tmp_path: Path) -> None:
    files = {
        "apps/a/sts.yaml": statefulset("a", "a", storage_class="slow"),
        "apps/a/svc.yaml": service("a", "a"),
        "apps/b/sts.yaml": statefulset("b", "b-svc", namespace="team"),
        "apps/b/svc.yaml": service("b-svc", "b", namespace="other"),
        "apps/c/sts.yaml": statefulset("c", "c"),
        "apps/c/svc.yaml": service("c", "wrong"),
        "apps/d/sts.yaml": statefulset("d", "d"),
        "shared/svc-d.yaml": service("d", "d", headless=False),
        "storage/slow.yaml": storage_class("slow", "Delete"),
        "apps/e/kustomization.yaml": "resources: [sts.yaml]\npatchesStrategicMerge: [patch.yaml]\n",
        "apps/e/sts.yaml": statefulset("e", "a"),
        "apps/e/patch.yaml": statefulset("e", "nowhere"),
    }
    repo = make_repo(tmp_path / "r", files)
    whole = check_json(".", extra=("--render", "never"), cwd=repo)  # apps/e as files (a build maps to patch.yaml)
    assert whole["findings"], "the scenario must have findings"
    hint = "; if it is defined in another file, pass that file or use --context/--context-git"
    assert any(f["message"].endswith(hint) for f in whole["findings"])  # the whole run has no context
    for name in sorted(files):
        alone = check_json(name, extra=("--context-git", "--render", "never"), cwd=repo)
        expected = [{**f, "message": f["message"].removesuffix(hint)} for f in whole["findings"] if f["file"] == name]
        # the same fix; fixable only where every file it edits is checked (a context file is never fixed)
        for finding in alone["findings"]:
            edited = {edit["file"] for edit in (finding["fix"] or {}).get("edits", [])}
            assert finding.pop("fixable") is (bool(edited) and edited <= {name})
        assert alone["findings"] == [{k: v for k, v in f.items() if k != "fixable"} for f in expected], name


def test_hidden_files_and_links_out_of_the_work_tree_are_not_context(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(service())
    repo = make_repo(tmp_path / "r", {STS: statefulset(), ".db.yaml": service()})
    os.symlink(outside, repo / "services.yaml")
    git(repo, "add", "services.yaml")
    git(repo, "commit", "-qm", "link")
    done = run_stslint("check", "--context-git", "--verbose", STS, cwd=repo)
    assert "STS102" in done.stdout
    assert "skipped services.yaml: symbolic link to a file outside" in done.stderr
    write(tmp_path, {"ctx/.hidden.yaml": service()})
    os.symlink(outside, tmp_path / "ctx" / "linked.yaml")
    done = run_stslint("check", "--context", str(tmp_path / "ctx"), "--verbose", STS, cwd=repo)
    assert "STS102" in done.stdout
    assert "linked.yaml: symbolic link to a file outside" in done.stderr
