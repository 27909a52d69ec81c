"""YAML that is not Kubernetes, through the command line: a document that is a list or a scalar (an
Ansible playbook, a .pre-commit-hooks.yaml, a JSON6902 patch) is skipped silently whether its file is
named (the pre-commit hook) or found by a walk (stslint-repo); a top-level list whose items are
Kubernetes objects is a broken manifest (STS003) both ways."""
from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from stslint.cli import cli
from tests.conftest import FIXTURES, check_json, triples

PLAYBOOK = """\
- hosts: all
  become: true
  tasks:
    - name: install postgres
      ansible.builtin.package:
        name: postgresql
        state: present
  vars:
    admin_password: !vault |
      $ANSIBLE_VAULT;1.1;AES256
      62313365396662343061393464336163
"""

VAULT_VARS = """\
db_password: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  62313365396662343061393464336163
greeting: !unsafe "{{ not a template }}"
"""

PRE_COMMIT_HOOKS = """\
- id: check-things
  name: check things
  entry: check-things
  language: python
  types: [yaml]
"""

FUNDING = """\
github: [octocat, surftocat]
custom: ["https://www.paypal.me/octocat", "https://example.com/donate"]
"""

JSON6902 = '[{"op": "replace", "path": "/spec/replicas", "value": 3}]\n'

OBJECTS = """\
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings}
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: more-settings}
"""


def _repository(tmp_path: Path) -> Path:
    files = {
        "site.yml": PLAYBOOK,
        "group_vars/all.yml": VAULT_VARS,
        ".pre-commit-hooks.yaml": PRE_COMMIT_HOOKS,
        ".github/FUNDING.yml": FUNDING,
        "FUNDING.yml": "- github: octocat\n",  # a list (GitHub wants a mapping; not stslint's business either)
        "version.yaml": "1.2.3\n",
        "overlay/ops.json": JSON6902,
        "k8s/db.yaml": (FIXTURES / "STS301-readiness-probe-missing" / "good.yaml").read_text(),
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


NAMED = ["site.yml", "group_vars/all.yml", ".pre-commit-hooks.yaml", ".github/FUNDING.yml", "FUNDING.yml", "version.yaml",
         "overlay/ops.json", "k8s/db.yaml"]


def _invoke(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_lists_and_scalars_pass_named_as_the_hook_names_them_and_walked(tmp_path):
    repo = _repository(tmp_path)
    named = _invoke(repo, "check", "--hook", *NAMED)  # what the pre-commit hook runs (without git context)
    assert named.exit_code == 0, named.stdout
    assert named.stdout == f"No problems found in {len(NAMED)} files (1 StatefulSet).\n"
    walked = _invoke(repo, "check")  # what stslint-repo runs
    assert walked.exit_code == 0, walked.stdout
    assert walked.stdout.startswith("No problems found in")
    for path in NAMED:  # one by one, as a commit touching only that file
        alone = check_json(path, cwd=repo)
        assert (alone["exit_code"], alone["findings"]) == (0, []), path


def test_a_list_of_objects_is_sts003_named_and_walked(tmp_path):
    repo = _repository(tmp_path)
    (repo / "k8s" / "config.yaml").write_text(OBJECTS)
    expected = [("STS003", 1, 1)]
    named = check_json("k8s/config.yaml", "site.yml", "overlay/ops.json", cwd=repo)
    walked = check_json(cwd=repo)
    for report in (named, walked):
        assert report["exit_code"] == 1
        assert triples(report) == expected
        [finding] = report["findings"]
        assert finding["file"] == "k8s/config.yaml"
        assert finding["message"] == ("document 1 is a list holding Kubernetes objects (items[0] is the first), not "
                                      "an object; use `kind: List` or separate documents with `---`")
    text = _invoke(repo, "check", "--hook", "k8s/config.yaml")
    assert text.exit_code == 1
    assert text.stdout.startswith("k8s/config.yaml:1:1: STS003 [error] document 1 is a list holding Kubernetes "
                                  "objects")


def test_a_list_is_never_called_a_json6902_patch(tmp_path):
    repo = _repository(tmp_path)
    (repo / "overlay" / "objects.yaml").write_text(OBJECTS)
    report = check_json("overlay/ops.json", "overlay/objects.yaml", cwd=repo)
    assert [f["file"] for f in report["findings"]] == ["overlay/objects.yaml"]
    assert "JSON6902" not in report["findings"][0]["message"]
    (repo / "overlay" / "kustomization.yaml").write_text(
        "resources: [../k8s]\npatches:\n- path: objects.yaml\npatchesJson6902:\n"
        "- target: {kind: StatefulSet, name: pg}\n  path: ops.json\n")
    # listed as patches by a kustomization of the run, not built: silent
    listed = check_json("overlay", extra=("--render", "never"), cwd=repo)
    assert (listed["exit_code"], listed["findings"]) == (0, [])


def test_broken_manifests_are_still_sts003_when_named(tmp_path):
    (tmp_path / "half.yaml").write_text("apiVersion: v1\nmetadata: {name: x}\n")
    (tmp_path / "list.yaml").write_text("apiVersion: v1\nkind: List\nitems:\n- just a string\n- {kind: Service}\n")
    report = check_json("half.yaml", "list.yaml", cwd=tmp_path)
    assert triples(report) == [("STS003", 1, 1), ("STS003", 4, 3), ("STS003", 5, 4)]


def test_a_helm_charts_chart_yaml_passes_named_as_walked(tmp_path):
    chart = tmp_path / "charts" / "db"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text("apiVersion: v2\nname: db\nversion: 0.1.0\n")
    (chart / "values.yaml").write_text("replicaCount: 3\n")
    named = _invoke(tmp_path, "check", "--hook", "--force-exclude", "charts/db/Chart.yaml", "charts/db/values.yaml")
    assert named.exit_code == 0, named.stdout  # was STS003 "has apiVersion but no kind" when named
    walked = _invoke(tmp_path, "check")
    assert walked.exit_code == 0, walked.stdout
    (tmp_path / "Service.yaml").write_text("apiVersion: v1\nmetadata: {name: x}\n")  # any other name: STS003
    assert triples(check_json("Service.yaml", cwd=tmp_path)) == [("STS003", 1, 1)]


def test_a_hidden_file_named_by_the_hook_is_skipped_as_a_walk_skips_it(tmp_path):
    gitlab_ci = "test:\n  script:\n    - !reference [.setup, script]\n    - make test\n"  # a GitLab tag: STS001 if read
    (tmp_path / ".gitlab-ci.yml").write_text(gitlab_ci)
    (tmp_path / "db.yaml").write_text((FIXTURES / "STS301-readiness-probe-missing" / "good.yaml").read_text())
    hook = _invoke(tmp_path, "check", "--hook", "--context-git", "--force-exclude", ".gitlab-ci.yml", "db.yaml")
    assert hook.exit_code == 0, hook.stdout  # was STS001 at the !reference tag: the hook failed, the walk passed
    walked = _invoke(tmp_path, "check")
    assert walked.exit_code == 0, walked.stdout
    named = check_json(".gitlab-ci.yml", cwd=tmp_path)  # named without --force-exclude: read, and not Kubernetes
    assert (named["exit_code"], named["findings"]) == (0, [])


def test_a_local_tag_is_sts001_only_in_what_could_be_a_kubernetes_object(tmp_path):
    (tmp_path / "secret.yaml").write_text("apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                                          "stringData:\n  password: !vault |\n    abc\n")
    (tmp_path / "list.yaml").write_text(OBJECTS.replace("metadata: {name: settings}", "metadata: !custom {name: a}"))
    assert triples(check_json("secret.yaml", cwd=tmp_path)) == [("STS001", 5, 13)]
    assert triples(check_json("list.yaml", cwd=tmp_path)) == [("STS001", 3, 13)]
    playbook = "- hosts: all\n  vars:\n    password: !vault |\n      abc\n"  # the same tag where it is not Kubernetes
    (tmp_path / "site.yml").write_text(playbook)
    assert triples(check_json("site.yml", cwd=tmp_path)) == []
