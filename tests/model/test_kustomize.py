"""Which files a kustomization lists as patches."""
from __future__ import annotations

import os

from stslint.model.kustomize import kustomization_patches, patch_paths


def test_patch_paths_from_every_patch_key(tmp_path):
    kustomization = {
        "resources": ["base.yaml"],
        "patchesStrategicMerge": ["sts.yaml", "../shared/svc.yaml"],
        "patches": [{"path": "p.yaml", "target": {"kind": "StatefulSet"}}, {"patch": "- op: remove"}],
        "patchesJson6902": [{"target": {"kind": "Service"}, "path": "ops.json"}],
    }
    real = str(tmp_path / "overlay" / "kustomization.yaml")
    found = patch_paths(kustomization, real)
    base = os.path.realpath(tmp_path)
    assert found == {os.path.join(base, "overlay", "sts.yaml"), os.path.join(base, "shared", "svc.yaml"),
                     os.path.join(base, "overlay", "p.yaml"), os.path.join(base, "overlay", "ops.json")}


def test_nothing_from_a_non_mapping_or_stdin():
    assert patch_paths(["a"], "/x/kustomization.yaml") == set()
    assert patch_paths({"patchesStrategicMerge": ["a.yaml"]}, None) == set()
    assert patch_paths({"patchesStrategicMerge": "a.yaml", "patches": [3, None]}, "/x/kustomization.yaml") == set()


def test_kustomization_patches_only_from_a_kustomization_by_name():
    docs = [{"patchesStrategicMerge": ["a.yaml"]}, None, {"patches": [{"path": "b.yaml"}]}]
    assert kustomization_patches("/x/kustomization.yml", docs, "/x/kustomization.yml") == {"/x/a.yaml", "/x/b.yaml"}
    assert kustomization_patches("/x/Kustomization", docs[:1], "/x/Kustomization") == {"/x/a.yaml"}
    assert kustomization_patches("/x/base.yaml", docs, "/x/base.yaml") == set()
    assert kustomization_patches(None, docs, None) == set()
