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
    assert shown == [str(tmp_path / n) for n in ("chart/Chart.yaml", "chart/values.yaml", "plain/templates/sts.yaml")]


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
