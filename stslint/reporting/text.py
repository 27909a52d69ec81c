"""The default text format: ``path:line:column: CODE [severity] message`` and a summary line."""
from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from stslint.reporting import ReportOptions, plural, safe_text

if TYPE_CHECKING:
    from stslint.engine import RunResult

COLORS = {"error": "\033[31m", "warning": "\033[33m"}
BOLD, RESET = "\033[1m", "\033[0m"


def summary_line(result: RunResult) -> str:
    """``Found N problems (E errors, W warnings) in F files.`` or, naming what was checked,
    ``No problems found in F files (S StatefulSets).``"""
    files = plural(result.files, "file")
    if not result.findings:
        return f"No problems found in {files} ({checked_objects(result)})."
    errors, warnings = result.counts()
    return (f"Found {plural(len(result.findings), 'problem')} ({plural(errors, 'error')}, "
            f"{plural(warnings, 'warning')}) in {files}.")


def checked_objects(result: RunResult) -> str:
    """What a run checked: ``3 StatefulSets``; ``0 StatefulSets, 2 other objects`` when it read
    objects but no StatefulSet (a run over Services and StorageClasses still checks them); ``no
    Kubernetes object`` when it read none (a run that checked nothing)."""
    if not result.objects:
        return "no Kubernetes object"
    if result.statefulsets:
        return plural(result.statefulsets, "StatefulSet")
    return f"0 StatefulSets, {plural(result.objects, 'other object')}"


def finding_line(result: RunResult, index: int, color: bool = False) -> str:
    """One finding as a line of text."""
    finding = result.findings[index]
    severity = result.severity(finding.code)
    location = f"{safe_text(finding.file)}:{finding.line}:{finding.column}:"
    tag = f"[{severity}]"
    if color:
        location = f"{BOLD}{location}{RESET}"
        tag = f"{COLORS.get(severity, '')}{tag}{RESET}"
    return f"{location} {finding.code} {tag} {safe_text(finding.message)}"


def render(result: RunResult, out: TextIO, options: ReportOptions) -> None:
    """Print every finding, then the summary unless quiet."""
    for index in range(len(result.findings)):
        out.write(finding_line(result, index, options.color) + "\n")
    if not options.quiet:
        out.write(summary_line(result) + "\n")
