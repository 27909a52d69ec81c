"""STS501 and STS502: removed API versions, and --kubernetes-version (config kubernetes-version)."""
from __future__ import annotations

import pytest

from stslint.kubernetes import NEWEST_RELEASE, REMOVED_APIS, parse_version, version_problem
from tests.conftest import check_json, triples
from tests.rules.helpers import codes, run, service, sts

PDB = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n" \
      "  selector: {matchLabels: {app: web}}\n"
CRONJOB = ("apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: backup\nspec:\n  schedule: '@daily'\n"
           "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: b, image: x}]\n")
INGRESS = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec: {}\n"


def test_the_newest_release_is_pinned():
    assert NEWEST_RELEASE == (1, 37)
    assert all(api.removed_in <= NEWEST_RELEASE for api in REMOVED_APIS.values())


@pytest.mark.parametrize(("text", "version"), [("1.29", (1, 29)), ("v1.29", (1, 29)), ("1.16", (1, 16)),
                                               ("v1.29.3", (1, 29)), (" 1.25 ", (1, 25)), ("1.40", (1, 40))])
def test_versions_are_minor_releases_with_or_without_v(text, version):
    assert parse_version(text) == version and version_problem(text) is None


@pytest.mark.parametrize("text", ["", "1", "v1", "2.0", "1.x", "latest", "1.29-rc.0", "V1.29", "1..29"])
def test_other_texts_are_no_version(text):
    assert parse_version(text) is None
    assert version_problem(text) == f'must be a Kubernetes release such as 1.29 or v1.29; found "{text}"'


def test_removed_apis_of_any_kind_modelled_or_not(tmp_path):
    assert run(tmp_path, PDB, select=["STS502"]) == [("STS502", "main.yaml", 1)]
    assert codes(tmp_path, CRONJOB, select=["STS502"]) == ["STS502"]
    assert codes(tmp_path, PDB.replace("v1beta1", "v1"), select=["STS502"]) == []
    assert codes(tmp_path, INGRESS, select=["STS502"]) == []  # not in the table


def test_an_old_statefulset_is_sts501_only(tmp_path):
    for api in ("apps/v1beta1", "apps/v1beta2"):
        assert codes(tmp_path, sts(api=api), service(), select=["STS501", "STS502"]) == ["STS501"], api


def test_an_object_stslint_does_not_model_gets_no_sts006_from_sts502(tmp_path):
    odd = "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata: {name: [x], namespace: 5}\n"
    assert codes(tmp_path, odd, select=["STS006", "STS502"]) == []


def test_the_message_names_the_release_and_the_replacement(tmp_path):
    (tmp_path / "pdb.yaml").write_text(PDB)
    [finding] = check_json("pdb.yaml", cwd=tmp_path, extra=("--isolated",))["findings"]
    assert finding["message"] == ('PodDisruptionBudget "web" uses apiVersion policy/v1beta1, which Kubernetes 1.25 '
                                  "removed (replaced by policy/v1)")


def test_kubernetes_version_limits_sts501_and_sts502_to_earlier_removals(tmp_path):
    (tmp_path / "all.yaml").write_text("---\n".join([sts(api="apps/v1beta2"), service(), PDB]))
    found = {}
    for version in [(), ("--kubernetes-version", "1.25"), ("--kubernetes-version", "v1.24"),
                    ("--kubernetes-version", "1.15")]:
        report = check_json("all.yaml", cwd=tmp_path, extra=("--isolated", "--select", "STS501,STS502", *version))
        found[version] = [code for code, _, _ in triples(report)]
    assert found == {(): ["STS501", "STS502"], ("--kubernetes-version", "1.25"): ["STS501", "STS502"],
                     ("--kubernetes-version", "v1.24"): ["STS501"], ("--kubernetes-version", "1.15"): []}


def test_kubernetes_version_from_the_configuration_and_the_command_line_wins(tmp_path):
    (tmp_path / "pdb.yaml").write_text(PDB)
    (tmp_path / ".stslint.yaml").write_text("kubernetes-version: v1.24\nselect: [STS502]\n")
    assert check_json("pdb.yaml", cwd=tmp_path)["findings"] == []
    assert len(check_json("pdb.yaml", cwd=tmp_path, extra=("--kubernetes-version", "1.30"))["findings"]) == 1


def test_an_invalid_kubernetes_version_exits_2_with_one_line(tmp_path):
    from click.testing import CliRunner

    from stslint.cli import cli

    (tmp_path / "pdb.yaml").write_text(PDB)
    result = CliRunner().invoke(cli, ["check", "--isolated", "--kubernetes-version", "one.29",
                                      str(tmp_path / "pdb.yaml")])
    assert result.exit_code == 2
    assert "--kubernetes-version" in result.stderr
    assert 'must be a Kubernetes release such as 1.29 or v1.29; found "one.29"' in result.stderr
