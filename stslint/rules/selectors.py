"""Selector rules (STS201-STS202): the StatefulSet's selector and its pod template labels."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding, Fix
from stslint.model.fields import Fields, listed
from stslint.model.selectors import read_match_expressions, requirement_matches, requirement_problem, unmatched_labels
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule


@object_rule("STS201", "selector-missing", "error", view=StatefulSet)
def selector_missing(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """spec.selector missing or empty."""
    spec = sts.spec()
    if spec is None:
        return
    old_api = sts.api_version == "apps/v1beta1"
    note = (" (apps/v1beta1 defaulted it from the template labels; apps/v1 requires it)" if old_api else
            " (the API requires one)")
    if not spec.present("selector"):
        yield sts.finding("STS201", f'StatefulSet "{sts.name}" has no spec.selector{note}',
                          sts.fields.key_span("kind"), anchor="kind", fix=_selector_fix(sts, spec))
        return
    selector = spec.map("selector")
    if selector is None:
        return  # wrong type: STS006
    if not selector.raw("matchLabels") and not selector.raw("matchExpressions"):
        yield sts.finding("STS201", f'StatefulSet "{sts.name}": spec.selector is empty, which the API rejects for a '
                          "StatefulSet",
                          spec.key_span("selector"), anchor="spec.selector")


def quiet_template_labels(spec: Fields) -> dict[str, str] | None:
    """The pod template's labels when they are a non-empty mapping of strings, read without
    reporting type problems (a fix reads them; the rules that judge them report them)."""
    template = spec.raw("template")
    meta = template.get("metadata") if isinstance(template, dict) else None
    labels = meta.get("labels") if isinstance(meta, dict) else None
    if not isinstance(labels, dict) or not labels:
        return None
    if not all(isinstance(key, str) and isinstance(value, str) for key, value in labels.items()):
        return None
    return dict(labels)


def selector_entries(spec: Fields) -> dict[str, Any] | None:
    """``{"selector": {"matchLabels": <the template labels>}}`` for a spec without a selector key
    (None when it has one, or the template has no labels to select by)."""
    if spec.has_key("selector"):
        return None
    labels = quiet_template_labels(spec)
    return None if labels is None else {"selector": {"matchLabels": labels}}


def _selector_fix(sts: StatefulSet, spec: Fields) -> Fix | None:
    """The unsafe fix that adds ``spec.selector.matchLabels`` = the pod template labels."""
    entries = selector_entries(spec) if sts.source is not None else None
    if entries is None or sts.source is None:
        return None
    from stslint.edits import insert_entries, make_fix, nesting_step

    edit = insert_entries(sts.source, spec, entries, sts.file, sts.source_path,
                          step=nesting_step(sts.fields, "spec", spec))
    return make_fix("Add spec.selector.matchLabels from the pod template labels", "unsafe", [edit])


@object_rule("STS202", "selector-template-mismatch", "error", view=StatefulSet)
def selector_template_mismatch(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """matchLabels/matchExpressions not satisfied by the pod template labels."""
    spec = sts.spec()
    selector = spec.map("selector") if spec and spec.present("selector") else None
    if selector is None:
        return
    labels = sts.template_labels()
    match_labels = selector.string_map("matchLabels") if selector.present("matchLabels") else {}
    expressions = read_match_expressions(selector)
    if labels is None or match_labels is None or expressions is None:
        return  # wrong types: STS006
    problems = [f"matchLabels {pair}" for pair in unmatched_labels(match_labels, labels)]
    for index, expr in enumerate(expressions):
        invalid = requirement_problem(expr)
        if invalid:
            problems.append(f"matchExpressions[{index}] {invalid}")
        elif not requirement_matches(expr, labels):
            values = listed(str(v) for v in expr.get("values") or [])
            problems.append(f"matchExpressions[{index}] ({expr['key']} {expr['operator']}"
                            f"{' ' + values if values else ''})")
    if problems:
        yield sts.finding("STS202", f'StatefulSet "{sts.name}": spec.selector does not match the pod template '
                          f"labels ({listed(problems, '; ')} not satisfied); the API rejects the StatefulSet",
                          spec.key_span("selector"),  # type: ignore[union-attr]
                          anchor="spec.selector")
