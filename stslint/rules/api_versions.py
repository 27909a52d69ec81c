"""API version rules: apiVersions the API server no longer serves (STS501 for StatefulSets, STS502 for
every other object), limited to the removals at or before the run's ``--kubernetes-version``."""
from __future__ import annotations

from typing import Any, Iterator

from stslint.findings import Finding, Fix
from stslint.kubernetes import format_version, removed
from stslint.model.resource import Resource
from stslint.model.workloads import StatefulSet
from stslint.rules import object_rule


@object_rule("STS501", "deprecated-api-version", "error", view=StatefulSet, run_inputs=["kubernetes-version"])
def deprecated_api_version(sts: StatefulSet, options: dict[str, Any]) -> Iterator[Finding]:
    """apiVersion apps/v1beta1 or apps/v1beta2."""
    gone = removed(sts.api_version, "StatefulSet", options["kubernetes-version"])
    if gone is not None:
        yield sts.finding("STS501", f'StatefulSet "{sts.name}" uses apiVersion {sts.api_version}, which is not '
                          f"served since Kubernetes {format_version(gone.removed_in)}",
                          sts.fields.key_span("apiVersion"), anchor="apiVersion", fix=_apps_v1_fix(sts))


def _apps_v1_fix(sts: StatefulSet) -> Fix | None:
    """apiVersion apps/v1: safe for apps/v1beta2 with a selector; otherwise unsafe, adding the
    selector apps/v1 requires (the template labels) when missing and, for apps/v1beta1, its default
    update strategy (OnDelete; apps/v1 defaults to RollingUpdate) when none is set."""
    if sts.source is None or not sts.fields.editable("apiVersion"):
        return None
    from stslint.edits import insert_entries, make_fix, nesting_step, replace_scalar
    from stslint.rules.selectors import selector_entries

    source = sts.source
    api_edit = replace_scalar(source, sts.fields, "apiVersion", "apps/v1", sts.file, sts.source_path)
    spec_data = sts.fields.raw("spec")
    spec = sts.fields.nested("spec", spec_data) if isinstance(spec_data, dict) else None
    selector = spec.raw("selector") if spec is not None else None
    has_selector = isinstance(selector, dict) and bool(selector.get("matchLabels") or selector.get("matchExpressions"))
    if sts.api_version == "apps/v1beta2" and has_selector:
        return make_fix("Set apiVersion: apps/v1", "safe", [api_edit])
    if spec is None:
        return None
    entries: dict[str, Any] = {}
    added = []
    if not has_selector:
        wanted = selector_entries(spec)
        if wanted is None:
            return None  # an empty or wrong-typed selector, or no labels to select by
        entries.update(wanted)
        added.append("spec.selector.matchLabels from the template labels")
    if sts.api_version == "apps/v1beta1" and not spec.has_key("updateStrategy"):
        entries["updateStrategy"] = {"type": "OnDelete"}
        added.append("updateStrategy OnDelete (the apps/v1beta1 default)")
    edits = [api_edit]
    if entries:
        edits.append(insert_entries(source, spec, entries, sts.file, sts.source_path,
                                    step=nesting_step(sts.fields, "spec", spec)))
    title = "Set apiVersion: apps/v1" + (f", add {' and '.join(added)}" if added else "")
    return make_fix(title, "unsafe", edits)


@object_rule("STS502", "removed-api-version", "error", view=Resource, run_inputs=["kubernetes-version"])
def removed_api_version(obj: Resource, options: dict[str, Any]) -> Iterator[Finding]:
    """Any object but a StatefulSet (STS501) uses an apiVersion Kubernetes no longer serves for its kind."""
    if obj.kind == "StatefulSet":
        return  # STS501
    gone = removed(obj.api_version, obj.kind, options["kubernetes-version"])
    if gone is not None:
        yield obj.finding("STS502", f'{obj.kind} "{obj.name}" uses apiVersion {obj.api_version}, which Kubernetes '
                          f"{format_version(gone.removed_in)} removed (replaced by {gone.replacement})",
                          obj.fields.key_span("apiVersion"), anchor="apiVersion")
