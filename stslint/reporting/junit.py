"""JUnit XML as Jenkins and GitLab read it.

One ``testsuite`` per file read, in the order read. A finding is a ``testcase`` named
``CODE path:line:column`` (unique: GitLab keeps only the first of equal names) whose ``failure``
carries the message and location; a clean file is one passing testcase named after its path, so
dashboards show what was checked. ``classname`` and ``file`` are the file path. Every value passes
through :func:`xml_text`, so the document is well-formed whatever the manifest or file name holds.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from stslint.reporting import ReportOptions, xml_text

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from stslint.engine import RunResult
    from stslint.findings import Finding


def _file_order(result: RunResult) -> dict[str, str]:
    """Every file of the run once, by what identifies it, in the order read (any file only a finding
    names comes last), with the name it is shown by (two files may show alike; they stay two)."""
    keys = result.file_keys if len(result.file_keys) == len(result.file_names) else result.file_names
    ordered = dict(zip(keys, result.file_names))
    for finding in result.findings:
        ordered.setdefault(finding.file_key, finding.file)
    return ordered


def _case_name(finding: Finding, used: set[str]) -> str:
    """``CODE path:line:column``, numbered ``(2)``, ``(3)``... when a name repeats within its file."""
    base = xml_text(f"{finding.code} {finding.file}:{finding.line}:{finding.column}")
    name, number = base, 1
    while name in used:
        number += 1
        name = f"{base} ({number})"
    used.add(name)
    return name


def document(result: RunResult) -> Element:
    """The ``testsuites`` element of the report."""
    from xml.etree.ElementTree import Element, SubElement

    by_file: dict[str, list[Finding]] = {}
    for finding in result.findings:
        by_file.setdefault(finding.file_key, []).append(finding)
    total_cases = 0
    root = Element("testsuites", name="stslint")
    for key, file in _file_order(result).items():
        findings = by_file.get(key, [])
        path = xml_text(file)
        suite = SubElement(root, "testsuite", name=path, tests=str(max(1, len(findings))),
                           failures=str(len(findings)), errors="0", skipped="0")
        total_cases += max(1, len(findings))
        if not findings:
            SubElement(suite, "testcase", name=path, classname=path, file=path)
            continue
        used: set[str] = set()
        for finding in findings:
            case = SubElement(suite, "testcase", name=_case_name(finding, used), classname=path,
                              file=path, line=str(finding.line))
            failure = SubElement(case, "failure", message=xml_text(finding.message), type=finding.code)
            failure.text = xml_text(f"{finding.file}:{finding.line}:{finding.column}: {finding.code} "
                                    f"[{result.severity(finding.code)}] {finding.message}")
    root.set("tests", str(total_cases))
    root.set("failures", str(len(result.findings)))
    root.set("errors", "0")
    return root


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print the JUnit XML document (a valid one even when nothing was read)."""
    from xml.etree.ElementTree import indent, tostring

    root = document(result)
    indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(tostring(root, encoding="unicode"))
    out.write("\n")
