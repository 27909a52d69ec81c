"""``pkg:NAME`` in the configuration's ``policies``: the policies an installed package ships under the
entry point group ``stslint.policies`` (a throwaway package installed on sys.path: a package and its
dist-info, nothing fetched)."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.config_helpers import repo, stslint
from tests.policy.helpers import HEADER, STS, findings

POLICY = HEADER + "schema: {properties: {spec: {properties: {replicas: {minimum: 3}}}}}\n"


@pytest.fixture
def installed(tmp_path, monkeypatch) -> Path:
    """A package ``acme_policies`` with one policy file, installed in a directory put on sys.path, with
    the entry points ``acme`` (the package's directory) and ``acme-listed`` (a list of paths)."""
    site = tmp_path / "site"
    package = site / "acme_policies"
    (package / "policies").mkdir(parents=True)
    (package / "__init__.py").write_text('POLICIES = ["policies/replicas.yaml"]\n')
    (package / "ACME101-replicas.yaml").write_text(POLICY)
    (package / "policies" / "replicas.yaml").write_text(POLICY)
    info = site / "acme_policies-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-policies\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[stslint.policies]\nacme = acme_policies\n"
                                           "acme-listed = acme_policies:POLICIES\nbroken = acme_missing_module\n")
    monkeypatch.syspath_prepend(str(site))
    return site


@pytest.mark.parametrize("name", ["acme", "acme-listed"])
def test_policies_from_an_installed_package(tmp_path, installed, name):
    root = repo(tmp_path, {".stslint.yaml": f"policies: ['pkg:{name}']\n", "sts.yaml": STS})
    run = stslint(root, "check", "--format", "json", "--select", "ACME", "sts.yaml")
    assert findings(run) == [("ACME101", 10, 3)]
    listed = stslint(root, "rules")
    assert "ACME101" in listed.stdout and "acme-check" in listed.stdout


def test_an_entry_point_nobody_installed_is_a_configuration_error(tmp_path, installed):
    root = repo(tmp_path, {".stslint.yaml": "select: [ALL]\npolicies: ['pkg:acme-typo']\n", "sts.yaml": STS})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2
    assert run.stderr.startswith('stslint: .stslint.yaml:2: "pkg:acme-typo": no installed package has the entry point '
                                 '"acme-typo" in the group stslint.policies (installed: acme, acme-listed, broken')


def test_an_entry_point_naming_a_missing_module_is_a_configuration_error(tmp_path, installed):
    root = repo(tmp_path, {".stslint.yaml": "policies: ['pkg:broken']\n", "sts.yaml": STS})
    run = stslint(root, "check", "sts.yaml")
    assert run.exit_code == 2 and 'the entry point names the module "acme_missing_module", which is not installed' \
        in run.stderr
