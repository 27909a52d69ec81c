"""The JSON format: findings, summary, warnings and version in one document (a tested contract).

Each finding carries its ``related`` locations (``[{file, line, column, end_line, end_column,
message}]``) and its ``fix`` (``{title, applicability, edits: [{file, start, end, replacement}]}``,
offsets being code-point indexes into the file's decoded text) or null; ``warnings`` lists the
suppression directives and annotations that were ignored, and what the run could not check (a path
that gave no manifest, context that could not be loaded, a shadowed configuration file), as
``[{file, line, message}]`` (line 0 for a warning about a whole file or directory).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from stslint.reporting import ReportOptions, valid_unicode

if TYPE_CHECKING:
    from stslint.engine import RunResult
    from stslint.findings import Finding, Fix, Related


def _clean(text: str | None) -> str | None:
    """Strings that JSON can always carry (undecodable file-name bytes become U+FFFD)."""
    return None if text is None else valid_unicode(text)


def fixable(result: RunResult, finding: Finding) -> bool:
    """Whether ``stslint fix`` would change the finding (every edit of its fix in a file of the run)."""
    if finding.fix is None:
        return False
    checked = getattr(result, "_checked_keys", None)
    if checked is None:
        checked = set(result.file_keys)
        try:
            result._checked_keys = checked  # type: ignore[attr-defined]
        except AttributeError:
            pass
    return all((edit.source_path or edit.file) in checked for edit in finding.fix.edits)


def finding_dict(result: RunResult, finding: Finding) -> dict[str, Any]:
    """The JSON object of one finding."""
    input_error = finding.is_input_error
    return {
        "code": finding.code,
        "name": result.rules[finding.code].name,
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
        "fixable": fixable(result, finding),
        "related": [related_dict(related) for related in finding.related],
        "fix": fix_dict(finding.fix),
    }


def related_dict(related: Related) -> dict[str, Any]:
    """The JSON object of a related location."""
    line, column, end_line, end_column = related.span[:4]
    return {"file": _clean(related.file), "line": line, "column": column, "end_line": end_line,
            "end_column": end_column, "message": _clean(related.message)}


def fix_dict(fix: Fix | None) -> dict[str, Any] | None:
    """The JSON object of a fix (None when there is none)."""
    if fix is None:
        return None
    return {"title": _clean(fix.title), "applicability": fix.applicability,
            "edits": [{"file": _clean(edit.file), "start": edit.start, "end": edit.end,
                       "replacement": _clean(edit.replacement)} for edit in fix.edits]}


def document(result: RunResult, version: str) -> dict[str, Any]:
    """The whole JSON report as a dict."""
    errors, warnings = result.counts()
    return {
        "version": version,
        "findings": [finding_dict(result, f) for f in result.findings],
        "summary": {"files": result.files, "objects": result.objects, "statefulsets": result.statefulsets,
                    "errors": errors, "warnings": warnings},
        "warnings": [{"file": _clean(file), "line": line, "message": _clean(message)}
                     for file, line, message in result.warnings],
    }


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print the report as one JSON document."""
    json.dump(document(result, options.version), out, indent=2, ensure_ascii=False)
    out.write("\n")
