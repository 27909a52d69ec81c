"""The JSON format: findings, summary and version in one document (a tested contract)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from stslint.reporting import ReportOptions, valid_unicode
from stslint.rules import RULES

if TYPE_CHECKING:
    from stslint.engine import RunResult
    from stslint.findings import Finding


def _clean(text: str | None) -> str | None:
    """Strings that JSON can always carry (undecodable file-name bytes become U+FFFD)."""
    return None if text is None else valid_unicode(text)


def finding_dict(result: RunResult, finding: Finding) -> dict[str, Any]:
    """The JSON object of one finding."""
    input_error = finding.is_input_error
    return {
        "code": finding.code,
        "name": RULES[finding.code].name,
        "severity": result.severity(finding.code),
        "message": _clean(finding.message),
        "file": _clean(finding.file),
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "kind": None if input_error else finding.kind,
        "namespace": None if input_error else finding.namespace,
        "object": None if input_error else _clean(finding.object),
        "container": _clean(finding.container),
        "fixable": False,
    }


def document(result: RunResult, version: str) -> dict[str, Any]:
    """The whole JSON report as a dict."""
    errors, warnings = result.counts()
    return {
        "version": version,
        "findings": [finding_dict(result, f) for f in result.findings],
        "summary": {"files": result.files, "objects": result.objects, "errors": errors, "warnings": warnings},
    }


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print the report as one JSON document."""
    json.dump(document(result, options.version), out, indent=2, ensure_ascii=False)
    out.write("\n")
