"""Findings as LSP data: diagnostics with related information, code actions (fixes and suppression
comments) and hover text. Every range is computed from the findings' code-point offsets through
:class:`~stslint.server.positions.LspText`, in the client's position encoding."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from lsprotocol import types

from stslint.findings import Edit, Finding
from stslint.loading.source_text import LINE_BREAK, SourceText
from stslint.rules import RuleSet
from stslint.server.positions import LspText

SOURCE = "stslint"
REASON_PLACEHOLDER = "TODO: reason"
"""What a suppression comment inserted by a code action says after `` -- ``, for the user to replace."""

SEVERITIES = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
              "info": types.DiagnosticSeverity.Information}

TextOf = Callable[[str], "tuple[str, str] | None"]
"""Given a file (a path or URI as findings name it), its URI and text (None: unknown)."""

_LINE_DIRECTIVE = re.compile(r"#\s*(?ai:stslint):\s*(?ai:disable-line|disable)=(?P<codes>[^\s#]*)")


def lsp_range(table: LspText, start: int, end: int) -> types.Range:
    """The LSP range of code-point offsets ``[start, end)``."""
    first = table.position(start)
    last = table.position(max(end, start))
    return types.Range(types.Position(*first), types.Position(*last))


def rule_doc_uri(code: str, rules: RuleSet) -> str | None:
    """A ``file:`` URI of the rule's documentation file, when it is one on disk (built-in rules)."""
    rule = rules.get(code)
    if rule is None or rule.doc is not None:
        return None
    return _doc_file_uri(code, rule.name)


@lru_cache(maxsize=None)
def _doc_file_uri(code: str, name: str) -> str | None:
    from stslint.package_data import data_dir

    entry = data_dir("rules") / f"{code}-{name}.yaml"
    return entry.as_uri() if isinstance(entry, Path) and entry.is_file() else None


def diagnostic(finding: Finding, table: LspText, severity: str, rules: RuleSet, text_of: TextOf,
               encoding: str) -> types.Diagnostic:
    """The diagnostic of one finding of the buffer ``table`` is the text of."""
    related = []
    for item in finding.related:
        found = text_of(item.source_path or item.file)
        if found is None:
            continue
        uri, text = found
        other = table if text is table.text else LspText(text, encoding)
        related.append(types.DiagnosticRelatedInformation(
            types.Location(uri, lsp_range(other, item.span[4], item.span[5])), item.message))
    rule = rules.get(finding.code)
    href = rule_doc_uri(finding.code, rules)
    return types.Diagnostic(
        range=lsp_range(table, finding.start, finding.end),
        message=finding.message,
        severity=SEVERITIES.get(severity, types.DiagnosticSeverity.Information),
        code=finding.code,
        code_description=types.CodeDescription(href) if href else None,
        source=SOURCE,
        related_information=related or None,
        data={"rule": rule.name if rule is not None else finding.code, "fixable": finding.fix is not None},
    )


def hover_text(codes: Iterable[str], rules: RuleSet) -> str:
    """Markdown explaining each rule (what ``stslint explain`` says)."""
    from stslint.catalog import explain

    parts = []
    for code in dict.fromkeys(codes):
        try:
            doc = explain(code, rules)
        except LookupError:
            continue
        section = [f"**{doc['code']} {doc['name']}** ({doc['severity']})", "", str(doc["summary"]).strip()]
        for title, key in (("Why it matters", "rationale"), ("How to fix it", "remediation")):
            if doc.get(key):
                section += ["", f"*{title}*", "", str(doc[key]).strip()]
        for label in ("bad", "good"):
            example = (doc.get("examples") or {}).get(label)
            if example:
                section += ["", f"*Example ({label})*", "", "```yaml", str(example).rstrip(), "```"]
        parts.append("\n".join(section))
    return "\n\n---\n\n".join(parts)


def _line_break(text: str) -> str:
    """The text's first line break (what an inserted line ends with), LF when it has none."""
    found = LINE_BREAK.search(text)
    return found.group() if found else "\n"


def suppress_line_edit(text: str, finding: Finding) -> tuple[int, int, str]:
    """The edit that suppresses the finding on its line (offsets, replacement): its code added to a
    ``disable-line`` directive already there, else a ``disable-line`` comment at the end of the line;
    a line that holds a ``#`` already (a comment, which a directive must come first in, or text)
    gets a ``disable-next-line`` comment on a new line above it instead, indented as it is."""
    source = SourceText(text)
    start, end = source.line_start(finding.line), source.line_end(finding.line)
    line = text[start:end]
    existing = _LINE_DIRECTIVE.search(line)
    if existing is not None:
        at = start + existing.end("codes")
        return at, at, f",{finding.code}" if existing.group("codes") else finding.code
    if "#" in line:
        indent = line[:len(line) - len(line.lstrip(" "))]
        directive = f"{indent}# stslint: disable-next-line={finding.code} -- {REASON_PLACEHOLDER}"
        return start, start, directive + _line_break(text)
    at = start + len(line.rstrip(" \t"))
    return at, end, f"  # stslint: disable-line={finding.code} -- {REASON_PLACEHOLDER}"


def suppress_file_edit(text: str, finding: Finding) -> tuple[int, int, str]:
    """The edit that puts a ``disable-file`` comment for the finding's code on a new first line."""
    return 0, 0, f"# stslint: disable-file={finding.code} -- {REASON_PLACEHOLDER}{_line_break(text)}"


def is_json_stream(text: str) -> bool:
    """Whether the text is read as JSON (starts with ``{``): comments cannot go there."""
    return text.lstrip(" \t\r\n\ufeff").startswith("{")


def _text_edit(table: LspText, start: int, end: int, replacement: str) -> types.TextEdit:
    return types.TextEdit(lsp_range(table, start, end), replacement)


def code_actions(uri: str, text: str, findings: list[Finding], diagnostics: dict[str, types.Diagnostic],
                 encoding: str, text_of: TextOf, buffer_key: str) -> list[types.CodeAction]:
    """Quick fixes for the findings (the fix each carries, safe ones preferred; suppression comments
    for the line and for the file)."""
    table = LspText(text, encoding)
    actions: list[types.CodeAction] = []
    suppress: list[types.CodeAction] = []
    seen_file: set[str] = set()
    for finding in findings:
        found = diagnostics.get(_key(finding))
        attached = [found] if found is not None else None
        if finding.fix is not None:
            edit = _workspace_edit(finding.fix.edits, uri, table, encoding, text_of, buffer_key)
            if edit is not None:
                safe = finding.fix.applicability == "safe"
                title = finding.fix.title if safe else f"{finding.fix.title} (unsafe fix)"
                actions.append(types.CodeAction(title=f"{title} ({finding.code})", kind=types.CodeActionKind.QuickFix,
                                                diagnostics=attached, is_preferred=safe or None, edit=edit))
        if finding.is_input_error or is_json_stream(text):
            continue
        start, end, replacement = suppress_line_edit(text, finding)
        suppress.append(types.CodeAction(
            title=f"Suppress {finding.code} on this line", kind=types.CodeActionKind.QuickFix, diagnostics=attached,
            edit=types.WorkspaceEdit(changes={uri: [_text_edit(table, start, end, replacement)]})))
        if finding.code not in seen_file:
            seen_file.add(finding.code)
            start, end, replacement = suppress_file_edit(text, finding)
            suppress.append(types.CodeAction(
                title=f"Suppress {finding.code} in this file", kind=types.CodeActionKind.QuickFix,
                diagnostics=attached,
                edit=types.WorkspaceEdit(changes={uri: [_text_edit(table, start, end, replacement)]})))
    return actions + suppress


def _key(finding: Finding) -> str:
    return f"{finding.code}:{finding.start}:{finding.end}:{finding.message}"


def diagnostic_key(finding: Finding) -> str:
    """What pairs a finding with its diagnostic."""
    return _key(finding)


def _workspace_edit(edits: Iterable[Edit], uri: str, table: LspText, encoding: str, text_of: TextOf,
                    buffer_key: str) -> types.WorkspaceEdit | None:
    """The fix's edits, file by file; None when a file it edits cannot be read."""
    changes: dict[str, list[types.TextEdit]] = {}
    for edit in edits:
        name = edit.source_path or edit.file
        if name in (uri, buffer_key) or edit.file == uri:
            target, target_table = uri, table
        else:
            found = text_of(name)
            if found is None:
                return None
            target, text = found
            target_table = LspText(text, encoding)
        changes.setdefault(target, []).append(_text_edit(target_table, edit.start, edit.end, edit.replacement))
    return types.WorkspaceEdit(changes=changes) if changes else None


def config_diagnostics(error: Any, warnings: list[tuple[str, int, str]], text: str | None,
                       encoding: str) -> list[types.Diagnostic]:
    """The diagnostics of a configuration file: its error (the defaults apply meanwhile) and its
    warnings, on their lines (the first line when the line is unknown)."""
    table = LspText(text or "", encoding)
    source = SourceText(text or "")
    found = []

    def line_range(line: int | None) -> types.Range:
        number = line if line and line > 0 else 1
        return lsp_range(table, source.line_start(number), source.line_end(number))

    if error is not None:
        found.append(types.Diagnostic(range=line_range(error.line), severity=types.DiagnosticSeverity.Error,
                                      source=SOURCE, message=f"{error.message} (the default settings apply "
                                                             "until it is fixed)"))
    for _, line, message in warnings:
        found.append(types.Diagnostic(range=line_range(line), severity=types.DiagnosticSeverity.Warning,
                                      source=SOURCE, message=message))
    return found
