"""GitLab Code Quality: a JSON array of Code Climate issues with the fields GitLab reads.

``description``, ``check_name``, ``fingerprint`` (line-independent, unique in the run), ``severity``
(error → ``major``, warning → ``minor``), ``location.path`` (repository-relative) and
``location.lines.begin``. UTF-8 without a byte-order mark, which GitLab rejects.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from stslint.reporting import ReportOptions, valid_unicode
from stslint.reporting.fingerprints import fingerprints
from stslint.reporting.locations import repo_path

if TYPE_CHECKING:
    from stslint.engine import RunResult

SEVERITIES = {"error": "major", "warning": "minor"}


def document(result: RunResult) -> list[dict[str, Any]]:
    """The Code Quality report as a list."""
    paths = [repo_path(f.file).path for f in result.findings]
    prints = fingerprints(result.findings, paths)
    return [{
        "description": valid_unicode(f"{finding.code}: {finding.message}"),
        "check_name": finding.code,
        "fingerprint": fingerprint,
        "severity": SEVERITIES.get(result.severity(finding.code), "major"),
        "location": {"path": path, "lines": {"begin": finding.line}},
    } for finding, path, fingerprint in zip(result.findings, paths, prints)]


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print the Code Quality report."""
    json.dump(document(result), out, indent=2, ensure_ascii=False)
    out.write("\n")
