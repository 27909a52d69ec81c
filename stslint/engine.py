"""A run, one way: file analyses (and context) → index → cross-object rules → filters and
suppressions → severities → sorted findings.

The per-file unit is :mod:`stslint.analysis`; this module relates the files of a run. A run may start
from an index of other files (an editor re-linting one buffer against the rest of the workspace).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from stslint.analysis import FileAnalysis, RulePlan, analyze, checked
from stslint.findings import INPUT_ERROR_CODES, Finding
from stslint.loading import load_source
from stslint.loading.discover import Source
from stslint.loading.source_text import SourceText
from stslint.model.fields import blank_indexes
from stslint.model.index import Index
from stslint.model.resource import type_finding
from stslint.rules import BUILTIN, RuleSet
from stslint.settings import Settings
from stslint.suppress import FileSuppressions, annotation_of
from stslint.suppress import apply as apply_suppressions

if TYPE_CHECKING:
    from stslint.context import Context

__all__ = ["PathSummary", "Run", "RunResult", "RunWarning", "Settings", "lint"]

DROPPED_IN_PATCHES = frozenset({"STS003"})
"""Input errors that a kustomize patch file may have by design: a file a kustomization of the run lists
as a patch gets no STS003, even a list of objects or a partial object (a list that holds no objects,
a JSON6902 patch, is never STS003 anywhere)."""


class RunWarning(NamedTuple):
    """Something the run ignored or could not do, and why: a suppression comment or annotation
    (at its line), a path that gave no manifest, context that could not be loaded, a configuration
    file shadowed by another (line 0: about the file or directory as a whole)."""

    file: str
    line: int
    message: str


class PathSummary(NamedTuple):
    """What one path of the command line gave a run."""

    path: str
    """The path as shown."""
    directory: bool
    files: int
    """How many files it reached (including any that another path reached first)."""
    objects: int
    """How many Kubernetes objects were read from them."""
    reason: str | None = None
    """Why it gave no object (None when it gave some, or when input errors in its files say why)."""


@dataclass
class RunResult:
    """The outcome of a run: sorted findings (severities resolved), counts, the rule set, the texts
    of files that reports show, and warnings."""

    findings: list[Finding]
    files: int
    objects: int
    texts: dict[str, SourceText] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    file_names: list[str] = field(default_factory=list)
    """Display names of every file read, in the order read (clean files too)."""
    file_keys: list[str] = field(default_factory=list)
    """What identifies each of those files (its real path; the display name of standard input)."""
    warnings: list[RunWarning] = field(default_factory=list)
    """Suppression comments and annotations that were ignored, paths that gave no manifest, context
    that could not be loaded."""
    rules: RuleSet = field(default_factory=lambda: BUILTIN)
    context: Context | None = None
    """The context the run resolved references against (what was loaded and skipped)."""
    statefulsets: int = 0
    """How many of the objects are StatefulSets (kustomize patches excepted)."""
    objects_by_file: dict[str, int] = field(default_factory=dict)
    """How many objects each file read gave, by file key (see ``file_keys``)."""
    paths: list[PathSummary] = field(default_factory=list)
    """What each path of the command line gave (stslint.api.lint_paths fills it)."""

    def severity(self, code: str) -> str:
        """The effective severity of a code (input errors are always errors)."""
        if code in INPUT_ERROR_CODES:
            return "error"
        return self.severities.get(code) or self.rules[code].severity

    def counts(self) -> tuple[int, int]:
        """(errors, warnings) among the findings."""
        errors = sum(1 for f in self.findings if self.severity(f.code) == "error")
        return errors, len(self.findings) - errors

    def fails(self, fail_on: str = "warning") -> bool:
        """Whether the run fails the gate: a finding at or above ``fail_on`` ("warning" or "error";
        input errors count as errors)."""
        if fail_on == "warning":
            return bool(self.findings)
        return any(self.severity(f.code) == "error" for f in self.findings)


class Run:
    """One run: the file analyses and context of a set of files, related through one index."""

    def __init__(self, settings: Settings, index: Index | None = None) -> None:
        self.settings = settings
        self.plan = RulePlan.of(settings)
        self.index = index.copy(subjects=False) if index is not None else Index()
        self.index.has_context = index is not None
        self.findings: list[Finding] = []
        self.type_findings: list[Finding] = []
        self.patch_files: set[str] = set()
        self.context_paths: set[str] = set()
        self.suppressions: dict[str, FileSuppressions] = {}
        self.warnings: list[RunWarning] = []
        self.texts: dict[str, SourceText] = {}
        self.file_names: list[str] = []
        self.file_keys: list[str] = []
        self.files = 0
        self.objects = 0
        self.statefulsets = 0
        self.objects_by_file: dict[str, int] = {}
        self.exempted: set[tuple[str, str, str | None, int | None, int]] = set()
        """(file key, object, namespace, offset, exception number): the objects policy exceptions match."""
        if index is not None:
            self._add_other_files(index)

    def _add_other_files(self, index: Index) -> None:
        """What an index of files not being checked brings besides its entries: the patch files its
        kustomizations list, and the annotations of its objects (which suppress what they cause)."""
        self.patch_files |= index.patch_files
        for entry in index.annotated():
            self._note_annotation(entry, entry.file, entry.source_path)

    def add_context(self, context: Context) -> None:
        """Index what context files contribute: they resolve the checked files' references (their
        kustomizations mark patch files, their annotations suppress what they cause) but are never
        reported on."""
        self.index.has_context = True
        for file in context.files:
            self.context_paths.add(file.real_path)
            self.patch_files.update(file.patches)
            self.index.replace_lazily(file.real_path, file)
            self.warnings.extend(RunWarning(file.display, line, message) for line, message in file.refused())
            for entry in file.annotated():
                self._note_annotation(entry, file.display, file.real_path)
        self.warnings.extend(RunWarning(path, 0, message) for path, message in context.warnings)

    def _note_annotation(self, entry: Any, display: str, real_path: str | None) -> None:
        """Register the annotation of an object of a file not being checked (it suppresses the
        findings it causes on checked objects, and is never reported as unused)."""
        assert entry.annotation is not None
        suppression, _ = annotation_of(entry.annotation, entry.kind_span, (0, 0), entry.ref, entry.namespace,
                                       entry.object_at, self.plan.rules)
        if suppression is not None:
            self._suppressions_of(display, real_path, context=True).items.append(suppression)

    def _suppressions_of(self, display: str, real_path: str | None, *, context: bool = False) -> FileSuppressions:
        key = real_path or display
        entry = self.suppressions.get(key)
        if entry is None:
            entry = self.suppressions[key] = FileSuppressions(display, real_path, context=context)
        return entry

    def add(self, analysis: FileAnalysis) -> None:
        """Add the analysis of one checked file (its entries, and its suppressions, replace any the
        index of other files had for it)."""
        earlier = self.suppressions.get(analysis.key)
        if earlier is not None and earlier.context:
            del self.suppressions[analysis.key]
        self.files += 1
        self.objects += analysis.objects
        self.statefulsets += analysis.statefulsets
        self.objects_by_file[analysis.key] = self.objects_by_file.get(analysis.key, 0) + analysis.objects
        self.file_names.append(analysis.display)
        self.file_keys.append(analysis.key)
        self.findings.extend(analysis.findings)
        self.type_findings.extend(analysis.type_findings)
        self.patch_files |= analysis.patches
        self.index.replace_file(analysis.key, analysis.entries)
        self.exempted.update((analysis.key, *item) for item in analysis.exempted)
        self.warnings.extend(RunWarning(analysis.display, line, message) for line, message in analysis.warnings)
        if analysis.suppressions is not None:
            merged = self._suppressions_of(analysis.display, analysis.real_path)
            merged.items.extend(analysis.suppressions.items)
            merged.ignored = analysis.suppressions.ignored
        if self.settings.keep_texts and (analysis.findings or analysis.entries or analysis.suppressions):
            self.texts[analysis.key] = analysis.content

    def add_file(self, result: Any) -> None:
        """Analyse a loaded file (a stslint.loading.FileResult) and add it."""
        self.add(analyze(result, self.settings, self.plan))

    def finish(self) -> RunResult:
        """Run the cross-object rules and return the sorted findings."""
        self.index.drop_files(self.patch_files)
        findings = list(self.findings)
        for rule in self.plan.index_rules:
            assert rule.check is not None
            for item in rule.check(self.index, self.plan.options[rule.code]):
                if isinstance(item, RunWarning):  # a policy's unresolved reference with ``unresolved: warn``
                    self.warnings.append(item)
                else:
                    findings.append(checked(rule, item))
        if "STS006" in self.settings.selected:
            findings.extend(self._type_errors())
        findings = [f for f in findings if self._kept(f)]
        if self.plan.rules.exceptions:
            from stslint.policy.exceptions import apply_exceptions

            findings, warnings = apply_exceptions(self.plan.rules.exceptions, findings, self.exempted,
                                                  self.settings.selected)
            self.warnings.extend(RunWarning(*warning) for warning in warnings)
        if self.suppressions:
            findings = apply_suppressions(findings, self.suppressions, self.settings.selected,
                                          lambda entry: entry.real_path in self.patch_files, self.plan.rules)
        findings = [f._replace(severity=self._severity(f.code)) for f in findings]
        findings.sort(key=Finding.sort_key)
        shown = {f.file_key for f in findings} | {r.file_key for f in findings for r in f.related}
        texts = {name: text for name, text in self.texts.items() if name in shown}
        return RunResult(findings, self.files, self.objects, texts, dict(self.settings.severities),
                         file_names=list(self.file_names), file_keys=list(self.file_keys),
                         warnings=sorted(self.warnings), rules=self.plan.rules, statefulsets=self.statefulsets,
                         objects_by_file=dict(self.objects_by_file))

    def _type_errors(self) -> list[Finding]:
        """STS006 once per wrong-typed field that a selected rule read: in the object rules' reads, or
        in the entry values the cross-object rules read."""
        candidates = list(self.type_findings)
        candidates += [type_finding(entry, problem) for entry in self.index.all_subjects()
                       for problem in entry.reported_problems()]
        kept: list[Finding] = []
        seen: set[tuple[str, Any, str]] = set()
        for finding in candidates:
            key = (finding.file_key, finding.span, blank_indexes(finding.anchor))
            if key not in seen:
                seen.add(key)
                kept.append(finding)
        return kept

    def _severity(self, code: str) -> str:
        if code in INPUT_ERROR_CODES:
            return "error"
        return self.settings.severities.get(code) or self.plan.rules[code].severity

    def _kept(self, finding: Finding) -> bool:
        if finding.is_input_error:
            return not (finding.code in DROPPED_IN_PATCHES and finding.source_path in self.patch_files)
        if finding.source_path is not None and finding.source_path in self.patch_files:
            return False
        if finding.source_path is not None and finding.source_path in self.context_paths:
            return False  # context files are never reported on
        return finding.code in self.settings.selected


def lint(sources: Iterable[Source], settings: Settings | None = None, context: Context | None = None,
         index: Index | None = None, loaded: Iterable[Any] = ()) -> RunResult:
    """Lint every source together (one index across all of them, plus the context's entries and
    ``index``, the entries of files not being checked), and the files already ``loaded``
    (stslint.loading.FileResult: rendered charts, standard input read beforehand)."""
    settings = settings or Settings()
    run = Run(settings, index)
    if context is not None:
        run.add_context(context)
    for source in sources:
        run.add_file(load_source(source, settings.max_file_size))
    for result in loaded:
        run.add_file(result)
    return run.finish()
