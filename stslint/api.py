"""The Python API: what the command line, an editor server and the renderers are built on.

- :func:`lint_paths` — lint files and directories (walked for manifests), with optional context.
- :func:`lint_text` — lint one in-memory text (an editor buffer, a rendered Helm stream) named by a
  URI, optionally against an :class:`~stslint.model.index.Index` of other files; ``origin`` maps
  positions in the text back to the files it came from.
- :func:`build_index` — the index entries of files, to lint one file against the others.

Every function returns a :class:`~stslint.engine.RunResult`: sorted findings with their severity,
related locations and fix, the run's rule set, and warnings.
"""
from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple, Protocol, Sequence
from urllib.parse import unquote, urlparse

from stslint.analysis import RulePlan, analyze
from stslint.engine import PathSummary, Run, RunResult, RunWarning, Settings, lint
from stslint.findings import Edit, Finding, Related
from stslint.loading import FileResult, load_content, load_source
from stslint.loading.discover import (KUSTOMIZATION_FILE_NAMES, SKIPPED_EXCLUDED, SKIPPED_HIDDEN, SKIPPED_TEMPLATES,
                                      PathFilter, PathReport, Source, discover)
from stslint.loading.source_text import SourceText
from stslint.model.index import Index
from stslint.model.nodes import Span
from stslint.repository import ancestors

if TYPE_CHECKING:
    from stslint.context import Context, ContextRequest
    from stslint.fixes import FixOutcome
    from stslint.render import RenderRequest

__all__ = ["Origin", "Segment", "SegmentOrigin", "build_index", "fix_paths", "lint_paths", "lint_text"]


def lint_paths(paths: Sequence[str], settings: Settings | None = None,
               context: Context | ContextRequest | None = None, *, stdin_filename: str | None = None,
               exclude: PathFilter | None = None, force_exclude: bool = False,
               exclude_root: str | None = None, render: RenderRequest | None = None) -> RunResult:
    """Lint files and directories (``-`` is standard input) together: one index across them, plus
    the context's entries. ``context`` is a loaded Context, or a ContextRequest to load.

    ``result.paths`` says what each path gave. A path that gave no Kubernetes object is warned about
    (``PATH: no manifest found (REASON)``, line 0) when the whole run read none — a run that checks
    nothing — and a directory is even when other paths gave some; a named file that holds none (Helm
    values, a CI configuration) is not, since pre-commit and shell globs name such files all the time.

    With ``render`` (stslint.render.RenderRequest), Helm charts and kustomize overlays among the paths
    are rendered and checked, findings reported in their templates and patches (see stslint.render),
    and a rendered stream on standard input is mapped by its ``# Source:`` lines or origin annotations.
    Raises stslint.render.RenderUsageError when rendering was asked for and no engine is installed."""
    settings = settings or Settings()
    reports: list[PathReport] = []
    sources = list(discover(list(paths), stdin_filename, exclude, force_exclude, exclude_root, reports))
    if render is not None:
        return _lint_rendering(sources, reports, settings, context, render, stdin_filename, exclude)
    context = _resolved_context(context, sources, stdin_filename, settings, exclude)
    result = lint(sources, settings, context)
    return _finished(result, context, reports)


def _resolved_context(context: Context | ContextRequest | None, sources: list[Source], stdin_filename: str | None,
                      settings: Settings, exclude: PathFilter | None) -> Context | None:
    """The run's context: a request is loaded (only the kinds and documents the run's rules read)."""
    from stslint.context import ContextRequest, context_for

    if not isinstance(context, ContextRequest):
        return context
    return context_for(context, sources, stdin_filename, namespace=settings.namespace,
                       max_file_size=settings.max_file_size, exclude=exclude,
                       kinds=settings.rules.indexed_kinds(),
                       documents=settings.rules.document_kinds()) if context else None


def _finished(result: RunResult, context: Context | None, reports: list[PathReport]) -> RunResult:
    """The result with its context and path summaries, and the warnings about empty paths."""
    result.context = context
    result.paths = path_summaries(reports, result)
    empty = [RunWarning(path.path, 0, f"no manifest found ({path.reason})") for path in result.paths
             if path.reason is not None and (path.directory or result.objects == 0)]
    if empty:
        result.warnings = sorted([*result.warnings, *empty])
    return result


def _lint_rendering(sources: list[Source], reports: list[PathReport], settings: Settings,
                    context: Context | ContextRequest | None, request: RenderRequest,
                    stdin_filename: str | None, exclude: PathFilter | None) -> RunResult:
    """lint_paths with Helm charts and kustomize overlays rendered (see stslint.render)."""
    given_sources = list(sources)
    charts = [chart for report in reports for chart in report.charts]
    kustomizations = [s.path for s in sources if s.path is not None and s.error is None
                      and os.path.basename(s.path) in KUSTOMIZATION_FILE_NAMES]
    named = [s.path for s in sources if s.explicit and s.path is not None and _may_be_rendered(s.path)]
    named += [r.given for r in reports if r.itself == SKIPPED_TEMPLATES]  # --force-exclude (the hook): render them
    stdin = [s for s in sources if s.path is None]
    loaded: list[FileResult] = []
    mappings: list[tuple[str, Any, str]] = []
    warnings: list[RunWarning] = []
    if charts or kustomizations or named:
        from stslint.render.plan import plan, render

        walked = [r.given for r in reports if r.is_dir and r.itself is None]
        planned = plan(charts, kustomizations, named, request, walked)
        warnings += [RunWarning(*warning) for warning in planned.warnings]
        if planned.charts or planned.overlays:
            rendered, failures = render(planned, request)
            sources = [s for s in sources if s.path is None or os.path.realpath(s.path) not in planned.consumed]
            for item in rendered:
                result = FileResult(Source(item.uri, None, True), content=SourceText(item.text))
                loaded.append(load_content(result))
                mappings.append((item.uri, item.origin, item.uri))
                _credit(reports, item.directory, item.uri)
            loaded_failures = failures
        else:
            loaded_failures = planned.failures
    else:
        loaded_failures = []
    for source in stdin:
        result = load_source(source, settings.max_file_size)
        sources.remove(source)
        loaded.append(result)
        if not result.errors and ("# Source: " in result.text or "config.kubernetes.io/origin" in result.text):
            from stslint.render.plan import stream_origin

            found = stream_origin(result.text)
            if found is not None:
                mappings.append((source.display, found[0], f"{source.display} ({found[1]} output)"))
    context = _resolved_context(context, given_sources, stdin_filename, settings, exclude)
    result = lint(sources, settings, context, loaded=loaded)
    if mappings:
        from stslint.render.origin import map_rendered

        for uri, origin, name in mappings:
            result = map_rendered(result, uri, origin, name, settings.file_ignores)
    if loaded_failures:
        result.findings = sorted([*result.findings, *loaded_failures], key=Finding.sort_key)
        result.files += len(loaded_failures)  # each a file read (the template, kustomization or Chart.yaml at fault)
        result.file_names += [failure.file for failure in loaded_failures]
        result.file_keys += [failure.file_key for failure in loaded_failures]
        for failure in loaded_failures:
            _credit(reports, os.path.dirname(os.path.abspath(failure.file)), failure.file_key)
    result.warnings = sorted([*result.warnings, *warnings])
    return _finished(result, context, reports)


_RENDER_MARKERS = ("Chart.yaml", *KUSTOMIZATION_FILE_NAMES)


def _may_be_rendered(path: str) -> bool:
    """Whether a named file may belong to a chart or a kustomization: a directory holding it (up to the
    current directory, or to the root for a file outside it) holds Chart.yaml or a kustomization."""
    stop = os.getcwd()
    for directory in ancestors(os.path.dirname(os.path.abspath(path))):
        if any(os.path.isfile(os.path.join(directory, name)) for name in _RENDER_MARKERS):
            return True
        if directory == stop:
            return False
    return False


def _credit(reports: list[PathReport], directory: str, key: str) -> None:
    """Count the file ``key`` (a render of ``directory``) as reached by the paths that hold the
    directory or lie inside it."""
    directory = os.path.abspath(directory)
    for report in reports:
        given = os.path.abspath(report.given)
        if directory == given or directory.startswith(given.rstrip(os.sep) + os.sep) \
                or given.startswith(directory.rstrip(os.sep) + os.sep):
            if key not in report.files:
                report.files.append(key)


def fix_paths(paths: Sequence[str], settings: Settings | None = None,
              context: Context | ContextRequest | None = None, *, unsafe: bool = False,
              stdin_filename: str | None = None, exclude: PathFilter | None = None, force_exclude: bool = False,
              exclude_root: str | None = None) -> FixOutcome:
    """Fix the files at ``paths`` in memory (see stslint.fixes: nothing is written here): the
    outcome holds each file's fixed text and the result of linting the fixed texts. When standard
    input is among the paths, only it is fixed."""
    from stslint.fixes import fix_sources, write_guard

    settings = settings or Settings()
    reports: list[PathReport] = []
    sources = list(discover(list(paths), stdin_filename, exclude, force_exclude, exclude_root, reports))
    context = _resolved_context(context, sources, stdin_filename, settings, exclude)
    only_stdin = any(source.path is None for source in sources)
    outcome = fix_sources(sources, settings, unsafe=unsafe, context=context, only_stdin=only_stdin,
                          writable=write_guard(paths))
    _finished(outcome.result, context, reports)
    return outcome


_SKIPPED_PARTS = {SKIPPED_TEMPLATES: "Helm templates/ skipped", SKIPPED_HIDDEN: "hidden files and directories skipped",
                  SKIPPED_EXCLUDED: "excluded paths skipped"}
_SKIPPED_ITSELF = {SKIPPED_TEMPLATES: "in a Helm templates/ directory, skipped by --force-exclude",
                   SKIPPED_HIDDEN: "hidden, skipped by --force-exclude",
                   SKIPPED_EXCLUDED: "excluded by --force-exclude"}


def path_summaries(reports: Sequence[PathReport], result: RunResult) -> list[PathSummary]:
    """What each path of the command line gave the run: files reached, objects read and, when it
    gave no object, why (None when input errors in its files — already findings — say why)."""
    errored = {finding.file_key for finding in result.findings if finding.is_input_error}
    summaries = []
    for report in reports:
        files = list(dict.fromkeys(report.files))
        objects = sum(result.objects_by_file.get(key, 0) for key in files)
        reason = None
        if not objects and not any(key in errored for key in files):
            reason = _why_empty(report, len(files))
        summaries.append(PathSummary(report.display, report.is_dir, len(files), objects, reason))
    return summaries


def _why_empty(report: PathReport, files: int) -> str:
    """Why a path gave no Kubernetes object, in words."""
    if report.itself is not None:
        return _SKIPPED_ITSELF[report.itself]
    parts = ["no Kubernetes object"] if files else []
    parts += [_SKIPPED_PARTS[reason] for reason in report.skipped]
    return "; ".join(parts) or "no YAML/JSON file"


def build_index(paths: Sequence[str], settings: Settings | None = None) -> Index:
    """The index entries of the manifests at ``paths`` (files or directories), for linting one file
    against the others with :func:`lint_text`: their entries (their annotations included), and the
    patch files their kustomizations list (whose entries are left out)."""
    settings = settings or Settings()
    plan = RulePlan.of(settings)
    index = Index()
    for source in discover(list(paths)):
        analysis = analyze(load_source(source, settings.max_file_size), settings, plan)
        index.replace_file(analysis.key, analysis.entries)
        index.patch_files |= analysis.patches
    index.drop_files(index.patch_files)  # kustomize patches are not objects
    return index


def lint_text(text: str, uri: str, *, settings: Settings | None = None, index: Index | None = None,
              origin: Origin | None = None) -> RunResult:
    """Lint ``text`` as the file ``uri`` (a path or a ``file:`` URI) against ``index`` (the entries of
    other files, looked up but not judged). With ``origin``, positions that it maps are reported in
    the files the text came from."""
    settings = settings or Settings()
    path = path_of(uri)
    result = FileResult(Source(uri, path, True), content=SourceText(text))
    result.real_path = os.path.realpath(path) if path is not None else None
    run = Run(settings, index)
    run.add_file(load_content(result))
    outcome = run.finish()
    if origin is not None:
        outcome = _mapped(outcome, origin, uri, result.real_path or uri)
    return outcome


def path_of(uri: str) -> str | None:
    """The file path a URI names (a plain path stays itself); None for other schemes."""
    parsed = urlparse(uri)
    if parsed.scheme == "file":
        return unquote(parsed.path)
    if parsed.scheme and len(parsed.scheme) > 1:  # not a Windows drive letter
        return None
    return uri


class Origin(Protocol):
    """Where the text of a :func:`lint_text` call came from."""

    def locate(self, span: Span) -> tuple[str, Span] | None:
        """The file and span that ``span`` of the text stands for, or None (generated text)."""


class Segment(NamedTuple):
    """Lines ``first_line``..``last_line`` of the text are a verbatim copy of ``file`` from its line
    ``file_line``; ``text_offset`` and ``file_offset`` are where the segment starts in each."""

    first_line: int
    last_line: int
    file: str
    file_line: int
    text_offset: int
    file_offset: int


class SegmentOrigin:
    """An origin made of verbatim segments (a stream concatenated from files, a rendered chart whose
    lines copy its templates')."""

    def __init__(self, segments: Iterable[Segment]) -> None:
        self.segments = sorted(segments, key=lambda s: s.first_line)

    def locate(self, span: Span) -> tuple[str, Span] | None:
        """The file and span of a span lying within one segment, or None."""
        for segment in self.segments:
            if segment.first_line <= span[0] and span[2] <= segment.last_line:
                lines = segment.file_line - segment.first_line
                offsets = segment.file_offset - segment.text_offset
                return segment.file, (span[0] + lines, span[1], span[2] + lines, span[3], span[4] + offsets,
                                      span[5] + offsets)
        return None

    def locate_offsets(self, start: int, end: int, text: SourceText) -> tuple[str, int, int] | None:
        """The file and offsets of a range of the text lying within one segment, or None."""
        first, last = text.line_of(start), text.line_of(end)
        for segment in self.segments:
            if segment.first_line <= first and last <= segment.last_line:
                shift = segment.file_offset - segment.text_offset
                return segment.file, start + shift, end + shift
        return None


def _mapped(result: RunResult, origin: Origin, uri: str, key: str) -> RunResult:
    """The result with every position of the text ``uri`` that the origin maps moved to its file
    (positions in other files stay where they are)."""

    def move_related(item: Related) -> Related:
        found = origin.locate(item.span) if item.file == uri else None
        return item if found is None else item._replace(file=found[0], span=found[1], source_path=None)

    text = result.texts.get(key)
    findings: list[Finding] = []
    for finding in result.findings:
        found = origin.locate(finding.span) if finding.file == uri else None
        moved = finding if found is None else finding._replace(file=found[0], span=found[1], source_path=None)
        fix = finding.fix
        if fix is not None:
            edits = [_moved_edit(edit, origin, text) if edit.file == uri else edit for edit in fix.edits]
            fix = None if any(edit is None for edit in edits) else fix._replace(
                edits=tuple(edit for edit in edits if edit is not None))
        findings.append(moved._replace(related=tuple(move_related(r) for r in finding.related), fix=fix))
    findings.sort(key=Finding.sort_key)
    return dataclasses.replace(result, findings=findings)


def _moved_edit(edit: Edit, origin: Origin, text: SourceText | None) -> Edit | None:
    """An edit of the text as an edit of the file it came from; None when it cannot be mapped (a fix
    is then not offered)."""
    if not isinstance(origin, SegmentOrigin) or text is None:
        return None
    found = origin.locate_offsets(edit.start, edit.end, text)
    if found is None:
        return None
    return Edit(found[0], found[1], found[2], edit.replacement)
