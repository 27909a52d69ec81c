"""JUnit XML: parsed back with an XML parser; one suite per file, unique case names, a passing case
per clean file, and a well-formed document whatever bytes the input has."""
from __future__ import annotations

import io
import os
import xml.etree.ElementTree as ET

from stslint.engine import RunResult
from stslint.findings import Finding
from stslint.reporting import ReportOptions
from stslint.reporting.junit import render
from tests.conftest import FIXTURES
from tests.reporting.helpers import invoke, statefulset


def junit(*args: str, cwd=None) -> ET.Element:
    result = invoke("--format", "junit", *args, cwd=cwd)
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(result.stdout_bytes)


def test_one_suite_per_file_with_a_case_per_finding_and_a_passing_case_per_clean_file(tmp_path):
    (tmp_path / "web.yaml").write_text(statefulset())
    (tmp_path / "clean.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n")
    (tmp_path / "broken.yaml").write_text("kind: [\n")
    root = junit("web.yaml", "clean.yaml", "broken.yaml", cwd=tmp_path)
    assert (root.tag, root.get("name"), root.get("tests"), root.get("failures"), root.get("errors")) == (
        "testsuites", "stslint", "5", "4", "0")
    suites = root.findall("testsuite")
    assert [(s.get("name"), s.get("tests"), s.get("failures")) for s in suites] == [
        ("web.yaml", "3", "3"), ("clean.yaml", "1", "0"), ("broken.yaml", "1", "1")]
    web = suites[0].findall("testcase")
    assert [(c.get("name"), c.get("classname"), c.get("file")) for c in web] == [
        ("STS101 web.yaml:6:3", "web.yaml", "web.yaml"), ("STS301 web.yaml:14:11", "web.yaml", "web.yaml"),
        ("STS302 web.yaml:14:11", "web.yaml", "web.yaml")]
    failure = web[0].find("failure")
    assert failure.get("type") == "STS101" and failure.get("message").startswith('StatefulSet "web": spec.serviceName')
    assert failure.text.startswith("web.yaml:6:3: STS101 [error] StatefulSet")
    clean = suites[1].findall("testcase")
    assert [(c.get("name"), c.get("classname"), list(c)) for c in clean] == [("clean.yaml", "clean.yaml", [])]
    broken = suites[2].find("testcase")
    assert broken.get("name") == "STS001 broken.yaml:2:1" and broken.find("failure").get("type") == "STS001"


def test_case_names_are_unique_across_the_report():
    root = junit(str(FIXTURES))
    names = [case.get("name") for case in root.iter("testcase")]
    assert len(names) == len(set(names)) > 40


def test_equal_positions_get_numbered_names():
    twice = [Finding("STS002", "duplicate key a", "x.yaml", (2, 1, 2, 2)),
             Finding("STS002", "duplicate key b", "x.yaml", (2, 1, 2, 2))]
    out = io.StringIO()
    render(RunResult(twice, 1, 0, file_names=["x.yaml"]), out, ReportOptions())
    names = [case.get("name") for case in ET.fromstring(out.getvalue()).iter("testcase")]
    assert names == ["STS002 x.yaml:2:1", "STS002 x.yaml:2:1 (2)"]


def test_a_run_without_files_is_still_a_valid_document(tmp_path):
    root = junit(".", cwd=tmp_path)
    assert (root.tag, root.get("tests"), root.get("failures"), list(root)) == ("testsuites", "0", "0", [])


def test_xml_forbidden_characters_and_invalid_utf8_names_stay_well_formed(tmp_path):
    with open(os.fsencode(tmp_path) + b"/bad-\xff-\x01.yaml", "wb") as handle:
        handle.write(statefulset('"db\\x01\\x1b\\ufffe\\x0c]]>&<"').encode())
    root = junit(".", cwd=tmp_path)
    suite = root.find("testsuite")
    assert suite.get("name") == "bad-\ufffd-\\x01.yaml"
    message = suite.find("testcase/failure").get("message")
    assert message.startswith('StatefulSet "db\\x01\\x1b\\ufffe\\x0c]]>&<"')


def test_lone_surrogates_and_controls_in_any_value_are_made_well_formed():
    finding = Finding("STS301", "container \"a\ud800\x00\" has no probe", "x\udcff\x1f.yaml", (1, 1, 1, 2),
                      object="StatefulSet/a", container="a")
    out = io.StringIO()
    render(RunResult([finding], 1, 1, file_names=["x\udcff\x1f.yaml"]), out, ReportOptions())
    root = ET.fromstring(out.getvalue().encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case.get("classname") == "x\ufffd\\x1f.yaml"
    assert case.find("failure").get("message") == 'container "a\ufffd\\x00" has no probe'
