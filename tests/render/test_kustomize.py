"""kustomize overlays built by the real engine, findings by field path in the patch or origin file."""
from __future__ import annotations

import pytest

from stslint.render import RenderRequest
from stslint.render import kustomize as kustomize_module
from stslint.render.engines import CLOSED_PROXY, sandbox_environment
from tests.conftest import run_stslint
from tests.render.render_helpers import RENDER as ROOT_FIXTURES, findings, needs_helm, needs_kustomize

OVERLAY = "fixtures/render/kustomize/overlays/production"
BASE = "fixtures/render/kustomize/base"
EXPECTED = [
    ("STS101", f"{BASE}/statefulset.yaml", 2, 1, False),  # the base's object: no patch sets serviceName
    ("STS405", f"{OVERLAY}/kustomization.yaml", 16, 11, False),  # the inline JSON6902 patch's value
    ("STS303", f"{OVERLAY}/probes.yaml", 13, 21, False),  # the strategic-merge patch's port
]


@needs_kustomize
def test_an_overlay_is_built_and_findings_point_at_patches_and_the_base():
    assert sorted(findings([OVERLAY])) == sorted(EXPECTED)


@needs_kustomize
def test_a_walk_builds_the_overlay_and_not_its_base_alone():
    assert sorted(findings(["fixtures/render/kustomize"])) == sorted(EXPECTED)


@needs_kustomize
def test_a_named_patch_file_builds_the_root_kustomizations_that_include_it():
    got = findings([f"{OVERLAY}/probes.yaml"])
    assert sorted(got) == sorted(EXPECTED)


@needs_kustomize
def test_a_remote_resource_is_refused_before_the_engine_runs(tmp_path, monkeypatch):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text(
        "resources:\n  - https://github.com/example/app//deploy?ref=v1\n")
    ran = []
    monkeypatch.setattr(kustomize_module, "run_engine", lambda *a, **k: ran.append(a) or "")
    got = findings(["overlay"], cwd=tmp_path)
    assert got == [("STS001", "overlay/kustomization.yaml", 2, 5, False)]
    assert ran == []


def test_engines_run_with_proxies_at_a_closed_port_and_git_limited_to_files():
    env = sandbox_environment()
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] == CLOSED_PROXY
    assert env["GIT_ALLOW_PROTOCOL"] == "file"


@needs_kustomize
def test_a_build_error_is_an_input_error_in_the_kustomization(tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text("resources:\n  - sts.yaml\npatches:\n  - path: p.yaml\n")
    (overlay / "sts.yaml").write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: a\n")
    (overlay / "p.yaml").write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: missing\n")
    done = run_stslint("check", "overlay", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("overlay/kustomization.yaml:")
    assert "STS001 [error] overlay does not build: " in done.stdout


@needs_kustomize
@needs_helm
@pytest.mark.parametrize("stream, expected", [
    ("helm-template.yaml", [("STS101", "fixtures/render/chart/postgres/templates/statefulset.yaml", 2, 1, False),
                            ("STS301", "fixtures/render/chart/postgres/templates/statefulset.yaml", 18, 11, False),
                            ("STS302", "fixtures/render/chart/postgres/templates/statefulset.yaml", 18, 11, False),
                            ("STS404", "fixtures/render/chart/postgres/templates/statefulset.yaml", 43, 9, False)]),
    ("kubectl-kustomize.yaml", EXPECTED),
])
def test_a_rendered_stream_on_stdin_is_mapped_without_an_engine(stream, expected, tmp_path):
    from tests.conftest import ROOT

    data = (ROOT / "fixtures" / "render" / "streams" / stream).read_bytes()
    done = run_stslint("check", "--select", "ALL", "--ignore", "STS605", "--render", "never", "--format", "json", "-",
                       input=data, cwd=ROOT)
    import json

    got = [(f["code"], f["file"], f["line"], f["column"], "approximate" in f["message"])
           for f in json.loads(done.stdout)["findings"]]
    assert sorted(got) == sorted(expected)
    assert all(f["related"][-1]["file"].startswith("- (") for f in json.loads(done.stdout)["findings"])


@needs_kustomize
def test_a_reference_leading_out_of_the_current_directory_is_refused(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "kustomization.yaml").write_text("resources: []\n")
    overlay = tmp_path / "repo" / "overlay"
    overlay.mkdir(parents=True)
    (overlay / "kustomization.yaml").write_text("resources:\n  - ../../elsewhere\n")
    got = findings(["overlay"], cwd=tmp_path / "repo")
    assert got == [("STS001", "overlay/kustomization.yaml", 2, 5, False)]


@needs_kustomize
def test_a_missing_local_base_is_a_warning_and_the_overlay_is_linted_as_files(tmp_path):
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text("bases:\n  - ../../native\npatchesStrategicMerge:\n  - zoo.yaml\n")
    (overlay / "zoo.yaml").write_text("apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: zoo\n"
                                      "spec:\n  replicas: 1\n")
    done = run_stslint("check", "overlay", cwd=tmp_path)
    assert done.returncode == 0  # a partial checkout: the patch is still not an object
    assert ('stslint: overlay/kustomization.yaml:2: warning: bases entry "../../native" does not exist; overlay '
            "not built (its patches are not objects)") in done.stderr


@needs_kustomize
def test_the_configuration_names_roots_a_walk_would_build_only_through_their_overlay(tmp_path):
    import shutil

    from tests.config_helpers import repo, stslint

    root = repo(tmp_path, {".stslint.yaml": "kustomize:\n  overlays: [k/base]\n"})
    shutil.copytree(ROOT_FIXTURES / "kustomize", root / "k")
    run = stslint(root, "check", "k")
    base_sts101 = [line for line in run.stdout.splitlines() if line.startswith("k/base/statefulset.yaml:2:1: STS101")]
    assert base_sts101 == [  # once for the base built alone, once through the overlay
        'k/base/statefulset.yaml:2:1: STS101 [error] StatefulSet "prod-web" has no spec.serviceName; pods get no '
        "stable DNS names",
        'k/base/statefulset.yaml:2:1: STS101 [error] StatefulSet "web" has no spec.serviceName; pods get no '
        "stable DNS names"]
    elsewhere = stslint(root, "check", ".stslint.yaml")  # a configured root outside the paths is not built
    assert "STS101" not in elsewhere.stdout


@needs_kustomize
def test_a_component_patch_is_where_its_field_points(tmp_path):
    import shutil

    shutil.copytree(ROOT_FIXTURES / "kustomize" / "base", tmp_path / "base")
    (tmp_path / "probes").mkdir()
    (tmp_path / "probes" / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: probe.yaml\n")
    (tmp_path / "probes" / "probe.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: web\n          readinessProbe:\n            tcpSocket:\n"
        "              port: admin\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "kustomization.yaml").write_text("resources: [../base]\ncomponents: [../probes]\n")
    got = findings(["app"], cwd=tmp_path)
    assert ("STS303", "probes/probe.yaml", 12, 21, False) in got


@needs_kustomize
def test_the_ignore_annotation_of_a_base_object_survives_the_build(tmp_path):
    import shutil

    shutil.copytree(ROOT_FIXTURES / "kustomize", tmp_path / "k")
    base = tmp_path / "k" / "base" / "statefulset.yaml"
    base.write_text(base.read_text().replace(
        "  name: web\n", "  name: web\n  annotations:\n    stslint.io/ignore: STS101 -- the Service is elsewhere\n", 1))
    got = findings(["k"], cwd=tmp_path)
    assert sorted(code for code, *_ in got) == ["STS303", "STS405"]
