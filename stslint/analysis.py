"""The per-file unit: one loaded file → its findings, its index entries and its suppressions.

A file's analysis depends only on the file and the run's settings, never on the other files, so one
changed file (an editor buffer, a pre-commit change) can be analysed again and related to an index of
the others. Cross-object rules run later, in the engine, over the entries of every file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from stslint.findings import APPLICABILITIES, Finding
from stslint.loading import FileResult
from stslint.loading.discover import NOT_MANIFESTS
from stslint.loading.source_text import SourceText, mentions_directive
from stslint.model.documents import first_listed_object, non_object_items, objects_of
from stslint.model.entries import Entry
from stslint.model.kustomize import kustomization_patches
from stslint.model.nodes import YMap
from stslint.model.resource import Resource, type_finding
from stslint.model.views import view_for
from stslint.rules import Rule, RuleSet
from stslint.suppress import FileSuppressions, Suppression, annotation_suppression, parse_comments

if TYPE_CHECKING:
    from stslint.settings import Settings


class RuleError(RuntimeError):
    """A rule broke its contract (it yielded another rule's code, or a fix that is neither safe nor
    unsafe): a bug in the rule."""


def checked(rule: Rule, finding: Finding) -> Finding:
    """``finding`` when ``rule`` may yield it; RuleError otherwise."""
    if finding.code != rule.code:
        raise RuleError(f"rule {rule.code} yielded a finding of {finding.code}")
    if finding.fix is not None and finding.fix.applicability not in APPLICABILITIES:
        raise RuleError(f"rule {rule.code} offered a fix that is {finding.fix.applicability!r}, not safe or unsafe")
    return finding


@dataclass
class RulePlan:
    """What a run executes: the selected rules dispatched to the view classes they read, and every
    selected rule's options with the declared defaults filled in."""

    rules: RuleSet
    selected: frozenset[str]
    options: dict[str, dict[str, Any]]
    object_rules: list[Rule]
    index_rules: list[Rule]
    _by_view: dict[type[Resource], list[Rule]] = field(default_factory=dict)
    _reads: dict[type[Resource], bool] = field(default_factory=dict)
    _indexes: dict[type[Resource], bool] = field(default_factory=dict)

    @classmethod
    def of(cls, settings: Settings) -> RulePlan:
        """The plan of a run with these settings."""
        rules = settings.rules
        options = {code: {**rules[code].defaults(), **settings.rule_options.get(code, {}),
                          **{name: settings.run_input(name) for name in rules[code].run_inputs}}
                   for code in settings.selected if code in rules}
        return cls(rules, settings.selected, options, rules.object_rules(settings.selected),
                   rules.index_rules(settings.selected))

    def rules_for(self, view: type[Resource]) -> list[Rule]:
        """The selected object rules that run on objects of this view class, in code order."""
        found = self._by_view.get(view)
        if found is None:
            found = self._by_view[view] = [r for r in self.object_rules if r.view is not None
                                           and issubclass(view, r.view)
                                           and any(issubclass(view, read) for read in r.reads)]
        return found

    def reads(self, view: type[Resource]) -> bool:
        """Whether the identity (metadata, name, namespace) of objects of this view class is read:
        a selected object rule reads them, or a cross-object rule is selected and some cross-object
        rule of the run relates their kind (the index then looks them up by name)."""
        found = self._reads.get(view)
        if found is None:
            related = any(issubclass(view, read) for rule in self.rules.values() if rule.scope == "index"
                          for read in rule.reads)
            judging = any(rule.view is not Resource for rule in self.rules_for(view))  # not every-object rules
            found = self._reads[view] = judging or (bool(self.index_rules) and related)
        return found

    def indexes(self, view: type[Resource]) -> bool:
        """Whether a selected index rule reads entries of this view class."""
        found = self._indexes.get(view)
        if found is None:
            found = self._indexes[view] = any(issubclass(view, read) for rule in self.index_rules
                                              for read in rule.reads)
        return found


@dataclass
class FileAnalysis:
    """What one file gives a run."""

    display: str
    real_path: str | None
    content: SourceText
    explicit: bool = True
    findings: list[Finding] = field(default_factory=list)
    """Input errors and object-rule findings."""
    type_findings: list[Finding] = field(default_factory=list)
    """STS006 for the wrong-typed fields that selected rules read while judging the file's objects."""
    entries: list[Entry] = field(default_factory=list)
    suppressions: FileSuppressions | None = None
    warnings: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of suppression comments and annotations that were ignored."""
    patches: set[str] = field(default_factory=set)
    """Real paths of the patch files this file lists, when it is a kustomization."""
    objects: int = 0
    statefulsets: int = 0
    """How many of the objects are StatefulSets the rules judged (not kustomize patches)."""

    @property
    def key(self) -> str:
        """What identifies the file in a run (its real path; the display name of standard input)."""
        return self.real_path or self.display


def analyze(result: FileResult, settings: Settings, plan: RulePlan | None = None) -> FileAnalysis:
    """Judge the objects of one loaded file with the selected object rules and extract the index
    entries the selected cross-object rules read."""
    plan = plan or RulePlan.of(settings)
    source = result.source
    analysis = FileAnalysis(source.display, result.real_path, result.content, source.explicit,
                            findings=list(result.errors))
    listed = kustomization_patches(source.path, (doc.root for doc in result.documents), result.real_path)
    analysis.patches = listed.paths
    analysis.warnings.extend(listed.refused)
    annotations: list[Suppression] = []
    chart_metadata = os.path.basename(source.path or source.display) in NOT_MANIFESTS
    for doc in result.documents:
        root = doc.root
        if root is None:
            continue
        if not isinstance(root, dict):
            # a list or a scalar is not a Kubernetes object: an Ansible playbook, a .pre-commit-hooks.yaml,
            # a JSON6902 patch. Skipped silently whether the file was named or walked, unless it is a list
            # of objects: a manifest in the wrong shape (a kustomization's patch file drops it, engine)
            first = first_listed_object(root)
            if first is not None:
                analysis.findings.append(_not_an_object(
                    analysis, doc.span, f"document {doc.index + 1} is a list holding Kubernetes objects (items[{first}] "
                    "is the first), not an object; use `kind: List` or separate documents with `---`"))
            continue
        has_api, has_kind = root.get("apiVersion") is not None, root.get("kind") is not None
        if has_api != has_kind and chart_metadata:
            continue  # a Helm chart's Chart.yaml (an apiVersion, no kind): skipped named as walked
        if has_kind and not has_api and root.get("kind") == "PolicySet":
            continue  # a policy file (stslint.policy) in the checked tree, not a manifest
        if has_api != has_kind:
            present, absent = ("apiVersion", "kind") if has_api else ("kind", "apiVersion")
            analysis.findings.append(_not_an_object(
                analysis, root.key_span(present), f"document {doc.index + 1} has {present} but no {absent}; it is "
                "not a complete Kubernetes object"))
            continue
        if not has_api:
            continue  # Helm values, CI configs, a kustomization: not objects
        for span, problem in non_object_items(root):
            analysis.findings.append(_not_an_object(
                analysis, span, f"document {doc.index + 1}: {problem}; a List holds only Kubernetes objects"))
        for obj in objects_of(root):
            analysis.objects += 1
            _judge(obj, settings, plan, analysis, annotations)
    _note_directives(result, settings, plan, analysis, annotations)
    return analysis


def _not_an_object(analysis: FileAnalysis, span: Any, message: str) -> Finding:
    return Finding("STS003", message, analysis.display, span, source_path=analysis.real_path)


def _judge(data: YMap, settings: Settings, plan: RulePlan, analysis: FileAnalysis,
           annotations: list[Suppression]) -> None:
    """Run the object rules on one object, keep the type problems they met, extract its entry."""
    view = view_for(data, analysis.display, settings.namespace, analysis.real_path)
    view.source = analysis.content
    if view.is_patch():
        return  # a kustomize patch, not an object to judge
    if view.KIND == "StatefulSet":
        analysis.statefulsets += 1
    suppression, warning = annotation_suppression(data, view.ref, view.namespace, view.object_at, plan.rules)
    if warning is not None:
        analysis.warnings.append(warning)
    if suppression is not None:
        annotations.append(suppression)
    cls = type(view)
    if plan.reads(cls):
        view.check_identity()
    seen: set[tuple[str, Any, str]] = set()
    for rule in plan.rules_for(cls):
        assert rule.check is not None
        for finding in rule.check(view, plan.options[rule.code]):
            key = (checked(rule, finding).code, finding.span, finding.message)
            if key not in seen:  # an item aliased many times is judged once per place
                seen.add(key)
                analysis.findings.append(finding)
    analysis.type_findings.extend(type_finding(view, problem) for problem in view.problems.problems)
    if plan.indexes(cls):
        entry = view.entry()
        if entry is not None:
            analysis.entries.append(entry)


def _note_directives(result: FileResult, settings: Settings, plan: RulePlan, analysis: FileAnalysis,
                     annotations: list[Suppression]) -> None:
    """Record a file's suppression comments (only lines holding ``stslint:`` are read), its annotations
    and the codes per-file-ignores turns off in it."""
    source = result.source
    ignores = settings.file_ignores
    ignored = ignores(source.path or source.display) if ignores and source.display != "-" else frozenset()
    items: list[Suppression] = []
    if result.documents and mentions_directive(result.content.text):
        items, warnings = parse_comments(result.content, result.scalar_ranges, plan.rules)
        analysis.warnings.extend(warnings)
    items += annotations
    if items or ignored:
        analysis.suppressions = FileSuppressions(source.display, result.real_path, items, ignored)
