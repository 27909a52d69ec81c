"""The pipeline of one run: load → index → rules → selection → sorted findings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable

from stslint.findings import INPUT_ERROR_CODES, Finding
from stslint.loading import DEFAULT_MAX_FILE_SIZE, FileResult, load_source
from stslint.loading.discover import Source
from stslint.model.documents import non_object_items, objects_of
from stslint.model.index import Index
from stslint.model.kustomize import kustomization_patches
from stslint.model.nodes import YMap
from stslint.model.resources import Resource, Service, StatefulSet, StorageClass, view_for
from stslint.rules import RULES, Rule, index_rules, object_rules
from stslint.selection import resolve
from stslint.suppress import FileSuppressions, annotation_suppression, parse_comments
from stslint.suppress import apply as apply_suppressions

if TYPE_CHECKING:
    from stslint.context import Context

_LIST_INDEX = re.compile(r"\[\d+\]")

INDEXED_VIEWS = (StatefulSet, Service, StorageClass)
"""The kinds cross-object rules read."""

DROPPED_IN_PATCHES = frozenset({"STS003"})
"""Input errors that a kustomize patch file may have by design (a JSON6902 patch is a list)."""


@dataclass
class Settings:
    """What a run checks and how."""

    selected: frozenset[str] = field(default_factory=resolve)
    namespace: str | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    file_ignores: Callable[[str], frozenset[str]] | None = None
    """The codes per-file-ignores turns off for a file path (None: no per-file-ignores)."""
    keep_texts: bool = True
    """Keep the text of files with findings for the report (code frames); off saves memory."""


@dataclass
class RunResult:
    """The outcome of a run: sorted findings, counts, and the text of files that have findings."""

    findings: list[Finding]
    files: int
    objects: int
    texts: dict[str, str] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    file_names: list[str] = field(default_factory=list)
    """Display names of every file read, in the order read (clean files too)."""
    warnings: list[tuple[str, int, str]] = field(default_factory=list)
    """(file, line, message) of suppression comments and annotations that were ignored."""

    def severity(self, code: str) -> str:
        """The effective severity of a code (input errors are always errors)."""
        if code in INPUT_ERROR_CODES:
            return "error"
        return self.severities.get(code) or RULES[code].severity

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


def _describe_document(root: Any) -> str:
    if isinstance(root, list):
        return "a list (a JSON6902 patch?)"
    return f"a {type(root).__name__ if not isinstance(root, str) else 'string'} scalar"


class Linter:
    """Runs the selected rules over the sources of one run."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.index = Index()
        self.findings: list[Finding] = []
        self.type_errors: list[Finding] = []
        self._type_error_keys: set[tuple[str, tuple[int, int, int, int], str]] = set()
        self.patch_files: set[str] = set()
        self.texts: dict[str, str] = {}
        self.files = 0
        self.file_names: list[str] = []
        self.objects = 0
        selected = settings.selected
        self._rules: dict[str, list[Rule]] = {
            cls: object_rules(kind, selected) for cls, kind in
            (("StatefulSet", "StatefulSet"), ("PersistentVolume", "PersistentVolume"))
        }
        self._index_rules = index_rules(selected)
        self.context_paths: set[str] = set()
        self.suppressions: dict[str, FileSuppressions] = {}
        self.warnings: list[tuple[str, int, str]] = []
        self._cross_file_findings_possible = False

    def _options(self, rule: Rule) -> dict[str, Any]:
        return self.settings.rule_options.get(rule.code, {})

    def add_context(self, context: Context) -> None:
        """Index what context files contribute: they resolve the checked files' references (and
        their kustomizations mark patch files) but are never reported on."""
        for file in context.files:
            self.context_paths.add(file.real_path)
            self.patch_files.update(file.patches)
            self.index.add_context(file.services, file.storage_classes)

    def add_file(self, result: FileResult) -> None:
        """Lint the documents of one loaded file and index its objects."""
        self.files += 1
        source = result.source
        self.file_names.append(source.display)
        before = len(self.findings)
        self._cross_file_findings_possible = False
        self.findings.extend(result.errors)
        self.patch_files |= kustomization_patches(source.path, (doc.root for doc in result.documents),
                                                  result.real_path)
        for doc in result.documents:
            root = doc.root
            if root is None:
                continue
            if not isinstance(root, dict):
                if source.explicit:
                    self.findings.append(Finding(
                        "STS003", f"document {doc.index + 1} is {_describe_document(root)}, not a Kubernetes "
                        "object (a mapping with apiVersion and kind)", source.display, doc.span,
                        source_path=result.real_path))
                continue
            has_api, has_kind = root.get("apiVersion") is not None, root.get("kind") is not None
            if has_api != has_kind:
                present, absent = ("apiVersion", "kind") if has_api else ("kind", "apiVersion")
                self.findings.append(Finding(
                    "STS003", f"document {doc.index + 1} has {present} but no {absent}; it is not a complete "
                    "Kubernetes object", source.display, root.key_span(present), source_path=result.real_path))
                continue
            if not has_api:
                continue  # Helm values, CI configs, a kustomization: not objects
            for span, problem in non_object_items(root):
                self.findings.append(Finding(
                    "STS003", f"document {doc.index + 1}: {problem}; a List holds only Kubernetes objects",
                    source.display, span, source_path=result.real_path))
            for obj in objects_of(root):
                self.objects += 1
                self._lint_object(obj, source, result.real_path, doc.index)
        self._note_directives(result)
        if self.settings.keep_texts and (len(self.findings) > before or self._has_suppressions(source.display)
                                         or self._cross_file_findings_possible):  # index rules may report later
            self.texts[source.display] = result.text

    def _note_directives(self, result: FileResult) -> None:
        """Record a file's suppression comments (only lines holding ``stslint:`` are read) and the
        codes per-file-ignores turns off in it."""
        source = result.source
        ignores = self.settings.file_ignores
        ignored = ignores(source.path or source.display) if ignores and source.display != "-" else frozenset()
        items, warnings = ([], []) if not result.documents or "stslint:" not in result.text else \
            parse_comments(result.text, result.multiline_scalars)
        self.warnings.extend((source.display, line, message) for line, message in warnings)
        entry = self.suppressions.get(source.display)
        if entry is not None:
            entry.items.extend(items)
            entry.ignored = ignored
        elif items or ignored:
            self.suppressions[source.display] = FileSuppressions(source.display, result.real_path, items, ignored)

    def _has_suppressions(self, display: str) -> bool:
        entry = self.suppressions.get(display)
        return entry is not None and bool(entry.items)

    def _note_annotation(self, data: YMap, res: Resource, real_path: str | None) -> None:
        """Record an object's stslint.io/ignore annotation, covering the findings about that object."""
        suppression, warning = annotation_suppression(data, res.ref, res.namespace, res.document)
        if warning is not None:
            self.warnings.append((res.file, *warning))
        if suppression is not None:
            entry = self.suppressions.setdefault(res.file, FileSuppressions(res.file, real_path))
            entry.items.append(suppression)

    def _lint_object(self, data: YMap, source: Source, real_path: str | None, document: int | None = None) -> None:
        res: Resource = view_for(data, source.display, self.settings.namespace, self._add_type_error, real_path,
                                 document)
        if isinstance(res, StatefulSet) and res.is_patch():
            return  # a kustomize patch, not an object to judge
        self._note_annotation(data, res, real_path)
        if isinstance(res, StatefulSet) and self._index_rules:
            self._cross_file_findings_possible = True
        rules = self._rules.get(type(res).__name__, ())
        if rules or (self._index_rules and isinstance(res, INDEXED_VIEWS)):
            res.check_identity()
        seen: set[tuple[str, tuple[int, int, int, int], str]] = set()
        for rule in rules:
            assert rule.check is not None
            for finding in rule.check(res, self._options(rule)):
                key = (finding.code, finding.span, finding.message)
                if key not in seen:  # an item aliased many times is judged once per place
                    seen.add(key)
                    self.findings.append(finding)
        if self._index_rules:
            self.index.add(res)

    def _add_type_error(self, finding: Finding) -> None:
        """Keep an STS006 finding unless the same field was reported before: several rules read it, or
        it sits in an item aliased many times (indexes aside, its path is the same)."""
        key = (finding.file, finding.span, _LIST_INDEX.sub("[]", finding.anchor))
        if key not in self._type_error_keys:
            self._type_error_keys.add(key)
            self.type_errors.append(finding)

    def finish(self) -> RunResult:
        """Run the cross-object rules and return the sorted findings."""
        self.index.drop_files(self.patch_files)
        for rule in self._index_rules:
            assert rule.check is not None
            for finding in rule.check(self.index, self._options(rule)):
                if finding.code == "STS006":
                    self._add_type_error(finding)
                else:
                    self.findings.append(finding)
        if "STS006" in self.settings.selected:
            self.findings.extend(self.type_errors)
        findings = [f for f in self.findings if self._kept(f)]
        if self.suppressions:
            findings = apply_suppressions(findings, self.suppressions, self.settings.selected,
                                          lambda entry: entry.real_path in self.patch_files)
        findings.sort(key=Finding.sort_key)
        reported = {f.file for f in findings}
        texts = {name: text for name, text in self.texts.items() if name in reported}
        return RunResult(findings, self.files, self.objects, texts, dict(self.settings.severities),
                         file_names=list(self.file_names), warnings=sorted(self.warnings))

    def _kept(self, finding: Finding) -> bool:
        if finding.is_input_error:
            return not (finding.code in DROPPED_IN_PATCHES and finding.source_path in self.patch_files)
        if finding.source_path is not None and finding.source_path in self.patch_files:
            return False
        if finding.source_path is not None and finding.source_path in self.context_paths:
            return False  # context files are never reported on
        return finding.code in self.settings.selected


def lint(sources: Iterable[Source], settings: Settings | None = None, context: Context | None = None) -> RunResult:
    """Lint every source together (one index across all of them, plus the context's entries)."""
    settings = settings or Settings()
    linter = Linter(settings)
    if context is not None:
        linter.add_context(context)
    for source in sources:
        linter.add_file(load_source(source, settings.max_file_size))
    return linter.finish()

