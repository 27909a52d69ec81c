"""SARIF 2.1.0 as GitHub code scanning ingests it.

One run; ``tool.driver`` lists every rule of the run's rule set with its documentation (read from
``rules/*.yaml`` only here); each result has ``ruleId``/``ruleIndex``, a level, a
repository-relative ``artifactLocation`` with a ``uriBaseId`` defined in ``originalUriBaseIds``, a
region, ``relatedLocations`` for the other places it involves, and a line-independent
``partialFingerprints.primaryLocationLineHash``. Ignored suppression directives are
``invocations[].toolExecutionNotifications``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from stslint.reporting import ReportOptions, valid_unicode
from stslint.reporting.fingerprints import fingerprints
from stslint.reporting.locations import STDIN_NAME, RepoPath, repo_path

if TYPE_CHECKING:
    from stslint.engine import RunResult
    from stslint.findings import Finding
    from stslint.model.nodes import Span
    from stslint.rules import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/stslint/stslint"
ROOT_BASE_ID = "%SRCROOT%"
FAMILY_TAGS = {"STS0": "input", "STS1": "governing-service", "STS2": "selectors", "STS3": "probes",
               "STS4": "storage", "STS5": "api-versions"}


def _text(text: Any) -> str:
    return valid_unicode(str(text or "").strip())


def _unwrapped(text: Any) -> str:
    """Plain text with the hard line wraps of the rule files joined (paragraphs and list items kept)."""
    paragraphs = []
    for paragraph in _text(text).split("\n\n"):
        lines: list[str] = []
        for line in paragraph.splitlines():
            if lines and not line.lstrip().startswith(("- ", "* ")):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.rstrip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _help_markdown(rule: Rule, doc: dict[str, Any]) -> str:
    """The rule's documentation as Markdown: summary, why, how to fix, bad and good examples."""
    code = rule.code
    parts = [f"**{code} {rule.name}** ({rule.severity})", _text(doc.get("summary")),
             "## Why it matters", _text(doc.get("rationale")), "## How to fix it", _text(doc.get("remediation"))]
    examples = doc.get("examples") or {}
    for label in ("bad", "good"):
        if examples.get(label):
            parts += [f"## Example ({label})", f"```yaml\n{_text(examples[label])}\n```"]
    parts.append(f"Run `stslint explain {code}` for this text in a terminal.")
    return "\n\n".join(part for part in parts if part)


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """The ``reportingDescriptor`` of a rule."""
    from stslint.catalog import documentation

    code = rule.code
    doc = documentation(rule)
    summary = _unwrapped(doc.get("summary")) or rule.name
    rationale = _unwrapped(doc.get("rationale"))
    help_text = "\n\n".join(part for part in (summary, rationale,
                                               "How to fix it: " + _unwrapped(doc.get("remediation"))) if part)
    family = "policy" if rule.doc is not None else FAMILY_TAGS.get(code[:4], "other")  # doc: a user policy's
    tags = ["kubernetes", "statefulset", family]
    return {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": summary[:1024]},
        "fullDescription": {"text": rationale or summary},
        "help": {"text": help_text, "markdown": _help_markdown(rule, doc)},
        "defaultConfiguration": {"level": rule.severity},
        "properties": {"tags": tags, "precision": "very-high", "problem.severity": rule.severity},
    }


def _uri(path: str) -> str:
    """A relative URI reference for a ``/``-separated path (``:`` and spaces percent-encoded)."""
    return path if path == STDIN_NAME else quote(path, safe="/")


def _root_uri(root: str) -> str:
    uri = Path(root).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def _region(span: Span) -> dict[str, int]:
    line, column, end_line, end_column = (max(1, value) for value in span[:4])
    end_line = max(end_line, line)
    if end_line == line:
        end_column = max(end_column, column)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _base_ids(locations: list[RepoPath]) -> dict[str, str]:
    """A uriBaseId per repository root, in order of first use: %SRCROOT%, then %SRCROOT2%..."""
    ids: dict[str, str] = {}
    for location in locations:
        if location.root not in ids:
            ids[location.root] = ROOT_BASE_ID if not ids else f"%SRCROOT{len(ids) + 1}%"
    return ids


def _physical(location: RepoPath, span: Span, base_ids: dict[str, str]) -> dict[str, Any]:
    return {"artifactLocation": {"uri": _uri(location.path), "uriBaseId": base_ids[location.root]},
            "region": _region(span)}


def document(result: RunResult, version: str) -> dict[str, Any]:
    """The whole SARIF log as a dict."""
    codes = list(result.rules)
    rule_index = {code: index for index, code in enumerate(codes)}
    locations = [repo_path(f.file) for f in result.findings]
    related = {file: repo_path(file) for f in result.findings for file in [r.file for r in f.related]}
    warned = {file: repo_path(file) for file, _, _ in result.warnings}
    prints = fingerprints(result.findings, [loc.path for loc in locations])
    base_ids = _base_ids([*locations, *related.values(), *warned.values()])
    results = []
    for finding, location, fingerprint in zip(result.findings, locations, prints):
        entry: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": rule_index[finding.code],
            "level": result.severity(finding.code),
            "message": {"text": valid_unicode(finding.message)},
            "locations": [{"physicalLocation": _physical(location, finding.span, base_ids)}],
            "partialFingerprints": {"primaryLocationLineHash": fingerprint},
        }
        if finding.related:
            entry["relatedLocations"] = [
                {"id": number, "physicalLocation": _physical(related[item.file], item.span, base_ids),
                 "message": {"text": valid_unicode(item.message)}}
                for number, item in enumerate(finding.related, 1)]
        results.append(entry)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "stslint",
            "version": version,
            "semanticVersion": version,
            "informationUri": INFORMATION_URI,
            "rules": [rule_descriptor(result.rules[code]) for code in codes],
        }},
        "originalUriBaseIds": {base: {"uri": _root_uri(root)} for root, base in base_ids.items()}
        or {ROOT_BASE_ID: {"uri": _root_uri(str(Path.cwd()))}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if result.warnings:
        run["invocations"] = [{"executionSuccessful": True, "toolExecutionNotifications": [
            {"level": "warning", "message": {"text": valid_unicode(message)},
             "locations": [{"physicalLocation": {
                 "artifactLocation": {"uri": _uri(warned[file].path), "uriBaseId": base_ids[warned[file].root]},
                 **({"region": {"startLine": line}} if line > 0 else {})}}]}  # line 0: the whole file or directory
            for file, line, message in result.warnings]}]
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print the SARIF log."""
    json.dump(document(result, options.version), out, indent=2, ensure_ascii=False)
    out.write("\n")
