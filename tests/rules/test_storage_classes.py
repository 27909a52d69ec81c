"""STS407 storage-class-not-allowed: a claim template's class outside allowed-storage-classes."""
from __future__ import annotations

from pathlib import Path

import pytest

from stslint.engine import Settings, lint
from stslint.loading.discover import discover
from stslint.selection import resolve
from tests.config_helpers import repo, stslint
from tests.rules.helpers import service, sts
from tests.rules.test_storage import MOUNT, claim

ALLOWED = {"STS407": {"allowed-storage-classes": ["gp3-retain", "io2-*"]}}


def located(tmp_path: Path, manifest: str, options: dict | None = None) -> list[tuple[int, int, str]]:
    path = tmp_path / "m.yaml"
    path.write_text(manifest + "---\n" + service(), encoding="utf-8")
    settings = Settings(selected=resolve(["STS407"]), rule_options=ALLOWED if options is None else options)
    return [(f.line, f.column, f.message) for f in lint(discover([str(path)]), settings).findings]


def workload(spec: str = "storageClassName: fast", annotations: str = "") -> str:
    return sts(containers=MOUNT, claims=claim(spec, annotations))


def test_a_class_outside_the_list_at_its_key(tmp_path):
    manifest = workload()
    assert located(tmp_path, manifest) == [(
        manifest.splitlines().index("      storageClassName: fast") + 1, 7,
        'StatefulSet "web": volumeClaimTemplate "data" uses StorageClass "fast", which is not one of the classes this '
        "repository allows (gp3-retain, io2-*)")]


@pytest.mark.parametrize("name", ["gp3-retain", "io2-fast", "io2-"])
def test_listed_names_and_globs_pass(tmp_path, name):
    assert located(tmp_path, workload(f"storageClassName: {name}")) == []


def test_the_legacy_annotation_wins_and_is_where_it_is_reported(tmp_path):
    annotated = workload("storageClassName: gp3-retain", "volume.beta.kubernetes.io/storage-class: slow")
    line = annotated.splitlines().index("      annotations: {volume.beta.kubernetes.io/storage-class: slow}") + 1
    assert [(l, c) for l, c, _ in located(tmp_path, annotated)] == [(line, 21)]
    allowed_annotation = workload("storageClassName: slow", "volume.beta.kubernetes.io/storage-class: gp3-retain")
    assert located(tmp_path, allowed_annotation) == []  # the annotation names the class; the field is ignored


def test_an_empty_class_passes_only_when_listed(tmp_path):
    empty = workload('storageClassName: ""')
    assert len(located(tmp_path, empty)) == 1
    assert located(tmp_path, empty, {"STS407": {"allowed-storage-classes": ["*"]}}) != []  # a glob is not ""
    assert located(tmp_path, empty, {"STS407": {"allowed-storage-classes": ["gp3-retain", ""]}}) == []


def test_an_omitted_class_is_sts404s_business(tmp_path):
    assert located(tmp_path, workload("volumeMode: Filesystem")) == []


def test_unconfigured_the_rule_does_nothing(tmp_path):
    assert located(tmp_path, workload(), {}) == []


def test_a_class_of_the_wrong_type_is_sts006_not_sts407(tmp_path):
    assert located(tmp_path, workload("storageClassName: [fast]")) == []


def test_configured_in_the_configuration_file(tmp_path):
    config = "rules:\n  storage-class-not-allowed:\n    allowed-storage-classes: [gp3-retain]\n"
    root = repo(tmp_path, {".stslint.yaml": config,
                           "m.yaml": workload() + "---\n" + service()})
    run = stslint(root, "check", "--format", "json")
    assert [code for code, _, _ in run.triples()] == ["STS407"]
    explained = stslint(root, "explain", "STS407")
    assert "allowed-storage-classes (array, default [])" in explained.stdout
    wrong = repo(tmp_path / "wrong", {".stslint.yaml": "rules: {STS407: {allowed-storage-classes: gp3}}\n"})
    assert stslint(wrong, "check").stderr == ('stslint: .stslint.yaml:1: "rules.STS407.allowed-storage-classes" '
                                              'must be a list of strings; found string "gp3"\n')
