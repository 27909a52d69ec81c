"""SARIF: valid against the official OASIS 2.1.0 errata01 schema, and shaped as GitHub code scanning
reads it (driver rules, ruleIndex, repository-relative URIs with base ids, regions, fingerprints)."""
from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest

from stslint import __version__
from stslint.engine import RunResult
from stslint.findings import Finding
from stslint.reporting import ReportOptions
from stslint.reporting.sarif import render
from stslint.rules import RULES
from tests.conftest import FIXTURES, ROOT
from tests.reporting.helpers import PV_DELETE, invoke, make_repo, statefulset

SCHEMA_DIR = ROOT / "tests" / "data" / "sarif"
SCHEMA_FILE = SCHEMA_DIR / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def sarif(*args: str, cwd: str | os.PathLike[str] | None = None) -> dict:
    result = invoke("--format", "sarif", *args, cwd=cwd)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def assert_valid(validator: jsonschema.Draft4Validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


def test_vendored_schema_matches_its_checksum_and_is_errata01():
    expected = (SCHEMA_DIR / "sarif-schema-2.1.0.json.sha256").read_text().split()[0]
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == expected
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert schema["id"].endswith("/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")


def test_the_schema_rejects_what_it_must(validator):
    assert list(validator.iter_errors({"version": "2.0", "runs": []}))


def test_every_fixture_validates(validator, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [\n")
    log = sarif(str(FIXTURES), str(broken))
    assert_valid(validator, log)
    assert len(log["runs"][0]["results"]) > 15


def test_a_clean_run_validates(validator):
    log = sarif(str(FIXTURES / "example-app"))
    assert_valid(validator, log)
    assert log["runs"][0]["results"] == []


def test_driver_lists_every_rule_with_help_and_level():
    log = sarif(str(FIXTURES / "example-app"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("stslint", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == sorted(RULES)
    for descriptor in driver["rules"]:
        rule = RULES[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["defaultConfiguration"] == {"level": rule.severity}
        assert 0 < len(descriptor["shortDescription"]["text"]) <= 1024
        assert descriptor["fullDescription"]["text"]
        assert descriptor["help"]["text"] and f"**{rule.code} {rule.name}**" in descriptor["help"]["markdown"]
        assert "kubernetes" in descriptor["properties"]["tags"]


def test_results_point_at_their_rule_region_and_base(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "k8s").mkdir()
    (repo / "k8s" / "pv.yaml").write_text(PV_DELETE.format(name="data"))
    (repo / "k8s" / "web.yaml").write_text(statefulset())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = sarif(str(repo / "k8s"), cwd=elsewhere)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    summary = [(r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]) for r in run["results"]]
    region = {"startLine": 6, "startColumn": 3, "endLine": 6, "endColumn": 14}
    assert summary[:2] == [("STS403", "error", "k8s/pv.yaml", {**region, "endColumn": 32}),
                           ("STS101", "error", "k8s/web.yaml", region)]
    assert summary[2][:3] == ("STS301", "warning", "k8s/web.yaml")
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
        assert result["partialFingerprints"]["primaryLocationLineHash"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.as_uri() + "/"}}


def test_without_a_repository_uris_are_relative_to_the_current_directory(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "web.yaml").write_text(statefulset())
    if any((parent / ".git").exists() for parent in tmp_path.parents):
        pytest.skip("the temporary directory is inside a git checkout")
    run = sarif("sub/web.yaml", cwd=tmp_path)["runs"][0]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"sub/web.yaml"}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == Path(os.path.realpath(tmp_path)).as_uri() + "/"


def test_uris_are_percent_encoded(tmp_path):
    make_repo(tmp_path)
    (tmp_path / "a b:c%.yaml").write_text(statefulset())
    run = sarif(".", cwd=tmp_path)["runs"][0]
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b%3Ac%25.yaml"


def test_files_in_two_repositories_get_two_base_ids(tmp_path, validator):
    for name in ("one", "two"):
        make_repo(tmp_path / name)
        (tmp_path / name / "pv.yaml").write_text(PV_DELETE.format(name=name))
    log = sarif("one/pv.yaml", "two/pv.yaml", cwd=tmp_path)
    assert_valid(validator, log)
    run = log["runs"][0]
    bases = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] for r in run["results"]]
    assert bases == ["%SRCROOT%", "%SRCROOT2%"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": (tmp_path / "one").as_uri() + "/"},
                                         "%SRCROOT2%": {"uri": (tmp_path / "two").as_uri() + "/"}}


def test_invalid_utf8_file_names_and_control_characters_stay_valid(tmp_path, validator):
    make_repo(tmp_path)
    name = os.fsencode(tmp_path) + b"/bad-\xff\xfe-\x1b[31m.yaml"
    with open(name, "wb") as handle:
        handle.write(statefulset('"evil\\x1b[2J\\u202e\\x00"').encode())
    result = invoke("--format", "sarif", ".", cwd=tmp_path)
    log = json.loads(result.output)
    assert_valid(validator, log)
    json.dumps(log).encode("utf-8")  # no lone surrogates anywhere
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "bad-%EF%BF%BD%EF%BF%BD-%1B%5B31m.yaml"


def test_lone_surrogates_in_any_value_become_replacement_characters(validator):
    finding = Finding("STS301", "container \"a\ud800\" has no readinessProbe", "x\udcff.yaml", (3, 1, 3, 9),
                      object="StatefulSet/a\ud800", container="a\ud800")
    out = io.StringIO()
    render(RunResult([finding], 1, 1), out, ReportOptions(version=__version__))
    log = json.loads(out.getvalue().encode("utf-8"))
    assert_valid(validator, log)
    result = log["runs"][0]["results"][0]
    assert result["message"]["text"] == "container \"a\ufffd\" has no readinessProbe"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "x%EF%BF%BD.yaml"


def test_related_locations_and_warnings_validate_and_are_where_github_reads_them(validator, tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "sts.yaml").write_text(
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: db\n"
        "  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n"
        "    spec:\n      containers:\n      - name: db  # stslint: disable-line=NOPE999\n"
        "        readinessProbe: {exec: {command: [a]}}\n        livenessProbe: {exec: {command: [a]}, failureThreshold: 6}\n")
    (tmp_path / "svc.yaml").write_text("apiVersion: v1\nkind: Service\nmetadata: {name: db}\n"
                                       "spec:\n  type: NodePort\n  selector: {app: db}\n")
    log = json.loads(invoke("--format", "sarif", "sts.yaml", "svc.yaml", cwd=tmp_path).stdout)
    assert_valid(validator, log)
    run = log["runs"][0]
    [result] = run["results"]
    assert result["ruleId"] == "STS103"
    [related] = result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "svc.yaml"
    assert related["physicalLocation"]["region"]["startLine"] == 5
    assert related["message"]["text"] == 'Service "db" is not headless here'
    [notification] = run["invocations"][0]["toolExecutionNotifications"]
    assert "NOPE999" in notification["message"]["text"]
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 11}
