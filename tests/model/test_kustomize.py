"""Which files a kustomization lists as patches, and which entries it may not list."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stslint.loading.yamlload import load_text
from stslint.model.kustomize import kustomization_patches, patch_paths


def test_patch_paths_from_every_patch_key(tmp_path):
    kustomization = {
        "resources": ["base.yaml"],
        "patchesStrategicMerge": ["sts.yaml", "sub/../svc.yaml"],
        "patches": [{"path": "p.yaml", "target": {"kind": "StatefulSet"}}, {"patch": "- op: remove"}],
        "patchesJson6902": [{"target": {"kind": "Service"}, "path": "ops.json"}],
    }
    real = str(tmp_path / "overlay" / "kustomization.yaml")
    found = patch_paths(kustomization, real)
    base = os.path.realpath(tmp_path)
    assert found.paths == {os.path.join(base, "overlay", "sts.yaml"), os.path.join(base, "overlay", "svc.yaml"),
                           os.path.join(base, "overlay", "p.yaml"), os.path.join(base, "overlay", "ops.json")}
    assert found.refused == []


def test_nothing_from_a_non_mapping_or_stdin():
    assert patch_paths(["a"], "/x/kustomization.yaml").paths == set()
    assert patch_paths({"patchesStrategicMerge": ["a.yaml"]}, None).paths == set()
    assert patch_paths({"patchesStrategicMerge": "a.yaml", "patches": [3, None]}, "/x/kustomization.yaml").paths == set()


def test_kustomization_patches_only_from_a_kustomization_by_name():
    docs = [{"patchesStrategicMerge": ["a.yaml"]}, None, {"patches": [{"path": "b.yaml"}]}]
    assert kustomization_patches("/x/kustomization.yml", docs, "/x/kustomization.yml").paths == {"/x/a.yaml",
                                                                                                 "/x/b.yaml"}
    assert kustomization_patches("/x/Kustomization", docs[:1], "/x/Kustomization").paths == {"/x/a.yaml"}
    assert kustomization_patches("/x/base.yaml", docs, "/x/base.yaml").paths == set()
    assert kustomization_patches(None, docs, None).paths == set()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["..", ".", "a", "b", "/", "/etc", "x.yaml"]), min_size=1, max_size=6))
def test_a_patch_path_never_resolves_outside_the_kustomization_root(tmp_path_factory, parts):
    root = tmp_path_factory.mktemp("k")
    (root / "overlay").mkdir()
    real = str(root / "overlay" / "kustomization.yaml")
    path = "/".join(parts).replace("//", "/")
    found = patch_paths({"patchesStrategicMerge": [path], "patches": [{"path": path}]}, real)
    base = os.path.realpath(root / "overlay")
    for resolved in found.paths:
        assert resolved == base or resolved.startswith(base + os.sep)
    assert len(found.refused) == (0 if found.paths else 2)


def test_a_link_out_of_the_root_is_refused_with_its_line(tmp_path):
    (tmp_path / "overlay").mkdir()
    (tmp_path / "outside.yaml").write_text("x: 1\n")
    (tmp_path / "overlay" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    text = "patchesStrategicMerge:\n  - link.yaml\npatches:\n  - path: /etc/passwd\n"
    [doc] = load_text(text).documents
    found = patch_paths(doc.root, str(tmp_path / "overlay" / "kustomization.yaml"))
    assert found.paths == set()
    assert [line for line, _ in found.refused] == [2, 4]
    assert "'link.yaml' lies outside the kustomization's directory" in found.refused[0][1]
