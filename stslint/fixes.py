"""Applying fixes: offset edits against a file's one source text, written back byte for byte.

An edit replaces ``[start, end)`` — code-point offsets into the decoded text, BOM excluded — so
applying edits touches nothing else: the line breaks, comments, quoting and indentation around them
stay as written, and writing restores the file's encoding and BOM.

:func:`fix_sources` is what ``stslint fix`` runs, as ``ruff check --fix`` does: each pass lints the
files, applies every fix it may (safe ones; unsafe ones too when asked) whose edits overlap no edit
already taken in that pass, checks that each changed file reads back with the check loader exactly
as intended (the edited values, nothing else), and lints again — at most :data:`MAX_PASSES` times.
A fix is applied whole or not at all: one that edits a file that is not being fixed (a context file,
a file that failed to load, a file other than standard input when that is the input, a file whose
real path lies outside the repository or the walked directory) is not applied, and the reason is
kept. :func:`write_fixed` writes a file through a temporary file in its own directory, renamed over
it, with its permissions: a crash leaves each file either old or new.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from stslint.findings import Edit, Finding, Fix
from stslint.loading.source_text import SourceText

if TYPE_CHECKING:
    from stslint.context import Context
    from stslint.engine import RunResult
    from stslint.loading import FileResult
    from stslint.loading.discover import Source
    from stslint.settings import Settings

MAX_PASSES = 10
"""Passes of fix-then-lint, as ruff makes at most (a fix that keeps re-offering itself ends there)."""

UNSAFE_REASONS = {
    "STS501": "the live object's stored selector may differ from the template labels the fix selects by, and "
              "apps/v1beta1's OnDelete update strategy is kept explicit",
    "STS201": "spec.selector is immutable on a live StatefulSet: applying the change needs the StatefulSet "
              "deleted (with --cascade=orphan) and recreated",
    "STS402": "StorageClass parameters are immutable: the StorageClass must be deleted and recreated",
    "STS404": "volumeClaimTemplates are immutable: the StatefulSet must be deleted (with --cascade=orphan) and "
              "recreated, and existing claims keep their class",
    "STS103": "spec.clusterIP is immutable: the Service must be deleted and recreated",
}
"""Why each code's unsafe fix is unsafe (shown in ``fix --diff`` headers and ``explain``)."""

FIXES = {
    "STS501": "apps/v1beta2 with a selector: apiVersion apps/v1 (safe). apps/v1beta1, or apps/v1beta2 without a "
              "selector: apiVersion apps/v1, spec.selector.matchLabels = the template labels when missing and, "
              "for apps/v1beta1, updateStrategy {type: OnDelete} when none is set (unsafe)",
    "STS201": "adds spec.selector.matchLabels = the pod template labels (unsafe)",
    "STS401": "Delete -> Retain (safe)",
    "STS403": "Delete -> Retain (safe)",
    "STS402": "sets reclaimPolicy: Retain on every definition of the StorageClass in the checked files (unsafe)",
    "STS404": "sets storageClassName to the default-storage-class option; none without it (unsafe)",
    "STS103": "clusterIP: None (and clusterIPs: [None] when set); not offered for NodePort or LoadBalancer "
              "(unsafe)",
}
"""What ``stslint fix`` does for each code that has a fix (``explain`` shows it)."""

PROBE_TEMPLATES = {
    "STS301": "readinessProbe:\n  httpGet: {path: /ready, port: http}   # or tcpSocket / exec / grpc\n"
              "  periodSeconds: 10\n  failureThreshold: 3",
    "STS302": "livenessProbe:\n  tcpSocket: {port: http}   # cheap: restart only a process that is hung\n"
              "  periodSeconds: 20\n  failureThreshold: 6",
}
"""No automatic fix for missing probes (what to probe depends on the app): ``explain`` shows these
templates to adapt."""


def fix_description(code: str) -> dict[str, str] | None:
    """What ``stslint fix`` does for a code: ``{"fix", "unsafe_because"}``, or for the probe rules
    ``{"template"}``; None for codes without a fix."""
    if code in FIXES:
        described = {"fix": FIXES[code]}
        if code in UNSAFE_REASONS:
            described["unsafe_because"] = UNSAFE_REASONS[code]
        return described
    if code in PROBE_TEMPLATES:
        return {"fix": "none automatic: what to probe depends on the app; adapt this template",
                "template": PROBE_TEMPLATES[code]}
    return None


class EditConflict(ValueError):
    """Edits that overlap or fall outside the text."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with the edits applied (all against the original text; they must not overlap)."""
    ordered = sorted(edits, key=lambda edit: (edit.start, edit.end))
    pieces: list[str] = []
    position = 0
    for edit in ordered:
        if not 0 <= edit.start <= edit.end <= len(text):
            raise EditConflict(f"edit [{edit.start}, {edit.end}) lies outside a text of {len(text)} characters")
        if edit.start < position:
            raise EditConflict(f"edit [{edit.start}, {edit.end}) overlaps the edit before it")
        pieces.append(text[position:edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def fixed_bytes(source: SourceText, edits: Iterable[Edit]) -> bytes:
    """The bytes of a file after the edits: its encoding and BOM as they were."""
    return source.encode(apply_edits(source.text, edits))


def fix_allowed(fix: Fix, unsafe: bool) -> bool:
    """Whether a fix runs: safe ones always, unsafe ones with ``--unsafe-fixes``."""
    return fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe")


# --- the files of a fix run -------------------------------------------------------------------


@dataclass
class FixFile:
    """A file being fixed: its source, its text as read and as fixed so far, and whether it may be
    edited at all (``refused``: why not)."""

    source: Source
    key: str
    original: SourceText
    raw: bytes | None
    current: FileResult
    refused: str | None = None

    @property
    def changed(self) -> bool:
        """Whether fixes changed the text."""
        return self.current.content.text != self.original.text

    def new_bytes(self) -> bytes:
        """The file's bytes after the fixes: its encoding and BOM as they were."""
        return self.original.encode(self.current.content.text)


class NotApplied(NamedTuple):
    """A fix that was not applied, and why."""

    finding: Finding
    reason: str


@dataclass
class FixOutcome:
    """What a fix run did: the files (in the order read), the findings whose fixes were applied, the
    fixes it could not apply, and the result of linting the fixed texts."""

    files: list[FixFile]
    fixed: list[Finding]
    not_applied: list[NotApplied]
    result: RunResult
    passes: int = 0
    warnings: list[str] = field(default_factory=list)


def _load_error(result: FileResult) -> str | None:
    """Why a loaded file must not be touched (it failed to load, or repeats a key), or None."""
    for finding in result.errors:
        if finding.code in ("STS001", "STS004"):
            return "the file does not load"
        if finding.code == "STS002":
            return "the file repeats a key"
    return None


def _raw_bytes(result: FileResult) -> bytes | None:
    """The bytes the loaded text came from (None for standard input)."""
    return result.content.encode() if result.source.path is not None else None


def fix_sources(sources: Iterable[Source], settings: Settings, *, unsafe: bool = False,
                context: Context | None = None, only_stdin: bool = False,
                writable: Any = None) -> FixOutcome:
    """Fix the sources in memory, pass after pass (see the module). ``only_stdin``: only standard
    input may be edited. ``writable(source) -> reason | None`` says why a file must not be written
    (None: it may be)."""
    from stslint.loading import load_source

    files: list[FixFile] = []
    by_key: dict[str, FixFile] = {}
    for source in sources:
        loaded = load_source(source, settings.max_file_size)
        key = loaded.real_path or source.display
        if key in by_key:
            continue
        refused = _load_error(loaded)
        if refused is None and only_stdin and source.path is not None:
            refused = "only standard input is fixed when it is the input"
        if refused is None and writable is not None and source.path is not None:
            refused = writable(source)
        item = FixFile(source, key, loaded.content, _raw_bytes(loaded), loaded, refused)
        files.append(item)
        by_key[key] = item
    fixed: list[Finding] = []
    not_applied: dict[tuple[str, Any, str], NotApplied] = {}
    passes = 0
    while True:
        result = _lint(files, settings, context)
        if passes >= MAX_PASSES:
            break
        chosen, refused_now = _choose(result.findings, by_key, unsafe)
        for item in refused_now:
            not_applied.setdefault((item.finding.code, item.finding.span, item.finding.file_key), item)
        if not chosen:
            break
        applied = _apply_verified(chosen, by_key, not_applied)
        if not applied:
            break
        passes += 1
        for fix, findings in applied:
            fixed.extend(findings)
    remaining = {(f.code, f.file_key, f.anchor, f.object) for f in result.findings}
    not_applied_list = [n for n in not_applied.values()
                        if (n.finding.code, n.finding.file_key, n.finding.anchor, n.finding.object) in remaining]
    return FixOutcome(files, fixed, not_applied_list, result, passes)


def _lint(files: list[FixFile], settings: Settings, context: Context | None) -> RunResult:
    """Lint the current texts of the files together (one index, plus the context's entries)."""
    from stslint.engine import Run

    run = Run(settings)
    if context is not None:
        run.add_context(context)
    for item in files:
        run.add_file(item.current)
    return run.finish()


def _choose(findings: list[Finding], by_key: dict[str, FixFile], unsafe: bool
            ) -> tuple[list[tuple[Fix, list[Finding]]], list[NotApplied]]:
    """The fixes to apply in this pass: allowed, every edit in a file that may be edited, and no
    edit overlapping (or inserting at the same place as) an edit already taken; a fix that several
    findings share is taken once. Also the fixes refused for good, with why."""
    chosen: dict[tuple[Edit, ...], tuple[Fix, list[Finding]]] = {}
    taken: dict[str, list[tuple[int, int]]] = {}
    refused: list[NotApplied] = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix_allowed(fix, unsafe) or not fix.edits:
            continue
        edits = tuple(sorted(set(fix.edits), key=lambda e: (e.source_path or e.file, e.start, e.end)))
        if edits in chosen:
            chosen[edits][1].append(finding)
            continue
        reason = None
        for edit in edits:
            target = by_key.get(edit.source_path or edit.file)
            if target is None:
                reason = f"it edits {edit.file}, which is not being fixed"
            elif target.refused is not None:
                reason = f"it edits {target.source.display}, but {target.refused}"
            if reason:
                break
        if reason:
            refused.append(NotApplied(finding, reason))
            continue
        if any(_overlaps(edit, taken.get(edit.source_path or edit.file, ())) for edit in edits):
            continue  # the next pass
        if _overlap_within(edits):
            refused.append(NotApplied(finding, "its edits overlap"))
            continue
        for edit in edits:
            taken.setdefault(edit.source_path or edit.file, []).append((edit.start, edit.end))
        chosen[edits] = (fix, [finding])
    return list(chosen.values()), refused


def _overlaps(edit: Edit, ranges: Iterable[tuple[int, int]]) -> bool:
    """Whether ``edit`` overlaps or touches a taken range (two insertions at one place conflict)."""
    return any(edit.start <= end and start <= edit.end for start, end in ranges)


def _overlap_within(edits: tuple[Edit, ...]) -> bool:
    by_file: dict[str, list[Edit]] = {}
    for edit in edits:
        by_file.setdefault(edit.source_path or edit.file, []).append(edit)
    for same in by_file.values():
        same.sort(key=lambda e: (e.start, e.end))
        if any(b.start < a.end or (b.start == a.start == a.end == b.end) for a, b in zip(same, same[1:])):
            return True
    return False


def _apply_verified(chosen: list[tuple[Fix, list[Finding]]], by_key: dict[str, FixFile],
                    not_applied: dict[tuple[str, Any, str], NotApplied]) -> list[tuple[Fix, list[Finding]]]:
    """Apply the chosen fixes to the files' texts; a file whose new text does not read back as
    intended gets none of them (nor does any other file of those fixes), and they are refused."""
    while chosen:
        per_file: dict[str, list[Edit]] = {}
        for fix, _ in chosen:
            for edit in fix.edits:
                per_file.setdefault(edit.source_path or edit.file, []).append(edit)
        failed = set()
        reloaded: dict[str, FileResult] = {}
        for key, edits in per_file.items():
            item = by_key[key]
            try:
                new_text = apply_edits(item.current.content.text, set(edits))
            except EditConflict:
                failed.add(key)
                continue
            fresh = _reloaded(item.current, new_text)
            if fresh is None or not verify(item.current, fresh, set(edits)):
                failed.add(key)
            else:
                reloaded[key] = fresh
        if not failed:
            for key, fresh in reloaded.items():
                by_key[key].current = fresh
            return chosen
        kept = []
        for fix, findings in chosen:
            if any((edit.source_path or edit.file) in failed for edit in fix.edits):
                for finding in findings:
                    not_applied[(finding.code, finding.span, finding.file_key)] = NotApplied(
                        finding, "the fixed text did not read back as intended")
            else:
                kept.append((fix, findings))
        chosen = kept
    return []


def _reloaded(old: FileResult, text: str) -> FileResult | None:
    """The file loaded again, with the check loader, from a new text (its encoding and BOM kept);
    None when the loader rejects the text or it repeats a key."""
    from stslint.loading import FileResult, load_content

    fresh = FileResult(old.source, content=SourceText(text, old.content.encoding, old.content.bom))
    fresh.real_path = old.real_path
    fresh = load_content(fresh)
    return None if fresh.errors else fresh


# --- verification: the fixed text reads back as the old one with the intended changes ---------


_ABSENT = object()


def verify(old: FileResult, new: FileResult, edits: Iterable[Edit]) -> bool:
    """Whether ``new`` (the file loaded again after the edits, without errors) has as many documents
    as ``old`` and they equal the old ones except where the edits intend a change: a replaced scalar
    reads as its replacement, an inserted entry is a new key of the mapping it is inserted into, and
    nothing else differs."""
    loaded = new
    if new.errors or len(loaded.documents) != len(old.documents):
        return False
    intents: dict[int, dict[tuple[Any, ...], Any]] = {}
    for edit in edits:
        found = _intent(old, edit)
        if not found:
            return False
        for index, path, value in found:
            if path in intents.setdefault(index, {}):
                return False
            intents[index][path] = value
    for old_doc, new_doc in zip(old.documents, loaded.documents):
        wanted = intents.get(old_doc.index, {})
        prefixes = {path[:n] for path in wanted for n in range(len(path) + 1)}
        if not _same(old_doc.root, new_doc.root, (), wanted, prefixes, set()):
            return False
    return True


def _intent(old: FileResult, edit: Edit) -> list[tuple[int, tuple[Any, ...], Any]]:
    """(document index, path, (how, new value)) for each change an edit intends: the value at a
    replaced scalar's path, or each entry inserted before a key (at the new key's path, where the
    old document has nothing). Empty when the edit is neither."""
    doc = next((d for d in old.documents if d.span[4] <= edit.start <= d.span[5]), None)
    if doc is None:
        return []
    places = _places(doc.root)
    if edit.start == edit.end:
        container = places["keys"].get(edit.start)
        parsed = _parse_inserted(edit.replacement)
        if container is None or not parsed:
            return []
        return [(doc.index, (*container, key), ("insert", value)) for key, value in parsed.items()]
    path = places["values"].get((edit.start, edit.end))
    value = _parse_scalar(edit.replacement)
    if path is None or value is _ABSENT:
        return []
    return [(doc.index, path, ("replace", value))]


def _places(root: Any) -> dict[str, dict[Any, tuple[Any, ...]]]:
    """Where each key starts (offset → the path of its mapping) and each value is ((start, end) →
    its path) in a document, each collection visited once."""
    from stslint.model.nodes import YMap, YSeq

    keys: dict[int, tuple[Any, ...]] = {}
    values: dict[tuple[int, int], tuple[Any, ...]] = {}
    seen: set[int] = set()
    pending: list[tuple[Any, tuple[Any, ...]]] = [(root, ())]
    while pending:
        node, path = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            for key, value in node.items():
                key_span, value_span = node.spans.get(key, (None, None))
                if key_span is None or key_span is value_span:
                    continue  # merged in: not this mapping's text
                keys.setdefault(key_span[4], path)
                values.setdefault((value_span[4], value_span[5]), (*path, key))
                pending.append((value, (*path, key)))
        elif isinstance(node, YSeq):
            for index, value in enumerate(node):
                span = node.item_span(index)
                values.setdefault((span[4], span[5]), (*path, index))
                pending.append((value, (*path, index)))
    return {"keys": keys, "values": values}


def _parse_inserted(text: str) -> dict[Any, Any] | None:
    """The entries an insertion adds: ``key: value, `` in a flow mapping, or block lines ending with
    the line break and indentation before the key they go in front of."""
    from stslint.loading.yamlload import LoadError, load_text

    stripped = text.rstrip()
    if stripped.endswith(","):
        source = "{" + stripped[:-1] + "}"
    else:
        lines = stripped.splitlines()
        indent = len(text) - len(text.rstrip(" "))
        source = "\n".join(lines[:1] + [line[indent:] for line in lines[1:]])
    try:
        loaded = load_text(source)
    except LoadError:
        return None
    if len(loaded.documents) != 1 or not isinstance(loaded.documents[0].root, dict):
        return None
    return dict(loaded.documents[0].root)


def _parse_scalar(text: str) -> Any:
    from stslint.loading.yamlload import LoadError, load_text

    try:
        loaded = load_text(text)
    except LoadError:
        return _ABSENT
    return loaded.documents[0].root if len(loaded.documents) == 1 else _ABSENT


def _same(old: Any, new: Any, path: tuple[Any, ...], wanted: dict[tuple[Any, ...], Any],
          prefixes: set[tuple[Any, ...]], memo: set[tuple[int, int]]) -> bool:
    """Whether ``new`` is ``old`` with the wanted changes (a shared collection compared once)."""
    intent = wanted.get(path)
    if intent is not None:
        how, value = intent
        if how == "insert" and old is not _ABSENT:
            return False
        return _equal(new, value, set())
    if path not in prefixes:
        return _equal(old, new, memo)
    if isinstance(old, dict) and isinstance(new, dict):
        inserted = {p[-1] for p in wanted if p[:-1] == path and wanted[p][0] == "insert"}
        if set(new) != set(old) | inserted:
            return False
        return all(_same(old.get(key, _ABSENT), new[key], (*path, key), wanted, prefixes, memo) for key in new)
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return all(_same(a, b, (*path, index), wanted, prefixes, memo) for index, (a, b) in enumerate(zip(old, new)))
    return False


def _equal(a: Any, b: Any, memo: set[tuple[int, int]]) -> bool:
    """Deep equality of loaded values, types included (``1`` is not ``true``); a pair of
    collections compared once (aliases)."""
    if type(a) is not type(b) and not (isinstance(a, dict) and isinstance(b, dict)) \
            and not (isinstance(a, list) and isinstance(b, list)):
        return False
    if isinstance(a, dict):
        pair = (id(a), id(b))
        if pair in memo:
            return True
        memo.add(pair)
        return a.keys() == b.keys() and all(_equal(a[k], b[k], memo) for k in a)
    if isinstance(a, list):
        pair = (id(a), id(b))
        if pair in memo:
            return True
        memo.add(pair)
        return len(a) == len(b) and all(_equal(x, y, memo) for x, y in zip(a, b))
    return bool(a == b)


# --- writing ----------------------------------------------------------------------------------


def inside(path: str, root: str) -> bool:
    """Whether the real path ``path`` lies inside the directory ``root`` (both real paths)."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def write_fixed(item: FixFile) -> str | None:
    """Write a fixed file: through a temporary file in the directory of its real path, renamed over
    it (a symlink stays a symlink; its target is written), permissions kept. None when written,
    else why not (the file changed since it was read, or cannot be written)."""
    import tempfile

    assert item.source.path is not None
    target = os.path.realpath(item.source.path)
    data = item.new_bytes()
    try:
        with open(target, "rb") as handle:
            if handle.read() != item.raw:
                return "it changed on disk while being fixed"
        status = os.stat(target)
        directory = os.path.dirname(target)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.",
                                                 suffix=".stslint-fix")
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), status.st_mode & 0o7777)
            try:
                os.fchown(handle.fileno(), status.st_uid, status.st_gid)
            except OSError:
                pass  # not ours to give away: the owner is the writer's
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return exc.strerror or type(exc).__name__
    return None


def _lines(text: str) -> list[str]:
    """The lines of a text as diff and patch tools count them: split after each LF only (a CRLF line
    keeps its CR; other YAML line breaks are text to them)."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def unified_diff(item: FixFile, notes: Iterable[str] = ()) -> str:
    """The unified diff of a fixed file against its text as read (lines split at LF, as patch and
    git apply split them; ``notes``, such as why an unsafe fix is unsafe, head it as ``#`` lines)."""
    import difflib

    old = _lines(item.original.text)
    new = _lines(item.current.content.text)
    name = item.source.display
    lines = list(difflib.unified_diff(old, new, f"a/{name}" if name != "-" else "-",
                                      f"b/{name}" if name != "-" else "-"))
    body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
    header = "".join(f"# {note}\n" for note in notes)
    return header + body


def write_guard(paths: Iterable[str]) -> Any:
    """``reason(source)``: why a file of a run over ``paths`` must not be written (None when it may
    be). A file may be written when its real path — every symlink followed — lies inside the git
    repository its name lies in; outside any repository, inside the directory named on the command
    line that it was found in (the directory holding it, for a file named itself). So nothing a
    checked-out tree contains (a symlinked file or directory) can make a fix write outside it."""
    from stslint.repository import repository_root

    named = [os.path.abspath(path) for path in paths if path != "-"] or [os.getcwd()]

    def reason(source: Source) -> str | None:
        assert source.path is not None
        path = os.path.abspath(source.path)
        real = os.path.realpath(path)
        repository = repository_root(os.path.dirname(path))
        if repository is not None:  # a checked-out tree: only the repository, whatever it links to
            roots = [os.path.realpath(repository)]
        else:
            roots = [os.path.realpath(os.path.dirname(arg) if path == arg else arg) for arg in named
                     if path == arg or inside(path, arg)]
        if any(inside(real, root) for root in roots):
            return None
        return "its real path lies outside the repository and the checked directories (a symlink)"

    return reason
