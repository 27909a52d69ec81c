"""The pre-commit hooks, end to end with the real pre-commit: a throwaway repository commits through
hooks installed from a commit of this checkout (uncommitted work included)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
import yaml
from tests.conftest import FIXTURES, ROOT, run_stslint
from tests.context.context_helpers import GIT_IDENTITY, git, make_repo, service, statefulset, write

pytestmark = pytest.mark.slow

STS = "statefulsets/db.yaml"
SVC = "services/db.yaml"
PDB = "budgets/db.yaml"
BUDGET = ("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: db}\n"
          "spec: {maxUnavailable: 1, selector: {matchLabels: {app: db}}}\n")
"""The StatefulSet's budget, in its own file (the hooks' context finds it: no STS601 once it scales)."""


def _pre_commit_available() -> bool:
    try:
        import pre_commit  # noqa: F401
    except ImportError:
        return False
    return True


requires_pre_commit = pytest.mark.skipif(not _pre_commit_available(),
                                         reason="pre-commit is not installed (it is in the test extra)")


def test_hooks_manifest() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"stslint", "stslint-repo"}
    per_file, repo = hooks["stslint"], hooks["stslint-repo"]
    assert per_file["entry"] == "stslint check --hook --context-git --force-exclude"
    assert per_file["types_or"] == ["yaml", "json"]
    assert repo["pass_filenames"] is False and repo["always_run"] is True
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["require_serial"] is True
        assert hook["minimum_pre_commit_version"] == "2.9.0"  # types_or


@requires_pre_commit
def test_hooks_manifest_is_valid_for_pre_commit() -> None:
    done = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest",
                           str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A git repository holding this checkout as it is on disk (tracked and untracked files not
    ignored): its path and the commit to use as ``rev``."""
    copy = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True, env=_clean_env()).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "stslint under test")
    return str(copy), git(copy, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> str:
    """One pre-commit cache for the module: the hook environment is built once."""
    return str(tmp_path_factory.mktemp("pre-commit-home"))


class Project:
    """A throwaway repository using the hooks through ``git commit``."""

    def __init__(self, path: Path, home: str) -> None:
        self.path = path
        self.env = _clean_env(PRE_COMMIT_HOME=home, PRE_COMMIT_COLOR="never", NO_COLOR="1")

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run a command in the repository with the test's environment."""
        return subprocess.run(list(args), cwd=self.path, capture_output=True, text=True, env=self.env,
                              timeout=900)

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        """``git commit`` of what is staged, through the installed pre-commit hook."""
        done = self.run("git", *GIT_IDENTITY, "commit", "-m", message)
        done.stdout += done.stderr
        return done

    def configure(self, hook_repo: tuple[str, str], *hook_ids: str, args: list[str] | None = None) -> None:
        """Write and stage a .pre-commit-config.yaml using these hooks (with the user's ``args``), and
        install the git hook."""
        path, rev = hook_repo
        extra = f"        args: {args!r}\n" if args is not None else ""
        hooks = "".join(f"      - id: {hook_id}\n{extra}" for hook_id in hook_ids)
        (self.path / ".pre-commit-config.yaml").write_text(f"repos:\n  - repo: {path}\n    rev: {rev}\n"
                                                           f"    hooks:\n{hooks}")
        git(self.path, "add", ".pre-commit-config.yaml")
        installed = self.run(sys.executable, "-m", "pre_commit", "install", "--install-hooks")
        assert installed.returncode == 0, installed.stdout + installed.stderr


@pytest.fixture
def project(tmp_path: Path, pre_commit_home: str) -> Iterator[Project]:
    """A repository with statefulsets/db.yaml, its governing Service in services/db.yaml and its budget in
    budgets/db.yaml, staged."""
    repo = make_repo(tmp_path / "project", {STS: statefulset(), SVC: service(), PDB: BUDGET}, commit=False)
    git(repo, "add", "-A")
    yield Project(repo, pre_commit_home)


def _touch_statefulset(project: Project, replicas: int) -> None:
    path = project.path / STS
    text = path.read_text()
    if "replicas:" in text:
        text = text.split("\n  replicas:")[0] + text[text.index("\n  serviceName:"):]
    path.write_text(text.replace("\n  serviceName:", f"\n  replicas: {replicas}\n  serviceName:"))
    git(project.path, "add", STS)


@requires_pre_commit
def test_stslint_hook_resolves_the_service_in_another_file(project: Project, hook_repo: tuple[str, str]) -> None:
    project.configure(hook_repo, "stslint")
    first = project.commit("statefulset and service")
    assert first.returncode == 0, first.stdout

    _touch_statefulset(project, 2)  # a commit that touches only the StatefulSet
    alone = run_stslint("check", STS, cwd=project.path)
    assert "STS102" in alone.stdout  # without the context, the Service would be missing
    second = project.commit("scale")
    assert second.returncode == 0, second.stdout
    assert "STS102" not in second.stdout

    git(project.path, "rm", "-q", SVC)
    deleting = project.commit("delete the service")
    assert deleting.returncode == 0, deleting.stdout  # the gap: no file to check, stslint-repo closes it

    _touch_statefulset(project, 3)
    third = project.commit("scale again")
    assert third.returncode == 1, third.stdout
    assert f'{STS}:7:3: STS102 [error] StatefulSet "db": no Service "db"' in third.stdout


@requires_pre_commit
def test_stslint_repo_hook_fails_the_commit_that_deletes_the_service(project: Project,
                                                                      hook_repo: tuple[str, str]) -> None:
    project.configure(hook_repo, "stslint-repo")
    assert project.commit("statefulset and service").returncode == 0
    git(project.path, "rm", "-q", SVC)
    deleting = project.commit("delete the service")
    assert deleting.returncode == 1, deleting.stdout
    assert f"{STS}:6:3: STS102" in deleting.stdout
    write(project.path, {SVC: service()})  # the deletion was refused; put the Service back
    git(project.path, "add", SVC)
    rerun = project.run(sys.executable, "-m", "pre_commit", "run", "stslint-repo")
    assert rerun.returncode == 0, rerun.stdout


@requires_pre_commit
@pytest.mark.parametrize("hook_id", ["stslint", "stslint-repo"])
def test_each_hook_fails_on_a_bad_manifest_and_passes_on_a_good_one(tmp_path: Path, pre_commit_home: str,
                                                                      hook_repo: tuple[str, str],
                                                                      hook_id: str) -> None:
    fixture = FIXTURES / "STS401-retention-policy-delete"
    repo = make_repo(tmp_path / "project", {"README.md": "a project\n"})
    project = Project(repo, pre_commit_home)
    project.configure(hook_repo, hook_id)
    shutil.copy(fixture / "bad.yaml", repo / "db.yaml")
    git(repo, "add", "db.yaml")
    bad = project.commit("bad")
    assert bad.returncode == 1, bad.stdout
    assert "db.yaml:" in bad.stdout and "STS401" in bad.stdout
    shutil.copy(fixture / "good.yaml", repo / "db.yaml")
    git(repo, "add", "db.yaml")
    good = project.commit("good")
    assert good.returncode == 0, good.stdout


@requires_pre_commit
def test_file_names_that_look_like_options_are_file_names(tmp_path: Path, pre_commit_home: str,
                                                          hook_repo: tuple[str, str]) -> None:
    unprobed = (FIXTURES / "STS301-readiness-probe-missing" / "bad.yaml").read_text()
    repo = make_repo(tmp_path / "project", {"db.yaml": "kind: keep-me\n"})
    project = Project(repo, pre_commit_home)
    project.configure(hook_repo, "stslint", args=["--select=STS3"])
    names = ["--output-file=db.yaml", "-o.yaml", "-x.yaml"]
    write(repo, {name: unprobed for name in names})
    git(repo, "add", "--", *names)
    done = project.commit("files named like options")
    assert done.returncode == 1, done.stdout
    assert (repo / "db.yaml").read_text() == "kind: keep-me\n"  # no report written over it
    for name in names:
        assert f"{name}:" in done.stdout and "STS301" in done.stdout, done.stdout
    assert "STS404" not in done.stdout  # the user's --select=STS3 is an option, not a file name


NOT_KUBERNETES = {
    "site.yml": "- hosts: all\n  become: true\n  tasks:\n    - name: install postgres\n"
                "      ansible.builtin.package: {name: postgresql, state: present}\n"
                "  vars:\n    admin_password: !vault |\n      $ANSIBLE_VAULT;1.1;AES256\n      6231\n",
    "group_vars/all.yml": "db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  6231\n",
    ".pre-commit-hooks.yaml": "- id: check-things\n  name: check things\n  entry: check-things\n"
                              "  language: python\n  types: [yaml]\n",
    ".github/FUNDING.yml": "github: [octocat]\ncustom: [\"https://example.com/donate\"]\n",
    "FUNDING.yml": "- github: octocat\n",  # the list form some repositories commit at the top
    "overlay/ops.json": '[{"op": "replace", "path": "/spec/replicas", "value": 3}]\n',
}


@requires_pre_commit
@pytest.mark.parametrize("hook_id", ["stslint", "stslint-repo"])
def test_each_hook_passes_yaml_that_is_not_kubernetes_and_still_fails_a_bad_manifest(
        tmp_path: Path, pre_commit_home: str, hook_repo: tuple[str, str], hook_id: str) -> None:
    files = {STS: statefulset(), SVC: service(), **NOT_KUBERNETES}
    repo = make_repo(tmp_path / "project", files, commit=False)
    git(repo, "add", "-A")
    project = Project(repo, pre_commit_home)
    project.configure(hook_repo, hook_id)
    first = project.commit("manifests beside a playbook, a hooks manifest and FUNDING.yml")
    assert first.returncode == 0, first.stdout  # the stslint hook named every one of them: nothing reported
    assert "STS003" not in first.stdout

    write(repo, {name: text + "# touched\n" for name, text in NOT_KUBERNETES.items()})
    git(repo, "add", "-A")
    second = project.commit("only files that are not Kubernetes")
    assert second.returncode == 0, second.stdout

    shutil.copy(FIXTURES / "STS401-retention-policy-delete" / "bad.yaml", repo / "db.yaml")
    objects = "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: settings}\n"
    write(repo, {"site.yml": NOT_KUBERNETES["site.yml"] + "# touched again\n", "config.yaml": objects})
    git(repo, "add", "-A")
    bad = project.commit("a bad manifest and a list of objects")
    assert bad.returncode == 1, bad.stdout
    assert "db.yaml:" in bad.stdout and "STS401" in bad.stdout
    assert "config.yaml:1:1: STS003" in bad.stdout
    assert "site.yml" not in bad.stdout and "FUNDING" not in bad.stdout and ".pre-commit-hooks.yaml" not in bad.stdout
