"""Which files a run reads, and the names it shows for them."""
from __future__ import annotations

from stslint.loading.discover import discover


def tree(root, *names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")


def test_walk_reads_manifest_suffixes_and_kustomization_in_order(tmp_path):
    tree(tmp_path, "b.yaml", "a.yml", "c.json", "Kustomization", "notes.txt", "sub/d.yaml")
    shown = [s.display for s in discover([str(tmp_path)])]
    assert shown == [str(tmp_path / n) for n in ("Kustomization", "a.yml", "b.yaml", "c.json", "sub/d.yaml")]


def test_walk_skips_hidden_directories_and_helm_templates(tmp_path):
    tree(tmp_path, ".git/x.yaml", "chart/Chart.yaml", "chart/templates/sts.yaml", "chart/values.yaml",
         "plain/templates/sts.yaml")
    shown = [s.display for s in discover([str(tmp_path)])]
    assert shown == [str(tmp_path / n) for n in ("chart/values.yaml", "plain/templates/sts.yaml")]  # no Chart.yaml


def test_named_files_are_always_read_and_explicit(tmp_path):
    tree(tmp_path, "notes.txt")
    [source] = discover([str(tmp_path / "notes.txt")])
    assert source.explicit and source.path == str(tmp_path / "notes.txt")


def test_dot_shows_relative_paths_and_no_path_means_dot(tmp_path, monkeypatch):
    tree(tmp_path, "k8s/a.yaml")
    monkeypatch.chdir(tmp_path)
    assert [s.display for s in discover(["."])] == ["k8s/a.yaml"]
    assert [s.display for s in discover([])] == ["k8s/a.yaml"]
    assert [s.display for s in discover(["k8s"])] == ["k8s/a.yaml"]
    assert not any(s.explicit for s in discover(["k8s"]))


def test_stdin_and_its_name():
    assert [(s.display, s.path) for s in discover(["-"])] == [("-", None)]
    assert [s.display for s in discover(["-"], stdin_filename="x/y.yaml")] == ["x/y.yaml"]


def test_walk_skips_hidden_files(tmp_path):
    tree(tmp_path, ".gitlab-ci.yml", ".stslint.yaml", "sts.yaml")
    assert [s.display for s in discover([str(tmp_path)])] == [str(tmp_path / "sts.yaml")]


def test_a_file_reached_twice_is_read_once(tmp_path):
    tree(tmp_path, "k8s/a.yaml", "k8s/b.yaml")
    a = str(tmp_path / "k8s" / "a.yaml")
    sources = list(discover([a, str(tmp_path / "k8s"), a]))
    assert [(s.display, s.explicit) for s in sources] == [(a, True), (str(tmp_path / "k8s" / "b.yaml"), False)]


# --- the walk's built-in skips, and --force-exclude ----------------------------------------------------

def test_in_skipped_directory_counts_only_the_directories_of_the_path():
    from stslint.loading.discover import in_skipped_directory

    charts = {"chart", ""}.__contains__
    skipped = [".h/a.yaml", "x/.h/a.yaml", "x/.h/", "chart/templates/a.yaml", "chart/templates/", "templates/a.yaml"]
    kept = ["a.yaml", ".a.yaml", "x.y/a.yaml", "plain/templates/a.yaml", "x/templates.d/a.yaml", ".h"]
    assert [p for p in skipped + kept if in_skipped_directory(p, charts)] == skipped


def test_force_exclude_counts_only_directories_below_the_current_one(tmp_path, monkeypatch):
    repo = tmp_path / ".hid" / "repo"  # a checkout below a hidden directory (~/.cache/..., /tmp/.x/...)
    tree(repo, "k8s/a.yaml", ".hidden/b.yaml", "chart/Chart.yaml", "chart/templates/c.yaml", "d/.e/f.yaml")
    monkeypatch.chdir(repo)
    assert [s.display for s in discover(["."], force_exclude=True)] == ["k8s/a.yaml"]  # a walk skips Chart.yaml
    named = ["k8s/a.yaml", ".hidden/b.yaml", "chart/templates/c.yaml", "d/.e/f.yaml", ".hidden", "chart/templates"]
    assert [s.display for s in discover(named, force_exclude=True)] == ["k8s/a.yaml"]
    assert [s.display for s in discover(["k8s", str(repo / "k8s" / "a.yaml")], force_exclude=True)] == \
        ["k8s/a.yaml"]  # (the same file, read once)
    monkeypatch.chdir(repo / "chart")  # a chart's templates/ below the current directory
    assert [s.display for s in discover(["templates/c.yaml", "Chart.yaml"], force_exclude=True)] == ["Chart.yaml"]
    monkeypatch.chdir(repo / "chart" / "templates")  # ... and not when it is the current directory
    assert [s.display for s in discover(["c.yaml"], force_exclude=True)] == ["c.yaml"]


def test_force_exclude_counts_directories_below_the_configuration_directory(tmp_path, monkeypatch):
    repo = tmp_path / ".hid" / "repo"
    tree(repo, "k8s/a.yaml", ".hidden/b.yaml")
    tree(tmp_path, "elsewhere/.h/c.yaml")
    monkeypatch.chdir(repo / "k8s")
    named = ["../.hidden/b.yaml", "a.yaml", str(tmp_path / "elsewhere" / ".h" / "c.yaml")]
    # below the configuration's directory, .hidden is skipped; below neither root, nothing is
    assert [s.display for s in discover(named, force_exclude=True, config_dir=str(repo))] == named[1:]
    assert [s.display for s in discover(named, force_exclude=True)] == named


def test_force_exclude_from_a_checkout_below_a_hidden_directory_end_to_end(tmp_path):
    from tests.conftest import check_json, triples

    repo = tmp_path / ".hid" / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "k8s").mkdir()
    (repo / "k8s" / "broken.yaml").write_text("a: [\n")
    (repo / ".hidden").mkdir()
    (repo / ".hidden" / "broken.yaml").write_text("a: [\n")
    for args in ((".",), ("k8s/broken.yaml", ".hidden/broken.yaml")):
        report = check_json(*args, extra=("--force-exclude",), cwd=repo)
        assert ([f["file"] for f in report["findings"]], triples(report)) == (["k8s/broken.yaml"], [("STS001", 2, 1)])
        assert report["summary"]["files"] == 1
