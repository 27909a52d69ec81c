"""A policy as a rule: an object rule of the run's rule set, like a built-in one — or, for a policy
with ``refs``, an index rule, since its joins need every file of the run.

The check runs on the objects of the policy's kinds that its ``match`` selects, validates each of its
targets against the schema (compiled once per run and set of param values, never per object), and
reports one finding per failing field: each JSON Schema error gives its field's path, a ``required``
error one finding per missing field, an ``additionalProperties``/``unevaluatedProperties`` error
one per unexpected key; errors on the same field (a value failing ``pattern`` and ``maxLength``)
make one finding. The finding is located at the field (see stslint.policy.locate) and named by its
path (the anchor that keeps fingerprints stable).

Refs are resolved through the index (a lookup by name, or the index's selector query), never by a
scan of every object: a ref violation lands on the field that names the reference (the claim
template's ``storageClassName:`` — the legacy annotation's key when that names the class — else its
``metadata.name``; ``serviceName:``), or on ``kind:`` for a ``selecting`` ref, with the referenced
object as a related location (its failing field when it is in a checked file). ``expr`` (CEL, see
stslint.policy.cel) is evaluated per target after the refs, with every ref's objects.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterator

from stslint.findings import Finding, Related
from stslint.model.fields import describe
from stslint.model.nodes import Span, YMap
from stslint.model.resource import Resource
from stslint.policy.files import Policy, Ref
from stslint.policy.locate import dotted, field_span
from stslint.policy.match import Matcher
from stslint.policy.message import as_text, render
from stslint.policy.targets import Target, targets
from stslint.rules import Rule, resolve_view

_EXTRA_KEYWORDS = ("additionalProperties", "unevaluatedProperties")
LEGACY_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class"


class Site:
    """Where a reference is named in the judged object: its span, its anchor, and what it names."""

    __slots__ = ("span", "anchor", "target", "label")

    def __init__(self, span: Span, anchor: str, target: str | None, label: str) -> None:
        self.span = span
        self.anchor = anchor
        self.target = target
        """The name it refers to (None for a ``selecting`` ref)."""
        self.label = label
        """How a message describes it (``claim template "data"``)."""


class Resolved:
    """One resolution of a ref: where it is named and the entries found."""

    __slots__ = ("ref", "site", "entries")

    def __init__(self, ref: Ref, site: Site, entries: list[Any]) -> None:
        self.ref = ref
        self.site = site
        self.entries = entries


class PolicyCheck:
    """The check function of a policy's rule: ``check(view, options)``."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.matcher = Matcher(policy.match)
        self._validators: dict[str, Any] = {}

    def validator(self, options: dict[str, Any]) -> Any:
        """The compiled schema for these param values (compiled on first use, then kept)."""
        key = json.dumps(options, sort_keys=True, default=str)
        found = self._validators.get(key)
        if found is None:
            from stslint.policy.schema import compile_schema

            found = self._validators[key] = compile_schema(self.policy.schema, options)
        return found

    def ref_validator(self, ref: Ref, options: dict[str, Any]) -> Any:
        """The compiled schema of a ref for these param values (compiled once)."""
        key = ref.name + "\0" + json.dumps(options, sort_keys=True, default=str)
        found = self._validators.get(key)
        if found is None:
            from stslint.policy.schema import compile_schema

            found = self._validators[key] = compile_schema(ref.schema, options)
        return found

    def __call__(self, view: Resource, options: dict[str, Any]) -> Iterator[Any]:
        return self.judge(view, options, None)

    def judge(self, view: Resource, options: dict[str, Any], index: Any) -> Iterator[Any]:
        """The findings about ``view`` (and, with ``unresolved: warn``, run warnings); ``index`` resolves
        refs (None for a policy without refs)."""
        if not self.matcher(view):
            return
        policy = self.policy
        resolved: list[Resolved] = []
        if policy.refs and index is not None:
            for ref in policy.refs:
                resolved += self._resolve(ref, view, index)
            for item in resolved:
                yield from self._judge_ref(view, item, options)
        if policy.schema is None and policy.expr is None:
            return
        validator = None
        cel_object: Any = None
        for target in targets(policy.target, view):
            if policy.schema is not None:
                validator = validator or self.validator(options)
                seen: set[tuple[Any, ...]] = set()
                for error in validator.iter_errors(target.value):
                    for path, missing in _failures(error, target):
                        key = (*path, missing)
                        if key not in seen:
                            seen.add(key)
                            yield self._finding(view, target, path, missing, options)
            if policy.expr is not None:
                from stslint.policy.cel import to_cel

                if cel_object is None:
                    cel_object = (to_cel(view.data), to_cel(_ref_documents(policy, resolved)), to_cel(options))
                finding = self._expression(view, target, cel_object, options)
                if finding is not None:
                    yield finding

    # ---- expressions ------------------------------------------------------------------------------

    def _expression(self, view: Resource, target: Target, bound: tuple[Any, Any, Any],
                    options: dict[str, Any]) -> Finding | None:
        from stslint.policy.cel import CelEvaluationError, evaluate, to_cel

        policy = self.policy
        assert policy.expr is not None
        item = bound[0] if not target.path else to_cel(target.value)
        try:
            if evaluate(policy.expr, {"object": bound[0], "item": item, "refs": bound[1], "params": bound[2]}):
                return None
            why = "expr is false"
        except CelEvaluationError as exc:
            why = f"expr failed: {exc}"
        span = field_span(view.data, target.path, missing=True)
        shown_path = dotted(target.path) or "(the object)"
        if policy.message is not None:
            message = self._render(view, target.container, shown_path, why, "", options)
        else:
            summary = policy.summary.strip().rstrip(".")
            where = f"{shown_path}: " if target.path else ""
            message = f'{view.kind} "{view.name}": {summary} ({where}{why})'
        return view.finding(policy.code, message[:300], span, container=target.container,
                            anchor=f"{dotted(target.path)}#expr")

    # ---- refs -------------------------------------------------------------------------------------

    def _resolve(self, ref: Ref, view: Resource, index: Any) -> list[Resolved]:
        """Each place ``view`` names a ref's objects, with the entries the index finds there."""
        found: list[Resolved] = []
        for site in _sites(ref, view):
            if ref.selecting is not None:
                labels = view.template_labels()  # type: ignore[attr-defined]
                if labels is None:
                    continue  # unreadable pod labels (STS006): nothing can be said
                entries = index.selecting(ref.kind, view.namespace, labels)
            else:
                assert site.target is not None
                entries = index.named(ref.kind, site.target, view.namespace)
            found.append(Resolved(ref, site, entries))
        return found

    def _judge_ref(self, view: Resource, item: Resolved, options: dict[str, Any]) -> Iterator[Any]:
        ref, site, entries = item.ref, item.site, item.entries
        count = len(entries)
        plural = ref.kind + ("es" if ref.kind.endswith("s") else "s")
        if count == 0 and ref.minimum >= 1:
            if ref.unresolved == "skip":
                return
            if ref.selecting is not None:
                what = f"no {ref.kind} selects its pods"
            else:
                what = f'{ref.kind} "{site.target}" ({site.label}) is in none of the checked or context files'
            message = f'{view.kind} "{view.name}": {what} (ref "{ref.name}" of {self.policy.code})'
            if ref.unresolved == "warn":
                from stslint.engine import RunWarning

                yield RunWarning(view.file, site.span[0], f"{self.policy.code}: {message}")
                return
            yield view.finding(self.policy.code, message, site.span, anchor=f"refs.{ref.name}:{site.anchor}")
            return
        if count < ref.minimum or (ref.maximum is not None and count > ref.maximum):
            bound = (f"at least {ref.minimum}" if count < ref.minimum else f"at most {ref.maximum}")
            if ref.selecting is not None:
                what = f"{count} {plural if count != 1 else ref.kind}{' select' if count != 1 else ' selects'} its pods"
            else:
                what = f'{count} {plural} are named "{site.target}" ({site.label})'
            message = f'{view.kind} "{view.name}": {what}; ref "{ref.name}" of {self.policy.code} allows {bound}'
            related = [entry.related(entry.name_span, f"{entry.ref}") for entry in entries[:10]]
            yield view.finding(self.policy.code, message, site.span, anchor=f"refs.{ref.name}:{site.anchor}",
                               related=related)
        if ref.schema is None:
            return
        validator = self.ref_validator(ref, options)
        judged = [entry for entry in entries if entry.document is not None]
        if ref.of is not None and len(judged) > 1:
            # one name, several objects that could be it (the same object in two files, or namespaces
            # unknown): the reference holds when one of them satisfies the schema, as the built-in rules
            # judge a governing Service; otherwise the one nearest the judged object is reported
            if any(validator.is_valid(entry.document) for entry in judged):
                return
            judged.sort(key=lambda entry: (entry.file_key != (view.source_path or view.file)))
            judged = judged[:1]
        for entry in judged:
            document = entry.document
            seen: set[tuple[Any, ...]] = set()
            for error in validator.iter_errors(document):
                for path, missing in _failures(error, Target(document, ())):
                    key = (*path, missing)
                    if key in seen:
                        continue
                    seen.add(key)
                    yield self._ref_finding(view, item, entry, path, missing, options)

    def _ref_finding(self, view: Resource, item: Resolved, entry: Any, path: tuple[Any, ...], missing: str | None,
                     options: dict[str, Any]) -> Finding:
        policy, ref, site = self.policy, item.ref, item.site
        document = entry.document
        field_path = (*path, missing) if missing is not None else path
        shown_path = dotted(field_path) or "(the object)"
        value = "missing" if missing is not None else describe(_value_in(document, path))
        if isinstance(document, YMap):
            where = field_span(document, path, missing=missing is not None)
        else:
            where = entry.kind_span  # a context record keeps the object's data, not the positions of its fields
        related = entry.related(where, f'{entry.ref}: {shown_path} is {value}')
        if policy.message is not None:
            message = self._render(view, None, shown_path, value, ref.name, options)
        else:
            message = (f'{view.kind} "{view.name}": {ref.kind} "{entry.name}" (ref "{ref.name}") fails {policy.code}: '
                       f"{shown_path} is {value}")
        return view.finding(policy.code, message, site.span, related=[related],
                            anchor=f"refs.{ref.name}:{site.anchor}:{entry.ref}:{dotted(field_path)}")

    def _render(self, view: Resource, container: str | None, path: str, value: str, ref: str,
                options: dict[str, Any]) -> str:
        assert self.policy.message is not None
        values = {name: as_text(options.get(name)) for name in options}
        values.update(object=view.ref, kind=view.kind, name=view.name, namespace=view.namespace or "",
                      container=container or "", path=path, value=value, ref=ref)
        return render(self.policy.message, values)

    def _finding(self, view: Resource, target: Target, path: tuple[Any, ...], missing: str | None,
                 options: dict[str, Any]) -> Finding:
        policy = self.policy
        field_path = (*path, missing) if missing is not None else path
        span = field_span(view.data, path, missing=missing is not None)
        shown_path = dotted(field_path) or "(the object)"
        value = "missing" if missing is not None else describe(_value_at(target, path))
        if policy.message is not None:
            message = self._render(view, target.container, shown_path, value, "", options)
        else:
            summary = policy.summary.strip().rstrip(".")
            message = f'{view.kind} "{view.name}": {summary} ({shown_path} is {value})'
        return view.finding(policy.code, message, span, container=target.container, anchor=dotted(field_path))


class JoinCheck:
    """The check function of a policy with refs, an index rule: ``check(index, options)`` judges the
    checked files' objects of the policy's kinds, resolving refs through ``index``."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.object_check = PolicyCheck(policy)

    def __call__(self, index: Any, options: dict[str, Any]) -> Iterator[Any]:
        from stslint.model.views import view_for

        for kind in self.policy.match.kinds:
            for entry in index.subjects(kind):
                data = entry.document
                if not isinstance(data, YMap):
                    continue
                view = view_for(data, entry.file, entry.namespace, entry.source_path)
                yield from self.object_check.judge(view, options, index)
                problems = view.problems.problems
                if problems:  # wrong-typed fields the policy met: STS006 (when selected), as for object rules
                    entry.collect("policy", list(problems))
                    entry.read.add("policy")


def _sites(ref: Ref, view: Resource) -> Iterator[Site]:
    """Where ``view`` names the objects of ``ref``."""
    if ref.selecting is not None:
        yield Site(view.fields.key_span("kind"), "kind", None, "its pods")
        return
    spec = view.spec()
    if spec is None:
        return
    if ref.of == "serviceName":
        name = spec.str("serviceName")
        if name:  # an omitted or empty serviceName is STS101's business
            yield Site(spec.key_span("serviceName"), "spec.serviceName", name, "spec.serviceName")
        return
    from stslint.model.workloads import ClaimTemplate

    for index, fields in spec.maps("volumeClaimTemplates"):
        claim = ClaimTemplate.read(fields, index)
        name = claim.class_name
        if not name:
            continue  # omitted (the default class; STS404) or "" (no class): no StorageClass is named
        meta = fields.map("metadata")
        annotations = meta.map("annotations") if meta is not None else None
        base = f"spec.volumeClaimTemplates[{index}]"
        if annotations is not None and annotations.present(LEGACY_CLASS_ANNOTATION):
            span = annotations.key_span(LEGACY_CLASS_ANNOTATION)
            anchor = f'{base}.metadata.annotations["{LEGACY_CLASS_ANNOTATION}"]'
        else:
            claim_spec = fields.map("spec")
            span = claim_spec.key_span("storageClassName") if claim_spec is not None else claim.span
            anchor = f"{base}.spec.storageClassName"
        yield Site(span, anchor, name, f'claim template "{claim.label}"')


def _ref_documents(policy: Policy, resolved: list[Resolved]) -> dict[str, list[Any]]:
    """Each ref's objects (once each, in the order found), for an expression."""
    documents: dict[str, list[Any]] = {ref.name: [] for ref in policy.refs}
    seen: set[tuple[str, int]] = set()
    for item in resolved:
        for entry in item.entries:
            key = (item.ref.name, id(entry))
            if entry.document is not None and key not in seen:
                seen.add(key)
                documents[item.ref.name].append(entry.document)
    return documents


def _value_in(document: Any, path: tuple[Any, ...]) -> Any:
    node = document
    for part in path:
        node = node[part]
    return node


def _value_at(target: Target, path: tuple[Any, ...]) -> Any:
    node = target.value
    for part in path[len(target.path):]:
        node = node[part]
    return node


def _failures(error: Any, target: Target) -> Iterator[tuple[tuple[Any, ...], str | None]]:
    """The failing fields of one schema error: (path from the object's root, missing field name)."""
    path = (*target.path, *error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        for name in error.validator_value:
            if name not in instance:
                yield path, name
    elif error.validator == "dependentRequired" and isinstance(instance, dict):
        for property_name, needed in error.validator_value.items():
            if property_name in instance:
                for name in needed:
                    if name not in instance:
                        yield path, name
    elif error.validator in _EXTRA_KEYWORDS and error.validator_value is False and isinstance(instance, dict):
        extra = _unexpected(instance, error.schema)
        for name in extra:
            yield (*path, name), None
        if not extra:
            yield path, None
    else:
        yield path, None


def _unexpected(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    """The keys of ``instance`` that neither ``properties`` nor ``patternProperties`` declare."""
    declared = schema.get("properties") or {}
    patterns = list(schema.get("patternProperties") or {})
    return [key for key in instance if key not in declared and not any(re.search(p, key) for p in patterns)]


def policy_rule(policy: Policy) -> Rule:
    """The rule of a policy: an object rule on the view classes of its kinds, with its params as
    typed options and its metadata as documentation."""
    views = tuple(dict.fromkeys(resolve_view(kind) for kind in policy.match.kinds))
    view: type[Resource] = views[0]
    for cls in views[1:]:  # the nearest common base: the plan runs the rule on the kinds in ``reads`` only
        while not issubclass(cls, view):
            view = view.__mro__[1]
    if policy.refs:
        looked_up = tuple(dict.fromkeys(resolve_view(ref.kind) for ref in policy.refs))
        return Rule(policy.code, policy.name, policy.severity, "index", JoinCheck(policy), reads=(*views, *looked_up),
                    options=policy.params, looks_up=looked_up, doc=policy.doc(), documents=(*views, *looked_up))
    return Rule(policy.code, policy.name, policy.severity, "object", PolicyCheck(policy), view=view, reads=views,
                options=policy.params, doc=policy.doc())
