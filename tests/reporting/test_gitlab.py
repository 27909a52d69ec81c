"""GitLab Code Quality: exactly the documented fields, GitLab's severity vocabulary, repository-relative
paths, no BOM, and well-formed JSON whatever the input holds."""
from __future__ import annotations

import io
import json
import os

from stslint.engine import RunResult
from stslint.findings import Finding
from stslint.reporting import ReportOptions
from stslint.reporting.gitlab import render
from tests.reporting.helpers import PV_DELETE, invoke, make_repo, statefulset

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_documented_fields_severity_and_relative_path(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "k8s").mkdir()
    (repo / "k8s" / "web.yaml").write_text(statefulset() + "---\n" + PV_DELETE.format(name="data"))
    result = invoke("--format", "gitlab", str(repo / "k8s" / "web.yaml"), cwd=tmp_path)
    assert result.exit_code == 1
    issues = json.loads(result.output)
    assert isinstance(issues, list) and len(issues) == 4
    for issue in issues:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["severity"] in SEVERITIES
        assert issue["location"]["path"] == "k8s/web.yaml"
        assert issue["description"].startswith(issue["check_name"] + ": ")
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("STS101", "major", 6), ("STS301", "minor", 14), ("STS302", "minor", 14), ("STS403", "major", 22)]
    assert len({i["fingerprint"] for i in issues}) == 4


def test_a_clean_run_is_an_empty_array(tmp_path):
    (tmp_path / "empty.yaml").write_text("")
    result = invoke("--format", "gitlab", ".", cwd=tmp_path)
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_output_file_has_no_bom(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset("wéb"))
    invoke("--format", "gitlab", "-o", "gl-code-quality-report.json", "web.yaml", cwd=tmp_path)
    data = (tmp_path / "gl-code-quality-report.json").read_bytes()
    assert data.startswith(b"[") and not data.startswith(b"\xef\xbb\xbf")
    assert json.loads(data.decode("utf-8"))[0]["description"].count("wéb") == 1


def test_invalid_utf8_file_name_gives_valid_json(tmp_path):
    with open(os.fsencode(tmp_path) + b"/\xff\xfe.yaml", "wb") as handle:
        handle.write(b"kind: [\n")
    output = invoke("--format", "gitlab", ".", cwd=tmp_path).stdout_bytes
    issues = json.loads(output.decode("utf-8"))
    assert issues[0]["location"]["path"] == "\ufffd\ufffd.yaml"


def test_lone_surrogates_in_values_become_replacement_characters():
    finding = Finding("STS301", "container \"a\udcff\ud800\" has no readinessProbe", "x\udcfe.yaml",
                      (1, 1, 1, 2), object="StatefulSet/a\ud800", container="a\udcff\ud800")
    out = io.StringIO()
    render(RunResult([finding], 1, 1), out, ReportOptions())
    issue = json.loads(out.getvalue().encode("utf-8").decode("utf-8"))[0]
    assert issue["description"] == "STS301: container \"a\ufffd\ufffd\" has no readinessProbe"
    assert issue["location"]["path"] == "x\ufffd.yaml"
