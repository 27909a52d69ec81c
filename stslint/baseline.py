"""Baselines: adopting stslint on a repository that already has findings.

``check --write-baseline FILE`` records the run's findings by their line-independent fingerprints
(stslint.reporting.fingerprints: code, repository-relative path, object, container and field —
without the occurrence number), with how many findings share each, as sorted JSON with one entry per
line (diff-friendly). ``--baseline FILE`` (configuration ``baseline:``) reports only the findings
beyond it: of the findings sharing a fingerprint, as many as the baseline counts are known (the
first ones in output order), the rest are new. Moving lines or editing other fields keeps every
fingerprint, so an old finding never resurfaces, and a new one fails the gate.

Entries that match nothing any more are stale: ``-v`` lists them, STS005 (when selected) reports each
at its line of the baseline file, and writing the baseline again drops them. Input errors
(STS001-STS004) are never baselined: a file that cannot be read must be fixed.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from stslint.findings import Finding
from stslint.model.nodes import point_span
from stslint.reporting.fingerprints import _digest, identity
from stslint.reporting.locations import repo_path

FORMAT = 1
MAX_BASELINE_SIZE = 64 * 1024 * 1024


class BaselineError(ValueError):
    """A baseline file that cannot be read: missing, too large, not a baseline."""


@dataclass
class Entry:
    """One fingerprint of a baseline: what it identifies, how many findings share it, its line."""

    fingerprint: str
    code: str
    path: str
    object: str
    namespace: str
    container: str
    field: str
    count: int
    line: int = 0

    def record(self) -> dict[str, Any]:
        """The entry as written (its line excepted)."""
        return {"fingerprint": self.fingerprint, "code": self.code, "path": self.path, "object": self.object,
                "namespace": self.namespace, "container": self.container, "field": self.field,
                "count": self.count}


@dataclass
class Baseline:
    """The entries of a baseline file, by fingerprint."""

    entries: dict[str, Entry] = field(default_factory=dict)
    path: str = ""
    display: str = ""


def fingerprint(finding: Finding) -> tuple[str, str]:
    """(fingerprint, repository-relative path) of a finding."""
    path = repo_path(finding.file).path
    return _digest(identity(finding, path)), path


def build(findings: Iterable[Finding]) -> Baseline:
    """The baseline of a run's findings (input errors left out)."""
    baseline = Baseline()
    for finding in findings:
        if finding.is_input_error:
            continue
        key, path = fingerprint(finding)
        entry = baseline.entries.get(key)
        if entry is None:
            baseline.entries[key] = Entry(key, finding.code, path, finding.object or "", finding.namespace or "",
                                          finding.container or "", finding.anchor, 1)
        else:
            entry.count += 1
    return baseline


def dumps(baseline: Baseline) -> str:
    """The baseline file's text: sorted entries, one per line."""
    entries = sorted(baseline.entries.values(), key=lambda e: (e.path, e.object, e.code, e.field, e.container,
                                                              e.namespace, e.fingerprint))
    lines = [json.dumps(entry.record(), ensure_ascii=False, sort_keys=False) for entry in entries]
    body = ",\n    ".join(lines)
    findings = f"[\n    {body}\n  ]" if lines else "[]"
    return f'{{\n  "stslint-baseline": {FORMAT},\n  "findings": {findings}\n}}\n'


def write(baseline: Baseline, path: str) -> None:
    """Write a baseline file (through a temporary file renamed over it). Raises OSError."""
    import tempfile

    directory = os.path.dirname(os.path.abspath(path))
    descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".stslint-baseline.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(dumps(baseline))
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def load(path: str, display: str | None = None) -> Baseline:
    """Read a baseline file. Raises BaselineError with a one-line reason."""
    display = display or path
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BASELINE_SIZE + 1)
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {display}: {exc.strerror or type(exc).__name__}") from None
    if len(raw) > MAX_BASELINE_SIZE:
        raise BaselineError(f"the baseline {display} is larger than {MAX_BASELINE_SIZE} bytes")
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BaselineError(f"the baseline {display} is not JSON: {exc}") from None
    if (not isinstance(data, dict) or data.get("stslint-baseline") != FORMAT
            or not isinstance(data.get("findings"), list)):
        raise BaselineError(f'the baseline {display} is not an stslint baseline (expected "stslint-baseline": '
                            f'{FORMAT} and a "findings" list; write one with --write-baseline)')
    baseline = Baseline(path=path, display=display)
    lines = _entry_lines(text)
    for index, item in enumerate(data["findings"]):
        entry = _entry(item, index, display)
        entry.line = lines.get(entry.fingerprint, 0)
        if entry.fingerprint in baseline.entries:
            baseline.entries[entry.fingerprint].count += entry.count
        else:
            baseline.entries[entry.fingerprint] = entry
    return baseline


_TEXT_KEYS = ("code", "path", "object", "namespace", "container", "field")


def _entry(item: Any, index: int, display: str) -> Entry:
    if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
        raise BaselineError(f'the baseline {display}: findings[{index}] has no "fingerprint"')
    count = item.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise BaselineError(f'the baseline {display}: findings[{index}].count must be a positive integer')
    texts = [item.get(key, "") for key in _TEXT_KEYS]
    if not all(isinstance(text, str) for text in texts):
        raise BaselineError(f"the baseline {display}: findings[{index}] has a non-string field")
    return Entry(item["fingerprint"], *texts, count=count)


def _entry_lines(text: str) -> dict[str, int]:
    """The 1-based line where each fingerprint is written (its first mention)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        start = line.find('"fingerprint"')
        if start < 0:
            continue
        try:
            value = json.loads("{" + line[line.index("{") + 1:].rstrip().rstrip(",").rstrip("}") + "}")
        except (ValueError, IndexError):
            continue
        if isinstance(value, dict) and isinstance(value.get("fingerprint"), str):
            lines.setdefault(value["fingerprint"], number)
    return lines


@dataclass
class Filtered:
    """The findings beyond a baseline, how many it absorbed, and its stale entries (matching
    nothing, or fewer findings than counted)."""

    new: list[Finding]
    known: int
    stale: list[Entry]


def apply(findings: Sequence[Finding], baseline: Baseline) -> Filtered:
    """Split a run's findings by a baseline (see the module)."""
    remaining = {key: entry.count for key, entry in baseline.entries.items()}
    new: list[Finding] = []
    known = 0
    for finding in findings:
        if finding.is_input_error:
            new.append(finding)
            continue
        key, _ = fingerprint(finding)
        if remaining.get(key, 0) > 0:
            remaining[key] -= 1
            known += 1
        else:
            new.append(finding)
    stale = [baseline.entries[key] for key, count in remaining.items() if count == baseline.entries[key].count]
    stale.sort(key=lambda e: (e.line, e.fingerprint))
    return Filtered(new, known, stale)


def stale_findings(stale: Iterable[Entry], baseline: Baseline) -> list[Finding]:
    """STS005 findings for stale baseline entries, each at its line in the baseline file."""
    return [Finding("STS005", f'baseline entry {entry.code} "{entry.field or entry.object}" of {entry.path} matches '
                    "no finding; write the baseline again to drop it", baseline.display,
                    point_span(max(entry.line, 1), 1), source_path=os.path.realpath(baseline.path),
                    anchor=f"baseline.{entry.fingerprint}")
            for entry in stale]
